// The conversion pipeline: checkpoint (config.json + safetensors) -> folded TF.js weights ->
// model directory (model.json + shards <= 4 MB), written atomically.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeModelDir } from '../node/modelWriter';
import { storageFor, type QuantizeDtype } from '../node/quantize';
import { writeDirAtomically } from './atomicDir';
import { openCheckpoint } from './checkpoint';
import { mapCheckpoint } from './mapping';

export interface ConvertOptions {
  quantize?: QuantizeDtype;
  /** Shard size limit in bytes (default and maximum 4 MB). */
  shardBytes?: number;
}

export interface ConvertSummary {
  outDir: string;
  configPath: string;
  files: string[];
  quantize: QuantizeDtype;
  weights: number;
  /** Bytes of the safetensors files read. */
  checkpointBytes: number;
  /** Bytes of the folded weights in float32. */
  float32Bytes: number;
  /** Bytes of the weight shards written. */
  shardBytes: number;
  /** Bytes of model.json. */
  manifestBytes: number;
  shards: number;
  /** Weight count per storage dtype actually used (uint8 mode mixes dtypes, see quantize.ts). */
  storage: Partial<Record<QuantizeDtype, number>>;
}


/** Converts `inputs` (a checkpoint directory, or safetensors files + config.json) into `outDir`. */
export function convertCheckpoint(inputs: string[], outDir: string, opts: ConvertOptions = {}): ConvertSummary {
  const quantize = opts.quantize ?? 'float32';
  const checkpoint = openCheckpoint(inputs);
  const weights = mapCheckpoint(checkpoint.config, checkpoint.tensors);
  const storage: Partial<Record<QuantizeDtype, number>> = {};
  for (const w of weights) {
    const s = storageFor(quantize, w, w.data);
    storage[s] = (storage[s] ?? 0) + 1;
  }
  return writeDirAtomically(outDir, (temp) => {
    const json = writeModelDir(temp, checkpoint.config, weights, { quantize, shardBytes: opts.shardBytes });
    const paths = (json.weightsManifest as { paths: string[] }[])[0].paths;
    return {
      outDir,
      configPath: checkpoint.configPath,
      files: checkpoint.files,
      quantize,
      weights: weights.length,
      checkpointBytes: checkpoint.bytes,
      float32Bytes: weights.reduce((a, w) => a + w.data.byteLength, 0),
      shardBytes: paths.reduce((sum, p) => sum + statSync(join(temp, p)).size, 0),
      manifestBytes: statSync(join(temp, 'model.json')).size,
      shards: paths.length,
      storage,
    };
  });
}
