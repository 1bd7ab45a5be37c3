import { describe, expect, it } from 'vitest';
import { KeyframeScheduler } from '../../src/runtime/scheduler';

const pattern = (s: KeyframeScheduler, n: number) => Array.from({ length: n }, () => (s.next().isKeyframe ? 'K' : '.')).join('');

describe('KeyframeScheduler', () => {
  it('makes every K-th frame a keyframe, starting with the first', () => {
    expect(pattern(new KeyframeScheduler(1), 5)).toBe('KKKKK');
    expect(pattern(new KeyframeScheduler(2), 7)).toBe('K.K.K.K');
    expect(pattern(new KeyframeScheduler(5), 12)).toBe('K....K....K.');
    expect(pattern(new KeyframeScheduler(10), 21)).toBe('K.........K.........K');
  });

  it('reports the offset from the last keyframe', () => {
    const s = new KeyframeScheduler(3);
    expect(Array.from({ length: 7 }, () => s.next().offset)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('starts over with a keyframe when K changes mid-stream', () => {
    const s = new KeyframeScheduler(5);
    expect(pattern(s, 3)).toBe('K..');
    s.setInterval(2);
    expect(pattern(s, 5)).toBe('K.K.K');
    s.setInterval(10);
    expect(pattern(s, 12)).toBe('K.........K.');
    expect(s.interval).toBe(10);
  });

  it('does not force a keyframe when K is set to its current value', () => {
    const s = new KeyframeScheduler(4);
    expect(pattern(s, 2)).toBe('K.');
    s.setInterval(4);
    expect(pattern(s, 4)).toBe('..K.');
  });

  it('makes the next frame a keyframe after seek, source change or start', () => {
    for (const reason of ['seek', 'source', 'start'] as const) {
      const s = new KeyframeScheduler(5);
      expect(pattern(s, 2)).toBe('K.');
      s.reset(reason);
      expect(pattern(s, 6)).toBe('K....K');
    }
  });

  it('says why each keyframe happened: the first reason since the last keyframe', () => {
    const s = new KeyframeScheduler(3);
    const causes = () => Array.from({ length: 3 }, () => s.next().cause);
    expect(causes()).toEqual(['start', null, null]);
    expect(causes()).toEqual(['interval', null, null]);
    s.reset('seek');
    s.reset('source'); // the pending seek stays the cause
    expect(causes()).toEqual(['seek', null, null]);
    s.setInterval(2);
    expect(s.next().cause).toBe('k-change');
    s.reset('source');
    s.setInterval(3);
    expect(s.next().cause).toBe('source');
  });

  it('rejects K outside 1..30', () => {
    for (const k of [0, 31, 2.5, NaN]) expect(() => new KeyframeScheduler(k)).toThrow(RangeError);
    expect(() => new KeyframeScheduler(30)).not.toThrow();
    expect(() => new KeyframeScheduler(3).setInterval(0)).toThrow(/1\.\.30/);
  });
});
