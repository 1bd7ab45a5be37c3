// Frame-exact evaluation of one or several runner configurations (mode, K) on a ground-truth
// clip, in a single pass: each frame is read and decoded once, then stepped through every
// configuration's own runner, so all rows see exactly the same frames. Metrics accumulate per
// configuration over all frames, keyframes and propagated frames separately.
import * as tf from '@tensorflow/tfjs-core';
import type { GroundTruthReader } from './gtDecode';
import { frameCounts, predictionAtSize } from './gpuMetrics';
import type { RunMode } from '../runtime/modes';
import { MetricAccumulator, validDepthLimit, type ClassBreakdown, type MetricSummary } from './metrics';

/** One row of an evaluation: a runner mode at keyframe interval K. */
export interface EvalEntry {
  mode: RunMode;
  k: number; // keyframe interval; 'fast-only' has no keyframes, its K is ignored
}

/** What the evaluator needs of a prediction (the runtime's FramePrediction satisfies it). */
export interface EvalPrediction {
  isKeyframe: boolean;
  net: string; // which computation produced the frame (runtime FrameNet)
  segmentation: tf.Tensor4D; // [1,h,w,N] logits
  depth: tf.Tensor4D; // [1,h,w,1] metres
  dispose(): void;
}

export interface EvalRunner {
  step(pixels: tf.Tensor3D): EvalPrediction;
  dispose(): void;
}

/** Frames of the clip as HxWx3 RGB 0..255 tensors; the evaluator disposes them. */
export interface EvalFrameSource {
  readonly frameCount: number;
  read(index: number): Promise<tf.Tensor3D>;
}

export interface EvalOptions {
  source: EvalFrameSource;
  groundTruth: GroundTruthReader;
  entries: EvalEntry[];
  createRunner: (entry: EvalEntry) => EvalRunner;
  /** Analytic GFLOPs of one predicted frame (see frameCost.ts). */
  frameGflops: (prediction: EvalPrediction) => number;
  numClasses: number;
  ignoreIndex: number;
  /**
   * The ground truth's max depth: the clip manifest's `maxDepth` (it describes the gt, not the model).
   * Depth gt at or beyond it (sky / no return) is not counted (metrics.ts isValidDepth).
   */
  maxDepth: number;
  frames?: number; // only the first N frames (default: all)
  signal?: AbortSignal;
  /** Called after every frame with the running results of every entry (live display). */
  onFrame?: (frameIndex: number, frameCount: number, results: EvalResult[]) => void;
}

export interface EvalResult {
  entry: EvalEntry;
  frames: number;
  keyframes: number;
  all: MetricSummary;
  key: MetricSummary; // keyframes only
  prop: MetricSummary; // propagated (non-key) frames only
  classes: ClassBreakdown[]; // all frames: per ground-truth class, its IoU and what it was drawn as
  msPerFrameMedian: number; // runner.step until its outputs are computed on the device
  msPerFrameMean: number;
  gflopsPerFrame: number;
  keyframeFlags: boolean[]; // per frame: was it a keyframe
}

class EntryState {
  readonly all: MetricAccumulator;
  readonly key: MetricAccumulator;
  readonly prop: MetricAccumulator;
  readonly ms: number[] = [];
  readonly keyframeFlags: boolean[] = [];
  gflops = 0;

  constructor(readonly entry: EvalEntry, readonly runner: EvalRunner, numClasses: number, ignoreIndex: number, maxDepth: number) {
    this.all = new MetricAccumulator(numClasses, ignoreIndex, maxDepth);
    this.key = new MetricAccumulator(numClasses, ignoreIndex, maxDepth);
    this.prop = new MetricAccumulator(numClasses, ignoreIndex, maxDepth);
  }

  result(): EvalResult {
    const frames = this.all.frames;
    return {
      entry: this.entry,
      frames,
      keyframes: this.key.frames,
      all: this.all.summary(),
      key: this.key.summary(),
      prop: this.prop.summary(),
      classes: this.all.confusion.classBreakdown(),
      msPerFrameMedian: median(this.ms),
      msPerFrameMean: frames ? this.ms.reduce((a, b) => a + b, 0) / frames : NaN,
      gflopsPerFrame: frames ? this.gflops / frames : NaN,
      keyframeFlags: [...this.keyframeFlags],
    };
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Waits until the prediction is computed on the device (a one-value readback). */
async function settle(prediction: EvalPrediction): Promise<void> {
  const probe = tf.tidy(() => tf.slice(tf.reshape(prediction.depth, [-1]), [0], [1]));
  await probe.data();
  probe.dispose();
}

export function frameLimit(clipFrames: number, requested?: number): number {
  if (requested === undefined) return clipFrames;
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`frames must be a positive integer (got ${requested})`);
  return Math.min(requested, clipFrames);
}

export async function evaluate(opts: EvalOptions): Promise<EvalResult[]> {
  if (opts.entries.length === 0) throw new RangeError('nothing to evaluate: no (mode, K) entries');
  validDepthLimit(opts.maxDepth); // throws on a missing or bad maxDepth before any runner exists
  const frameCount = frameLimit(opts.source.frameCount, opts.frames);
  const states: EntryState[] = [];
  try {
    for (const entry of opts.entries) {
      states.push(new EntryState(entry, opts.createRunner(entry), opts.numClasses, opts.ignoreIndex, opts.maxDepth));
    }
    for (let i = 0; i < frameCount; i++) {
      opts.signal?.throwIfAborted();
      const gt = await opts.groundTruth.read(i);
      const pixels = await opts.source.read(i);
      const gtLabels = tf.tensor2d(gt.labels, [gt.height, gt.width], 'int32');
      const gtDepth = tf.tensor2d(gt.depth, [gt.height, gt.width], 'float32');
      try {
        for (const state of states) await stepEntry(state, pixels, gtLabels, gtDepth, opts);
      } finally {
        tf.dispose([pixels, gtLabels, gtDepth]);
      }
      opts.onFrame?.(i, frameCount, states.map((s) => s.result()));
    }
    return states.map((s) => s.result());
  } finally {
    for (const s of states) s.runner.dispose();
  }
}

async function stepEntry(state: EntryState, pixels: tf.Tensor3D, gtLabels: tf.Tensor2D, gtDepth: tf.Tensor2D, opts: EvalOptions): Promise<void> {
  const [height, width] = gtLabels.shape;
  const start = performance.now();
  const prediction = state.runner.step(pixels);
  try {
    await settle(prediction);
    state.ms.push(performance.now() - start);
    const aligned = predictionAtSize(prediction.segmentation, prediction.depth, height, width);
    try {
      const counts = await frameCounts(aligned.labels, gtLabels, aligned.depth, gtDepth, opts.numClasses, opts.ignoreIndex, opts.maxDepth);
      state.all.addFrame(counts.confusion, counts.depth);
      (prediction.isKeyframe ? state.key : state.prop).addFrame(counts.confusion, counts.depth);
    } finally {
      tf.dispose([aligned.labels, aligned.depth]);
    }
    state.keyframeFlags.push(prediction.isKeyframe);
    state.gflops += opts.frameGflops(prediction);
  } finally {
    prediction.dispose();
  }
}
