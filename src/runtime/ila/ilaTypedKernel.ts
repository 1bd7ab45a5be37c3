// ILA on the cpu and wasm backends: a tfjs kernel that runs the WebAssembly SIMD kernel
// (simd/ilaSimd.ts) on the tensors' data, or the scalar JS loop ilaTypedArrays where WebAssembly SIMD is
// missing. Both backends keep tensor data in CPU memory (wasm: its heap), so readSync is a memory copy,
// not a GPU readback, and the result goes back with the backend's public write().
import * as tf from '@tensorflow/tfjs-core';
import { ilaKernelDims, registerIlaKernel, runIlaKernel, type IlaKernelAttrs, type IlaKernelInputs } from './ilaKernel';
import { ilaTypedArrays } from './ilaTyped';
import { ilaSimdArrays, ilaSimdUnavailableReason } from './simd/ilaSimd';
import { validateIlaInputs } from './validate';

/** Backends whose tensor data is CPU memory. */
export const TYPED_ILA_BACKENDS: readonly string[] = ['cpu', 'wasm'];

let typedCalls = 0;
let scalarOnly = false;

/** How many typed-array ILA kernels ran since load, SIMD or scalar (debug/test counter; ilaSimdCallCount counts the SIMD ones). */
export function ilaTypedCallCount(): number {
  return typedCalls;
}

/** The inner loop the typed kernel runs: 'simd' (WebAssembly f32x4) when available, else 'scalar' (JS, float64). */
export type IlaTypedPath = 'simd' | 'scalar';

/** Which inner loop the typed kernel runs now. */
export function ilaTypedPath(): IlaTypedPath {
  return !scalarOnly && ilaSimdUnavailableReason() == null ? 'simd' : 'scalar';
}

/** Forces the scalar JS loop (true) or restores the automatic choice (false): for benchmarks and tests. */
export function setIlaTypedScalarOnly(on: boolean): void {
  scalarOnly = on;
}

function asFloat32(values: tf.backend_util.BackendValues, name: string): Float32Array {
  if (!(values instanceof Float32Array)) throw new TypeError(`ILA typed kernel: ${name} data is not a Float32Array`);
  return values;
}

const typedKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const ila = inputs as unknown as IlaKernelInputs;
  const dims = ilaKernelDims(ila, (attrs as unknown as IlaKernelAttrs).window);
  const b = backend as tf.KernelBackend;
  const run = ilaTypedPath() === 'simd' ? ilaSimdArrays : ilaTypedArrays;
  const out = run(
    asFloat32(b.readSync(ila.query.dataId), 'query'),
    asFloat32(b.readSync(ila.keys.dataId), 'keys'),
    asFloat32(b.readSync(ila.values.dataId), 'values'),
    dims,
  );
  typedCalls++;
  const shape = [dims.groups, dims.height, dims.width, dims.valueChannels];
  return { dataId: b.write(out, shape, 'float32'), shape, dtype: 'float32' };
};

/** Why the typed kernel cannot run on the active backend, or null when it can. */
export function ilaTypedUnavailableReason(): string | null {
  const backend = tf.getBackend();
  return TYPED_ILA_BACKENDS.includes(backend) ? null : `active tfjs backend is '${backend}', not ${TYPED_ILA_BACKENDS.join(' or ')}`;
}

/**
 * Grouped ILA on the cpu/wasm backends: query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] ->
 * [G,h,w,T]. Throws on any other backend (whose data would need a GPU readback).
 */
export function ilaTypedGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  validateIlaInputs(query, keys, values, window);
  const reason = ilaTypedUnavailableReason();
  if (reason) throw new Error(`Typed-array ILA kernel unavailable: ${reason}`);
  registerIlaKernel(tf.getBackend(), typedKernel);
  return runIlaKernel(query, keys, values, window);
}
