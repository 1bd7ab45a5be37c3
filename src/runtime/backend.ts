// Backend selection: webgpu -> webgl -> wasm -> cpu, with the reason for every fallback, a
// description of the adapter, and (WebGPU) a run-time check that video frames can be imported.
import * as tf from '@tensorflow/tfjs-core';
import { webGlContext, webGpuDevice } from './backendInternals';

import { BACKEND_NAMES, type BackendName } from './modes';

export type { BackendName };
export const BACKEND_CHAIN: readonly BackendName[] = BACKEND_NAMES;

export interface BackendInfo {
  backend: BackendName;
  adapter: string; // human-readable device / adapter description
  fallbackReason?: string; // why earlier backends of the chain were skipped
  /** WebGPU only: false when video frames cannot be imported into WebGPU on this adapter, in
   * which case WEBGPU_IMPORT_EXTERNAL_TEXTURE is turned off (tfjs goes through a 2D canvas). */
  videoImport?: boolean;
}

async function registerBackend(name: BackendName): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      break;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      break;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const { wasmPaths } = await import('./wasmAssets');
      wasm.setWasmPaths(wasmPaths);
      break;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      break;
  }
}

/** Returns null on success, else why the backend could not be used. */
async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !(globalThis.navigator as Navigator | undefined)?.gpu) return 'navigator.gpu is not available';
  try {
    await registerBackend(name);
    if (!tf.findBackendFactory(name)) return 'not supported in this environment';
    return (await tf.setBackend(name)) ? null : 'initialisation failed';
  } catch (e) {
    return (e as Error).message || String(e);
  }
}

/** Probes whether a VideoFrame can be copied/imported into a WebGPU texture (fails on SwiftShader). */
async function webgpuCanImportVideo(device: GPUDevice): Promise<boolean> {
  if (typeof VideoFrame === 'undefined' || typeof OffscreenCanvas === 'undefined') return false;
  const canvas = new OffscreenCanvas(2, 2);
  canvas.getContext('2d')!.fillRect(0, 0, 2, 2);
  const frame = new VideoFrame(canvas, { timestamp: 0 });
  const texture = device.createTexture({
    size: [2, 2],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.COPY_DST | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.RENDER_ATTACHMENT,
  });
  device.pushErrorScope('validation');
  try {
    device.queue.copyExternalImageToTexture({ source: frame }, { texture }, [2, 2]);
    device.importExternalTexture({ source: frame });
    return (await device.popErrorScope()) === null;
  } catch {
    await device.popErrorScope().catch(() => null);
    return false;
  } finally {
    frame.close();
    texture.destroy();
  }
}

async function describeWebGpu(): Promise<string> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return 'no adapter info';
  const a = adapter as GPUAdapter & { info?: GPUAdapterInfo; isFallbackAdapter?: boolean };
  const info = a.info;
  const parts = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean) : [];
  const fallback = a.isFallbackAdapter || (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter;
  return `${parts.join(' / ') || 'unknown adapter'}${fallback ? ' (fallback adapter)' : ''}`;
}

function describeWebGl(): string {
  const gl = webGlContext();
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return `webgl${tf.env().getNumber('WEBGL_VERSION')}: ${renderer}`;
}

async function describeWasm(): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
}

/** Initialises the preferred backend (default webgpu), falling back along the chain. */
export async function initBackend(preferred: BackendName = 'webgpu'): Promise<BackendInfo> {
  if (!BACKEND_CHAIN.includes(preferred)) throw new RangeError(`initBackend: unknown backend "${preferred}" (use ${BACKEND_CHAIN.join(', ')})`);
  const order = [preferred, ...BACKEND_CHAIN.filter((b) => b !== preferred)];
  const reasons: string[] = [];
  for (const name of order) {
    const failure = await tryBackend(name);
    if (failure) {
      reasons.push(`${name}: ${failure}`);
      continue;
    }
    await tf.ready();
    const info: BackendInfo = { backend: name, adapter: name };
    if (name === 'webgpu') {
      const device = webGpuDevice();
      info.videoImport = await webgpuCanImportVideo(device);
      tf.env().set('WEBGPU_IMPORT_EXTERNAL_TEXTURE', info.videoImport);
      info.adapter = await describeWebGpu();
    } else if (name === 'webgl') {
      info.adapter = describeWebGl();
    } else if (name === 'wasm') {
      info.adapter = await describeWasm();
    } else {
      info.adapter = 'cpu (plain JavaScript)';
    }
    if (reasons.length > 0) info.fallbackReason = reasons.join('; ');
    return info;
  }
  throw new Error(`initBackend: no TensorFlow.js backend could be initialised (${reasons.join('; ')})`);
}
