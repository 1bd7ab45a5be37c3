// The WebAssembly SIMD ILA loop (src/runtime/ila/simd) on raw arrays, against the float64 naive loop and
// the scalar typed loop: the shipped sizes with memory 1/2, groups 1/2, windows 3/5/9, non-square maps,
// maps smaller than the window (masking), channel counts that are not multiples of 4 (scalar tails).
import { describe, expect, it, vi } from 'vitest';
import { ilaSimdArrays, ilaSimdCallCount, ilaSimdUnavailableReason, ilaTypedArrays } from '../../src/runtime/ila';
import { ilaNaive } from './ilaNaive';
import {
  F32_EPS, ILA_CASES, ILA_F64_SUMS_BOUND, averageRounding, caseDims, caseName, ilaF32CaseBound, maxAbsDiff, randomInputs,
  SHIPPED_ILA_CASES, type IlaCase,
} from './ilaTestUtils';

const SHIPPED_WINDOWS: IlaCase[] = [];
for (const G of [1, 2]) {
  for (const M of [1, 2]) {
    for (const L of [3, 5, 9]) SHIPPED_WINDOWS.push({ G, M, h: 16, w: 32, d: 24, T: 24, L });
  }
}

const EDGE_CASES: IlaCase[] = [
  { G: 2, M: 2, h: 7, w: 3, d: 24, T: 24, L: 9 }, // tall, narrower than the window
  { G: 1, M: 2, h: 2, w: 3, d: 24, T: 24, L: 9 }, // whole map inside every window
  { G: 2, M: 1, h: 1, w: 1, d: 8, T: 8, L: 5 }, // one position: one candidate per slot
  { G: 1, M: 2, h: 3, w: 17, d: 12, T: 20, L: 5 }, // d not a multiple of 8: one f32x4 step after the pairs
  { G: 1, M: 3, h: 5, w: 6, d: 7, T: 9, L: 3 }, // d, T not multiples of 4: scalar tails
  { G: 1, M: 1, h: 4, w: 4, d: 2, T: 2, L: 3 }, // narrower than one lane: tails only
];

const CASES = [...ILA_CASES, ...SHIPPED_ILA_CASES, ...SHIPPED_WINDOWS, ...EDGE_CASES];

describe('SIMD ILA loop', () => {
  it('is available in this Node (WebAssembly SIMD is standard since Node 16)', () => {
    expect(ilaSimdUnavailableReason()).toBeNull();
  });

  for (const [i, c] of CASES.entries()) {
    it(`vs naive float64 loop and scalar typed loop: ${caseName(c)}`, () => {
      const inp = randomInputs(c, 900 + 10 * i);
      const calls = ilaSimdCallCount();
      const got = ilaSimdArrays(inp.q, inp.k, inp.v, caseDims(c));
      expect(ilaSimdCallCount()).toBe(calls + 1);
      expect(got.length).toBe(c.G * c.h * c.w * c.T);
      const bound = ilaF32CaseBound(c.d, c.M * c.L * c.L);
      expect(maxAbsDiff(got, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(bound);
      // the scalar loop is itself within ILA_F64_SUMS_BOUND of the naive one
      expect(maxAbsDiff(got, ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(bound + ILA_F64_SUMS_BOUND);
    });
  }

  it('masks out-of-map candidates (a zero-padded key would win every border position)', () => {
    // Keys anti-aligned with the query score -1 inside the map; a padded zero key would score 0 and
    // values 0 there would pull the average below 1.
    const c = { G: 2, M: 2, h: 4, w: 5, d: 8, T: 4, L: 7 };
    const q = new Float32Array(c.G * c.h * c.w * c.d).fill(1);
    const k = new Float32Array(c.G * c.M * c.h * c.w * c.d).fill(-1);
    const v = new Float32Array(c.G * c.M * c.h * c.w * c.T).fill(1);
    const got = ilaSimdArrays(q, k, v, caseDims(c));
    expect(maxAbsDiff(got, new Float32Array(got.length).fill(1))).toBeLessThanOrEqual(averageRounding(c.M * c.L * c.L, F32_EPS));
  });

  it('keeps working when a later call needs more memory, and after it a smaller one', () => {
    const small = ILA_CASES[0];
    const big = { G: 2, M: 2, h: 40, w: 64, d: 24, T: 24, L: 3 }; // ~3 MB of inputs: grows the memory
    for (const [j, c] of [small, big, small].entries()) {
      const inp = randomInputs(c, 40 + j);
      const got = ilaSimdArrays(inp.q, inp.k, inp.v, caseDims(c));
      expect(maxAbsDiff(got, ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ilaF32CaseBound(c.d, c.M * c.L * c.L));
    }
  });

  it('rejects arrays that do not match the sizes', () => {
    const c = ILA_CASES[0];
    const inp = randomInputs(c, 1);
    expect(() => ilaSimdArrays(inp.q, inp.k.subarray(2), inp.v, caseDims(c))).toThrow(/keys holds \d+ values, dims need/);
  });

  it('where the engine rejects the module (no WebAssembly SIMD), says why and the kernel takes the scalar loop', async () => {
    vi.resetModules(); // fresh module state: the real module above is already instantiated
    vi.stubGlobal('WebAssembly', Object.assign(Object.create(WebAssembly), { validate: () => false }));
    try {
      const simd = await import('../../src/runtime/ila/simd/ilaSimd');
      const kernel = await import('../../src/runtime/ila/ilaTypedKernel');
      expect(simd.ilaSimdUnavailableReason()).toMatch(/rejects the SIMD ILA module \(no WebAssembly SIMD\)/);
      expect(kernel.ilaTypedPath()).toBe('scalar');
      const c = ILA_CASES[0];
      const inp = randomInputs(c, 2);
      expect(() => simd.ilaSimdArrays(inp.q, inp.k, inp.v, caseDims(c))).toThrow(/SIMD ILA kernel unavailable: .*no WebAssembly SIMD/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
