// ILA reference (tfjs ops, CPU backend) against the naive per-pixel loop, border masking,
// multi-frame joint softmax (through ilaAttend, i.e. the typed kernel on cpu), input validation
// and the flop count.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ilaAttend, ilaAttendGrouped, ilaFlops, ilaImplementation, ilaReference, ilaReferenceGrouped,
} from '../../src/runtime/ila';
import { ilaNaive } from './ilaNaive';
import { F32_EPS, ILA_CASES, ILA_F32_BOUND, averageRounding, caseDims, caseName, maxAbsDiff, randomInputs } from './ilaTestUtils';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ilaReference vs naive loop', () => {
  for (const [i, c] of ILA_CASES.entries()) {
    it(caseName(c), () => {
      const inp = randomInputs(c, 100 + 10 * i);
      const expected = ilaNaive(inp.q, inp.k, inp.v, caseDims(c));
      const { query, keys, values } = inp.tensors();
      const out = ilaReferenceGrouped(query, keys, values, c.L);
      expect(out.shape).toEqual([c.G, c.h, c.w, c.T]);
      expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThanOrEqual(ILA_F32_BOUND);
      tf.dispose([query, keys, values, out]);
    });
  }
});

describe('border masking', () => {
  // Keys anti-aligned with the query score -1 everywhere inside the map; a zero-padded key would
  // score 0 (the maximum) and drag the output towards the zero value. Values are all 1, so the
  // masked result is exactly 1 at every position, borders included.
  const h = 4, w = 5, d = 4, T = 3, M = 2, L = 5;
  const dims = { groups: 1, memory: M, height: h, width: w, keyChannels: d, valueChannels: T, window: L };
  const q = new Float32Array(h * w * d).fill(1);
  const k = new Float32Array(M * h * w * d).fill(-1);
  const v = new Float32Array(M * h * w * T).fill(1);

  it('reference and naive give exactly the in-map average (no zero-padding)', () => {
    const out = tf.tidy(() => ilaReference(
      tf.tensor4d(q, [1, h, w, d]), tf.tensor4d(k, [M, h, w, d]), tf.tensor4d(v, [M, h, w, T]), L));
    // equal weights 1/n over n <= M * L * L candidates, values 1: only the average's own rounding remains
    expect(maxAbsDiff(out.dataSync(), new Float32Array(h * w * T).fill(1))).toBeLessThanOrEqual(averageRounding(M * L * L, F32_EPS));
    expect(maxAbsDiff(ilaNaive(q, k, v, dims), new Float32Array(h * w * T).fill(1))).toBeLessThanOrEqual(averageRounding(M * L * L, 2 ** -53));
    out.dispose();
  });

  it('zero-padding would give a clearly different answer at the border (the test can fail)', () => {
    // Pad to (h+L-1) x (w+L-1) with zero keys and values, run the naive loop there, crop.
    const r = (L - 1) / 2, ph = h + 2 * r, pw = w + 2 * r;
    const pad = (src: Float32Array, c: number) => {
      const out = new Float32Array(M * ph * pw * c);
      for (let m = 0; m < M; m++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        for (let i = 0; i < c; i++) out[((m * ph + y + r) * pw + x + r) * c + i] = src[((m * h + y) * w + x) * c + i];
      }
      return out;
    };
    const qp = new Float32Array(ph * pw * d).fill(1);
    const padded = ilaNaive(qp, pad(k, d), pad(v, T), { ...dims, height: ph, width: pw });
    const corner = padded[((0 + r) * pw + (0 + r)) * T]; // output at map position (0, 0)
    expect(corner).toBeLessThan(0.5);
  });
});

