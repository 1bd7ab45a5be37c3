// The CLI end to end on a synthetic checkpoint: success output, quantised sizes, and the error
// cases of the issue (clear message, non-zero exit, no partial output left behind).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SHARD_BYTES } from '../../src/node/modelWriter';
import { tinyConfig } from '../../src/runtime/presets';
import { encodeSafetensors, f32Tensor } from './helpers/safetensorsWriter';
import { torchStateDict, writeTorchCheckpoint } from './helpers/torchCheckpoint';

const config = tinyConfig();
let root: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/convert.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI on a checkpoint that must be rejected; checks the message and that nothing was written. */
function expectRejected(ckpt: string, message: RegExp) {
  const out = join(root, 'rejected', 'model');
  const r = cli(ckpt, out);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^convert: error: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  expect(existsSync(join(root, 'rejected'))).toBe(false); // not even the parent we would have created
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mila-convert-cli-'));
  writeTorchCheckpoint(join(root, 'good'), config);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('convert CLI', () => {
  it('converts a checkpoint directory and prints sizes before and after', () => {
    const out = join(root, 'models', 'tiny32');
    const r = cli(join(root, 'good'), out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/size before: [\d.]+ KiB safetensors, [\d.]+ KiB folded float32/);
    expect(r.stdout).toMatch(/size after: +[\d.]+ KiB shards \(float32, 100\.0% of float32\) \+ [\d.]+ KiB model.json/);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(json.name).toBe('tiny');
    for (const p of json.weightsManifest[0].paths) expect(statSync(join(out, p)).size).toBeLessThanOrEqual(MAX_SHARD_BYTES);
    expect(readdirSync(join(root, 'models'))).toEqual(['tiny32']); // no temp dirs left
  });

  it('takes explicit files and quantises to float16 and uint8 (smaller output)', () => {
    const sizes: Record<string, number> = {};
    for (const q of ['float32', 'float16', 'uint8']) {
      const out = join(root, 'models', `q-${q}`);
      const r = cli(join(root, 'good', 'model.safetensors'), join(root, 'good', 'config.json'), out, '--quantize', q);
      expect(r.code, r.stderr).toBe(0);
      sizes[q] = Number(r.stdout.match(/size after: +([\d.]+) KiB shards/)![1]);
      const entries = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')).weightsManifest[0].weights;
      const kernels = entries.filter((w: any) => w.name.endsWith('.kernel'));
      if (q === 'float16') expect(kernels.every((w: any) => w.quantization?.dtype === 'float16')).toBe(true);
      if (q === 'uint8') expect(kernels.some((w: any) => w.quantization?.dtype === 'uint8')).toBe(true);
    }
    expect(sizes.float16 / sizes.float32).toBeLessThan(0.52);
    expect(sizes.uint8 / sizes.float32).toBeLessThan(0.35);
  });

  it('rejects bad arguments', () => {
    expect(cli(join(root, 'good')).code).toBe(1);
    const r = cli(join(root, 'good'), join(root, 'x'), '--quantize', 'int4');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--quantize must be one of float32, float16, uint8 \(got int4\)/);
  });

  it('missing tensor', () => {
    const dir = join(root, 'missing');
    writeTorchCheckpoint(dir, config, (sd) => delete sd['fast.encoder.layer4.1.bn1.weight']);
    expectRejected(dir, /checkpoint is missing tensor "fast.encoder.layer4.1.bn1.weight" \(shape \[32\]/);
  });

  it('wrong shape', () => {
    const dir = join(root, 'shape');
    writeTorchCheckpoint(dir, config, (sd) => (sd['decoders.segmentation.head.bias'] = f32Tensor([3], [0, 0, 0])));
    expectRejected(dir, /model.safetensors: tensor "decoders.segmentation.head.bias" has shape \[3\], expected \[19\]/);
  });

  it('a file that is not safetensors', () => {
    const dir = join(root, 'notst');
    writeTorchCheckpoint(dir, config);
    writeFileSync(join(dir, 'model.safetensors'), 'PK\x03\x04 this is a zip, e.g. a torch.save file');
    expectRejected(dir, /notst\/model.safetensors: not a valid safetensors file/);
  });

  it('an unknown dtype', () => {
    const dir = join(root, 'dtype');
    writeTorchCheckpoint(dir, config);
    const sd = torchStateDict(config);
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(sd, (h) => (h['slow.proj.bn.bias'].dtype = 'Q4')));
    expectRejected(dir, /tensor "slow.proj.bn.bias" has unknown dtype "Q4"/);
  });

  it('replaces an earlier model directory, and keeps it intact when conversion fails', () => {
    const out = join(root, 'models', 'replace');
    expect(cli(join(root, 'good'), out).code).toBe(0);
    const before = readFileSync(join(out, 'model.json'), 'utf8');
    const r = cli(join(root, 'missing'), out);
    expect(r.code).toBe(1);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe(before);
    expect(cli(join(root, 'good'), out, '--quantize', 'float16').code).toBe(0);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toContain('"float16"');
    expect(readdirSync(join(root, 'models')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses to overwrite a directory that is not a model directory', () => {
    const out = join(root, 'precious');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = cli(join(root, 'good'), out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/precious: exists and holds files that are not a model directory \(notes.txt\); refusing to overwrite/);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });
});
