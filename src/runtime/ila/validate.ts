// Shape checks shared by every ILA implementation, so bad input fails with the same clear message
// whichever backend runs.
import type * as tf from '@tensorflow/tfjs-core';

/** Sizes of one (grouped) ILA call: G groups (e.g. tasks), M memory slots per group. */
export interface IlaDims {
  groups: number; // G
  memory: number; // M
  height: number; // h
  width: number; // w
  keyChannels: number; // d
  valueChannels: number; // T
  window: number; // L (odd)
}

/** Checks flat query/keys/values arrays against dims (the typed loops' contract); `fn` names the caller. */
export function validateIlaArrays(query: Float32Array, keys: Float32Array, values: Float32Array, dims: IlaDims, fn: string): void {
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T } = dims;
  const expected = [[query, G * h * w * d, 'query'], [keys, G * M * h * w * d, 'keys'], [values, G * M * h * w * T, 'values']] as const;
  for (const [arr, n, name] of expected) {
    if (arr.length !== n) throw new RangeError(`${fn}: ${name} holds ${arr.length} values, dims need ${n}`);
  }
}

function shapeText(t: { shape: number[] }): string {
  return `[${t.shape.join(',')}]`;
}

/** Checks an odd positive integer window; throws a RangeError naming the value otherwise. */
export function checkWindow(window: number): void {
  if (!Number.isInteger(window) || window < 1 || window % 2 !== 1) {
    throw new RangeError(`ILA window must be an odd positive integer, got ${window}`);
  }
}

/**
 * Validates query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] (group-major: slot m of group g
 * is batch index g*M+m) and returns the sizes. G = 1 is the plain ilaAttend case.
 */
export function validateIlaInputs(
  query: tf.Tensor, keys: tf.Tensor, values: tf.Tensor, window: number,
): IlaDims {
  for (const [name, t] of [['query', query], ['keys', keys], ['values', values]] as const) {
    if (t == null || !Array.isArray(t.shape)) throw new TypeError(`ILA ${name} must be a tf.Tensor`);
    if (t.rank !== 4) throw new RangeError(`ILA ${name} must be rank 4 [batch,h,w,channels], got shape ${shapeText(t)}`);
    if (t.dtype !== 'float32') throw new TypeError(`ILA ${name} must be float32, got ${t.dtype}`);
    if (t.shape.some((s) => s === 0)) throw new RangeError(`ILA ${name} must not be empty, got shape ${shapeText(t)}`);
  }
  checkWindow(window);
  const [groups, height, width, keyChannels] = query.shape;
  const [slots, kh, kw, kd] = keys.shape;
  const [vSlots, vh, vw, valueChannels] = values.shape;
  if (kh !== height || kw !== width) {
    throw new RangeError(`ILA keys ${shapeText(keys)} must have the query's spatial size ${height}x${width} (query ${shapeText(query)})`);
  }
  if (vh !== height || vw !== width) {
    throw new RangeError(`ILA values ${shapeText(values)} must have the query's spatial size ${height}x${width} (query ${shapeText(query)})`);
  }
  if (kd !== keyChannels) {
    throw new RangeError(`ILA keys ${shapeText(keys)} must have the query's channel count d=${keyChannels}`);
  }
  if (vSlots !== slots) {
    throw new RangeError(`ILA keys ${shapeText(keys)} and values ${shapeText(values)} must hold the same number of memory slots`);
  }
  if (slots % groups !== 0) {
    throw new RangeError(`ILA keys hold ${slots} slots, not a multiple of the query batch ${groups} (need M>=1 slots per query)`);
  }
  return { groups, memory: slots / groups, height, width, keyChannels, valueChannels, window };
}
