// Parity: the committed PyTorch fixture (tests/fixtures/parity, made by
// training/scripts/make_parity_fixture.py) converted by the converter and run by the runtime on the
// tfjs CPU backend must reproduce PyTorch's segmentation logits and depth.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/convert/checkpoint';
import { convertCheckpoint } from '../../src/convert/convert';
import { fileFetch } from '../../src/node/fileFetch';
import type { QuantizeDtype } from '../../src/node/quantize';
import { loadModel } from '../../src/runtime/weights/loader';
import type { SafetensorsFile } from '../../src/convert/safetensors';
import { runParitySchedule, worst, type FrameDiff } from './parityRun';
import { QUANTISED_BOUNDS, netBound } from './parityBounds';

const FIXTURE = join(__dirname, '..', 'fixtures', 'parity');
let root: string;
let frames: SafetensorsFile;

/** Small shards (the fixture is ~1 MB) so weights straddle shard boundaries as in real models. */
const SHARD_BYTES = 256 * 1024;

async function convertAndRun(quantize: QuantizeDtype): Promise<FrameDiff[]> {
  const out = join(root, quantize);
  const summary = convertCheckpoint([join(FIXTURE, 'checkpoint')], out, { quantize, shardBytes: SHARD_BYTES });
  expect(summary.shards).toBeGreaterThan(1);
  const model = await loadModel(out, { fetchImpl: fileFetch });
  try {
    const diffs = await runParitySchedule(model, frames);
    const w = worst(diffs);
    console.log(`parity ${quantize} (cpu): max |diff| segmentation ${w.segmentation.toExponential(2)}, depth ${w.depth.toExponential(2)} m`);
    return diffs;
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'mila-parity-'));
  frames = readSafetensors(join(FIXTURE, 'frames.safetensors'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('converter parity with PyTorch (tfjs cpu backend)', () => {
  it('float32 reproduces logits and depth to float32 rounding (netBound)', async () => {
    const before = tf.memory().numTensors;
    const diffs = await convertAndRun('float32');
    expect(diffs.map((d) => `${d.kind}/${d.memory}`)).toEqual(['keyframe/1', 'fast/1', 'keyframe/2', 'fast/2', 'fast/2']);
    for (const d of diffs) {
      expect(d.segmentation, `frame ${d.index} segmentation`).toBeLessThanOrEqual(netBound(d.segmentationRange));
      expect(d.depth, `frame ${d.index} depth`).toBeLessThanOrEqual(netBound(d.depthRange));
      // The reference is not degenerate (saturated depth or zero logits would make parity vacuous).
      expect(d.segmentationRange).toBeGreaterThan(0.5);
      expect(d.depthRange).toBeLessThan(99);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const q of ['float16', 'uint8'] as const) {
    it(`${q} stays within the documented bound`, async () => {
      const diffs = await convertAndRun(q);
      const w = worst(diffs);
      expect(w.segmentation).toBeLessThanOrEqual(QUANTISED_BOUNDS[q].segmentation);
      expect(w.depth).toBeLessThanOrEqual(QUANTISED_BOUNDS[q].depth);
      expect(w.segmentation).toBeGreaterThan(netBound(Math.max(...diffs.map((d) => d.segmentationRange)))); // it really is quantised
    });
  }
});
