// Model directory round trip (writer -> loader) and every loader error case.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFetch } from '../../src/node/fileFetch';
import { writeModelDir } from '../../src/node/modelWriter';
import { float32ToFloat16Bits } from '../../src/node/quantize';
import { expectedWeights } from '../../src/runtime/config';
import { disposeOutputs } from '../../src/runtime/milaModel';
import { tinyConfig } from '../../src/runtime/presets';
import { randomWeights } from '../support/randomWeights';
import { loadModel, ModelLoadError } from '../../src/runtime/weights/loader';
import { maxAbsDiff, randomModel, testFrame, useCpu } from './helpers';

const config = tinyConfig();
const SEED = 11;
let root: string;
let n = 0;

/** A fresh model directory (small shards, so there are several) in a temp folder. */
function writeDir(quantize: 'float32' | 'float16' | 'uint8' = 'float32'): string {
  const dir = join(root, `m${n++}`);
  writeModelDir(dir, config, randomWeights(config, SEED), { quantize, shardBytes: 300_000 });
  return dir;
}

const editJson = (dir: string, edit: (j: any) => void) => {
  const j = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  edit(j);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(j));
};

beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), 'mila-loader-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeModelDir + loadModel', () => {
  it('round-trips float32 weights exactly, in shards of the given size, with byte progress', async () => {
    const dir = writeDir();
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['group1-shard1of4.bin', 'group1-shard2of4.bin', 'group1-shard3of4.bin', 'group1-shard4of4.bin']);
    expect(readFileSync(join(dir, 'group1-shard1of4.bin')).byteLength).toBe(300_000);

    const progress: [number, number][] = [];
    const loaded = await loadModel(dir, { fetchImpl: fileFetch, onProgress: (a, b) => progress.push([a, b]) });
    const total = expectedWeights(config).reduce((a, w) => a + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    expect(progress[0]).toEqual([0, total]);
    expect(progress[progress.length - 1]).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);

    const reference = randomModel(config, SEED);
    const x = loaded.preprocess(testFrame(64, 128));
    const a = loaded.runFastOnly(x);
    const b = reference.runFastOnly(x);
    expect(maxAbsDiff(a.segmentation, b.segmentation)).toBe(0);
    expect(maxAbsDiff(a.depth, b.depth)).toBe(0);
    [a, b].forEach(disposeOutputs);
    x.dispose();
    loaded.dispose();
    reference.dispose();
  });

  it('loads float16 and uint8 quantised weights close to float32', async () => {
    // Relative error of the logits against the float32 model, per storage dtype: weight rounding (float16
    // 2^-11 = 4.9e-4 per weight; uint8 half a step of range / 255, ~0.2-0.4% of each weight) compounding
    // over the fast net's ~20 layers: 20 * 4.9e-4 = 0.01 for float16; uint8 at ~1% per layer, 0.2.
    for (const [q, tol] of [['float16', 0.01], ['uint8', 0.2]] as const) {
      const dir = writeDir(q);
      const model = await loadModel(dir, { fetchImpl: fileFetch });
      const reference = randomModel(config, SEED);
      const x = model.preprocess(testFrame(64, 128));
      const a = model.runFastOnly(x);
      const b = reference.runFastOnly(x);
      const scale = tf.tidy(() => tf.max(tf.abs(b.segmentation)).dataSync()[0]);
      const rel = maxAbsDiff(a.segmentation, b.segmentation) / scale;
      expect(rel).toBeLessThan(tol);
      expect(rel).toBeGreaterThan(0); // really quantised
      [a, b].forEach(disposeOutputs);
      x.dispose();
      model.dispose();
      reference.dispose();
    }
  });

  it('encodes float16 with round-to-nearest-even', () => {
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff);
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00);
    expect(float32ToFloat16Bits(5.960464477539063e-8)).toBe(0x0001);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
  });

  it('refuses weights that do not match the config', () => {
    const weights = randomWeights(config, 1);
    expect(() => writeModelDir(join(root, 'x'), config, weights.slice(1))).toThrow(/missing weight "slow\.encoder\.conv1\.kernel"/);
    weights[3] = { ...weights[3], shape: [9] };
    expect(() => writeModelDir(join(root, 'x'), config, weights)).toThrow(/has shape \[9\]/);
  });
});

describe('loadModel errors name the file and the weight', () => {
  const expectError = async (dir: string, message: RegExp) => {
    const err = await loadModel(dir, { fetchImpl: fileFetch }).catch((e) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(message);
    return err as ModelLoadError;
  };

  it('missing model.json', async () => {
    await expectError(join(root, 'nowhere'), /nowhere\/model\.json: HTTP 404/);
  });

  it('bad JSON', async () => {
    const dir = writeDir();
    writeFileSync(join(dir, 'model.json'), '{"format": "mila-web/1", ');
    await expectError(dir, /model\.json: invalid JSON/);
  });

  it('bad config field', async () => {
    const dir = writeDir();
    editJson(dir, (j) => (j.slow.depth = 34));
    await expectError(dir, /model\.json: field "slow\.depth" must be one of 18, 50, 101/);
  });

  it('missing shard', async () => {
    const dir = writeDir();
    unlinkSync(join(dir, 'group1-shard3of4.bin'));
    await expectError(dir, /group1-shard3of4\.bin: HTTP 404 fetching weight shard 3\/4/);
  });

  it('truncated last shard names the incomplete weight', async () => {
    const dir = writeDir();
    truncateSync(join(dir, 'group1-shard4of4.bin'), 100);
    const err = await expectError(dir, /group1-shard4of4\.bin: weight data truncated/);
    expect(err.message).toMatch(/weight "[^"]+" \(shape \[[\d,]+\]\) is incomplete/);
  });

  it('truncated middle shard is the one named', async () => {
    const dir = writeDir();
    truncateSync(join(dir, 'group1-shard2of4.bin'), 1000);
    await expectError(dir, /group1-shard2of4\.bin: weight data truncated/);
  });

  it('wrong shape in the manifest', async () => {
    const dir = writeDir();
    editJson(dir, (j) => (j.weightsManifest[0].weights.find((w: any) => w.name === 'fast.proj.conv.kernel').shape = [1, 1, 32, 8]));
    await expectError(dir, /model\.json: weight "fast\.proj\.conv\.kernel" has shape \[1,1,32,8\] in weightsManifest, but the config needs \[1,1,32,16\]/);
  });

  it('weight missing from the manifest', async () => {
    const dir = writeDir();
    editJson(dir, (j) => (j.weightsManifest[0].weights = j.weightsManifest[0].weights.filter((w: any) => w.name !== 'ila.depth.key.bias')));
    await expectError(dir, /weight "ila\.depth\.key\.bias" \(shape \[8\]\) is missing from weightsManifest/);
  });

  it('unexpected extra weight and unsupported dtype', async () => {
    const dir = writeDir();
    editJson(dir, (j) => j.weightsManifest[0].weights.push({ name: 'extra.kernel', shape: [1], dtype: 'float32' }));
    await expectError(dir, /weights the config does not use: extra\.kernel/);
    const dir2 = writeDir();
    editJson(dir2, (j) => (j.weightsManifest[0].weights[0].dtype = 'int32'));
    await expectError(dir2, /weight "slow\.encoder\.conv1\.kernel" has dtype "int32"/);
  });

  it('leaves no tensors behind on failure', async () => {
    const dir = writeDir();
    truncateSync(join(dir, 'group1-shard4of4.bin'), 10);
    const before = tf.memory().numTensors;
    await expectError(dir, /truncated/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
