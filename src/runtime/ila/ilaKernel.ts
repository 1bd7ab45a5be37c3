// The one tfjs kernel name every ILA implementation registers under ('MilaIlaAttend'), so the
// engine tracks ILA outputs like any op (tidy, memory, tf.profile) and picks the implementation
// registered for the active backend: the fused WGSL program on webgpu, the typed-array loop on
// cpu and wasm (ilaTypedKernel.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { IlaDims } from './validate';

export const ILA_KERNEL_NAME = 'MilaIlaAttend';

export interface IlaKernelAttrs {
  window: number;
}

export interface IlaKernelInputs {
  query: tf.TensorInfo; // [G,h,w,d]
  keys: tf.TensorInfo; // [G*M,h,w,d]
  values: tf.TensorInfo; // [G*M,h,w,T]
}

/** Sizes from already validated kernel inputs (validateIlaInputs ran before runKernel). */
export function ilaKernelDims(inputs: IlaKernelInputs, window: number): IlaDims {
  const [groups, height, width, keyChannels] = inputs.query.shape;
  return {
    groups, memory: inputs.keys.shape[0] / groups, height, width, keyChannels,
    valueChannels: inputs.values.shape[3], window,
  };
}

/** Registers `kernelFunc` as the ILA kernel of `backendName`, once. */
export function registerIlaKernel(backendName: string, kernelFunc: tf.KernelFunc): void {
  if (tf.getKernel(ILA_KERNEL_NAME, backendName) == null) {
    tf.registerKernel({ kernelName: ILA_KERNEL_NAME, backendName, kernelFunc });
  }
}

/** Runs the ILA kernel registered for the active backend (inputs validated by the caller). */
export function runIlaKernel(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  const attrs: IlaKernelAttrs = { window };
  return tf.engine().runKernel(ILA_KERNEL_NAME, { query, keys, values }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}
