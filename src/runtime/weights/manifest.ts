// Validation of the TF.js weightsManifest in model.json against the config's expected weights.
import type * as tf from '@tensorflow/tfjs-core';
import { expectedWeights, type ModelConfig } from '../config';

/** Thrown by the loader; the message names the file and, where one is involved, the weight. */
export class ModelLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

export interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
  byteLength: number; // sum of the weights' stored bytes
  offsets: number[]; // byte offset of each weight within the group
  sizes: number[]; // stored bytes of each weight
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint16: 2, uint8: 1 };

function storedBytes(e: tf.io.WeightsManifestEntry): number {
  const count = e.shape.reduce((a, b) => a * b, 1);
  return count * BYTES[e.quantization ? e.quantization.dtype : e.dtype];
}

function fail(source: string, msg: string): never {
  throw new ModelLoadError(`${source}: ${msg}`);
}

function parseEntry(raw: unknown, source: string, where: string): tf.io.WeightsManifestEntry {
  const e = raw as Record<string, unknown>;
  if (typeof e !== 'object' || e === null || typeof e.name !== 'string') fail(source, `${where} has no "name"`);
  const name = e.name as string;
  const shape = e.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    fail(source, `weight "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  }
  if (e.dtype !== 'float32') fail(source, `weight "${name}" has dtype ${JSON.stringify(e.dtype)}, only float32 is supported`);
  const q = e.quantization as Record<string, unknown> | undefined;
  if (q !== undefined) {
    const ok =
      q?.dtype === 'float16' ||
      (q?.dtype === 'uint8' && typeof q.scale === 'number' && Number.isFinite(q.scale) && typeof q.min === 'number' && Number.isFinite(q.min));
    if (!ok) fail(source, `weight "${name}" has an unsupported quantization ${JSON.stringify(q)} (float16, or uint8 with scale and min)`);
  }
  return e as unknown as tf.io.WeightsManifestEntry;
}

/** Parses the manifest and checks it holds exactly the config's weights with the right shapes. */
export function parseManifest(json: unknown, config: ModelConfig, source: string): ManifestGroup[] {
  const raw = (json as Record<string, unknown>).weightsManifest;
  if (!Array.isArray(raw) || raw.length === 0) fail(source, 'field "weightsManifest" must be a non-empty array');
  const seen = new Map<string, tf.io.WeightsManifestEntry>();
  const groups = raw.map((g: Record<string, unknown>, gi: number): ManifestGroup => {
    const paths = g?.paths;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
      fail(source, `weightsManifest[${gi}].paths must be a non-empty array of file names`);
    }
    if (!Array.isArray(g.weights)) fail(source, `weightsManifest[${gi}].weights must be an array`);
    const weights = (g.weights as unknown[]).map((w, wi) => parseEntry(w, source, `weightsManifest[${gi}].weights[${wi}]`));
    const offsets: number[] = [];
    const sizes: number[] = [];
    let byteLength = 0;
    for (const w of weights) {
      if (seen.has(w.name)) fail(source, `weight "${w.name}" appears twice in weightsManifest`);
      seen.set(w.name, w);
      offsets.push(byteLength);
      sizes.push(storedBytes(w));
      byteLength += storedBytes(w);
    }
    return { paths: paths as string[], weights, byteLength, offsets, sizes };
  });
  for (const { name, shape } of expectedWeights(config)) {
    const w = seen.get(name);
    if (!w) fail(source, `weight "${name}" (shape [${shape}]) is missing from weightsManifest`);
    if (w.shape.join(',') !== shape.join(',')) {
      fail(source, `weight "${name}" has shape [${w.shape}] in weightsManifest, but the config needs [${shape}]`);
    }
    seen.delete(name);
  }
  if (seen.size > 0) fail(source, `weightsManifest has weights the config does not use: ${[...seen.keys()].slice(0, 5).join(', ')}`);
  return groups;
}
