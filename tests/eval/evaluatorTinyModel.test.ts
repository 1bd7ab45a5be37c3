// The evaluator with the real runtime: tiny model (cpu backend), the fixture clip's frames
// (decoded with ffmpeg) and its PNG ground truth, a short sweep with both baselines.
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sweepEntries } from '../../src/eval/sweep';
import { toRow } from '../../src/eval/table';
import { costModel, type MilaModel } from '../../src/runtime';
import { evaluateClipInNode, loadTinyModelCpu } from './nodeEvaluation';

const MODEL_DIR = fileURLToPath(new URL('../../public/models/tiny/', import.meta.url));
const CLIP_DIR = fileURLToPath(new URL('../fixtures/eval-clip/', import.meta.url));

let model: MilaModel;
beforeAll(async () => {
  model = await loadTinyModelCpu(MODEL_DIR);
});

describe('evaluate with the tiny model', () => {
  it('runs a sweep: K=1 only keyframes, baselines, analytic GFLOPs, no leaked tensor', async () => {
    const cost = costModel(model.config);
    const before = tf.memory().numTensors;
    const results = await evaluateClipInNode(model, CLIP_DIR, sweepEntries([1, 3], { baselineK: 3 }), 4);
    expect(tf.memory().numTensors).toBe(before);
    const rows = results.map(toRow);
    expect(rows.map((r) => [r.mode, r.k, r.frames, r.keyframes])).toEqual([
      ['mila', 1, 4, 4],
      ['mila', 3, 4, 2],
      ['fast-only', null, 4, 0],
      ['reuse', 3, 4, 2],
    ]);
    expect(results[0].keyframeFlags).toEqual([true, true, true, true]);
    expect(results[1].keyframeFlags).toEqual([true, false, false, true]);
    expect(rows[0].miouProp).toBeNaN();
    expect(rows[2].miouKey).toBeNaN();
    // GFLOP figures are float64 means of the same few float64 numbers (~1e-15 relative of <= ~1): 12 digits hold
    expect(rows[0].gflopsPerFrame).toBeCloseTo(cost.slowGflops, 12);
    expect(rows[1].gflopsPerFrame).toBeCloseTo((2 * cost.slowGflops + 2 * cost.fastGflops) / 4, 12);
    expect(rows[2].gflopsPerFrame).toBeCloseTo(cost.fastOnlyGflops, 12);
    expect(rows[3].gflopsPerFrame).toBeCloseTo(cost.slowGflops / 2, 12);
    for (const r of rows) {
      for (const v of [r.miou, r.pixelAccuracy]) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(100);
      expect(r.depthAbs).toBeGreaterThan(0);
    }
    // Keyframes of MILA K=3 and of reuse K=3 are the same slow-net predictions on the same frames.
    expect(results[3].key.miou).toBeCloseTo(results[1].key.miou, 10);
    // the same float32 predictions in both; only the float64 accumulation may differ in order: ~1e-15 relative
    // of depths <= maxDepth (100 m), far inside toBeCloseTo(5)'s 5e-6
    expect(results[3].key.depthAbs).toBeCloseTo(results[1].key.depthAbs, 5);
  });
});
