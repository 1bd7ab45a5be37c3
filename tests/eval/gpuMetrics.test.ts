// The tfjs-op metric path (run on the cpu backend here; the same ops run on WebGPU in the browser).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameCounts, predictionAtSize } from '../../src/eval/gpuMetrics';
import { ConfusionMatrix, DepthErrors } from '../../src/eval/metrics';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('frameCounts', () => {
  it('equals the plain-array metrics, including 255, out-of-range gt and invalid depth', async () => {
    const gt = [0, 0, 1, 1, 255, 2, 9, 1];
    const pred = [0, 1, 1, 1, 0, 0, 2, 3];
    const gtDepth = [2, 0, Infinity, NaN, 4, -1, 10, 1];
    const predDepth = [3, 5, 1, 1, 2, 7, 12, 1.5];
    const before = tf.memory().numTensors;
    const t = [tf.tensor2d(pred, [2, 4], 'int32'), tf.tensor2d(gt, [2, 4], 'int32'), tf.tensor2d(predDepth, [2, 4]), tf.tensor2d(gtDepth, [2, 4])];
    const counts = await frameCounts(t[0], t[1], t[2], t[3], 4, 255);
    t.forEach((x) => x.dispose());
    expect(tf.memory().numTensors).toBe(before);

    const cm = new ConfusionMatrix(4);
    cm.update(pred, gt);
    expect(Array.from(counts.confusion)).toEqual(Array.from(cm.counts));
    const d = new DepthErrors();
    d.update(predDepth, gtDepth);
    expect(counts.depth.count).toBe(d.count);
    expect(counts.depth.absSum).toBeCloseTo(d.absSum, 5);
    expect(counts.depth.relSum).toBeCloseTo(d.relSum, 5);
  });

  it('rejects predictions outside the class range and size mismatches', async () => {
    const gt = tf.tensor1d([0, 1], 'int32');
    const bad = tf.tensor1d([0, 4], 'int32');
    const dep = tf.tensor1d([1, 1]);
    await expect(frameCounts(bad, gt, dep, dep, 3, 255)).rejects.toThrow(/outside \[0, 3\)/);
    const short = tf.tensor1d([1]);
    await expect(frameCounts(gt, gt, short, dep, 3, 255)).rejects.toThrow(/predicted depth has 1 pixels/);
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
