// Browser glue: evaluates a loaded model on a ground-truth clip served over HTTP, stepping the
// video frame-exactly. Used by the eval page (CLI) and by the app's EvalPanel.
import * as tf from '@tensorflow/tfjs-core';
import { checkClassesMatch, gtDepthRange, type GtClipManifest } from '../clipManifest';
import { evaluate, type EvalEntry, type EvalResult, type EvalRunner } from '../evaluator';
import { frameGflopsFromCost } from '../frameCost';
import { costModel } from '../../runtime/costModel';
import type { MilaModel } from '../../runtime/milaModel';
import { MilaRunner } from '../../runtime/runner';
import { BrowserGroundTruthReader, clipBase, fetchClipManifest } from './browserGroundTruth';
import { VideoFrameStepper } from './videoFrameStepper';

export type RunnerFactory = (model: MilaModel, entry: EvalEntry) => EvalRunner;

export const defaultRunnerFactory: RunnerFactory = (model, entry) => new MilaRunner(model, { interval: entry.k, mode: entry.mode });

export interface ClipEvaluationOptions {
  model: MilaModel;
  clipUrl: string; // clip directory holding manifest.json
  entries: EvalEntry[];
  frames?: number;
  createRunner?: RunnerFactory;
  signal?: AbortSignal;
  onManifest?: (manifest: GtClipManifest) => void;
  onFrame?: (frameIndex: number, frameCount: number, results: EvalResult[]) => void;
}

export async function evaluateClipInBrowser(opts: ClipEvaluationOptions): Promise<{ manifest: GtClipManifest; results: EvalResult[] }> {
  const manifest = await fetchClipManifest(opts.clipUrl);
  checkClassesMatch(opts.model.config.segmentation.classes, manifest, `${clipBase(opts.clipUrl)}manifest.json`);
  opts.onManifest?.(manifest);
  const stepper = await VideoFrameStepper.open(clipBase(opts.clipUrl) + manifest.video, manifest.fps, manifest.frames);
  try {
    if (stepper.width !== manifest.width || stepper.height !== manifest.height) {
      throw new Error(`${manifest.video}: video is ${stepper.width}x${stepper.height}, the manifest says ${manifest.width}x${manifest.height}`);
    }
    await opts.model.warmUp(); // shader compilation stays out of the per-frame timings
    const createRunner = opts.createRunner ?? defaultRunnerFactory;
    const results = await evaluate({
      source: {
        frameCount: manifest.frames,
        read: async (i) => {
          await stepper.seek(i);
          return tf.browser.fromPixels(stepper.capture(), 3);
        },
      },
      groundTruth: new BrowserGroundTruthReader(opts.clipUrl, manifest),
      entries: opts.entries,
      createRunner: (entry) => createRunner(opts.model, entry),
      frameGflops: frameGflopsFromCost(costModel(opts.model.config)),
      numClasses: opts.model.config.segmentation.classes.length,
      ignoreIndex: opts.model.config.segmentation.ignoreIndex,
      maxDepth: gtDepthRange(manifest), // the gt's range (sky is stored at it), not the model's depth.maxDepth
      frames: opts.frames,
      signal: opts.signal,
      onFrame: opts.onFrame,
    });
    return { manifest, results };
  } finally {
    stepper.dispose();
  }
}
