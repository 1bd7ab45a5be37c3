// Hand-computed checks of src/eval/metrics.ts (same cases as training/tests/test_metrics.py).
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, DepthErrors, isValidDepth, MetricAccumulator, validDepthLimit } from '../../src/eval/metrics';

const MAX_DEPTH = 100; // the bundled clips' maxDepth: sky is stored at exactly 100 m

// 4 classes; class 2 absent from frame 2, class 3 has no gt pixel (predicted once), 255 ignored.
const GT1 = [0, 0, 1, 1, 255, 2];
const PRED1 = [0, 1, 1, 1, 0, 0];
const GT2 = [0, 0, 255, 1];
const PRED2 = [0, 3, 3, 1];
const EXPECTED = [2, 1, 0, 1, 0, 3, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];

function twoFrames(): ConfusionMatrix {
  const cm = new ConfusionMatrix(4, 255);
  cm.update(PRED1, GT1);
  cm.update(PRED2, GT2);
  return cm;
}

describe('ConfusionMatrix', () => {
  it('accumulates counted pixels over frames (dataset level)', () => {
    const cm = twoFrames();
    expect(Array.from(cm.counts)).toEqual(EXPECTED);
    expect(cm.countedPixels).toBe(8);
  });

  it('computes IoU, mIoU over present classes and pixel accuracy by hand', () => {
    const cm = twoFrames();
    const iou = cm.iouPerClass();
    // Metrics accumulate in float64 over a handful of exact integer counts and float32-exact depths: a few
    // 2^-53 roundings of values <= 100 (~1e-14); toBeCloseTo(12) (5e-13) and (10) bound them.
    expect(iou[0]).toBeCloseTo(2 / 5, 12); // 2 / (4 + 3 - 2)
    expect(iou[1]).toBeCloseTo(3 / 4, 12); // 3 / (3 + 4 - 3)
    expect(iou[2]).toBe(0); // 0 / (1 + 0 - 0)
    expect(iou[3]).toBeNaN(); // no gt pixel: not in the mean
    expect(cm.miou()).toBeCloseTo(((0.4 + 0.75 + 0) / 3) * 100, 10);
    expect(cm.pixelAccuracy()).toBeCloseTo(62.5, 12);
  });

  it('breaks the classes with gt down into share, IoU, recall and the class each is most drawn as', () => {
    const rows = twoFrames().classBreakdown();
    // class 3 has no gt pixel: no row; class 2's one pixel was drawn as class 0
    expect(rows.map((r) => r.classId)).toEqual([0, 1, 2]);
    const expected = [
      { gtShare: 50, iou: 40, recall: 50, mostPredictedAs: 0, mostPredictedShare: 50 },
      { gtShare: 37.5, iou: 75, recall: 100, mostPredictedAs: 1, mostPredictedShare: 100 },
      { gtShare: 12.5, iou: 0, recall: 0, mostPredictedAs: 0, mostPredictedShare: 100 },
    ];
    rows.forEach((row, i) => {
      for (const [key, value] of Object.entries(expected[i])) expect(row[key as keyof typeof row], `${i} ${key}`).toBeCloseTo(value, 12);
    });
  });

  it('equals a matrix built from counts (the GPU path) and merges', () => {
    const a = new ConfusionMatrix(4);
    a.addCounts(EXPECTED);
    expect(a.miou()).toBeCloseTo(twoFrames().miou(), 12);
    a.merge(twoFrames());
    expect(a.countedPixels).toBe(16);
  });

  it('does not count gt labels outside [0, N)', () => {
    const cm = new ConfusionMatrix(2);
    cm.update([0, 1, 1], [0, 7, 255]);
    expect(cm.countedPixels).toBe(1);
    expect(cm.miou()).toBe(100);
  });

  it('gives NaN when nothing is counted', () => {
    const cm = new ConfusionMatrix(3);
    cm.update([1, 2], [255, 255]);
    expect(cm.miou()).toBeNaN();
    expect(cm.pixelAccuracy()).toBeNaN();
  });

  it('rejects bad input with clear messages', () => {
    expect(() => new ConfusionMatrix(0)).toThrow(/numClasses/);
    const cm = new ConfusionMatrix(3);
    expect(() => cm.update([0], [0, 1])).toThrow(/pixels/);
    expect(() => cm.update([5], [1])).toThrow(/outside \[0, 3\)/);
    expect(() => cm.addCounts([1, 2])).toThrow(/expected 9 counts/);
  });
});

