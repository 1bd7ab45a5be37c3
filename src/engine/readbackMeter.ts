// Counts every byte tfjs copies from the backend to JavaScript (backend.read / readSync), whoever
// asks for it: the app, the runtime or tfjs itself. On WebGPU a frame must read back 0 bytes.
import * as tf from '@tensorflow/tfjs-core';

type Reader = { read: (dataId: object) => Promise<ArrayLike<unknown>>; readSync: (dataId: object) => ArrayLike<unknown> };

function byteLength(values: unknown): number {
  if (ArrayBuffer.isView(values)) return values.byteLength;
  if (Array.isArray(values)) return values.reduce((a: number, v) => a + (typeof v === 'string' ? v.length : ArrayBuffer.isView(v) ? v.byteLength : 8), 0);
  return 0;
}

export class ReadbackMeter {
  totalBytes = 0;
  private frameBytes = 0;
  private patched: Reader | null = null;
  private original: Reader | null = null;

  /** Wraps the active backend's read functions (call again after a backend change). */
  install(): void {
    this.uninstall();
    const backend = tf.backend() as unknown as Reader;
    const original: Reader = { read: backend.read, readSync: backend.readSync };
    backend.read = async (dataId) => {
      const v = await original.read.call(backend, dataId);
      this.count(byteLength(v));
      return v;
    };
    backend.readSync = (dataId) => {
      const v = original.readSync.call(backend, dataId);
      this.count(byteLength(v));
      return v;
    };
    this.patched = backend;
    this.original = original;
  }

  uninstall(): void {
    if (this.patched && this.original) {
      this.patched.read = this.original.read;
      this.patched.readSync = this.original.readSync;
    }
    this.patched = null;
    this.original = null;
  }

  /** Starts counting a frame's bytes from zero. */
  beginFrame(): void {
    this.frameBytes = 0;
  }

  /** The bytes read back since beginFrame() (the frame's readback). */
  endFrame(): number {
    return this.frameBytes;
  }

  private count(bytes: number): void {
    this.frameBytes += bytes;
    this.totalBytes += bytes;
  }
}
