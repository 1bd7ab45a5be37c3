// Keyframe memory for ILA: the last M keyframes' keys and values (newest first). Keys and values
// are computed once per keyframe; the stacked [M,h,w,*] tensors ILA reads are rebuilt only when
// a keyframe is pushed, never per fast frame.
import * as tf from '@tensorflow/tfjs-core';

/** One keyframe's cached ILA inputs, per attention group ('segmentation' | 'depth' | 'shared'). */
export interface KeyframeMemoryEntry {
  keys: Record<string, tf.Tensor4D>; // [1,h,w,d]
  values: Record<string, tf.Tensor4D>; // [1,h,w,T] (shared group: [1,h,w,2T], segmentation first)
}

export function disposeEntry(entry: KeyframeMemoryEntry): void {
  for (const t of [...Object.values(entry.keys), ...Object.values(entry.values)]) t.dispose();
}

export class KeyframeMemory {
  private entries: KeyframeMemoryEntry[] = [];
  private stackedKeys: Record<string, tf.Tensor4D> = {};
  private stackedValues: Record<string, tf.Tensor4D> = {};
  private ownsStacks = false; // false while the stacks alias a single entry's tensors

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`KeyframeMemory: capacity must be an integer >= 1 (got ${capacity})`);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Takes ownership of `entry`; evicts (and disposes) the oldest beyond capacity. */
  push(entry: KeyframeMemoryEntry): void {
    this.entries.unshift(entry);
    while (this.entries.length > this.capacity) disposeEntry(this.entries.pop()!);
    this.restack();
  }

  /** Stacked keys [size,h,w,d] of a group, newest first. Owned by the memory. */
  keys(group: string): tf.Tensor4D {
    return this.lookup(this.stackedKeys, group);
  }

  /** Stacked values [size,h,w,T] of a group, newest first. Owned by the memory. */
  values(group: string): tf.Tensor4D {
    return this.lookup(this.stackedValues, group);
  }

  clear(): void {
    this.disposeStacks();
    for (const e of this.entries) disposeEntry(e);
    this.entries = [];
  }

  dispose(): void {
    this.clear();
  }

  private lookup(map: Record<string, tf.Tensor4D>, group: string): tf.Tensor4D {
    if (this.entries.length === 0) throw new Error('KeyframeMemory is empty: run a keyframe first');
    const t = map[group];
    if (!t) throw new Error(`KeyframeMemory has no ILA group "${group}"`);
    return t;
  }

  private restack(): void {
    this.disposeStacks();
    if (this.entries.length === 1) {
      // A single keyframe's [1,h,w,*] tensors already are the stacks: no copy.
      this.stackedKeys = { ...this.entries[0].keys };
      this.stackedValues = { ...this.entries[0].values };
      return;
    }
    for (const g of Object.keys(this.entries[0].keys)) {
      this.stackedKeys[g] = tf.concat(this.entries.map((e) => e.keys[g]), 0);
      this.stackedValues[g] = tf.concat(this.entries.map((e) => e.values[g]), 0);
    }
    this.ownsStacks = true;
  }

  private disposeStacks(): void {
    if (this.ownsStacks) {
      for (const t of [...Object.values(this.stackedKeys), ...Object.values(this.stackedValues)]) t.dispose();
    }
    this.ownsStacks = false;
    this.stackedKeys = {};
    this.stackedValues = {};
  }
}
