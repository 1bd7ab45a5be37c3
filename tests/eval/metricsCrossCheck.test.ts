// "Metrics equal the training evaluator's": one fixture, fed to training/mila/metrics.py (via
// /usr/bin/python3) and to src/eval (plain-array path and tfjs-op path). Its "expected" depth numbers
// come from the generator (make_metrics_fixture.py, an independent per-pixel loop of the normative
// rule: valid gt is finite, > 0 and < maxDepth); training/tests/test_metrics.py checks them too.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameCounts } from '../../src/eval/gpuMetrics';
import { ConfusionMatrix, DepthErrors, MetricAccumulator, type ClassBreakdown } from '../../src/eval/metrics';

const fixturePath = fileURLToPath(new URL('./fixtures/metrics-fixture.json', import.meta.url));
const pythonScript = fileURLToPath(new URL('./fixtures/python_metrics.py', import.meta.url));

interface Fixture {
  numClasses: number;
  ignoreIndex: number;
  maxDepth: number;
  frames: { pred: number[]; gt: number[]; predDepth: number[]; gtDepth: (number | string)[] }[];
  expected: { depthCount: number; depthAbs: number; depthRel: number };
}
const fixture: Fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
const depthOf = (values: (number | string)[]) => values.map((v) => Number(v)); // "NaN", "Infinity"

interface PythonResult {
  matrix: number[];
  iouPerClass: (number | null)[];
  classBreakdown: ClassBreakdown[];
  miou: number;
  pixelAccuracy: number;
  depthAbs: number;
  depthRel: number;
  depthCount: number;
}
let python: PythonResult;

/** |a - b| <= bound, with both numbers in the failure message. */
function expectWithin(a: number, b: number, bound: number): void {
  expect({ a, b, diff: Math.abs(a - b), ok: Math.abs(a - b) <= bound }).toMatchObject({ ok: true });
}

// float64 results of the same <= 144 positive terms summed in different orders (Python, JS, the
// generator): relative error <= 144 * 2^-53 ~ 1.6e-14, plus an ulp per term and per division.
const FLOAT64_REL = 1e-12;

const U32 = 2 ** -24; // float32 unit roundoff (round to nearest)
/**
 * Bound on |tfjs-op mean - exact mean| from float32 arithmetic, by first-order error analysis over
 * the fixture's own magnitudes: per frame, pred and gt are rounded to float32 (<= U32 (|p| + |g|)
 * on |p - g|), the subtraction and abs round once (<= U32 e), and a sum of n terms in any order
 * rounds by <= (n - 1) U32 sum(e) (n: all pixels of the frame; masked pixels add 0 exactly). The
 * relative error term r = e / g adds the division and the rounding of g (2 U32 r). The float32
 * per-frame sums are then added in float64 (exact enough) and divided by the exact count.
 * 1.01 covers the second-order terms.
 */
function float32Bounds(f: Fixture): { abs: number; rel: number } {
  let absBound = 0;
  let relBound = 0;
  for (const frame of f.frames) {
    const gts = depthOf(frame.gtDepth);
    let eSum = 0, rSum = 0, inputs = 0, inputsRel = 0;
    gts.forEach((g, i) => {
      if (!(Number.isFinite(g) && g > 0 && g < f.maxDepth)) return;
      const p = frame.predDepth[i];
      const e = Math.abs(p - g);
      eSum += e;
      rSum += e / g;
      inputs += Math.abs(p) + Math.abs(g);
      inputsRel += (Math.abs(p) + Math.abs(g)) / g;
    });
    const n = gts.length;
    absBound += U32 * (inputs + eSum + (n - 1) * eSum);
    relBound += U32 * (inputsRel + rSum + 2 * rSum + (n - 1) * rSum);
  }
  return { abs: (1.01 * absBound) / f.expected.depthCount, rel: (1.01 * relBound) / f.expected.depthCount };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  python = JSON.parse(execFileSync('/usr/bin/python3', [pythonScript, fixturePath], { encoding: 'utf8' }));
});

