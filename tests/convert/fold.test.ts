import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BN_EPS, foldBatchNorm, oihwToHwio } from '../../src/convert/fold';
import { seededRandom } from '../support/randomWeights';

const rand = seededRandom(3);
const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());

describe('oihwToHwio', () => {
  it('matches a tfjs transpose [1,2,3,0] with non-square kernels', () => {
    const shape: [number, number, number, number] = [5, 3, 2, 4];
    const w = uniform(5 * 3 * 2 * 4, -1, 1);
    const expected = tf.transpose(tf.tensor4d(w, shape), [2, 3, 1, 0]).dataSync();
    expect([...oihwToHwio(w, shape)]).toEqual([...expected]);
  });
});

describe('foldBatchNorm', () => {
  it('folded conv (tfjs, NHWC/HWIO) equals PyTorch conv + bias + BN computed naively in OIHW', () => {
    const [H, W, cin, cout, k] = [5, 6, 3, 4, 3];
    const x = uniform(H * W * cin, -1, 1); // NHWC
    const w = uniform(cout * cin * k * k, -0.5, 0.5); // OIHW
    const b = uniform(cout, -0.2, 0.2);
    const bn = { weight: uniform(cout, 0.2, 3), bias: uniform(cout, -1, 1), runningMean: uniform(cout, -0.5, 0.5), runningVar: uniform(cout, 0.01, 4) };

    const expected = new Float32Array(H * W * cout);
    // Per output, float32 rounding of the folded conv: (terms + 4) roundings of 2^-24 each (folding the weight
    // and bias, the products, the sum, the stored result), each at most the BN-scaled sum of |terms|.
    const bound = new Float64Array(H * W * cout);
    for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) for (let o = 0; o < cout; o++) {
      let s = b[o];
      let mag = Math.abs(b[o]);
      for (let i = 0; i < cin; i++) for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) {
        const yy = y + dy - 1;
        const xs = xx + dx - 1;
        if (yy < 0 || yy >= H || xs < 0 || xs >= W) continue;
        s += w[((o * cin + i) * k + dy) * k + dx] * x[(yy * W + xs) * cin + i];
        mag += Math.abs(w[((o * cin + i) * k + dy) * k + dx] * x[(yy * W + xs) * cin + i]);
      }
      const gain = bn.weight[o] / Math.sqrt(bn.runningVar[o] + BN_EPS);
      expected[(y * W + xx) * cout + o] = (s - bn.runningMean[o]) * gain + bn.bias[o];
      bound[(y * W + xx) * cout + o] = (cin * k * k + 4) * 2 ** -24 * (Math.abs(gain) * (mag + Math.abs(bn.runningMean[o])) + Math.abs(bn.bias[o]));
    }

    const folded = foldBatchNorm(w, b, bn);
    const kernel = tf.tensor4d(oihwToHwio(folded.weight, [cout, cin, k, k]), [k, k, cin, cout]);
    const padded = tf.pad(tf.tensor4d(x, [1, H, W, cin]), [[0, 0], [1, 1], [1, 1], [0, 0]]);
    const got = tf.add(tf.conv2d(padded, kernel, 1, 'valid'), folded.bias).dataSync();
    let excess = -Infinity; // how far the worst output exceeds its bound (<= 0 passes)
    for (let i = 0; i < got.length; i++) excess = Math.max(excess, Math.abs(got[i] - expected[i]) - bound[i]);
    expect(excess).toBeLessThanOrEqual(0);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1); // the check is not vacuous
  });

  it('does not modify its inputs', () => {
    const w = Float32Array.from([1, 2]);
    const bn = { weight: Float32Array.from([2]), bias: Float32Array.from([0]), runningMean: Float32Array.from([0]), runningVar: Float32Array.from([1]) };
    foldBatchNorm(w, new Float32Array(1), bn);
    expect([...w]).toEqual([1, 2]);
  });
});
