// The fused ILA kernel on tfjs's webgpu backend in Node (Dawn + SwiftShader): agrees with the
// reference (on the same backend) and the naive loop to ILA_F32_BOUND, borders included, in ONE dispatch.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ILA_KERNEL_NAME, ilaAttend, ilaAttendGrouped, ilaFusedCallCount, ilaFusedGrouped, ilaImplementation,
  ilaReferenceGrouped, ilaSelfTest, ilaTypedArrays, markIlaFusedFailed,
} from '../../src/runtime/ila';
import { runWebGpuProgram } from '../../src/runtime/backendInternals';
import { IlaProgram } from '../../src/runtime/ila/ilaProgram';
import { ilaNaive } from './ilaNaive';
import { F32_EPS, ILA_CASES, ILA_F32_BOUND, SHIPPED_ILA_CASES, averageRounding, caseDims, caseName, maxAbsDiff, randomInputs } from './ilaTestUtils';
import { type NodeWebGPU, countDispatches, installNodeWebGPU } from './webgpuNode';

let gpu: NodeWebGPU | null = null;
let skipReason = '';

beforeAll(async () => {
  const installed = await installNodeWebGPU();
  gpu = installed.gpu;
  if (!gpu) {
    skipReason = installed.reason ?? 'unknown';
    console.warn(`SKIPPING fused ILA WebGPU tests: ${skipReason}`);
    return;
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error(`tfjs webgpu backend failed to initialise on ${gpu.adapterDescription}`);
  await tf.ready();
  console.log(`fused ILA tests on WebGPU adapter: ${gpu.adapterDescription}`);
});

afterAll(async () => {
  if (gpu) {
    tf.engine().reset(); // frees the backend's GPU objects before Dawn goes away
    gpu.uninstall();
  }
});

describe('fused ILA kernel (webgpu backend in Node)', () => {
  for (const [i, c] of ILA_CASES.entries()) {
    it(`fused vs reference vs naive vs typed: ${caseName(c)}`, async (ctx) => {
      if (!gpu) ctx.skip();
      expect(tf.getBackend()).toBe('webgpu');
      const inp = randomInputs(c, 500 + 10 * i);
      const naive = ilaNaive(inp.q, inp.k, inp.v, caseDims(c));
      const { query, keys, values } = inp.tensors();
      const fused = ilaFusedGrouped(query, keys, values, c.L);
      const reference = ilaReferenceGrouped(query, keys, values, c.L);
      const [f, r] = await Promise.all([fused.data(), reference.data()]);
      expect(fused.shape).toEqual([c.G, c.h, c.w, c.T]);
      expect(maxAbsDiff(f, naive)).toBeLessThanOrEqual(ILA_F32_BOUND);
      expect(maxAbsDiff(f, r)).toBeLessThanOrEqual(ILA_F32_BOUND);
      expect(maxAbsDiff(r, naive)).toBeLessThanOrEqual(ILA_F32_BOUND);
      // The cpu/wasm path on the same data: float64 sums of float32 inputs, well inside the float32 bound.
      expect(maxAbsDiff(f, ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ILA_F32_BOUND);
      tf.dispose([query, keys, values, fused, reference]);
    });
  }

  for (const c of SHIPPED_ILA_CASES) {
    it(`fused vs typed at the shipped model's sizes: ${caseName(c)}`, async (ctx) => {
      if (!gpu) ctx.skip();
      const inp = randomInputs(c, 900 + c.M);
      const { query, keys, values } = inp.tensors();
      const fused = ilaFusedGrouped(query, keys, values, c.L);
      // float32 scores (d = 24 <= 64, |q|, |k| <= 3) against float64 sums: inside ILA_F32_BOUND (ilaBounds.ts).
      expect(maxAbsDiff(await fused.data(), ilaTypedArrays(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ILA_F32_BOUND);
      tf.dispose([query, keys, values, fused]);
    });
  }

  it('border masking: anti-aligned keys give exactly 1 everywhere (zero-padding would not)', async (ctx) => {
    if (!gpu) ctx.skip();
    const h = 4, w = 5, d = 4, T = 4, M = 2, L = 5;
    const out = tf.tidy(() => ilaFusedGrouped(
      tf.fill([1, h, w, d], 1) as tf.Tensor4D, tf.fill([M, h, w, d], -1) as tf.Tensor4D,
      tf.fill([M, h, w, T], 1) as tf.Tensor4D, L));
    // equal weights over <= M * L * L candidates, values 1: only the average's own rounding remains
    expect(maxAbsDiff(await out.data(), new Float32Array(h * w * T).fill(1))).toBeLessThanOrEqual(averageRounding(M * L * L, F32_EPS));
    out.dispose();
  });

  it('ilaAttend picks the fused kernel: ONE dispatch, one kernel in tf.profile, no leaked tensors', async (ctx) => {
    if (!gpu) ctx.skip();
    const c = { G: 1, M: 2, h: 6, w: 7, d: 8, T: 8, L: 5 };
    const { query, keys, values } = randomInputs(c, 77).tensors();
    // Upload inputs first so the count below sees only the ILA work.
    await Promise.all([query.data(), keys.data(), values.data()]);
    expect(ilaImplementation(query, keys, values, c.L)).toBe('fused');
    const numTensors = tf.memory().numTensors;
    const calls = ilaFusedCallCount();
    const dispatches = countDispatches();
    let out: tf.Tensor4D | undefined;
    try {
      out = ilaAttend(query, keys, values, c.L);
      await out.data();
    } finally {
      dispatches.restore();
    }
    expect(dispatches.count()).toBe(1);
    expect(ilaFusedCallCount()).toBe(calls + 1);
    expect(tf.memory().numTensors).toBe(numTensors + 1);
    out.dispose();

    const profile = await tf.profile(() => { tf.dispose(ilaAttend(query, keys, values, c.L)); });
    expect(profile.kernelNames).toEqual([ILA_KERNEL_NAME]);
    tf.dispose([query, keys, values]);
  });

  it('grouped (both tasks) is also one dispatch', async (ctx) => {
    if (!gpu) ctx.skip();
    const c = { G: 2, M: 2, h: 4, w: 6, d: 8, T: 8, L: 3 };
    const inp = randomInputs(c, 91);
    const { query, keys, values } = inp.tensors();
    await Promise.all([query.data(), keys.data(), values.data()]);
    const dispatches = countDispatches();
    let out: tf.Tensor4D | undefined;
    try {
      out = ilaAttendGrouped(query, keys, values, c.L);
      await out.data();
    } finally {
      dispatches.restore();
    }
    expect(dispatches.count()).toBe(1);
    expect(maxAbsDiff(await out.data(), ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ILA_F32_BOUND);
    tf.dispose([query, keys, values, out]);
  });

  it('a dispatch wrapped into rows (as for maps over 65535 positions) is still exact', async (ctx) => {
    if (!gpu) ctx.skip();
    // 2 x 5 x 7 = 70 workgroups with at most 16 per row: dispatch [14, 5, 1], no surplus; with 11
    // per row: [10, 7, 1]; with 13: [12, 6, 1] = 72, two surplus workgroups that must not write.
    const c = { G: 2, M: 2, h: 5, w: 7, d: 8, T: 8, L: 3 };
    const inp = randomInputs(c, 13);
    const naive = ilaNaive(inp.q, inp.k, inp.v, caseDims(c));
    const { query, keys, values } = inp.tensors();
    for (const rowLimit of [16, 11, 13]) {
      const program = new IlaProgram(caseDims(c), rowLimit);
      expect(program.dispatch[1]).toBeGreaterThan(1);
      const out = tf.engine().makeTensorFromTensorInfo(runWebGpuProgram(tf.backend(), program, [query, keys, values], 'float32'));
      expect(maxAbsDiff(await out.data(), naive), `rowLimit ${rowLimit}`).toBeLessThanOrEqual(ILA_F32_BOUND);
      out.dispose();
    }
    expect(new IlaProgram(caseDims(c), 13).dispatch).toEqual([12, 6, 1]);
    tf.dispose([query, keys, values]);
  });

  it('ilaSelfTest passes at production channel widths and keeps the fused path', async (ctx) => {
    if (!gpu) ctx.skip();
    const dims = caseDims({ G: 2, M: 2, h: 4, w: 8, d: 64, T: 128, L: 9 });
    const before = tf.memory().numTensors;
    const result = await ilaSelfTest(dims);
    expect(result.implementation).toBe('fused');
    expect(result.maxAbsDiff).toBeLessThanOrEqual(ILA_F32_BOUND);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a size marked failed falls back to the reference (still correct)', async (ctx) => {
    if (!gpu) ctx.skip();
    const c = { G: 1, M: 1, h: 3, w: 3, d: 4, T: 4, L: 3 };
    markIlaFusedFailed(caseDims(c), 'test: simulated shader failure');
    const inp = randomInputs(c, 5);
    const { query, keys, values } = inp.tensors();
    expect(ilaImplementation(query, keys, values, c.L)).toBe('reference');
    expect(() => ilaFusedGrouped(query, keys, values, c.L)).toThrow(/simulated shader failure/);
    const out = ilaAttend(query, keys, values, c.L);
    expect(maxAbsDiff(await out.data(), ilaNaive(inp.q, inp.k, inp.v, caseDims(c)))).toBeLessThanOrEqual(ILA_F32_BOUND);
    tf.dispose([query, keys, values, out]);
  });
});
