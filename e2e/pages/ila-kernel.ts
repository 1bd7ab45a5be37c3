// Test page for e2e/ila-kernel.spec.ts: runs ILA as the app does (ilaAttendGrouped) on tfjs's
// webgpu backend (the fused kernel) or webgl backend (the GLSL programs), the tfjs-ops reference
// on the same inputs and the naive float64 loop on their data, and reports the max abs
// differences, how many GPU compute dispatches the call recorded (webgpu) and the kernels it ran.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import {
  ILA_KERNEL_NAME, ilaAttendGrouped, ilaFusedChecksSettled, ilaImplementation, ilaReferenceGrouped,
} from '../../src/runtime/ila';
import { ilaNaive } from '../../tests/ila/ilaNaive';

export interface IlaKernelCase { G?: number; M: number; h: number; w: number; d: number; T: number; L: number; seed: number }
export interface IlaKernelCaseResult {
  name: string; implementation: string; maxAbsDiff: number; maxAbsDiffNaive: number; dispatches: number;
  kernelNames: string[]; leakedTensors: number;
}
export interface IlaKernelReport { backend: string; adapter: string; results: IlaKernelCaseResult[] }

/** Wraps GPUComputePassEncoder.dispatchWorkgroups to count compute dispatches. */
function countDispatches<T>(fn: () => T): { value: T; dispatches: number } {
  if (typeof GPUComputePassEncoder === 'undefined') return { value: fn(), dispatches: 0 };
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
  const G = c.G ?? 1;
  const name = `G${G} M${c.M} ${c.h}x${c.w} d${c.d} T${c.T} L${c.L}`;
  const [query, keys, values] = tf.tidy(() => [
    tf.randomUniform([G, c.h, c.w, c.d], -2, 2, 'float32', c.seed),
    tf.randomUniform([G * c.M, c.h, c.w, c.d], -2, 2, 'float32', c.seed + 1),
    tf.randomUniform([G * c.M, c.h, c.w, c.T], -1, 1, 'float32', c.seed + 2),
  ] as tf.Tensor4D[]);
  const [q, k, v] = await Promise.all([query.data(), keys.data(), values.data()]); // inputs resident before counting
  const numTensors = tf.memory().numTensors;
  const implementation = ilaImplementation(query, keys, values, c.L);
  const { value: out, dispatches } = countDispatches(() => ilaAttendGrouped(query, keys, values, c.L));
  const got = await out.data();
  const leakedTensors = tf.memory().numTensors - numTensors - 1;
  const profile = await tf.profile(() => { tf.dispose(ilaAttendGrouped(query, keys, values, c.L)); });
  const reference = ilaReferenceGrouped(query, keys, values, c.L);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(out, reference))));
  const maxAbsDiff = (await diff.data())[0];
  const naive = ilaNaive(q, k, v, { groups: G, memory: c.M, height: c.h, width: c.w, keyChannels: c.d, valueChannels: c.T, window: c.L });
  const maxAbsDiffNaive = naive.reduce((m, x, i) => Math.max(m, Math.abs(x - got[i])), 0);
  tf.dispose([query, keys, values, out, reference, diff]);
  return { name, implementation, maxAbsDiff, maxAbsDiffNaive, dispatches, kernelNames: profile.kernelNames, leakedTensors };
}

async function run(cases: IlaKernelCase[], wanted: 'webgpu' | 'webgl' = 'webgpu'): Promise<IlaKernelReport> {
  const ok = await tf.setBackend(wanted);
  await tf.ready();
  const backend = tf.getBackend();
  if (!ok || backend !== wanted) throw new Error(`${wanted} backend unavailable (active: ${backend})`);
  const adapter = wanted === 'webgpu'
    ? await navigator.gpu.requestAdapter().then((a) => `${a?.info?.vendor ?? '?'} ${a?.info?.architecture ?? '?'}`)
    : 'webgl';
  const results: IlaKernelCaseResult[] = [];
  for (const c of cases) results.push(await runCase(c));
  if (wanted === 'webgpu') await ilaFusedChecksSettled();
  return { backend, adapter, results };
}

declare global {
  interface Window { runIlaKernelCheck?: typeof run; ilaKernelName?: string }
}
window.runIlaKernelCheck = run;
window.ilaKernelName = ILA_KERNEL_NAME;
document.getElementById('status')!.textContent = 'ready';
