// Stream timing (src/engine/streamTiming.ts): the summary the live stats and `npm run bench` share,
// and the stats' stream window following the current K.
import { describe, expect, it } from 'vitest';
import { FrameStats } from '../../src/engine/stats';
import { StreamTimer, percentile, summarizeFrameTimes } from '../../src/engine/streamTiming';

describe('summarizeFrameTimes', () => {
  it('mean, median, nearest-rank p95/p99 and FPS of a K=5 stream', () => {
    // 100 frames: every fifth a 150 ms keyframe, the rest 40 ms fast frames.
    const ms = Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 150 : 40));
    const s = summarizeFrameTimes(ms)!;
    expect(s.frames).toBe(100);
    expect(s.meanMs).toBeCloseTo(62, 10); // (150 + 4 * 40) / 5
    expect(s.medianMs).toBe(40);
    expect(s.p95Ms).toBe(150); // 20 keyframes are the top 20%
    expect(s.p99Ms).toBe(150);
    expect(s.fps).toBeCloseTo(1000 / 62, 10);
  });

  it('percentiles by nearest rank, independent of input order', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i); // 20..1
    const s = summarizeFrameTimes(xs)!;
    expect(s.p95Ms).toBe(19); // ceil(0.95 * 20) = 19th smallest
    expect(s.p99Ms).toBe(20);
    expect(s.medianMs).toBe(10.5);
    expect(percentile([1, 2, 3], 100)).toBe(3);
    expect(percentile([7], 1)).toBe(7);
  });

  it('empty stream and bad input', () => {
    expect(summarizeFrameTimes([])).toBeNull();
    expect(() => summarizeFrameTimes([1, Number.NaN])).toThrow(/finite number >= 0 ms, got NaN/);
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 0)).toThrow(/\(0, 100\]/);
    expect(() => new StreamTimer(0)).toThrow(/capacity/);
  });

  it('StreamTimer keeps the last `capacity` frames', () => {
    const t = new StreamTimer(3);
    [100, 1, 2, 3].forEach((v) => t.record(v));
    expect(t.summary()).toMatchObject({ frames: 3, meanMs: 2, medianMs: 2 });
    t.reset();
    expect(t.summary()).toBeNull();
  });
});

describe('FrameStats stream window', () => {
  const frame = (isKeyframe: boolean, ms: number, at: number) => ({ isKeyframe, ms, at, readbackBytes: 0, gflops: 1 });

  it('reports the stream mean and p95 next to the expected GFLOPs, and starts over when K changes', () => {
    const s = new FrameStats();
    expect(s.snapshot(0, null)).toMatchObject({ streamMeanMs: null, streamP95Ms: null });
    const k5 = { atK: 2, slowOnly: 6 };
    [150, 40, 40, 40, 40].forEach((ms, i) => s.record(frame(i === 0, ms, i)));
    expect(s.snapshot(10, k5)).toMatchObject({ streamMeanMs: 62, streamP95Ms: 150 });
    s.record(frame(false, 40, 11));
    expect(s.snapshot(12, k5).streamMeanMs).toBeCloseTo(350 / 6, 10); // same K: the window grows (150 + 5 * 40)
    const k1 = { atK: 6, slowOnly: 6 };
    expect(s.snapshot(13, k1).streamMeanMs).toBeNull(); // new K: the old frames are not this setting's
    s.record(frame(true, 150, 14));
    expect(s.snapshot(15, k1)).toMatchObject({ streamMeanMs: 150, streamP95Ms: 150 });
  });
});
