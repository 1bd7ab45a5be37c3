// MilaRunner: scheduling through the engine, modes, MF memory, and no tensor leak over 100 frames.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MilaModel } from '../../src/runtime/milaModel';
import { tinyConfig } from '../../src/runtime/presets';
import { MilaRunner, type FramePrediction } from '../../src/runtime/runner';
import { maxAbsDiff, randomModel, testFrame, useCpu } from './helpers';

let model: MilaModel;
const frames: tf.Tensor3D[] = [];

beforeAll(async () => {
  await useCpu();
  // Smaller input than the tiny model's 64x128 keeps 100+ frames quick; preprocess resizes.
  model = randomModel(tinyConfig({ input: { ...tinyConfig().input, height: 32, width: 64 } }));
  for (let t = 0; t < 4; t++) frames.push(testFrame(40, 70, t));
});

afterAll(() => {
  tf.dispose(frames);
  model.dispose();
});

function run(runner: MilaRunner, n: number, keep = false): FramePrediction[] {
  const out: FramePrediction[] = [];
  for (let i = 0; i < n; i++) {
    const p = runner.step(frames[i % frames.length]);
    out.push(p);
    if (!keep) p.dispose();
  }
  return out;
}

const pattern = (ps: FramePrediction[]) => ps.map((p) => (p.isKeyframe ? 'K' : '.')).join('');

describe('MilaRunner', () => {
  it('runs keyframes every K frames for K = 1, 2, 5, 10', () => {
    for (const [k, want] of [[1, 'KKKK'], [2, 'K.K.K'], [5, 'K....K..'], [10, 'K.........K.']] as const) {
      const runner = new MilaRunner(model, { interval: k });
      const ps = run(runner, want.length);
      expect(pattern(ps)).toBe(want);
      expect(ps.map((p) => p.net)).toEqual([...want].map((c) => (c === 'K' ? 'slow' : 'fast+ila')));
      expect(ps.map((p) => p.index)).toEqual(ps.map((_, i) => i));
      runner.dispose();
    }
  });

  it('starts over with a keyframe when K changes mid-stream, and after reset', () => {
    const runner = new MilaRunner(model, { interval: 5 });
    const a = run(runner, 3);
    runner.setInterval(2);
    const b = run(runner, 4);
    runner.reset('seek');
    expect(runner.memorySize).toBe(0);
    const c = run(runner, 3);
    expect(pattern([...a, ...b, ...c])).toBe('K..K.K.K.K');
    expect(b.map((p) => p.offset)).toEqual([0, 1, 0, 1]);
    expect([...a, ...b, ...c].map((p) => p.keyframeCause).filter((x) => x !== null)).toEqual(['start', 'k-change', 'interval', 'seek', 'interval']);
    runner.dispose();
  });

  it('fills the MF memory with 1 then 2 keyframes, and fast frames use it', () => {
    const runner = new MilaRunner(model, { interval: 2 });
    expect(runner.memorySize).toBe(0);
    run(runner, 2);
    expect(runner.memorySize).toBe(1);
    run(runner, 2);
    expect(runner.memorySize).toBe(2);
    run(runner, 4);
    expect(runner.memorySize).toBe(2); // capacity M = 2
    runner.dispose();
  });

  it("'reuse' copies the keyframe outputs; 'fast-only' never runs the slow net", () => {
    const reuse = new MilaRunner(model, { interval: 3, mode: 'reuse' });
    const ps = run(reuse, 3, true);
    expect(ps.map((p) => p.net)).toEqual(['slow', 'reuse', 'reuse']);
    expect(maxAbsDiff(ps[0].segmentation, ps[2].segmentation)).toBe(0);
    expect(maxAbsDiff(ps[0].depth, ps[1].depth)).toBe(0);
    ps.forEach((p) => p.dispose());
    reuse.dispose();

    const fastOnly = new MilaRunner(model, { interval: 3, mode: 'fast-only' });
    const fs = run(fastOnly, 4);
    expect(fs.every((p) => !p.isKeyframe && p.net === 'fast')).toBe(true);
    fastOnly.setMode('mila');
    expect(pattern(run(fastOnly, 2))).toBe('K.');
    fastOnly.dispose();
    expect(() => new MilaRunner(model, { interval: 3, mode: 'other' as never })).toThrow(/mode/);
  });

  it('gives lazy int32 labels matching the logits argmax', () => {
    const runner = new MilaRunner(model, { interval: 2 });
    const [p] = run(runner, 1, true);
    const labels = p.labels();
    expect(labels.shape).toEqual([1, 32, 64]);
    expect(labels.dtype).toBe('int32');
    expect(p.labels()).toBe(labels);
    const logits = p.segmentation.arraySync()[0][5][7];
    expect(labels.arraySync()[0][5][7]).toBe(logits.indexOf(Math.max(...logits)));
    p.dispose();
    expect(labels.isDisposed).toBe(true);
    runner.dispose();
  });

  it('does not leak tensors over 100 frames (K = 3, mode changes, K changes, seeks)', () => {
    const runner = new MilaRunner(model, { interval: 3 });
    run(runner, 6); // memory filled to capacity
    // The memory legitimately holds 1 keyframe right after the seek, else 2: the count must be
    // flat for each memory size, and the same at the end as before the loop.
    const start = tf.memory().numTensors;
    const counts = new Map<number, Set<number>>();
    for (let i = 0; i < 100; i++) {
      if (i === 30) runner.setInterval(4);
      if (i === 50) runner.reset('seek');
      const p = runner.step(frames[i % frames.length]);
      p.labels();
      p.dispose();
      const set = counts.get(runner.memorySize) ?? new Set<number>();
      counts.set(runner.memorySize, set.add(tf.memory().numTensors));
    }
    expect([...counts.keys()].sort()).toEqual([1, 2]);
    for (const set of counts.values()) expect(set.size).toBe(1);
    expect(tf.memory().numTensors).toBe(start);
    const beforeDispose = tf.memory().numTensors;
    runner.dispose();
    expect(tf.memory().numTensors).toBeLessThan(beforeDispose);
  });

  it('does not dispose the input pixels and refuses use after dispose', () => {
    const runner = new MilaRunner(model, { interval: 1 });
    run(runner, 1);
    expect(frames[0].isDisposed).toBe(false);
    runner.dispose();
    expect(() => runner.step(frames[0])).toThrow(/disposed/);
  });
});
