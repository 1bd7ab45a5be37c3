// Records the annotated canvas (frame + overlay composited in one canvas) to a WebM download.

export class CanvasRecorder {
  private recorder: MediaRecorder | null = null;
  private chunks: Blob[] = [];

  get active(): boolean {
    return this.recorder !== null;
  }

  static supported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function';
  }

  start(canvas: HTMLCanvasElement, fps = 30): void {
    if (this.recorder) return;
    if (!CanvasRecorder.supported()) throw new Error('Recording is not supported by this browser (MediaRecorder / captureStream missing).');
    const mimeType = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
    if (!mimeType) throw new Error('This browser cannot record WebM video.');
    const stream = canvas.captureStream(fps);
    this.chunks = [];
    const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 4_000_000 });
    rec.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    rec.start(500);
    this.recorder = rec;
  }

  /** Stops and resolves with the recording (empty blob if nothing was drawn). */
  stop(): Promise<Blob> {
    const rec = this.recorder;
    if (!rec) return Promise.resolve(new Blob([], { type: 'video/webm' }));
    this.recorder = null;
    return new Promise((resolve) => {
      rec.onstop = () => {
        for (const t of rec.stream.getTracks()) t.stop();
        resolve(new Blob(this.chunks, { type: 'video/webm' }));
        this.chunks = [];
      };
      rec.stop();
    });
  }
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
