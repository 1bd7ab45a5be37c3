// Keyframe memory for ILA: the last M keyframes' keys and values (newest first). Keys and values
// are computed once per keyframe; the stacked tensors ILA reads are rebuilt only when a keyframe
// is pushed, never per fast frame. Layout is the one of ilaAttendGrouped: all attention groups
// in one batch, slot m of group g at batch index g*size + m.
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
  private stackedKeys: tf.Tensor4D | null = null;
  private stackedValues: tf.Tensor4D | null = null;
  private ownsStacks = false; // false while the stacks alias a single entry's tensors

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`KeyframeMemory: capacity must be an integer >= 1 (got ${capacity})`);
  }

  /** Number of keyframes held (0..capacity). */
  get size(): number {
    return this.entries.length;
  }

  /** Attention group names, in batch order. */
  get groups(): string[] {
    return this.entries.length ? Object.keys(this.entries[0].keys) : [];
  }

  /** Keyframe `m` (0 = newest). Owned by the memory. */
  entry(m: number): KeyframeMemoryEntry {
    const e = this.entries[m];
    if (!e) throw new RangeError(`KeyframeMemory: no keyframe ${m} (size ${this.size})`);
    return e;
  }

  /** Takes ownership of `entry`; evicts (and disposes) the oldest beyond capacity. */
  push(entry: KeyframeMemoryEntry): void {
    const groups = Object.keys(entry.keys);
    if (this.entries.length && groups.join() !== this.groups.join()) {
      throw new Error(`KeyframeMemory: entry groups [${groups}] differ from [${this.groups}]`);
    }
    this.entries.unshift(entry);
    while (this.entries.length > this.capacity) disposeEntry(this.entries.pop()!);
    this.restack();
  }

  /** Keys of all groups and slots, [G*size,h,w,d]. Owned by the memory. */
  get keys(): tf.Tensor4D {
    return this.checkFilled(this.stackedKeys);
  }

  /** Values of all groups and slots, [G*size,h,w,T]. Owned by the memory. */
  get values(): tf.Tensor4D {
    return this.checkFilled(this.stackedValues);
  }

  clear(): void {
    this.disposeStacks();
    for (const e of this.entries) disposeEntry(e);
    this.entries = [];
  }

  dispose(): void {
    this.clear();
  }

  private checkFilled(t: tf.Tensor4D | null): tf.Tensor4D {
    if (!t) throw new Error('KeyframeMemory is empty: run a keyframe first');
    return t;
  }

  private restack(): void {
    this.disposeStacks();
    const groups = this.groups;
    if (groups.length === 1 && this.entries.length === 1) {
      // One group, one keyframe: its [1,h,w,*] tensors already are the stacks, no copy.
      this.stackedKeys = this.entries[0].keys[groups[0]];
      this.stackedValues = this.entries[0].values[groups[0]];
      return;
    }
    const order = groups.flatMap((g) => this.entries.map((e) => [g, e] as const));
    this.stackedKeys = tf.concat(order.map(([g, e]) => e.keys[g]), 0);
    this.stackedValues = tf.concat(order.map(([g, e]) => e.values[g]), 0);
    this.ownsStacks = true;
  }

  private disposeStacks(): void {
    if (this.ownsStacks) tf.dispose([this.stackedKeys!, this.stackedValues!]);
    this.ownsStacks = false;
    this.stackedKeys = null;
    this.stackedValues = null;
  }
}
