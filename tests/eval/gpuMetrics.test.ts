// The tfjs-op metric path (run on the cpu backend here; the same ops run on WebGPU in the browser).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameCounts, predictionAtSize } from '../../src/eval/gpuMetrics';
import { ConfusionMatrix, DepthErrors } from '../../src/eval/metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const MAX_DEPTH = 100; // the bundled clips' maxDepth: sky is stored at exactly 100 m

describe('frameCounts', () => {
  it('equals the plain-array metrics, including 255, out-of-range gt and invalid depth', async () => {
    const gt = [0, 0, 1, 1, 255, 2, 9, 1, 0, 1];
    const pred = [0, 1, 1, 1, 0, 0, 2, 3, 0, 1];
    const gtDepth = [2, 0, Infinity, NaN, 4, -1, 10, 1, MAX_DEPTH, 130];
    const predDepth = [3, 5, 1, 1, 2, 7, 12, 1.5, 40, 20];
    const before = tf.memory().numTensors;
    const t = [tf.tensor2d(pred, [2, 5], 'int32'), tf.tensor2d(gt, [2, 5], 'int32'), tf.tensor2d(predDepth, [2, 5]), tf.tensor2d(gtDepth, [2, 5])];
    const counts = await frameCounts(t[0], t[1], t[2], t[3], 4, 255, MAX_DEPTH);
    t.forEach((x) => x.dispose());
    expect(tf.memory().numTensors).toBe(before);

    const cm = new ConfusionMatrix(4);
    cm.update(pred, gt);
    expect(Array.from(counts.confusion)).toEqual(Array.from(cm.counts));
    const d = new DepthErrors(MAX_DEPTH);
    d.update(predDepth, gtDepth);
    expect(d.count).toBe(4); // 2, 4, 10, 1 m; not the sky (100 m) nor 130 m
    expect(counts.depth.count).toBe(d.count);
    // Every input here is a small integer or half (exact in float32), so are all errors (1, 2, 2,
    // 0.5) and their sum 5.5: the float32 abs sum is exact. Rel terms (0.5, 0.5, 0.2, 0.5; total
    // 1.7): 4 divisions and 3 non-trivial additions (zeros add exactly), each rounding by at most
    // 2^-24 of a value <= 1.7: |error| <= 7 * 2^-24 * 1.7 ~ 7.1e-7.
    expect(counts.depth.absSum).toBe(d.absSum);
    expect(Math.abs(counts.depth.relSum - d.relSum)).toBeLessThan(7 * 2 ** -24 * 1.7);
  });

  it('gives Abs 0 to a frame whose only error is in the sky (at maxDepth) or beyond it', async () => {
    const gtDepth = [MAX_DEPTH, MAX_DEPTH, MAX_DEPTH, 150, 5, 12.5];
    const predDepth = [3, 40, 99, 20, 5, 12.5];
    const labels = tf.tensor1d([0, 0, 0, 0, 0, 0], 'int32');
    const t = [tf.tensor1d(predDepth), tf.tensor1d(gtDepth)];
    const counts = await frameCounts(labels, labels, t[0], t[1], 1, 255, MAX_DEPTH);
    tf.dispose([labels, ...t]);
    expect(counts.depth).toEqual({ absSum: 0, relSum: 0, count: 2 });
  });

  it('compares in float32 like the plain-array path (maxDepth not representable in float32)', async () => {
    const maxDepth = 80.1; // fround(80.1) < 80.1: sky stored in float32 sits just below it
    const gtDepth = [Math.fround(maxDepth), 80.09, 80.2];
    const predDepth = [1, 80.09, 1];
    const t = [tf.tensor1d([0, 0, 0], 'int32'), tf.tensor1d(predDepth), tf.tensor1d(gtDepth)];
    const counts = await frameCounts(t[0], t[0], t[1], t[2], 1, 255, maxDepth);
    tf.dispose(t);
    const d = new DepthErrors(maxDepth);
    d.update(predDepth, new Float32Array(gtDepth));
    expect(d.count).toBe(1);
    expect(counts.depth.count).toBe(1);
  });

  it('rejects predictions outside the class range and size mismatches', async () => {
    const gt = tf.tensor1d([0, 1], 'int32');
    const bad = tf.tensor1d([0, 4], 'int32');
    const dep = tf.tensor1d([1, 1]);
    await expect(frameCounts(bad, gt, dep, dep, 3, 255, MAX_DEPTH)).rejects.toThrow(/outside \[0, 3\)/);
    const short = tf.tensor1d([1]);
    await expect(frameCounts(gt, gt, short, dep, 3, 255, MAX_DEPTH)).rejects.toThrow(/predicted depth has 1 pixels/);
    await expect(frameCounts(gt, gt, dep, dep, 3, 255, undefined as unknown as number)).rejects.toThrow(/maxDepth/);
    tf.dispose([gt, bad, dep, short]);
  });
});

describe('predictionAtSize', () => {
  it('argmaxes directly at the same size', () => {
    const seg = tf.tensor4d([0, 1, 5, 2, 3, 3.5, 1, 0], [1, 2, 2, 2]);
    const dep = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const out = predictionAtSize(seg, dep, 2, 2);
    expect(Array.from(out.labels.dataSync())).toEqual([1, 0, 1, 0]);
    expect(out.labels.dtype).toBe('int32');
    expect(out.depth.shape).toEqual([2, 2]);
    tf.dispose([seg, dep, out.labels, out.depth]);
  });

  it('resizes logits and depth to the ground-truth size before the argmax', () => {
    const seg = tf.tensor4d([0, 1, 1, 0], [1, 1, 2, 2]); // left pixel class 1, right class 0
    const dep = tf.tensor4d([2, 4], [1, 1, 2, 1]);
    const out = predictionAtSize(seg, dep, 2, 4);
    expect(Array.from(out.labels.dataSync())).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(out.depth.dataSync())).toEqual([2, 2.5, 3.5, 4, 2, 2.5, 3.5, 4]);
    tf.dispose([seg, dep, out.labels, out.depth]);
  });
});