describe('TS metrics equal training/mila/metrics.py', () => {
  it('the fixture exercises ignore labels, absent classes and invalid depth, sky included', () => {
    expect(python.iouPerClass).toContain(null);
    expect(fixture.frames.some((f) => f.gt.includes(255))).toBe(true);
    expect(fixture.frames.some((f) => f.gtDepth.includes('NaN') && f.gtDepth.includes(0))).toBe(true);
    expect(fixture.maxDepth).toBe(100);
    // Sky at exactly maxDepth and gt beyond it, with prediction errors that would show if counted.
    const gts = fixture.frames.flatMap((f) => depthOf(f.gtDepth));
    const preds = fixture.frames.flatMap((f) => f.predDepth);
    const sky = gts.map((g, i) => (g === fixture.maxDepth ? Math.abs(preds[i] - g) : NaN)).filter((e) => !Number.isNaN(e));
    expect(sky.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...sky)).toBeGreaterThan(10);
    expect(gts.some((g) => Number.isFinite(g) && g > fixture.maxDepth)).toBe(true);
  });

  it('python equals the fixture\'s expected depth numbers', () => {
    expect(python.depthCount).toBe(fixture.expected.depthCount);
    expectWithin(python.depthAbs, fixture.expected.depthAbs, FLOAT64_REL * fixture.expected.depthAbs);
    expectWithin(python.depthRel, fixture.expected.depthRel, FLOAT64_REL * fixture.expected.depthRel);
  });

  it('plain-array path', () => {
    const cm = new ConfusionMatrix(fixture.numClasses, fixture.ignoreIndex);
    const depth = new DepthErrors(fixture.maxDepth);
    for (const f of fixture.frames) {
      cm.update(f.pred, f.gt);
      depth.update(f.predDepth, depthOf(f.gtDepth));
    }
    expect(Array.from(cm.counts)).toEqual(python.matrix);
    expect(cm.iouPerClass().map((v) => (Number.isNaN(v) ? null : v))).toEqual(python.iouPerClass);
    // the same classes and argmax classes; percentages from integer counts agree to float64 rounding
    const breakdown = cm.classBreakdown();
    expect(breakdown.map((c) => [c.classId, c.mostPredictedAs])).toEqual(python.classBreakdown.map((c) => [c.classId, c.mostPredictedAs]));
    breakdown.forEach((c, i) => {
      for (const key of ['gtShare', 'iou', 'recall', 'mostPredictedShare'] as const) expect(c[key], `${c.classId} ${key}`).toBeCloseTo(python.classBreakdown[i][key], 10);
    });
    // float64 percentages (<= 100) from integer counts: FLOAT64_REL's reasoning gives ~1e-12, toBeCloseTo(10) is 5e-11
    expect(cm.miou()).toBeCloseTo(python.miou, 10);
    expect(cm.pixelAccuracy()).toBeCloseTo(python.pixelAccuracy, 10);
    expect(depth.count).toBe(python.depthCount);
    expect(depth.count).toBe(fixture.expected.depthCount);
    for (const want of [python, fixture.expected]) {
      expectWithin(depth.abs(), want.depthAbs, FLOAT64_REL * want.depthAbs);
      expectWithin(depth.rel(), want.depthRel, FLOAT64_REL * want.depthRel);
    }
  });

  it('tfjs-op path (what the browser evaluator runs)', async () => {
    const acc = new MetricAccumulator(fixture.numClasses, fixture.ignoreIndex, fixture.maxDepth);
    for (const f of fixture.frames) {
      const t = [tf.tensor1d(f.pred, 'int32'), tf.tensor1d(f.gt, 'int32'), tf.tensor1d(f.predDepth), tf.tensor1d(depthOf(f.gtDepth))];
      const counts = await frameCounts(t[0], t[1], t[2], t[3], fixture.numClasses, fixture.ignoreIndex, fixture.maxDepth);
      tf.dispose(t);
      acc.addFrame(counts.confusion, counts.depth);
    }
    const s = acc.summary();
    expect(Array.from(acc.confusion.counts)).toEqual(python.matrix);
    expect(s.miou).toBeCloseTo(python.miou, 10);
    expect(s.pixelAccuracy).toBeCloseTo(python.pixelAccuracy, 10);
    expect(acc.depth.count).toBe(fixture.expected.depthCount);
    // Per-frame depth sums are float32 on the device: within the float32 error bound derived from the
    // fixture's magnitudes (float32Bounds; ~1e-5 relative here, vs ~2 for counting the sky).
    const bound = float32Bounds(fixture);
    expectWithin(s.depthAbs, fixture.expected.depthAbs, bound.abs);
    expectWithin(s.depthRel, fixture.expected.depthRel, bound.rel);
    expectWithin(s.depthAbs, python.depthAbs, bound.abs + FLOAT64_REL * python.depthAbs);
    expectWithin(s.depthRel, python.depthRel, bound.rel + FLOAT64_REL * python.depthRel);
  });
});
