// Keyframe scheduling: pure logic, no tensors. A frame is a keyframe when it is the K-th
// processed frame since the last keyframe, and always right after start, a seek, a source
// change or a change of K.

export const MIN_INTERVAL = 1;
export const MAX_INTERVAL = 30;
export type ResetReason = 'seek' | 'source' | 'start';
/** Why a frame is a keyframe: every K-th frame, a reset (with its reason), or a changed K. */
export type KeyframeCause = 'interval' | 'k-change' | ResetReason;

export function checkInterval(k: number): number {
  if (!Number.isInteger(k) || k < MIN_INTERVAL || k > MAX_INTERVAL) {
    throw new RangeError(`keyframe interval K must be an integer in ${MIN_INTERVAL}..${MAX_INTERVAL} (got ${k})`);
  }
  return k;
}

export class KeyframeScheduler {
  private k: number;
  private offset = 0;
  private forced: KeyframeCause | null = 'start'; // the first reason since the last keyframe

  constructor(interval: number) {
    this.k = checkInterval(interval);
  }

  get interval(): number {
    return this.k;
  }

  /** A changed K makes the next processed frame a keyframe; setting the same K changes nothing. */
  setInterval(k: number): void {
    checkInterval(k);
    if (k === this.k) return;
    this.k = k;
    this.forced ??= 'k-change';
  }

  /** The next frame is a keyframe; `reason` is reported as its cause (unless an earlier one is pending). */
  reset(reason: ResetReason): void {
    this.forced ??= reason;
  }

  /** Decides the next processed frame. `offset` counts frames since the last keyframe. */
  next(): { isKeyframe: boolean; offset: number; cause: KeyframeCause | null } {
    if (this.forced !== null || this.offset + 1 >= this.k) {
      const cause = this.forced ?? 'interval';
      this.forced = null;
      this.offset = 0;
      return { isKeyframe: true, offset: 0, cause };
    }
    this.offset += 1;
    return { isKeyframe: false, offset: this.offset, cause: null };
  }
}
