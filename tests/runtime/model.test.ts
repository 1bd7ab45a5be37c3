// MilaModel on the tfjs CPU backend: shapes for every backbone and stride, preprocessing,
// keyframe memory (MF with 1 and 2 keyframes), TS and shared ILA.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureSize, type BackboneDepth, type ModelConfig, type OutputStride } from '../../src/runtime/config';
import { KeyframeMemory } from '../../src/runtime/memory';
import { disposeOutputs } from '../../src/runtime/milaModel';
import { tinyConfig } from '../../src/runtime/presets';
import { netBound } from '../convert/parityBounds';
import { maxAbsDiff, randomModel, testFrame, useCpu } from './helpers';

const range = (t: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(t)).dataSync()[0]);

beforeAll(useCpu);

/** Tiny config with the given backbones; small input so ResNet-101 stays fast on the CPU. */
function small(slow: BackboneDepth, fast: BackboneDepth, outputStride: OutputStride, extra: Partial<ModelConfig> = {}): ModelConfig {
  const base = tinyConfig();
  return tinyConfig({
    outputStride,
    input: { ...base.input, height: 48, width: 80 },
    slow: { ...base.slow, depth: slow, baseWidth: 2 },
    fast: { depth: fast, baseWidth: 2, aspp: fast === 50 ? { channels: 8, rates: [1, 2, 3] } : null },
    ...extra,
  });
}

describe('MilaModel output shapes', () => {
  const cases: [BackboneDepth, BackboneDepth, OutputStride][] = [
    [101, 18, 16], [101, 18, 8], [50, 18, 16], [50, 18, 8], [18, 50, 16], [18, 101, 8],
  ];
  for (const [slowDepth, fastDepth, os] of cases) {
    it(`slow D${slowDepth}, fast D${fastDepth}, OS${os}`, () => {
      const config = small(slowDepth, fastDepth, os);
      const model = randomModel(config);
      const [fh, fw] = featureSize(config);
      expect([fh, fw]).toEqual(os === 16 ? [3, 5] : [6, 10]);
      const input = model.preprocess(testFrame(48, 80));
      const memory = new KeyframeMemory(2);
      const key = model.runKeyframe(input);
      expect(key.memoryEntry.keys.segmentation.shape).toEqual([1, fh, fw, 8]);
      expect(key.memoryEntry.values.depth.shape).toEqual([1, fh, fw, 8]);
      memory.push(key.memoryEntry);
      const fast = model.runFastFrame(input, memory);
      const fastOnly = model.runFastOnly(input);
      for (const o of [key.outputs, fast, fastOnly]) {
        expect(o.segmentation.shape).toEqual([1, 48, 80, 19]);
        expect(o.depth.shape).toEqual([1, 48, 80, 1]);
        const d = o.depth.dataSync();
        expect(Math.min(...d)).toBeGreaterThan(0);
        expect(Math.max(...d)).toBeLessThan(100);
        expect(o.segmentation.dataSync().every(Number.isFinite)).toBe(true);
        disposeOutputs(o);
      }
      memory.dispose();
      input.dispose();
      model.dispose();
    });
  }
});

