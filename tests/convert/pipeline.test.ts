// convertCheckpoint in-process: checkpoint discovery, multi-file checkpoints, and atomic output
// when the failure happens while the model directory is being written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateCheckpoint } from '../../src/convert/checkpoint';
import { convertCheckpoint } from '../../src/convert/convert';
import { tinyConfig } from '../../src/runtime/presets';
import { encodeSafetensors, f32Tensor } from './helpers/safetensorsWriter';
import { torchStateDict } from './helpers/torchCheckpoint';

const config = tinyConfig();
let root: string;

/** Writes the tiny state dict split over two safetensors files (slow.* and the rest). */
function writeSplit(dir: string, extraInSecond: Record<string, ReturnType<typeof f32Tensor>> = {}): void {
  const sd = torchStateDict(config);
  const slow = Object.fromEntries(Object.entries(sd).filter(([n]) => n.startsWith('slow.')));
  const rest = Object.fromEntries(Object.entries(sd).filter(([n]) => !n.startsWith('slow.')));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'model-00001-of-00002.safetensors'), encodeSafetensors(slow));
  writeFileSync(join(dir, 'model-00002-of-00002.safetensors'), encodeSafetensors({ ...rest, ...extraInSecond }));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mila-convert-pipeline-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('convertCheckpoint', () => {
  it('reads a checkpoint split over several safetensors files', () => {
    writeSplit(join(root, 'split'));
    const s = convertCheckpoint([join(root, 'split')], join(root, 'out-split'));
    expect(s.files.map((f) => f.split('/').pop())).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(s.weights).toBe(284);
    expect(JSON.parse(readFileSync(join(root, 'out-split', 'model.json'), 'utf8')).weightsManifest[0].weights).toHaveLength(284);
  });

  it('rejects a tensor present in two files', () => {
    writeSplit(join(root, 'dup'), { 'slow.proj.bn.bias': f32Tensor([16], new Float32Array(16)) });
    expect(() => convertCheckpoint([join(root, 'dup')], join(root, 'out-dup'))).toThrow(
      /tensor "slow.proj.bn.bias" appears in both .*model-00001-of-00002.safetensors and .*model-00002-of-00002.safetensors/,
    );
    expect(existsSync(join(root, 'out-dup'))).toBe(false);
  });

  it('names what is missing from the inputs', () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => locateCheckpoint([empty])).toThrow(/no .safetensors file in .*empty/);
    writeFileSync(join(empty, 'a.safetensors'), encodeSafetensors({}));
    expect(() => locateCheckpoint([empty])).toThrow(/no config.json \(architecture config\)/);
    expect(() => locateCheckpoint([join(root, 'nope')])).toThrow(/nope: no such file or directory/);
    writeFileSync(join(empty, 'config.json'), '{"format": "mila-web/1"}');
    expect(() => convertCheckpoint([empty], join(root, 'out-empty'))).toThrow(/config.json: field "name" must be a non-empty string/);
  });

  it('leaves nothing behind when writing fails half-way (float16 overflow)', () => {
    const dir = join(root, 'overflow');
    const sd = torchStateDict(config);
    sd['ila.depth.query.bias'] = f32Tensor([8], [0, 0, 0, 1e6, 0, 0, 0, 0]);
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(sd));
    const parent = join(root, 'models-overflow');
    expect(() => convertCheckpoint([dir], join(parent, 'm'), { quantize: 'float16' })).toThrow(/weight "ila.depth.query.bias" has value 1000000/);
    expect(existsSync(parent)).toBe(false);
    // The same checkpoint is fine in float32, and an old output survives a failed re-conversion.
    convertCheckpoint([dir], join(parent, 'm'));
    const before = readFileSync(join(parent, 'm', 'model.json'), 'utf8');
    expect(() => convertCheckpoint([dir], join(parent, 'm'), { quantize: 'float16' })).toThrow(/beyond float16's range/);
    expect(readFileSync(join(parent, 'm', 'model.json'), 'utf8')).toBe(before);
    expect(readdirSync(parent)).toEqual(['m']);
  });
});
