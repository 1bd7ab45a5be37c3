// `window.__mila`: read-only figures and a few deterministic controls for tests and curious users.
import * as tf from '@tensorflow/tfjs-core';
import type { MilaEngine } from './engine';

export interface MilaDebugHandle {
  readonly phase: string;
  readonly framesProcessed: number;
  readonly keyframes: number;
  readonly fastFrames: number;
  readonly droppedFrames: number;
  readonly backend: string | null;
  readonly adapter: string | null;
  readonly renderer: string | null;
  /** The keyframe interval in effect (the URL leaves out a default value, so it cannot tell). */
  readonly k: number;
  readonly numTensors: number;
  /** tfjs memory(): tensor bytes, GPU bytes in use and held by the buffer pool (webgpu), the wasm heap. */
  readonly memory: { numTensors: number; numBytes: number; gpuBytes: number | null; gpuPoolBytes: number | null; wasmHeapBytes: number | null } | null;
  readonly readbackBytesLastFrame: number;
  readonly readbackBytesTotal: number;
  readonly lastError: string | null;
  readonly messages: { id: string; level: string; text: string }[];
  readonly deviceLosses: number;
  readonly lastFrame: { index: number; isKeyframe: boolean; net: string; keyframeCause: string | null } | null;
  /** Processes the next n frames one at a time (pauses playback first). */
  step(n?: number): Promise<void>;
  /** Destroys the GPUDevice, as a driver reset would (tests the recovery path). */
  loseDevice(): boolean;
}

export function installDebugHandle(engine: MilaEngine): MilaDebugHandle {
  const st = () => engine.store.get();
  const handle: MilaDebugHandle = {
    get phase() { return st().phase; },
    get framesProcessed() { return engine.statsNow().processed; },
    get keyframes() { return engine.statsNow().keyframes; },
    get fastFrames() { return engine.statsNow().fastFrames; },
    get droppedFrames() { return engine.statsNow().dropped; },
    get backend() { return st().backend?.backend ?? null; },
    get adapter() { return st().backend?.adapter ?? null; },
    get renderer() { return st().renderer; },
    get k() { return st().settings.k; },
    get numTensors() {
      try {
        return tf.memory().numTensors;
      } catch {
        return -1; // no backend at this instant (re-initialising after a lost device)
      }
    },
    get memory() {
      try {
        const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number };
        const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
        return {
          numTensors: m.numTensors,
          numBytes: m.numBytes,
          gpuBytes: m.numBytesInGPU ?? null,
          gpuPoolBytes: m.numBytesInGPUAllocated ?? null,
          wasmHeapBytes: wasm?.HEAPU8?.length ?? null,
        };
      } catch {
        return null; // no backend at this instant
      }
    },
    get readbackBytesLastFrame() { return engine.statsNow().readbackBytesLastFrame; },
    get readbackBytesTotal() { return engine.statsNow().readbackBytesTotal; },
    get lastError() { return engine.lastError; },
    get messages() { return st().messages.map(({ id, level, text }) => ({ id, level, text })); },
    get deviceLosses() { return engine.deviceLosses; },
    get lastFrame() { return st().lastFrame; },
    step: (n = 1) => engine.step(n),
    loseDevice: () => {
      const device = engine.activeSession?.device;
      if (!device) return false;
      device.destroy();
      return true;
    },
  };
  (window as unknown as { __mila: MilaDebugHandle }).__mila = handle;
  return handle;
}
