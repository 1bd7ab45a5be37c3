// The evaluation loop with a fake runner whose outputs are known exactly.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, frameLimit, median, type EvalEntry, type EvalPrediction, type EvalRunner } from '../../src/eval/evaluator';
import type { GroundTruthFrame } from '../../src/eval/gtDecode';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const H = 2, W = 3, N = 3, FRAMES = 5;
const MAX_DEPTH = 100; // the clip manifest's maxDepth; gtFrame's depths (11..15 m) are all below it
// Frame i: gt labels (i + p) % N, gt depth 10 + p (pixel p = 0..5); pixel 5 unlabelled (255) in every frame.
function gtFrame(i: number): GroundTruthFrame {
  const labels = new Uint8Array(H * W).map((_, p) => (p === 5 ? 255 : (i + p) % N));
  const depth = new Float32Array(H * W).map((_, p) => (p === 0 ? 0 : 10 + p)); // pixel 0: invalid depth
  return { width: W, height: H, labels, depth };
}
// Pixels carry the gt in R (labels) and G (depth), so the fake runner can be exact on keyframes.
const source = {
  frameCount: FRAMES,
  read: async (i: number) => {
    const gt = gtFrame(i);
    const rgb = new Int32Array(H * W * 3);
    gt.labels.forEach((l, p) => rgb.set([l === 255 ? 0 : l, gt.depth[p], 0], p * 3));
    return tf.tensor3d(rgb, [H, W, 3], 'int32');
  },
};

/** Keyframes (every K-th frame): exact labels and depth. Other frames: class 0 and depth + 2 m. */
class FakeRunner implements EvalRunner {
  private n = 0;
  disposed = false;
  constructor(private readonly entry: EvalEntry) {}
  step(pixels: tf.Tensor3D): EvalPrediction {
    const isKeyframe = this.entry.mode !== 'fast-only' && this.n++ % this.entry.k === 0;
    const [segmentation, depth] = tf.tidy(() => {
      const rgb = tf.cast(pixels, 'float32');
      const r = tf.slice(rgb, [0, 0, 0], [H, W, 1]);
      const g = tf.slice(rgb, [0, 0, 1], [H, W, 1]);
      const labels = isKeyframe ? tf.cast(tf.reshape(r, [H, W]), 'int32') : tf.zeros([H, W], 'int32');
      return [
        tf.expandDims(tf.oneHot(labels as tf.Tensor2D, N), 0) as tf.Tensor4D,
        tf.expandDims(isKeyframe ? g : tf.add(g, 2), 0) as tf.Tensor4D,
      ];
    });
    return { isKeyframe, net: isKeyframe ? 'slow' : 'fast+ila', segmentation, depth, dispose: () => tf.dispose([segmentation, depth]) };
  }
  dispose() {
    this.disposed = true;
  }
}

const groundTruth = { read: async (i: number) => gtFrame(i) };

