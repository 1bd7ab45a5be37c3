// ILA from stock tfjs ops (runs on every backend): gather each position's M*L*L window candidates,
// batched matmuls for scores and the weighted sum, masked joint softmax. About ten ops per call;
// the fused WebGPU kernel replaces it on the webgpu backend.
import * as tf from '@tensorflow/tfjs-core';
import { validateIlaInputs } from './validate';
import { windowIndex } from './windowIndex';

interface GatherPlan { index: Int32Array; bias: Float32Array }
const planCache = new Map<string, GatherPlan>();

/**
 * Flat row index into keys/values reshaped to [G*M*h*w, channels] for every (group, position,
 * slot, window offset), plus the mask bias per (position, slot, offset).
 */
function gatherPlan(G: number, M: number, h: number, w: number, L: number): GatherPlan {
  const key = `${G}/${M}/${h}x${w}/${L}`;
  const hit = planCache.get(key);
  if (hit) return hit;
  const win = windowIndex(h, w, L);
  const hw = h * w;
  const LL = L * L;
  const index = new Int32Array(G * hw * M * LL);
  const bias = new Float32Array(hw * M * LL);
  let i = 0;
  for (let g = 0; g < G; g++) {
    for (let p = 0; p < hw; p++) {
      for (let m = 0; m < M; m++) {
        const slotBase = (g * M + m) * hw;
        for (let j = 0; j < LL; j++, i++) index[i] = slotBase + win.index[p * LL + j];
        if (g === 0) bias.set(win.bias.subarray(p * LL, (p + 1) * LL), (p * M + m) * LL);
      }
    }
  }
  const plan = { index, bias };
  if (planCache.size > 16) planCache.clear();
  planCache.set(key, plan);
  return plan;
}

/**
 * Grouped reference: query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] (slot m of group g at
 * batch g*M+m) -> [G,h,w,T]. Each group attends only to its own M slots.
 */
export function ilaReferenceGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T, window: L } =
    validateIlaInputs(query, keys, values, window);
  const plan = gatherPlan(G, M, h, w, L);
  const hw = h * w;
  const n = M * L * L;
  return tf.tidy(() => {
    const index = tf.tensor1d(plan.index, 'int32');
    const q = tf.mul(tf.reshape(query, [G * hw, 1, d]), 1 / Math.sqrt(d));
    const k = tf.reshape(tf.gather(tf.reshape(keys, [G * M * hw, d]), index), [G * hw, n, d]);
    const scores = tf.reshape(tf.matMul(q, k, false, true), [G, hw, n]);
    const masked = tf.add(scores, tf.tensor2d(plan.bias, [hw, n]));
    const weights = tf.reshape(tf.softmax(masked), [G * hw, 1, n]);
    const v = tf.reshape(tf.gather(tf.reshape(values, [G * M * hw, T]), index), [G * hw, n, T]);
    return tf.reshape(tf.matMul(weights, v), [G, h, w, T]);
  });
}

/** query [1,h,w,d], keys [M,h,w,d], values [M,h,w,T] -> [1,h,w,T] (the ARCHITECTURE.md contract). */
export function ilaReference(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  if (query?.rank === 4 && query.shape[0] !== 1) {
    throw new RangeError(`ILA query must have batch 1 [1,h,w,d], got [${query.shape.join(',')}] (use ilaAttendGrouped for several groups)`);
  }
  return ilaReferenceGrouped(query, keys, values, window);
}
