// The whole MILA model on tfjs's webgpu backend (Dawn for Node + SwiftShader here, the fused ILA
// kernel included) agrees with the CPU backend, and a runner on webgpu does not leak tensors.
// Skipped only where no Vulkan ICD for SwiftShader is installed (Debian package chromium).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ilaFusedCallCount } from '../../src/runtime/ila';
import { tinyConfig } from '../../src/runtime/presets';
import { MilaRunner } from '../../src/runtime/runner';
import { netBound } from '../convert/parityBounds';
import { randomModel, testFrame } from './helpers';
import { runTwoKeyframeSchedule } from './twoKeyframeSchedule';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

async function installWebGpu(): Promise<boolean> {
  process.env.VK_ICD_FILENAMES ??= ICD;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const g = globalThis as { navigator?: object };
  g.navigator ??= {};
  Object.defineProperty(g.navigator, 'gpu', { value: create([]), configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu'); // registers only when navigator.gpu exists
  return tf.setBackend('webgpu');
}

/** The two-keyframe schedule on a fresh tiny model (seed 3) on the active backend. */
async function runAll(): Promise<Record<string, Float32Array>> {
  const model = randomModel(tinyConfig(), 3);
  const data = await runTwoKeyframeSchedule(model);
  model.dispose();
  return data;
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.skipIf(!existsSync(ICD))('MilaModel on webgpu (Dawn, SwiftShader)', () => {
  let cpu: Record<string, Float32Array>;

  beforeAll(async () => {
    await tf.setBackend('cpu');
    cpu = await runAll();
    expect(await installWebGpu()).toBe(true);
  }, 300_000);

  afterAll(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('webgpu');
  });

  it('matches the cpu backend to float32 rounding (netBound) with the fused ILA kernel', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const calls = ilaFusedCallCount();
    const gpu = await runAll();
    expect(ilaFusedCallCount()).toBe(calls + 1); // one fused dispatch for both tasks
    for (const name of Object.keys(cpu)) {
      expect(gpu[name].length, name).toBe(cpu[name].length);
      // a tiny model (~20 layers): the CPU-level bound holds even with WGSL's few-ulp exp and division
      expect(maxAbs(gpu[name], cpu[name]), name).toBeLessThan(netBound(maxAbs(cpu[name], new Float32Array(cpu[name].length))));
    }
  }, 300_000);

  it('runs 8 frames through MilaRunner without leaking tensors', async () => {
    // Same input size as above, so the compiled WebGPU programs are reused (compiling is the slow part).
    const model = randomModel(tinyConfig(), 3);
    const runner = new MilaRunner(model, { interval: 2 });
    const frame = testFrame(64, 128);
    const counts = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const p = runner.step(frame);
      await p.labels().data();
      p.dispose();
      if (i >= 3) counts.add(tf.memory().numTensors); // memory full (M = 2) from frame 3 on
    }
    expect(counts.size).toBe(1);
    expect(runner.memorySize).toBe(2);
    runner.dispose();
    frame.dispose();
    model.dispose();
  }, 300_000);
});
