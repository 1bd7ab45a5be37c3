// After a lost GPUDevice the tfjs WebGPU backend is unusable: remove it and register its factory
// again, so the next initBackend('webgpu') requests a fresh adapter and device.
import * as tf from '@tensorflow/tfjs-core';

export function resetWebGpuBackend(): void {
  const factory = tf.findBackendFactory('webgpu');
  if (!factory) return;
  try {
    tf.removeBackend('webgpu'); // also drops the factory...
  } catch {
    // disposing a backend whose device is gone may throw; it is being discarded anyway
  }
  tf.registerBackend('webgpu', factory, 3); // ...so put it back (priority as tfjs registers it)
}

/** Resolves after `ms` unless `p` settles first; a lost device may never finish its work. */
export function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((r) => setTimeout(r, ms))]);
}
