// Writes a model directory (model.json + weight shards of at most 4 MB), see ARCHITECTURE.md
// "Model directory format". Node only. Quantisation lives in ./quantize.ts.
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedWeights, parseModelConfig, type ModelConfig } from '../runtime/config';
import { encodeWeight, type QuantizeDtype } from './quantize';

export const MAX_SHARD_BYTES = 4 * 1024 * 1024;

export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface WriteModelOptions {
  quantize?: QuantizeDtype;
  shardBytes?: number; // default 4 MB, tests may use less
}

/** Checks the weights are exactly the config's expected list (names, shapes, element counts). */
export function checkWeightsMatchConfig(config: ModelConfig, weights: NamedWeight[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  if (byName.size !== weights.length) throw new Error('writeModelDir: duplicate weight names');
  for (const spec of expectedWeights(config)) {
    const w = byName.get(spec.name);
    if (!w) throw new Error(`writeModelDir: missing weight "${spec.name}" (shape [${spec.shape}])`);
    if (w.shape.join(',') !== spec.shape.join(',')) {
      throw new Error(`writeModelDir: weight "${spec.name}" has shape [${w.shape}], expected [${spec.shape}]`);
    }
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (w.data.length !== n) throw new Error(`writeModelDir: weight "${spec.name}" has ${w.data.length} values, expected ${n}`);
    byName.delete(spec.name);
  }
  if (byName.size > 0) throw new Error(`writeModelDir: unexpected weights: ${[...byName.keys()].slice(0, 5).join(', ')}`);
}

/**
 * Writes `outDir/model.json` and `group1-shardIofN.bin`. The weights go in expectedWeights order;
 * stale shards from an earlier write are removed. Returns the model.json object written.
 */
export function writeModelDir(
  outDir: string,
  config: ModelConfig,
  weights: NamedWeight[],
  opts: WriteModelOptions = {},
): Record<string, unknown> {
  const source = join(outDir, 'model.json');
  parseModelConfig(config, source);
  checkWeightsMatchConfig(config, weights);
  const dtype = opts.quantize ?? 'float32';
  const shardBytes = opts.shardBytes ?? MAX_SHARD_BYTES;
  if (shardBytes > MAX_SHARD_BYTES) throw new Error(`writeModelDir: shardBytes ${shardBytes} exceeds 4 MB`);

  const byName = new Map(weights.map((w) => [w.name, w]));
  const entries: Record<string, unknown>[] = [];
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (const spec of expectedWeights(config)) {
    const enc = encodeWeight(byName.get(spec.name)!.data, dtype, spec); // spec: per-weight uint8 scheme (quantize.ts)
    entries.push({ name: spec.name, shape: spec.shape, dtype: 'float32', ...(enc.quantization ? { quantization: enc.quantization } : {}) });
    chunks.push(enc.bytes);
    total += enc.bytes.byteLength;
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }

  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^group\d+-shard\d+of\d+\.bin$/.test(f)) unlinkSync(join(outDir, f));
  const count = Math.max(1, Math.ceil(total / shardBytes));
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = `group1-shard${i + 1}of${count}.bin`;
    writeFileSync(join(outDir, path), all.subarray(i * shardBytes, Math.min(total, (i + 1) * shardBytes)));
    paths.push(path);
  }
  const modelJson = { ...config, weightsManifest: [{ paths, weights: entries }] };
  writeFileSync(source, JSON.stringify(modelJson, null, 1) + '\n');
  return modelJson;
}
