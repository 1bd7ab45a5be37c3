// ILA entry points (docs/ARCHITECTURE.md "ILA" and "ILA kernel"): the fused WebGPU kernel on the
// webgpu backend, the tfjs-ops reference everywhere else.
import type * as tf from '@tensorflow/tfjs-core';
import { ilaFusedGrouped, ilaFusedUnavailableReason } from './ilaFused';
import { ilaReferenceGrouped } from './ilaReference';
import { validateIlaInputs } from './validate';

export { ilaReference, ilaReferenceGrouped } from './ilaReference';
export { ilaFused, ilaFusedGrouped, ilaFusedCallCount, ilaFusedUnavailableReason, ILA_KERNEL_NAME } from './ilaFused';
export { ilaFlops } from './ilaFlops';
export { ilaSelfTest, type IlaSelfTestResult } from './ilaSelfTest';
export { benchIla, benchIlaDetailed, type IlaBenchOptions, type IlaBenchResult } from './benchIla';
export { markIlaFusedFailed, ilaFusedChecksSettled } from './ilaFused';
export { ilaNaive } from './ilaNaive';
export { validateIlaInputs, type IlaDims } from './validate';

/** Which implementation ilaAttend/ilaAttendGrouped pick for these inputs on the active backend. */
export function ilaImplementation(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): 'fused' | 'reference' {
  const dims = validateIlaInputs(query, keys, values, window);
  return ilaFusedUnavailableReason(dims) == null ? 'fused' : 'reference';
}

/**
 * Several independent ILAs in one call (e.g. the two tasks): query [G,h,w,d], keys [G*M,h,w,d],
 * values [G*M,h,w,T] with slot m of group g at batch index g*M+m -> [G,h,w,T]. On webgpu this is
 * still ONE dispatch for all groups.
 */
export function ilaAttendGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  return ilaImplementation(query, keys, values, window) === 'fused'
    ? ilaFusedGrouped(query, keys, values, window)
    : ilaReferenceGrouped(query, keys, values, window);
}

/**
 * query [1,h,w,d], keys [M,h,w,d], values [M,h,w,T] -> [1,h,w,T]: masked L x L window (L odd),
 * one joint softmax over the M*L*L candidates, scores scaled by 1/sqrt(d).
 * Fused kernel on webgpu, reference elsewhere. Does not dispose its inputs.
 */
export function ilaAttend(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  if (query?.rank === 4 && query.shape[0] !== 1) {
    throw new RangeError(`ILA query must have batch 1 [1,h,w,d], got [${query.shape.join(',')}] (use ilaAttendGrouped for several groups)`);
  }
  return ilaAttendGrouped(query, keys, values, window);
}