describe('evaluate', () => {
  it('splits keyframes and propagated frames and leaks no tensor', async () => {
    const runners: FakeRunner[] = [];
    const progress: number[] = [];
    const before = tf.memory().numTensors;
    const [k1, k2] = await evaluate({
      source, groundTruth, numClasses: N, ignoreIndex: 255, maxDepth: MAX_DEPTH,
      entries: [{ mode: 'mila', k: 1 }, { mode: 'mila', k: 2 }],
      createRunner: (e) => { const r = new FakeRunner(e); runners.push(r); return r; },
      frameGflops: (p) => (p.isKeyframe ? 10 : 1),
      onFrame: (i, n, results) => { progress.push(i); expect(n).toBe(FRAMES); expect(results[0].frames).toBe(i + 1); },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(runners.every((r) => r.disposed)).toBe(true);
    expect(progress).toEqual([0, 1, 2, 3, 4]);

    // K=1: only keyframes, all exact.
    expect(k1.frames).toBe(FRAMES);
    expect(k1.keyframes).toBe(FRAMES);
    expect(k1.keyframeFlags).toEqual([true, true, true, true, true]);
    expect(k1.all.miou).toBe(100);
    expect(k1.all.depthAbs).toBe(0);
    expect(k1.prop.frames).toBe(0);
    expect(k1.prop.miou).toBeNaN();
    expect(k1.gflopsPerFrame).toBe(10);

    // K=2: keyframes 0, 2, 4 exact; frames 1, 3 predict class 0 everywhere, depth off by 2 m.
    expect(k2.keyframeFlags).toEqual([true, false, true, false, true]);
    expect(k2.keyframes).toBe(3);
    expect(k2.key.miou).toBe(100);
    expect(k2.key.depthAbs).toBe(0);
    // Integer inputs: the float32 depth error 2 is exact up to one rounding (2.4e-7 < 5e-7 of toBeCloseTo(6));
    // the counts and means are float64 (~1e-15 relative), hence 10-12 digits for mIoU, accuracy and GFLOPs.
    expect(k2.prop.depthAbs).toBeCloseTo(2, 6);
    // Propagated frames 1 and 3: gt labels of pixels 0..4 are (i+p)%3 -> frame 1: 1,2,0,1,2; frame 3: 0,1,2,0,1.
    // All predicted 0: class 0 TP 3, FP 7 -> IoU 3/10; classes 1, 2 IoU 0 -> mIoU 10 %, acc 3/10.
    expect(k2.prop.miou).toBeCloseTo((0.3 / 3) * 100, 10);
    expect(k2.prop.pixelAccuracy).toBeCloseTo(30, 10);
    // Depth Rel of propagated frames: mean of 2 / (10 + p) over valid pixels p = 1..5, both frames.
    const rel = [11, 12, 13, 14, 15].reduce((a, d) => a + 2 / d, 0) / 5;
    expect(k2.prop.depthRel).toBeCloseTo(rel, 6);
    expect(k2.gflopsPerFrame).toBeCloseTo((3 * 10 + 2 * 1) / 5, 12);
    expect(Number.isFinite(k2.msPerFrameMedian)).toBe(true);
  });

  it('evaluates only the first N frames when asked', async () => {
    const [r] = await evaluate({
      source, groundTruth, numClasses: N, ignoreIndex: 255, maxDepth: MAX_DEPTH, frames: 2,
      entries: [{ mode: 'mila', k: 5 }], createRunner: (e) => new FakeRunner(e), frameGflops: () => 1,
    });
    expect(r.frames).toBe(2);
    expect(r.keyframeFlags).toEqual([true, false]);
  });

  it('stops on abort and still disposes the runners', async () => {
    const controller = new AbortController();
    const runners: FakeRunner[] = [];
    const run = evaluate({
      source, groundTruth, numClasses: N, ignoreIndex: 255, maxDepth: MAX_DEPTH, signal: controller.signal,
      entries: [{ mode: 'mila', k: 2 }], createRunner: (e) => { const r = new FakeRunner(e); runners.push(r); return r; },
      frameGflops: () => 1, onFrame: (i) => { if (i === 1) controller.abort(); },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(runners[0].disposed).toBe(true);
  });

  it('rejects empty plans and bad frame counts', async () => {
    await expect(evaluate({ source, groundTruth, numClasses: N, ignoreIndex: 255, maxDepth: MAX_DEPTH, entries: [], createRunner: (e) => new FakeRunner(e), frameGflops: () => 1 })).rejects.toThrow(/no \(mode, K\) entries/);
    expect(() => frameLimit(10, 0)).toThrow(/positive integer/);
    expect(frameLimit(10, 50)).toBe(10);
  });
});

describe('evaluate with sky in the ground truth', () => {
  it('passes maxDepth to the metrics: errors only on sky pixels give Abs 0', async () => {
    // Pixel 4 (gt 14 m) becomes sky at maxDepth = 50 m; the keyframe-exact runner still predicts
    // 14 m there (the source pixels are unchanged), a 36 m error that must not count.
    const sky = { read: async (i: number) => { const f = gtFrame(i); f.depth[4] = 50; return f; } };
    const [r] = await evaluate({
      source, groundTruth: sky, numClasses: N, ignoreIndex: 255, maxDepth: 50,
      entries: [{ mode: 'mila', k: 1 }], createRunner: (e) => new FakeRunner(e), frameGflops: () => 1,
    });
    expect(r.all.depthAbs).toBe(0);
    expect(r.all.depthRel).toBe(0);
  });

  it('refuses to start without a maxDepth', async () => {
    const runners: FakeRunner[] = [];
    const opts = { source, groundTruth, numClasses: N, ignoreIndex: 255, entries: [{ mode: 'mila' as const, k: 1 }],
      createRunner: (e: EvalEntry) => { const r = new FakeRunner(e); runners.push(r); return r; }, frameGflops: () => 1 };
    await expect(evaluate(opts as unknown as Parameters<typeof evaluate>[0])).rejects.toThrow(/maxDepth/);
    expect(runners).toEqual([]);
  });
});

describe('median', () => {
  it('handles odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
