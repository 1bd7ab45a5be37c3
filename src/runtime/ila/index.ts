// ILA entry points (docs/ARCHITECTURE.md "ILA implementations"): the fused WGSL kernel on webgpu,
// the typed-array kernel on cpu and wasm (WebAssembly SIMD, scalar JS without it; both register the
// tfjs kernel 'MilaIlaAttend'), two GLSL programs on webgl, and the tfjs-ops reference elsewhere and
// as the fallback of a failed fused kernel.
import * as tf from '@tensorflow/tfjs-core';
import { ilaFusedGrouped, ilaFusedUnavailableReason } from './ilaFused';
import { ilaReferenceGrouped } from './ilaReference';
import { ilaTypedGrouped, ilaTypedUnavailableReason } from './ilaTypedKernel';
import { ilaWebglGrouped, ilaWebglUnavailableReason } from './ilaWebgl';
import { validateIlaInputs } from './validate';

export { ilaReference, ilaReferenceGrouped } from './ilaReference';
export { ilaFused, ilaFusedGrouped, ilaFusedCallCount, ilaFusedUnavailableReason, ILA_KERNEL_NAME } from './ilaFused';
export {
  ilaTypedGrouped, ilaTypedCallCount, ilaTypedPath, setIlaTypedScalarOnly, TYPED_ILA_BACKENDS, type IlaTypedPath,
} from './ilaTypedKernel';
export { ilaTypedArrays } from './ilaTyped';
export { ilaSimdArrays, ilaSimdCallCount, ilaSimdUnavailableReason } from './simd/ilaSimd';
export { ilaWebglGrouped } from './ilaWebgl';
export { ilaFlops } from './ilaFlops';
export { ilaSelfTest, randomIlaInputs, type IlaSelfTestResult } from './ilaSelfTest';
export { markIlaFusedFailed, ilaFusedChecksSettled } from './ilaFused';
export { validateIlaInputs, type IlaDims } from './validate';

/** The ILA implementations: 'fused' WGSL (webgpu), 'typed' arrays (cpu, wasm), 'webgl' GLSL, tfjs-ops 'reference'. */
export type IlaImplementation = 'fused' | 'typed' | 'webgl' | 'reference';

/** A grouped ILA function: query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] -> [G,h,w,T]. */
export type IlaGroupedFn = (query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number) => tf.Tensor4D;

export const ILA_IMPLEMENTATIONS: Record<IlaImplementation, IlaGroupedFn> = {
  fused: ilaFusedGrouped,
  typed: ilaTypedGrouped,
  webgl: ilaWebglGrouped,
  reference: ilaReferenceGrouped,
};

/** Which implementation ilaAttend/ilaAttendGrouped pick for these inputs on the active backend. */
export function ilaImplementation(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): IlaImplementation {
  const dims = validateIlaInputs(query, keys, values, window);
  if (ilaFusedUnavailableReason(dims) == null) return 'fused';
  // On webgpu a fused kernel that failed falls back to the reference: its data is on the GPU.
  if (ilaTypedUnavailableReason() == null) return 'typed';
  if (ilaWebglUnavailableReason() == null) return 'webgl';
  return 'reference';
}

/**
 * Several independent ILAs in one call (e.g. the two tasks): query [G,h,w,d], keys [G*M,h,w,d],
 * values [G*M,h,w,T] with slot m of group g at batch index g*M+m -> [G,h,w,T]. On webgpu this is
 * still ONE dispatch for all groups, on cpu/wasm one typed-array kernel, on webgl three programs.
 */
export function ilaAttendGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  return ILA_IMPLEMENTATIONS[ilaImplementation(query, keys, values, window)](query, keys, values, window);
}

/**
 * query [1,h,w,d], keys [M,h,w,d], values [M,h,w,T] -> [1,h,w,T]: masked L x L window (L odd),
 * one joint softmax over the M*L*L candidates, scores scaled by 1/sqrt(d).
 * Does not dispose its inputs.
 */
export function ilaAttend(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  if (query?.rank === 4 && query.shape[0] !== 1) {
    throw new RangeError(`ILA query must have batch 1 [1,h,w,d], got [${query.shape.join(',')}] (use ilaAttendGrouped for several groups)`);
  }
  return ilaAttendGrouped(query, keys, values, window);
}
