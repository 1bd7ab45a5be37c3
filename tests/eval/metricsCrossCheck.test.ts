// "Metrics equal the training evaluator's": one fixture, fed to training/mila/metrics.py (via
// /usr/bin/python3) and to src/eval (plain-array path and tfjs-op path).
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameCounts } from '../../src/eval/gpuMetrics';
import { ConfusionMatrix, DepthErrors, MetricAccumulator } from '../../src/eval/metrics';

const fixturePath = fileURLToPath(new URL('./fixtures/metrics-fixture.json', import.meta.url));
const pythonScript = fileURLToPath(new URL('./fixtures/python_metrics.py', import.meta.url));

interface Fixture {
  numClasses: number;
  ignoreIndex: number;
  frames: { pred: number[]; gt: number[]; predDepth: number[]; gtDepth: (number | string)[] }[];
}
const fixture: Fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
const depthOf = (values: (number | string)[]) => values.map((v) => Number(v)); // "NaN", "Infinity"

interface PythonResult {
  matrix: number[];
  iouPerClass: (number | null)[];
  miou: number;
  pixelAccuracy: number;
  depthAbs: number;
  depthRel: number;
  depthCount: number;
}
let python: PythonResult;

beforeAll(async () => {
  await tf.setBackend('cpu');
  python = JSON.parse(execFileSync('/usr/bin/python3', [pythonScript, fixturePath], { encoding: 'utf8' }));
});

describe('TS metrics equal training/mila/metrics.py', () => {
  it('the fixture exercises ignore labels, absent classes and invalid depth', () => {
    expect(python.iouPerClass).toContain(null);
    expect(fixture.frames.some((f) => f.gt.includes(255))).toBe(true);
    expect(fixture.frames.some((f) => f.gtDepth.includes('NaN') && f.gtDepth.includes(0))).toBe(true);
  });

  it('plain-array path', () => {
    const cm = new ConfusionMatrix(fixture.numClasses, fixture.ignoreIndex);
    const depth = new DepthErrors();
    for (const f of fixture.frames) {
      cm.update(f.pred, f.gt);
      depth.update(f.predDepth, depthOf(f.gtDepth));
    }
    expect(Array.from(cm.counts)).toEqual(python.matrix);
    expect(cm.iouPerClass().map((v) => (Number.isNaN(v) ? null : v))).toEqual(python.iouPerClass);
    expect(cm.miou()).toBeCloseTo(python.miou, 10);
    expect(cm.pixelAccuracy()).toBeCloseTo(python.pixelAccuracy, 10);
    expect(depth.count).toBe(python.depthCount);
    expect(depth.abs()).toBeCloseTo(python.depthAbs, 10);
    expect(depth.rel()).toBeCloseTo(python.depthRel, 10);
  });

  it('tfjs-op path (what the browser evaluator runs)', async () => {
    const acc = new MetricAccumulator(fixture.numClasses, fixture.ignoreIndex);
    for (const f of fixture.frames) {
      const t = [tf.tensor1d(f.pred, 'int32'), tf.tensor1d(f.gt, 'int32'), tf.tensor1d(f.predDepth), tf.tensor1d(depthOf(f.gtDepth))];
      const counts = await frameCounts(t[0], t[1], t[2], t[3], fixture.numClasses, fixture.ignoreIndex);
      tf.dispose(t);
      acc.addFrame(counts.confusion, counts.depth);
    }
    const s = acc.summary();
    expect(Array.from(acc.confusion.counts)).toEqual(python.matrix);
    expect(s.miou).toBeCloseTo(python.miou, 10);
    expect(s.pixelAccuracy).toBeCloseTo(python.pixelAccuracy, 10);
    // Per-frame depth sums are float32 on the device: agree to float32 precision.
    expect(Math.abs(s.depthAbs - python.depthAbs) / python.depthAbs).toBeLessThan(1e-6);
    expect(Math.abs(s.depthRel - python.depthRel) / python.depthRel).toBeLessThan(1e-6);
  });
});