describe('DepthErrors', () => {
  it('skips zero, negative and non-finite gt', () => {
    const d = new DepthErrors(MAX_DEPTH);
    d.update([3, 5, 1, 1, 2, 7], [2, 0, Infinity, NaN, 4, -1]);
    expect(d.count).toBe(2);
    expect(d.abs()).toBeCloseTo(1.5, 12);
    expect(d.rel()).toBeCloseTo((1 / 2 + 2 / 4) / 2, 12);
  });

  it('averages over pixels of all frames', () => {
    const d = new DepthErrors(MAX_DEPTH);
    d.update([1], [2]);
    d.update([4, 4, 9], [4, 4, 0]);
    expect(d.abs()).toBeCloseTo(1 / 3, 12);
    expect(d.rel()).toBeCloseTo(0.5 / 3, 12);
  });

  it('is NaN without valid pixels', () => {
    const d = new DepthErrors(MAX_DEPTH);
    d.update([1], [0]);
    expect(d.abs()).toBeNaN();
    expect(d.rel()).toBeNaN();
  });

  it('skips sky at exactly maxDepth and gt beyond it', () => {
    const d = new DepthErrors(MAX_DEPTH);
    d.update([3, 1, 60, 7, 1, 99], [2, MAX_DEPTH, MAX_DEPTH, 250, Infinity, 99.5]);
    expect(d.count).toBe(2); // 2 m and 99.5 m
    expect(d.abs()).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(d.rel()).toBeCloseTo((1 / 2 + 0.5 / 99.5) / 2, 12);
  });

  it('gives Abs 0 to a frame whose only error is in the sky', () => {
    const gt = new Float32Array(24).map((_, i) => (i < 12 ? MAX_DEPTH : 5 + i)); // top half sky
    const pred = gt.map((g, i) => (i < 12 ? 3 : g)); // wrong only in the sky
    const d = new DepthErrors(MAX_DEPTH);
    d.update(pred, gt);
    expect(d.count).toBe(12);
    expect(d.abs()).toBe(0);
    expect(d.rel()).toBe(0);
    const everything = new DepthErrors(Infinity); // without a range the sky would count
    everything.update(pred, gt);
    expect(everything.count).toBe(24);
    expect(everything.abs()).toBeGreaterThan(40);
  });

  it('compares maxDepth at float32 precision, as gt is stored', () => {
    const sky32 = Math.fround(80.1); // < 80.1: a float32 sky pixel would pass a float64 gt < 80.1
    expect(sky32).toBeLessThan(80.1);
    expect(validDepthLimit(80.1)).toBe(sky32);
    expect(isValidDepth(sky32, 80.1)).toBe(false);
    expect(isValidDepth(80.1, 80.1)).toBe(false);
    // fround(0.1) > 0.1: the bound stays 0.1 itself.
    expect(validDepthLimit(0.1)).toBe(0.1);
    expect([0.0999, 0.1, Math.fround(0.1)].map((g) => isValidDepth(g, 0.1))).toEqual([true, false, false]);
    expect(isValidDepth(1e300, Infinity)).toBe(true);
  });

  it('requires a positive maxDepth', () => {
    for (const bad of [0, -1, NaN, undefined]) {
      expect(() => new DepthErrors(bad as number)).toThrow(/maxDepth/);
    }
    expect(() => new MetricAccumulator(4, 255, undefined as unknown as number)).toThrow(/maxDepth/);
  });
});

describe('MetricAccumulator', () => {
  it('summarises frames added from counts and sums', () => {
    const acc = new MetricAccumulator(4, 255, MAX_DEPTH);
    acc.addFrame(EXPECTED, { absSum: 3, relSum: 1, count: 2 });
    expect(acc.summary()).toEqual({
      frames: 1,
      miou: twoFrames().miou(),
      pixelAccuracy: 62.5,
      depthAbs: 1.5,
      depthRel: 0.5,
    });
  });
});
