// Warm-up check for the fused kernel at the exact production sizes: compiles it, compares it with
// the reference on random data, and disables it (ilaAttend then uses the reference) if it fails.
import * as tf from '@tensorflow/tfjs-core';
import { ilaFusedChecksSettled, ilaFusedGrouped, ilaFusedUnavailableReason, markIlaFusedFailed } from './ilaFused';
import { ilaReferenceGrouped } from './ilaReference';
import type { IlaDims } from './validate';

export interface IlaSelfTestResult {
  implementation: 'fused' | 'reference';
  maxAbsDiff?: number; // fused vs reference, when the fused kernel ran
  reason?: string; // why the reference is used
}

/** Seeded random query [G,h,w,d], keys [G*M,h,w,d] and values [G*M,h,w,T] in [-1, 1]: outputs stay in [-1, 1]. */
export function randomIlaInputs(dims: IlaDims): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T } = dims;
  return tf.tidy(() => [
    tf.randomUniform([G, h, w, d], -2, 2, 'float32', 1),
    tf.randomUniform([G * M, h, w, d], -2, 2, 'float32', 2),
    tf.randomUniform([G * M, h, w, T], -1, 1, 'float32', 3),
  ] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]);
}

/** Tolerance on outputs that are convex combinations of values in [-1, 1]. */
const TOLERANCE = 1e-4;

export async function ilaSelfTest(dims: IlaDims): Promise<IlaSelfTestResult> {
  const unavailable = ilaFusedUnavailableReason(dims);
  if (unavailable) return { implementation: 'reference', reason: unavailable };
  const L = dims.window;
  const [query, keys, values] = randomIlaInputs(dims);
  try {
    const fused = ilaFusedGrouped(query, keys, values, L);
    const reference = ilaReferenceGrouped(query, keys, values, L);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fused, reference))));
    const maxAbsDiff = (await diff.data())[0];
    tf.dispose([fused, reference, diff]);
    await ilaFusedChecksSettled();
    const failed = ilaFusedUnavailableReason(dims);
    if (failed) return { implementation: 'reference', reason: failed, maxAbsDiff };
    if (!(maxAbsDiff <= TOLERANCE)) {
      const reason = `self-test mismatch: max |fused - reference| = ${maxAbsDiff}`;
      markIlaFusedFailed(dims, reason);
      return { implementation: 'reference', reason, maxAbsDiff };
    }
    return { implementation: 'fused', maxAbsDiff };
  } finally {
    tf.dispose([query, keys, values]);
  }
}
