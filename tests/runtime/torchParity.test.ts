// The TS runtime against an independent PyTorch implementation of ARCHITECTURE.md (padding,
// dilation, maxpool, ASPP, align_corners=False resize, sigmoid depth, ILA with MF memory 2).
// Skipped only when Debian's python3 with torch is not installed.
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileFetch } from '../../src/node/fileFetch';
import { writeModelDir } from '../../src/node/modelWriter';
import { tinyConfig } from '../../src/runtime/presets';
import { randomWeights } from '../support/randomWeights';
import { loadModel } from '../../src/runtime/weights/loader';
import { netBound } from '../convert/parityBounds';
import { testFrame, useCpu } from './helpers';

const PYTHON = '/usr/bin/python3';
const hasTorch = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(useCpu);

describe.skipIf(!hasTorch || !existsSync(PYTHON))('PyTorch parity', () => {
  it('matches keyframe, fast-only and fast+ILA outputs to float32 rounding (netBound)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mila-parity-'));
    try {
      const config = tinyConfig({ outputStride: 8 }); // dilated layer3 and layer4
      writeModelDir(join(dir, 'model'), config, randomWeights(config, 5));
      const model = await loadModel(join(dir, 'model'), { fetchImpl: fileFetch });
      const xs = [0, 4, 9].map((t) => model.preprocess(testFrame(64, 128, t)));
      const memory = model.createMemory();
      const k0 = model.runKeyframe(xs[0]);
      memory.push(k0.memoryEntry);
      const k1 = model.runKeyframe(xs[1]);
      memory.push(k1.memoryEntry);
      const fast = model.runFastFrame(xs[2], memory);
      const fastOnly = model.runFastOnly(xs[2]);
      const dump: Record<string, number[]> = {};
      const put = (n: string, t: tf.Tensor) => (dump[n] = Array.from(t.dataSync()));
      xs.forEach((x, i) => put(`x${i}`, x));
      put('k1seg', k0.outputs.segmentation);
      put('k1dep', k0.outputs.depth);
      put('fseg', fast.segmentation);
      put('fdep', fast.depth);
      put('foseg', fastOnly.segmentation);
      put('fodep', fastOnly.depth);
      writeFileSync(join(dir, 'dump.json'), JSON.stringify(dump));
      tf.dispose([...xs, k0.outputs.segmentation, k0.outputs.depth, k1.outputs.segmentation, k1.outputs.depth]);
      tf.dispose([fast.segmentation, fast.depth, fastOnly.segmentation, fastOnly.depth]);
      memory.dispose();
      model.dispose();

      const script = join(__dirname, 'torch_reference.py');
      const out = execFileSync(PYTHON, [script, join(dir, 'model'), join(dir, 'dump.json')], { encoding: 'utf8' });
      const res = JSON.parse(out.trim().split('\n').pop()!) as Record<string, { maxAbs: number; scale: number }>;
      expect(Object.keys(res).sort()).toEqual(['fdep', 'fodep', 'foseg', 'fseg', 'k1dep', 'k1seg']);
      for (const [name, { maxAbs, scale }] of Object.entries(res)) {
        expect(scale, name).toBeGreaterThan(0.1); // non-trivial outputs
        expect(maxAbs, name).toBeLessThan(netBound(scale)); // logits, and depth in metres
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
