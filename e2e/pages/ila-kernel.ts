// Test page for e2e/ila-kernel.spec.ts: runs the fused ILA kernel on tfjs's webgpu backend and the
// tfjs-ops reference on the same inputs, and reports the max abs difference and how many GPU
// compute dispatches the fused call recorded.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { ILA_KERNEL_NAME, ilaAttend, ilaFusedChecksSettled, ilaImplementation, ilaReference } from '../../src/runtime/ila';

export interface IlaKernelCase { M: number; h: number; w: number; d: number; T: number; L: number; seed: number }
export interface IlaKernelCaseResult {
  name: string; implementation: string; maxAbsDiff: number; dispatches: number; kernelNames: string[];
  leakedTensors: number;
}
export interface IlaKernelReport { backend: string; adapter: string; results: IlaKernelCaseResult[] }

/** Wraps GPUComputePassEncoder.dispatchWorkgroups to count compute dispatches. */
function countDispatches<T>(fn: () => T): { value: T; dispatches: number } {
  const proto = GPUComputePassEncoder.prototype;
  const original = proto.dispatchWorkgroups;
  let dispatches = 0;
  proto.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args: Parameters<typeof original>) {
    dispatches++;
    return original.apply(this, args);
  };
  try {
    return { value: fn(), dispatches };
  } finally {
    proto.dispatchWorkgroups = original;
  }
}

async function runCase(c: IlaKernelCase): Promise<IlaKernelCaseResult> {
  const name = `M${c.M} ${c.h}x${c.w} d${c.d} T${c.T} L${c.L}`;
  const [query, keys, values] = tf.tidy(() => [
    tf.randomUniform([1, c.h, c.w, c.d], -2, 2, 'float32', c.seed),
    tf.randomUniform([c.M, c.h, c.w, c.d], -2, 2, 'float32', c.seed + 1),
    tf.randomUniform([c.M, c.h, c.w, c.T], -1, 1, 'float32', c.seed + 2),
  ] as tf.Tensor4D[]);
  await Promise.all([query.data(), keys.data(), values.data()]); // inputs resident before counting
  const numTensors = tf.memory().numTensors;
  const implementation = ilaImplementation(query, keys, values, c.L);
  const { value: fused, dispatches } = countDispatches(() => ilaAttend(query, keys, values, c.L));
  await fused.data();
  const leakedTensors = tf.memory().numTensors - numTensors - 1;
  const profile = await tf.profile(() => { tf.dispose(ilaAttend(query, keys, values, c.L)); });
  const reference = ilaReference(query, keys, values, c.L);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fused, reference))));
  const maxAbsDiff = (await diff.data())[0];
  tf.dispose([query, keys, values, fused, reference, diff]);
  return { name, implementation, maxAbsDiff, dispatches, kernelNames: profile.kernelNames, leakedTensors };
}

async function run(cases: IlaKernelCase[]): Promise<IlaKernelReport> {
  const ok = await tf.setBackend('webgpu');
  await tf.ready();
  const backend = tf.getBackend();
  if (!ok || backend !== 'webgpu') throw new Error(`webgpu backend unavailable (active: ${backend})`);
  const info = (await navigator.gpu.requestAdapter())?.info;
  const results: IlaKernelCaseResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  await ilaFusedChecksSettled();
  return { backend, adapter: `${info?.vendor ?? '?'} ${info?.architecture ?? '?'}`, results };
}

declare global {
  interface Window { runIlaKernelCheck?: typeof run; ilaKernelName?: string }
}
window.runIlaKernelCheck = run;
window.ilaKernelName = ILA_KERNEL_NAME;
document.getElementById('status')!.textContent = 'ready';
