// The typed-array ILA (the cpu and wasm backends' kernel) against the naive float64 loop and the
// tfjs-ops reference, on both backends it is registered for and on both its inner loops (WebAssembly
// SIMD, scalar JS): every shared case (borders, windows 1..9, M 1..3, G 1..2) plus the shipped model's
// shapes (both tasks, memory 1 and 2). tests/ila/ilaSimd.test.ts covers the SIMD loop on its own.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ILA_KERNEL_NAME, ilaAttend, ilaAttendGrouped, ilaImplementation, ilaReferenceGrouped, ilaSimdCallCount, ilaTypedArrays,
  ilaTypedCallCount, ilaTypedGrouped, ilaTypedPath, setIlaTypedScalarOnly, type IlaTypedPath,
} from '../../src/runtime/ila';
import { ilaNaive } from './ilaNaive';
import {
  F32_EPS, ILA_CASES, ILA_F32_BOUND, ILA_F64_SUMS_BOUND, averageRounding, caseDims, caseName, ilaF32CaseBound, maxAbsDiff,
  randomInputs, SHIPPED_ILA_CASES, type IlaCase,
} from './ilaTestUtils';

// Bounds (ilaBounds.ts): the scalar loop sums in float64 from the same float32 inputs as the naive
// loop (ILA_F64_SUMS_BOUND); the SIMD loop works in float32 (ilaF32CaseBound); the reference computes
// scores, softmax and sums in float32 (ILA_F32_BOUND), and either loop is within it of the reference.
const SHIPPED = SHIPPED_ILA_CASES;

describe('ilaTypedArrays vs naive loop (no tfjs)', () => {
  for (const [i, c] of [...ILA_CASES, ...SHIPPED].entries()) {
    it(caseName(c), () => {
      const inp = randomInputs(c, 300 + 10 * i);
      const out = ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c));
      expect(maxAbsDiff(out, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ILA_F64_SUMS_BOUND);
    });
  }

  it('rejects arrays that do not match the sizes', () => {
    const c = ILA_CASES[0];
    const inp = randomInputs(c, 1);
    expect(() => ilaTypedArrays(inp.q.subarray(1), inp.k, inp.v, caseDims(c))).toThrow(/query holds \d+ values, dims need/);
  });
});

function naiveBound(path: IlaTypedPath, c: IlaCase): number {
  return path === 'simd' ? ilaF32CaseBound(c.d, c.M * c.L * c.L) : ILA_F64_SUMS_BOUND;
}

for (const [backend, path] of [['cpu', 'simd'], ['wasm', 'simd'], ['cpu', 'scalar'], ['wasm', 'scalar']] as const) {
  describe(`typed ILA kernel on the ${backend} backend, ${path} loop`, () => {
    beforeAll(() => setIlaTypedScalarOnly(path === 'scalar'));
    afterAll(() => setIlaTypedScalarOnly(false));

    it('is what ilaAttend dispatches to, on this loop', async () => {
      expect(await tf.setBackend(backend)).toBe(true);
      expect(ilaTypedPath()).toBe(path);
      const c = ILA_CASES[0];
      const { query, keys, values } = randomInputs(c, 5).tensors();
      expect(ilaImplementation(query, keys, values, c.L)).toBe('typed');
      const calls = ilaTypedCallCount();
      const simdCalls = ilaSimdCallCount();
      const before = tf.memory().numTensors;
      const out = ilaAttend(query, keys, values, c.L);
      expect(ilaTypedCallCount()).toBe(calls + 1);
      expect(ilaSimdCallCount()).toBe(simdCalls + (path === 'simd' ? 1 : 0));
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
        expect(maxAbsDiff(got, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(naiveBound(path, c));
        expect(maxAbsDiff(got, await reference.data())).toBeLessThanOrEqual(ILA_F32_BOUND);
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
      // equal weights over <= M * L * L candidates, values 1: only the average's own rounding remains
      expect(maxAbsDiff(await out.data(), new Float32Array(h * w * T).fill(1))).toBeLessThanOrEqual(averageRounding(M * L * L, F32_EPS));
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
      // the same kernel on the same numbers per group: at most the 2 * 9-candidate average rounds differently
      expect(maxAbsDiff(await grouped.data(), await perGroup.data())).toBeLessThanOrEqual(averageRounding(2 * 9, F32_EPS));
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
