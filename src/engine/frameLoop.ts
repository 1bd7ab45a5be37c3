// Real-time frame loop on requestVideoFrameCallback: at most one frame in flight; frames that
// arrive while the previous one is still being processed are dropped (counted), never queued.

export interface VideoFrameInfo {
  mediaTime: number; // presentation time of the frame, seconds
}

type Rvfc = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { mediaTime: number }) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export class FrameLoop {
  private running = false;
  private handle: number | null = null;
  private inFlight: Promise<void> | null = null;
  private lastPolledTime = -1;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly onFrame: (info: VideoFrameInfo) => Promise<void>,
    private readonly onDrop: () => void,
  ) {}

  get busy(): boolean {
    return this.inFlight !== null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.cancel();
  }

  /** Waits for the frame in flight (if any), then processes one frame: stepping and redraws. */
  async runExclusive(info: VideoFrameInfo): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.track(info);
  }

  /** Resolves once no frame is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private track(info: VideoFrameInfo): Promise<void> {
    const p = this.onFrame(info).finally(() => {
      if (this.inFlight === p) this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }

  private tick(info: VideoFrameInfo): void {
    if (!this.running) return;
    this.schedule();
    if (this.inFlight) {
      this.onDrop();
      return;
    }
    void this.track(info);
  }

  private schedule(): void {
    const v = this.video as Rvfc;
    if (v.requestVideoFrameCallback) {
      this.handle = v.requestVideoFrameCallback((_, meta) => this.tick({ mediaTime: meta.mediaTime }));
      return;
    }
    // Browsers without rVFC: poll on animation frames and treat a changed currentTime as a new frame.
    this.handle = requestAnimationFrame(() => {
      const t = this.video.currentTime;
      if (t !== this.lastPolledTime) {
        this.lastPolledTime = t;
        this.tick({ mediaTime: t });
      } else if (this.running) {
        this.schedule();
      }
    });
  }

  private cancel(): void {
    if (this.handle === null) return;
    const v = this.video as Rvfc;
    if (v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(this.handle);
    else cancelAnimationFrame(this.handle);
    this.handle = null;
  }
}
