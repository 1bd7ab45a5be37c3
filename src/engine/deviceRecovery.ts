// After a lost GPUDevice the tfjs WebGPU backend is unusable: remove it and register its factory
// again (same priority, src/runtime/backendInternals.ts), so the next initBackend('webgpu')
// requests a fresh adapter and device.
import { reRegisterBackend } from '../runtime/backendInternals';

export function resetWebGpuBackend(): void {
  reRegisterBackend('webgpu');
}

/** Resolves after `ms` unless `p` settles first; a lost device may never finish its work. */
export function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return Promise.race([p.then(() => undefined, () => undefined), new Promise<void>((r) => setTimeout(r, ms))]);
}
