// The typed-array ILA (the cpu and wasm backends' kernel) against the naive float64 loop and the
// tfjs-ops reference, on both backends it is registered for: every shared case (borders, windows
// 1..9, M 1..3, G 1..2) plus the shipped model's shapes (both tasks, memory 1 and 2).
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ILA_KERNEL_NAME, ilaAttend, ilaAttendGrouped, ilaImplementation, ilaReferenceGrouped, ilaTypedArrays,
  ilaTypedCallCount, ilaTypedGrouped,
} from '../../src/runtime/ila';
import { ilaNaive } from './ilaNaive';
import { ILA_CASES, caseDims, caseName, maxAbsDiff, randomInputs, SHIPPED_ILA_CASES } from './ilaTestUtils';

// Outputs are convex combinations of values in [-1, 1]. The typed path accumulates in float64 from
// the same float32 inputs as the naive loop, so they differ by the final float32 rounding
// (<= 2^-24 relative, i.e. < 1e-7 here): 1e-6 leaves room for exp() differing in the last bits.
const TYPED_VS_NAIVE = 1e-6;
// The reference computes scores, softmax and sums in float32: scores up to |q||k| ~ 3*3*d/sqrt(d)
// = 72 at d=64 carry ~72 * 2^-24 ~ 4e-6 absolute error into exp(); over the weighted sum that stays
// below 1e-5 of an output in [-1, 1] (the exactness bound).
const VS_FLOAT32_REFERENCE = 1e-5;

const SHIPPED = SHIPPED_ILA_CASES;

describe('ilaTypedArrays vs naive loop (no tfjs)', () => {
  for (const [i, c] of [...ILA_CASES, ...SHIPPED].entries()) {
    it(caseName(c), () => {
      const inp = randomInputs(c, 300 + 10 * i);
      const out = ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c));
      expect(maxAbsDiff(out, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(TYPED_VS_NAIVE);
    });
  }

  it('rejects arrays that do not match the sizes', () => {
    const c = ILA_CASES[0];
    const inp = randomInputs(c, 1);
    expect(() => ilaTypedArrays(inp.q.subarray(1), inp.k, inp.v, caseDims(c))).toThrow(/query holds \d+ values, dims need/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`typed ILA kernel on the ${backend} backend`, () => {
    it('is what ilaAttend dispatches to', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      const c = ILA_CASES[0];
      const { query, keys, values } = randomInputs(c, 5).tensors();
      expect(ilaImplementation(query, keys, values, c.L)).toBe('typed');
      const calls = ilaTypedCallCount();
      const before = tf.memory().numTensors;
      const out = ilaAttend(query, keys, values, c.L);
      expect(ilaTypedCallCount()).toBe(calls + 1);
      expect(tf.memory().numTensors).toBe(before + 1); // the output only: nothing leaked
      expect(tf.getKernel(ILA_KERNEL_NAME, backend)).toBeDefined();
      tf.dispose([query, keys, values, out]);
    });

    for (const [i, c] of [...ILA_CASES, ...SHIPPED].entries()) {
      it(`typed vs naive and reference: ${caseName(c)}`, async () => {
        await tf.setBackend(backend);
        const inp = randomInputs(c, 500 + 10 * i);
        const { query, keys, values } = inp.tensors();
        const typed = ilaTypedGrouped(query, keys, values, c.L);
        const reference = ilaReferenceGrouped(query, keys, values, c.L);
        expect(typed.shape).toEqual([c.G, c.h, c.w, c.T]);
        const got = await typed.data();
        expect(maxAbsDiff(got, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(TYPED_VS_NAIVE);
        expect(maxAbsDiff(got, await reference.data())).toBeLessThanOrEqual(VS_FLOAT32_REFERENCE);
        tf.dispose([query, keys, values, typed, reference]);
      });
    }

    it('masks window borders (a zero-padded key would win every border position)', async () => {
      await tf.setBackend(backend);
      // Keys anti-aligned with the query: score -1 inside the map; a padded zero key would score 0.
      const h = 4, w = 5, d = 4, T = 3, M = 2, L = 5;
      const out = tf.tidy(() => ilaTypedGrouped(
        tf.fill([1, h, w, d], 1) as tf.Tensor4D, tf.fill([M, h, w, d], -1) as tf.Tensor4D,
        tf.fill([M, h, w, T], 1) as tf.Tensor4D, L));
      expect(maxAbsDiff(await out.data(), new Float32Array(h * w * T).fill(1))).toBeLessThanOrEqual(1e-6);
      out.dispose();
    });

    it('works inside tf.tidy and on views of other tensors (slices, concat)', async () => {
      await tf.setBackend(backend);
      const c = { G: 2, M: 2, h: 4, w: 5, d: 4, T: 4, L: 3 };
      const { query, keys, values } = randomInputs(c, 21).tensors();
      const before = tf.memory().numTensors;
      const perGroup = tf.tidy(() => tf.concat([0, 1].map((g) => ilaAttend(
        tf.slice(query, [g, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D,
        tf.slice(keys, [2 * g, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor4D,
        tf.slice(values, [2 * g, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor4D, 3))));
      const grouped = ilaAttendGrouped(query, keys, values, 3);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(maxAbsDiff(await grouped.data(), await perGroup.data())).toBeLessThanOrEqual(1e-6);
      tf.dispose([query, keys, values, grouped, perGroup]);
    });
  });
}

describe('typed ILA kernel elsewhere', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('refuses a backend whose data is not in CPU memory', async () => {
    tf.registerBackend('fake-gpu', () => new MathBackendCPU(), -1);
    await tf.setBackend('fake-gpu');
    const z = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    expect(() => ilaTypedGrouped(z, z, z, 1)).toThrow(/active tfjs backend is 'fake-gpu', not cpu or wasm/);
    await tf.setBackend('cpu');
    tf.removeBackend('fake-gpu');
    z.dispose();
  });
});