describe('MilaModel', () => {
  it('preprocesses any frame size to the normalised model input', () => {
    const model = randomModel(tinyConfig());
    const px = tf.fill([30, 50, 3], 255) as tf.Tensor3D;
    const x = model.preprocess(px);
    expect(x.shape).toEqual([1, 64, 128, 3]);
    const { mean, std } = tinyConfig().input;
    const v = x.dataSync();
    // (1 - mean) / std <= ~5 in float32: two roundings (<= 2 * 2^-24 * 5 = 6e-7), inside toBeCloseTo's 5e-6
    for (let c = 0; c < 3; c++) expect(v[c]).toBeCloseTo((1 - mean[c]) / std[c], 5);
    expect(() => model.preprocess(tf.zeros([4, 4, 4]) as tf.Tensor3D)).toThrow(/HxWx3/);
    expect(() => model.runFastOnly(tf.zeros([1, 32, 32, 3]) as tf.Tensor4D)).toThrow(/\[1,64,128,3\]/);
    tf.dispose([px, x]);
    model.dispose();
  });

  it('refuses a fast frame without a keyframe in memory', () => {
    const model = randomModel(tinyConfig());
    const x = model.preprocess(testFrame(64, 128));
    expect(() => model.runFastFrame(x, new KeyframeMemory(2))).toThrow(/memory is empty/);
    x.dispose();
    model.dispose();
  });

  it('keeps the last M keyframes newest first and evicts the oldest (MF, M = 2)', () => {
    const model = randomModel(tinyConfig());
    const memory = model.createMemory();
    const frames = [0, 1, 2].map((t) => model.preprocess(testFrame(64, 128, t * 5)));
    const keys: tf.Tensor[] = [];
    const before = tf.memory().numTensors;
    for (const f of frames) {
      const k = model.runKeyframe(f);
      keys.push(tf.clone(k.memoryEntry.keys.segmentation));
      memory.push(k.memoryEntry);
      disposeOutputs(k.outputs);
    }
    expect(memory.size).toBe(2);
    // Both tasks' groups in one batch, slot m of group g at g*size + m: [seg new, seg old, depth new, depth old].
    expect(memory.groups).toEqual(['segmentation', 'depth']);
    const stacked = memory.keys;
    expect(stacked.shape).toEqual([4, 4, 8, 8]);
    tf.tidy(() => {
      expect(maxAbsDiff(tf.slice(stacked, [0], [1]), keys[2])).toBe(0);
      expect(maxAbsDiff(tf.slice(stacked, [1], [1]), keys[1])).toBe(0);
      expect(maxAbsDiff(tf.slice(stacked, [2], [1]), memory.entry(0).keys.depth)).toBe(0);
    });
    expect(memory.values.shape).toEqual([4, 4, 8, 8]);
    memory.clear();
    expect(tf.memory().numTensors).toBe(before + keys.length); // only the test's clones remain
    tf.dispose([...frames, ...keys]);
    model.dispose();
  });

  it('attends over 1 and 2 keyframes: a duplicated keyframe changes nothing, a different one does', () => {
    const model = randomModel(tinyConfig());
    const [a, b, cur] = [0, 7, 3].map((t) => model.preprocess(testFrame(64, 128, t)));
    const entry = (x: tf.Tensor4D) => {
      const k = model.runKeyframe(x);
      disposeOutputs(k.outputs);
      return k.memoryEntry;
    };
    const one = new KeyframeMemory(2);
    one.push(entry(a));
    expect(one.size).toBe(1);
    const outOne = model.runFastFrame(cur, one);

    // Joint softmax over [A, A] weights each candidate twice: the same average as over [A].
    const dup = new KeyframeMemory(2);
    dup.push(entry(a));
    dup.push(entry(a));
    expect(dup.keys.shape[0]).toBe(4);
    const outDup = model.runFastFrame(cur, dup);
    // equal up to float32 rounding of the network (parityBounds.ts), relative to the output magnitude
    expect(maxAbsDiff(outOne.segmentation, outDup.segmentation)).toBeLessThan(netBound(range(outOne.segmentation)));
    expect(maxAbsDiff(outOne.depth, outDup.depth)).toBeLessThan(netBound(range(outOne.depth)));

    const two = new KeyframeMemory(2);
    two.push(entry(b));
    two.push(entry(a));
    const outTwo = model.runFastFrame(cur, two);
    expect(maxAbsDiff(outOne.segmentation, outTwo.segmentation)).toBeGreaterThan(netBound(range(outOne.segmentation)));

    // ILA matters: the fast frame differs from the fast net alone.
    const fastOnly = model.runFastOnly(cur);
    expect(maxAbsDiff(outOne.segmentation, fastOnly.segmentation)).toBeGreaterThan(netBound(range(outOne.segmentation)));

    for (const o of [outOne, outDup, outTwo, fastOnly]) disposeOutputs(o);
    for (const m of [one, dup, two]) m.dispose();
    tf.dispose([a, b, cur]);
    model.dispose();
  });

  it('runs with a shared (non task-specific) attention', () => {
    const config = tinyConfig({ ila: { window: 3, keyChannels: 4, memory: 1, taskSpecific: false } });
    const model = randomModel(config);
    const x = model.preprocess(testFrame(64, 128));
    const memory = model.createMemory();
    const k = model.runKeyframe(x);
    expect(Object.keys(k.memoryEntry.keys)).toEqual(['shared']);
    expect(k.memoryEntry.values.shared.shape).toEqual([1, 4, 8, 16]);
    memory.push(k.memoryEntry);
    const o = model.runFastFrame(x, memory);
    expect(o.segmentation.shape).toEqual([1, 64, 128, 19]);
    expect(o.depth.shape).toEqual([1, 64, 128, 1]);
    disposeOutputs(o);
    disposeOutputs(k.outputs);
    memory.dispose();
    x.dispose();
    model.dispose();
  });

  it('warms up without leaking and refuses use after dispose', async () => {
    const model = randomModel(tinyConfig());
    const before = tf.memory().numTensors;
    await model.warmUp();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(() => model.preprocess(testFrame(8, 8))).toThrow(/disposed/);
  });
});

describe('MilaModel memory checks', () => {
  it('refuses a memory filled by a model with other ILA groups', () => {
    const ts = randomModel(tinyConfig());
    const shared = randomModel(tinyConfig({ ila: { window: 5, keyChannels: 8, memory: 2, taskSpecific: false } }));
    const x = ts.preprocess(testFrame(64, 128));
    const memory = shared.createMemory();
    const k = shared.runKeyframe(x);
    memory.push(k.memoryEntry);
    disposeOutputs(k.outputs);
    expect(() => ts.runFastFrame(x, memory)).toThrow(/memory holds ILA groups \[shared\], this model needs \[segmentation,depth\]/);
    memory.dispose();
    x.dispose();
    ts.dispose();
    shared.dispose();
  });
});
