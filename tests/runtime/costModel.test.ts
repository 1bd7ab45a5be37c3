// Cost model: checked against the convolutions the runtime actually executes (counted from the
// tensor shapes of every tf.fused.conv2d call), plus the ILA formula and the K average.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { costModel } from '../../src/runtime/costModel';
import { featureSize, type ModelConfig } from '../../src/runtime/config';
import { ilaFlops } from '../../src/runtime/ila';
import { disposeOutputs } from '../../src/runtime/milaModel';
import { fullSizeConfig, tinyConfig } from '../../src/runtime/presets';
import { randomModel, testFrame, useCpu } from './helpers';

beforeAll(useCpu);

const realConv2d = tf.fused.conv2d;

/** GFLOPs of the convolutions run by `fn`, from the real input/output shapes. */
function measuredConvGflops(fn: () => void): number {
  let flops = 0;
  const spy = vi.spyOn(tf.fused, 'conv2d').mockImplementation((args) => {
    const y = realConv2d(args);
    const [kh, kw, cin, cout] = (args.filter as tf.Tensor4D).shape;
    flops += 2 * y.shape[1]! * y.shape[2]! * kh * kw * cin * cout;
    return y;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  expect(flops).toBeGreaterThan(0); // the spy saw the runtime's convolutions
  return flops / 1e9;
}

describe('costModel', () => {
  for (const [label, config] of [
    ['tiny OS16 TS', tinyConfig()],
    ['tiny OS8 shared, D50 slow', tinyConfig({ outputStride: 8, slow: { depth: 50, baseWidth: 4, aspp: { channels: 8, rates: [1, 2, 3] } }, ila: { window: 3, keyChannels: 4, memory: 1, taskSpecific: false } })],
  ] as [string, ModelConfig][]) {
    it(`matches the convolutions executed (${label})`, () => {
      const model = randomModel(config);
      const cost = costModel(config);
      const x = model.preprocess(testFrame(64, 128));
      const memory = model.createMemory();
      const slow = measuredConvGflops(() => {
        const k = model.runKeyframe(x);
        memory.push(k.memoryEntry);
        disposeOutputs(k.outputs);
      });
      while (memory.size < config.ila.memory) {
        const k = model.runKeyframe(x);
        memory.push(k.memoryEntry);
        disposeOutputs(k.outputs);
      }
      const fastConvs = measuredConvGflops(() => disposeOutputs(model.runFastFrame(x, memory)));
      const fastOnly = measuredConvGflops(() => disposeOutputs(model.runFastOnly(x)));
      const [h, w] = featureSize(config);
      const T = config.taskChannels * (config.ila.taskSpecific ? 1 : 2);
      const groups = config.ila.taskSpecific ? 2 : 1;
      const attention = (groups * ilaFlops(h, w, config.ila.keyChannels, T, config.ila.memory, config.ila.window)) / 1e9;

      // float64 sums of integer FLOP counts (exact below 2^53) over 1e9, tens of GFLOPs at most: the order of
      // summation costs ~1e-14, far inside toBeCloseTo(9)'s 5e-10
      expect(cost.slowGflops).toBeCloseTo(slow, 9);
      expect(cost.fastOnlyGflops).toBeCloseTo(fastOnly, 9);
      expect(cost.fastGflops).toBeCloseTo(fastConvs + attention, 9);
      expect(cost.ilaGflops).toBeCloseTo(cost.fastGflops - cost.fastOnlyGflops, 9);
      memory.dispose();
      x.dispose();
      model.dispose();
    });
  }

  it('averages (slow + (K-1) fast) / K and is in the expected range for the full model', () => {
    const c = costModel(fullSizeConfig());
    expect(c.averageGflops(1)).toBeCloseTo(c.slowGflops, 9); // float64, as above
    expect(c.averageGflops(5)).toBeCloseTo((c.slowGflops + 4 * c.fastGflops) / 5, 9);
    // ResNet-18 (OS16, 256x512) is about a quarter of DeepLab-ResNet-101 (NOTES.md).
    expect(c.fastGflops / c.slowGflops).toBeGreaterThan(0.2);
    expect(c.fastGflops / c.slowGflops).toBeLessThan(0.3);
    expect(c.slowGflops).toBeGreaterThan(60);
    expect(c.slowGflops).toBeLessThan(75);
    expect(() => c.averageGflops(0)).toThrow(RangeError);
  });
});
