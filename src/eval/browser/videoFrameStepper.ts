// Frame-exact stepping of a <video>: seek to the middle of frame i ((i + 0.5) / fps), wait for
// `seeked` and for the presented frame's requestVideoFrameCallback, and check that its
// mediaTime maps back to frame i (frame i has presentation time i / fps). A mismatch or a frame
// that never shows up is an error, never a silently dropped or repeated frame.

export class FrameSteppingError extends Error {
  override name = 'FrameSteppingError';
}

const FRAME_TIMEOUT_MS = 10_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new FrameSteppingError(`timed out after ${ms} ms waiting for ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

function nextPresentedFrame(video: HTMLVideoElement): Promise<VideoFrameCallbackMetadata> {
  return new Promise((resolve) => video.requestVideoFrameCallback((_now, metadata) => resolve(metadata)));
}

function once(target: EventTarget, event: string, errorEvent = 'error'): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = () => (cleanup(), resolve());
    const fail = () => (cleanup(), reject(new FrameSteppingError(`video ${errorEvent} while waiting for ${event}`)));
    const cleanup = () => {
      target.removeEventListener(event, ok);
      target.removeEventListener(errorEvent, fail);
    };
    target.addEventListener(event, ok);
    target.addEventListener(errorEvent, fail);
  });
}

export class VideoFrameStepper {
  private presented = -1; // index of the frame currently shown, -1 before the first
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;

  private constructor(readonly video: HTMLVideoElement, readonly fps: number, readonly frameCount: number) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = video.videoWidth;
    this.canvas.height = video.videoHeight;
    this.context = this.canvas.getContext('2d', { willReadFrequently: true })!;
  }

  /** Loads `url` into a detached, muted, paused video element. */
  static async open(url: string, fps: number, frameCount: number): Promise<VideoFrameStepper> {
    if (typeof HTMLVideoElement === 'undefined' || !('requestVideoFrameCallback' in HTMLVideoElement.prototype)) {
      throw new FrameSteppingError('this browser has no requestVideoFrameCallback: frame-exact evaluation is not possible');
    }
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.preload = 'auto';
    video.crossOrigin = 'anonymous';
    const loaded = once(video, 'loadeddata');
    const firstFrame = nextPresentedFrame(video);
    video.src = url;
    try {
      await withTimeout(loaded, FRAME_TIMEOUT_MS, `${url} to load`);
    } catch (e) {
      const code = video.error ? ` (MediaError ${video.error.code}: ${video.error.message})` : '';
      throw new FrameSteppingError(`cannot load video ${url}${code}: ${(e as Error).message}`);
    }
    const stepper = new VideoFrameStepper(video, fps, frameCount);
    // The first frame is normally presented on load; if not, the first seek presents it.
    const meta = await Promise.race([firstFrame, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (meta) stepper.presented = stepper.frameOf(meta.mediaTime);
    return stepper;
  }

  get width(): number {
    return this.video.videoWidth;
  }

  get height(): number {
    return this.video.videoHeight;
  }

  frameOf(mediaTime: number): number {
    return Math.round(mediaTime * this.fps);
  }

  /** Shows exactly frame `index`; throws FrameSteppingError if the video presents another one. */
  async seek(index: number): Promise<void> {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(`frame ${index} is outside the clip (0..${this.frameCount - 1})`);
    }
    if (index === this.presented) return;
    const presented = nextPresentedFrame(this.video);
    const seeked = once(this.video, 'seeked');
    this.video.currentTime = (index + 0.5) / this.fps;
    await withTimeout(seeked, FRAME_TIMEOUT_MS, `seek to frame ${index}`);
    const meta = await withTimeout(presented, FRAME_TIMEOUT_MS, `frame ${index} to be presented`);
    const got = this.frameOf(meta.mediaTime);
    this.presented = got;
    if (got !== index) {
      throw new FrameSteppingError(`asked for frame ${index}, the video presented frame ${got} (mediaTime ${meta.mediaTime})`);
    }
  }

  /** RGBA pixels of the presented frame at the video's size (CPU copy: exact on every backend). */
  capture(): ImageData {
    this.context.drawImage(this.video, 0, 0, this.canvas.width, this.canvas.height);
    return this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  dispose(): void {
    this.video.removeAttribute('src');
    this.video.load();
  }
}
