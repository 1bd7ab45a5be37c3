import { describe, expect, it } from 'vitest';
import { FrameStats, median } from '../../src/engine/stats';

describe('frame statistics', () => {
  it('median of odd, even and empty windows', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('counts keyframes, fast frames, drops, medians, readback and GFLOPs', () => {
    const s = new FrameStats();
    const frames = [
      { isKeyframe: true, ms: 100, gflops: 10, readbackBytes: 0 },
      { isKeyframe: false, ms: 20, gflops: 2, readbackBytes: 0 },
      { isKeyframe: false, ms: 30, gflops: 2, readbackBytes: 8 },
      { isKeyframe: true, ms: 120, gflops: 10, readbackBytes: 0 },
    ];
    frames.forEach((f, i) => s.record({ ...f, at: 1000 + 100 * i }));
    s.drop();
    const snap = s.snapshot(1300, { atK: 6, slowOnly: 10 });
    expect(snap).toMatchObject({ processed: 4, keyframes: 2, fastFrames: 2, dropped: 1, medianSlowMs: 110, medianFastMs: 25 });
    expect(snap.gflopsPerFrame).toBe(6);
    expect(snap.gflopsAtK).toBe(6);
    expect(snap.readbackBytesLastFrame).toBe(0);
    expect(snap.readbackBytesTotal).toBe(8);
    expect(snap.fps).toBeCloseTo(10, 6); // 4 frames 100 ms apart (float64: exact up to ~1e-15)
    expect(s.snapshot(10_000, null).fps).toBe(0); // nothing in the last 2 s
  });
});
