// Shared helpers for the ILA tests: seeded random inputs and max-abs-diff.
import * as tf from '@tensorflow/tfjs-core';
import type { IlaDims } from '../../src/runtime/ila/validate';

export { F32_EPS, ILA_F32_BOUND, ILA_F64_SUMS_BOUND, averageRounding, ilaF32CaseBound } from './ilaBounds';

/** Deterministic uniform [-1, 1) generator (mulberry32). */
export function randomArray(n: number, seed: number, scale = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

export interface IlaCase {
  G: number; M: number; h: number; w: number; d: number; T: number; L: number;
}

export function caseName(c: IlaCase): string {
  return `G${c.G} M${c.M} ${c.h}x${c.w} d${c.d} T${c.T} L${c.L}`;
}

export function caseDims(c: IlaCase): IlaDims {
  return { groups: c.G, memory: c.M, height: c.h, width: c.w, keyChannels: c.d, valueChannels: c.T, window: c.L };
}

/** Random inputs; scale 3 gives peaky softmaxes so a wrong weight shows in the output. */
export function randomInputs(c: IlaCase, seed: number, scale = 3) {
  const q = randomArray(c.G * c.h * c.w * c.d, seed, scale);
  const k = randomArray(c.G * c.M * c.h * c.w * c.d, seed + 1, scale);
  const v = randomArray(c.G * c.M * c.h * c.w * c.T, seed + 2);
  return {
    q, k, v,
    tensors: () => ({
      query: tf.tensor4d(q, [c.G, c.h, c.w, c.d]),
      keys: tf.tensor4d(k, [c.G * c.M, c.h, c.w, c.d]),
      values: tf.tensor4d(v, [c.G * c.M, c.h, c.w, c.T]),
    }),
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    if (!(diff <= m)) m = Number.isNaN(diff) ? Infinity : diff;
  }
  return m;
}

/** Cases shared by the CPU and WebGPU suites: borders everywhere, windows 1..9, M 1..3, G 1..2. */
export const ILA_CASES: IlaCase[] = [
  { G: 1, M: 1, h: 5, w: 7, d: 8, T: 8, L: 3 },
  { G: 1, M: 2, h: 6, w: 5, d: 5, T: 3, L: 5 }, // d, T not multiples of 4 (scalar path)
  { G: 1, M: 2, h: 3, w: 2, d: 4, T: 12, L: 9 }, // map smaller than the window
  { G: 1, M: 3, h: 4, w: 6, d: 8, T: 4, L: 1 },
  { G: 1, M: 2, h: 9, w: 11, d: 16, T: 8, L: 9 },
  { G: 1, M: 1, h: 1, w: 1, d: 4, T: 4, L: 3 },
  { G: 2, M: 2, h: 5, w: 4, d: 8, T: 8, L: 3 }, // grouped (two tasks in one call)
  { G: 1, M: 2, h: 4, w: 8, d: 64, T: 128, L: 9 }, // production channel widths (T/4 = 32 lanes)
  { G: 1, M: 1, h: 3, w: 5, d: 4, T: 400, L: 3 }, // T/4 > workgroup: direct accumulation path
];

/** The shipped default model's ILA (mila-street-v1 and v2): 16x32 map, d=24, T=24, L=9, both tasks, memory 1 and 2. */
export const SHIPPED_ILA_CASES: IlaCase[] = [
  { G: 2, M: 1, h: 16, w: 32, d: 24, T: 24, L: 9 },
  { G: 2, M: 2, h: 16, w: 32, d: 24, T: 24, L: 9 },
];
