// Everything that lives on one tfjs backend: the backend itself, the loaded model, its runner
// and the renderer drawing its outputs. Created in phases the UI shows (backend, weights, warm-up).
import * as tf from '@tensorflow/tfjs-core';
import { costModel, initBackend, loadModel, MilaRunner, type BackendInfo, type CostModel, type MilaModel } from '../runtime';
import type { BackendName, RunMode } from '../runtime/modes';
import { depthRangeFor } from '../render/colormaps';
import { Canvas2dOverlayRenderer } from '../render/canvas2dOverlayRenderer';
import type { OverlayRenderer, OverlayStyle } from '../render/types';
import { probeWebGpuCanvas, type CanvasProbeResult } from '../render/webgpuCanvasProbe';
import { WebGpuOverlayRenderer } from '../render/webgpuOverlayRenderer';
import { loadPhaseText } from './messages';
import { webGpuDevice } from '../runtime/backendInternals';
import { createCachingFetch } from './modelCache';

export type LoadPhase = 'backend' | 'weights' | 'warmup';

export interface SessionCallbacks {
  onPhase(phase: LoadPhase, detail: string): void;
  onProgress(loaded: number, total: number): void;
}

export class ModelMissingError extends Error {
  constructor(readonly modelId: string, readonly url: string) {
    super(`Model "${modelId}" is not installed: ${url} was not found.`);
    this.name = 'ModelMissingError';
  }
}

export function modelBaseUrl(modelId: string): string {
  return `${import.meta.env.BASE_URL}models/${modelId}/`;
}

/** 404 (or the dev server's HTML fallback page) for model.json means the model is not there. */
async function checkModelPresent(modelId: string): Promise<void> {
  const url = `${modelBaseUrl(modelId)}model.json`;
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-cache' });
  } catch {
    return; // network trouble: let the loader report it with its own message
  }
  const html = (res.headers.get('content-type') ?? '').includes('text/html');
  if (res.status === 404 || (res.ok && html)) throw new ModelMissingError(modelId, url);
}

export interface SessionInfo {
  backend: BackendInfo;
  modelId: string;
  model: MilaModel;
  cost: CostModel;
  style: OverlayStyle;
  cachedShards: number;
  loadedBytes: number;
  /** WebGPU only: why the overlay could not be drawn into a WebGPU canvas (2D canvas used). */
  canvasFallbackReason: string | null;
}

export class ModelSession {
  private constructor(
    readonly info: SessionInfo,
    readonly runner: MilaRunner,
    readonly renderer: OverlayRenderer,
  ) {}

  get device(): GPUDevice | null {
    return this.info.backend.backend === 'webgpu' ? webGpuDevice() : null;
  }

  static async create(
    opts: { modelId: string; backend: BackendName | null; k: number; mode: RunMode; canvas: () => HTMLCanvasElement },
    cb: SessionCallbacks,
  ): Promise<ModelSession> {
    cb.onPhase('backend', loadPhaseText.backend(opts.backend));
    const preferred = opts.backend ?? 'webgpu';
    // Probed before tfjs takes a device: a failing presentation can take every device with it.
    const probe: CanvasProbeResult | null = preferred === 'webgpu' && navigator.gpu ? await probeWebGpuCanvas() : null;
    const backend = await initBackend(preferred);

    cb.onPhase('weights', loadPhaseText.weights(opts.modelId));
    await checkModelPresent(opts.modelId);
    const { fetchImpl, report } = createCachingFetch();
    let loadedBytes = 0;
    const model = await loadModel(modelBaseUrl(opts.modelId), {
      fetchImpl,
      onProgress: (loaded, total) => {
        loadedBytes = total;
        cb.onProgress(loaded, total);
      },
    });
    try {
      const { height, width } = model.config.input;
      cb.onPhase('warmup', loadPhaseText.warmup(backend.backend, width, height));
      await model.warmUp();
      const style: OverlayStyle = { colors: model.config.segmentation.colors, depthRange: depthRangeFor(model.config.depth.maxDepth) };
      const canvas = opts.canvas();
      const gpuCanvas = backend.backend === 'webgpu' && (probe?.ok ?? false);
      const renderer =
        gpuCanvas
          ? new WebGpuOverlayRenderer(canvas, webGpuDevice(), style)
          : new Canvas2dOverlayRenderer(canvas, style);
      const runner = new MilaRunner(model, { interval: opts.k, mode: opts.mode });
      const info: SessionInfo = { backend, modelId: opts.modelId, model, cost: costModel(model.config), style, cachedShards: report.hits, loadedBytes,
        canvasFallbackReason: backend.backend === 'webgpu' && !gpuCanvas ? (probe?.reason ?? 'WebGPU canvas not probed') : null,
      };
      return new ModelSession(info, runner, renderer);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }

  dispose(): void {
    this.renderer.dispose();
    this.runner.dispose();
    this.info.model.dispose();
  }
}
