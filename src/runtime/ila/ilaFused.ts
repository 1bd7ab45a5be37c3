// Fused ILA on tfjs's webgpu backend: the webgpu registration of the ILA kernel (ilaKernel.ts),
// run as ONE WebGPU dispatch.
import * as tf from '@tensorflow/tfjs-core';
import { asWebGpuBackend } from '../backendInternals';
import { ilaKernelDims, registerIlaKernel, runIlaKernel, type IlaKernelAttrs, type IlaKernelInputs } from './ilaKernel';
import { IlaProgram, ilaFusedUnsupportedReason, ilaShaderKey } from './ilaProgram';
import { type IlaDims, validateIlaInputs } from './validate';

export { ILA_KERNEL_NAME } from './ilaKernel';

let fusedCalls = 0;
// Shader keys already run once under a validation error scope, and the ones that failed. tfjs
// reports shader/pipeline errors only asynchronously (the output would silently stay zero), so a
// failed key is remembered and ilaAttend falls back to the reference from then on.
const checkedKeys = new Set<string>();
const failedKeys = new Map<string, string>();
let pendingChecks: Promise<void>[] = [];

/** How many fused ILA kernels were dispatched since page load (debug/test counter). */
export function ilaFusedCallCount(): number {
  return fusedCalls;
}

const ilaKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const ila = inputs as unknown as IlaKernelInputs;
  const { query, keys, values } = ila;
  const dims = ilaKernelDims(ila, (attrs as unknown as IlaKernelAttrs).window);
  const gpuBackend = asWebGpuBackend(backend);
  const program = new IlaProgram(dims);
  const key = program.shaderKey; // tfjs extends program.shaderKey in place: copy it first
  const failure = failedKeys.get(key);
  if (failure) throw new Error(`Fused ILA kernel ${key} failed on this device: ${failure}`);
  fusedCalls++;
  const device = gpuBackend.device;
  if (checkedKeys.has(key) || typeof device.pushErrorScope !== 'function') {
    return gpuBackend.runWebGPUProgram(program, [query, keys, values], 'float32');
  }
  checkedKeys.add(key);
  device.pushErrorScope('validation');
  const out = gpuBackend.runWebGPUProgram(program, [query, keys, values], 'float32');
  pendingChecks.push(device.popErrorScope().then((error) => {
    if (error) {
      failedKeys.set(key, error.message);
      console.error(`Fused ILA kernel ${key} failed; ILA falls back to the tfjs-ops reference: ${error.message}`);
    }
  }));
  return out;
};

/** Disables the fused kernel for these sizes (e.g. after a failed self-test); ilaAttend then uses the reference. */
export function markIlaFusedFailed(dims: IlaDims, reason: string): void {
  failedKeys.set(ilaShaderKey(dims), reason);
}

/** Resolves once every first-run shader validation so far has reported (failures then show in ilaFusedUnavailableReason). */
export async function ilaFusedChecksSettled(): Promise<void> {
  const checks = pendingChecks;
  pendingChecks = [];
  await Promise.all(checks);
}

/** Why the fused kernel cannot run these inputs on the active backend, or null when it can. */
export function ilaFusedUnavailableReason(dims: IlaDims): string | null {
  const backend = tf.getBackend();
  if (backend !== 'webgpu') return `active tfjs backend is '${backend}', not 'webgpu'`;
  const failure = failedKeys.get(ilaShaderKey(dims));
  if (failure) return `the kernel failed to compile or run on this device: ${failure}`;
  return ilaFusedUnsupportedReason(dims);
}

/**
 * Grouped fused ILA: query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] -> [G,h,w,T] in one
 * dispatch. Throws (never silently falls back) when the fused kernel cannot run.
 */
export function ilaFusedGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  const dims = validateIlaInputs(query, keys, values, window);
  const reason = ilaFusedUnavailableReason(dims);
  if (reason) throw new Error(`Fused ILA kernel unavailable: ${reason}`);
  registerIlaKernel('webgpu', ilaKernelFunc);
  return runIlaKernel(query, keys, values, window);
}

/** Fused ILA for one query map: query [1,h,w,d], keys [M,h,w,d], values [M,h,w,T] -> [1,h,w,T]. */
export function ilaFused(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  if (query?.rank === 4 && query.shape[0] !== 1) {
    throw new RangeError(`ILA query must have batch 1 [1,h,w,d], got [${query.shape.join(',')}] (use ilaFusedGrouped for several groups)`);
  }
  return ilaFusedGrouped(query, keys, values, window);
}
