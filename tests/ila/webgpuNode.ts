// Installs Dawn's WebGPU (npm `webgpu`) as navigator.gpu in Node so tfjs-backend-webgpu can run,
// preferring Chromium's SwiftShader Vulkan driver. Returns null plus a reason when no adapter exists.
import { existsSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeWebGPU {
  adapterDescription: string;
  /** Removes navigator.gpu; dawn.node otherwise keeps the process alive. */
  uninstall(): void;
}

export async function installNodeWebGPU(): Promise<{ gpu: NodeWebGPU | null; reason?: string }> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    return { gpu: null, reason: `npm package 'webgpu' cannot load: ${(e as Error).message}` };
  }
  const gpu = webgpu.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { gpu: null, reason: `no WebGPU adapter (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'})` };
  Object.assign(globalThis, webgpu.globals);
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const info = adapter.info;
  return {
    gpu: {
      adapterDescription: `${info.vendor} ${info.architecture} ${info.description}`.trim(),
      uninstall: () => { delete g.navigator!.gpu; },
    },
  };
}

/** Counts compute dispatches recorded by any pass encoder (wraps the prototype method). */
export function countDispatches(): { count: () => number; restore: () => void } {
  const proto = (globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder } })
    .GPUComputePassEncoder.prototype;
  const original = proto.dispatchWorkgroups;
  let n = 0;
  proto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) {
    n++;
    return original.apply(this, args);
  };
  return { count: () => n, restore: () => { proto.dispatchWorkgroups = original; } };
}