describe('multi-frame memory (MF): one joint softmax over both slots', () => {
  const h = 3, w = 3, d = 4, T = 2, L = 3;
  const c = { G: 1, M: 2, h, w, d, T, L };

  it('M=2 equals a hand-built single softmax over the 2*L*L candidates', () => {
    const inp = randomInputs(c, 7);
    const { query, keys, values } = inp.tensors();
    const out = ilaAttend(query, keys, values, L);
    // Centre position (1,1): every candidate of both slots is inside the 3x3 map.
    const qv = inp.q.subarray(4 * d, 5 * d);
    const scores: number[] = [];
    const vals: Float32Array[] = [];
    for (let m = 0; m < 2; m++) {
      for (let p = 0; p < h * w; p++) {
        const kr = inp.k.subarray((m * h * w + p) * d, (m * h * w + p + 1) * d);
        scores.push(qv.reduce((s, x, i) => s + x * kr[i], 0) / Math.sqrt(d));
        vals.push(inp.v.subarray((m * h * w + p) * T, (m * h * w + p + 1) * T));
      }
    }
    const wts = tf.tidy(() => tf.softmax(tf.tensor1d(scores)).dataSync());
    const expected = [0, 1].map((t) => vals.reduce((s, vv, i) => s + wts[i] * vv[t], 0));
    const got = out.dataSync().subarray(4 * T, 5 * T);
    // scores (d = 4 terms, |q|,|k| <= 3, over sqrt(d): |score| <= 18) round by (d + 2) * eps * 18 each, which
    // moves the output by at most twice that, plus the 18-candidate average's rounding: 1.4e-5 in all
    expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(2 * (d + 2) * F32_EPS * 18 + averageRounding(2 * L * L, F32_EPS));

    // Averaging two per-slot softmaxes is a different (wrong) model; make sure the data tells them apart.
    const perSlot = [0, 1].map((m) => Array.from(tf.tidy(() => tf.softmax(tf.tensor1d(scores.slice(m * 9, m * 9 + 9))).dataSync())));
    const averaged = [0, 1].map((t) => perSlot.reduce(
      (s, ws, m) => s + 0.5 * ws.reduce((a, wt, i) => a + wt * vals[m * 9 + i][t], 0), 0));
    expect(maxAbsDiff(averaged, expected)).toBeGreaterThan(1e-2);
    tf.dispose([query, keys, values, out]);
  });

  it('a slot whose keys match strongly takes (almost) all the weight', () => {
    const q = new Float32Array(h * w * d).fill(1);
    const k = new Float32Array(2 * h * w * d);
    k.fill(-2, 0, h * w * d); // slot 0: poor match
    k.fill(4, h * w * d); // slot 1: strong match
    const v = new Float32Array(2 * h * w * T);
    v.fill(-1, 0, h * w * T);
    v.fill(1, h * w * T);
    const out = tf.tidy(() => ilaAttend(tf.tensor4d(q, [1, h, w, d]), tf.tensor4d(k, [2, h, w, d]), tf.tensor4d(v, [2, h, w, T]), L));
    for (const x of out.dataSync()) expect(x).toBeGreaterThan(0.999);
    out.dispose();
  });

  it('M=1 and M=2 differ: the second slot is really used', () => {
    const inp = randomInputs(c, 11);
    const { query, keys, values } = inp.tensors();
    const one = tf.tidy(() => ilaAttend(query, tf.slice(keys, [0, 0, 0, 0], [1, h, w, d]), tf.slice(values, [0, 0, 0, 0], [1, h, w, T]), L));
    const two = ilaAttend(query, keys, values, L);
    expect(maxAbsDiff(one.dataSync(), two.dataSync())).toBeGreaterThan(1e-2);
    tf.dispose([query, keys, values, one, two]);
  });
});

