// Keyframe scheduling: pure logic, no tensors. A frame is a keyframe when it is the K-th
// processed frame since the last keyframe, and always right after start, a seek, a source
// change or a change of K.

export const MIN_INTERVAL = 1;
export const MAX_INTERVAL = 30;
export type ResetReason = 'seek' | 'source' | 'start';

export function checkInterval(k: number): number {
  if (!Number.isInteger(k) || k < MIN_INTERVAL || k > MAX_INTERVAL) {
    throw new RangeError(`keyframe interval K must be an integer in ${MIN_INTERVAL}..${MAX_INTERVAL} (got ${k})`);
  }
  return k;
}

export class KeyframeScheduler {
  private k: number;
  private offset = 0;
  private forceKeyframe = true;

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
    this.forceKeyframe = true;
  }

  reset(_reason: ResetReason): void {
    this.forceKeyframe = true;
  }

  /** Decides the next processed frame. `offset` counts frames since the last keyframe. */
  next(): { isKeyframe: boolean; offset: number } {
    if (this.forceKeyframe || this.offset + 1 >= this.k) {
      this.forceKeyframe = false;
      this.offset = 0;
      return { isKeyframe: true, offset: 0 };
    }
    this.offset += 1;
    return { isKeyframe: false, offset: this.offset };
  }
}