describe('ilaAttend dispatch and memory', () => {
  it('uses the typed-array kernel on the CPU backend; the reference leaks no tensors', () => {
    const c = { G: 1, M: 2, h: 4, w: 4, d: 8, T: 8, L: 3 };
    const { query, keys, values } = randomInputs(c, 3).tensors();
    expect(ilaImplementation(query, keys, values, 3)).toBe('typed');
    const before = tf.memory().numTensors;
    const out = ilaReferenceGrouped(query, keys, values, 3);
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
    tf.dispose([query, keys, values]);
  });

  it('grouped call equals one call per group', () => {
    const c = { G: 2, M: 2, h: 4, w: 5, d: 4, T: 4, L: 3 };
    const { query, keys, values } = randomInputs(c, 21).tensors();
    const grouped = ilaAttendGrouped(query, keys, values, 3);
    const perGroup = tf.tidy(() => tf.concat([0, 1].map((g) => ilaAttend(
      tf.slice(query, [g, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D,
      tf.slice(keys, [2 * g, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor4D,
      tf.slice(values, [2 * g, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor4D, 3))));
    // the same kernel on the same numbers per group: at most the 2 * 9-candidate average rounds differently
    expect(maxAbsDiff(grouped.dataSync(), perGroup.dataSync())).toBeLessThanOrEqual(averageRounding(2 * 9, F32_EPS));
    tf.dispose([query, keys, values, grouped, perGroup]);
  });
});

describe('invalid input', () => {
  const z = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.zeros(shape, dtype) as unknown as tf.Tensor4D;
  const cases: [string, () => unknown, RegExp][] = [
    ['rank-3 query', () => ilaAttend(tf.zeros([4, 4, 8]) as unknown as tf.Tensor4D, z([1, 4, 4, 8]), z([1, 4, 4, 2]), 3), /query must be rank 4/],
    ['keys of another size', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 5, 8]), z([1, 4, 4, 2]), 3), /keys .* spatial size 4x4/],
    ['values of another size', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 8]), z([1, 3, 4, 2]), 3), /values .* spatial size 4x4/],
    ['key channels differ', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 6]), z([1, 4, 4, 2]), 3), /channel count d=8/],
    ['slot counts differ', () => ilaAttend(z([1, 4, 4, 8]), z([2, 4, 4, 8]), z([1, 4, 4, 2]), 3), /same number of memory slots/],
    ['even window', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 8]), z([1, 4, 4, 2]), 4), /odd positive integer, got 4/],
    ['zero window', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 8]), z([1, 4, 4, 2]), 0), /odd positive integer, got 0/],
    ['fractional window', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 8]), z([1, 4, 4, 2]), 2.5), /odd positive integer/],
    ['batch-2 query', () => ilaAttend(z([2, 4, 4, 8]), z([2, 4, 4, 8]), z([2, 4, 4, 2]), 3), /batch 1/],
    ['int32 values', () => ilaAttend(z([1, 4, 4, 8]), z([1, 4, 4, 8]), z([1, 4, 4, 2], 'int32'), 3), /values must be float32/],
    ['empty memory', () => ilaAttend(z([1, 4, 4, 8]), z([0, 4, 4, 8]), z([0, 4, 4, 2]), 3), /keys must not be empty/],
    ['grouped slots not a multiple', () => ilaAttendGrouped(z([2, 4, 4, 8]), z([3, 4, 4, 8]), z([3, 4, 4, 2]), 3), /not a multiple of the query batch 2/],
    ['missing tensor', () => ilaAttend(z([1, 4, 4, 8]), undefined as unknown as tf.Tensor4D, z([1, 4, 4, 2]), 3), /keys must be a tf.Tensor/],
  ];
  for (const [name, fn, message] of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      expect(() => tf.tidy(() => { fn(); })).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('ilaFlops', () => {
  it('counts 2 x (d + T) per candidate over the full window', () => {
    expect(ilaFlops(16, 32, 64, 128, 2, 9)).toBe(2 * 16 * 32 * 2 * 81 * (64 + 128));
    expect(ilaFlops(1, 1, 1, 1, 1, 1)).toBe(4);
  });
  it('rejects bad sizes', () => {
    expect(() => ilaFlops(16, 32, 64, 128, 2, 8)).toThrow(/odd/);
    expect(() => ilaFlops(0, 32, 64, 128, 2, 9)).toThrow(/h must be a positive integer/);
    expect(() => ilaFlops(16, 32, 64, 128, 1.5, 9)).toThrow(/M must be/);
  });
});
