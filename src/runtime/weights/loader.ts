// Loads a model directory (model.json + shards) into a MilaModel: byte progress, and clear
// errors naming the file and weight for bad JSON, missing/short/long shards and wrong shapes.
import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError, parseModelConfig, type ModelConfig } from '../config';
import { MilaModel } from '../milaModel';
import { ModelLoadError, parseManifest, type ManifestGroup } from './manifest';

export { ModelLoadError } from './manifest';

export interface LoadModelOptions {
  onProgress?: (loadedBytes: number, totalBytes: number) => void;
  fetchImpl?: typeof fetch;
}

const join = (base: string, file: string) => `${base.replace(/\/+$/, '')}/${file}`;

async function fetchOk(fetchImpl: typeof fetch, url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url);
  } catch (e) {
    throw new ModelLoadError(`${url}: could not fetch ${what} (${(e as Error).message})`, { cause: e });
  }
  if (!res.ok) throw new ModelLoadError(`${url}: HTTP ${res.status} fetching ${what}`);
  return res;
}

/** Reads a response body chunk by chunk so progress can be reported in bytes. */
async function readBody(res: Response, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!res.body) {
    const buf = new Uint8Array(await res.arrayBuffer());
    onChunk(buf.byteLength);
    return buf;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

/** Names the first weight whose bytes are not fully present, and the shard they fall in. */
function truncationError(group: ManifestGroup, gi: number, base: string, shardLengths: number[], got: number): ModelLoadError {
  const idx = group.weights.findIndex((_, i) => group.offsets[i] + group.sizes[i] > got);
  const w = group.weights[Math.max(0, idx)];
  // Writers fill every shard but the last to the same size: a shorter one before it is the short one.
  const n = shardLengths.length;
  const short = shardLengths.findIndex((len, i) => i < n - 1 && len < shardLengths[0]);
  const lastShard = join(base, group.paths[short >= 0 ? short : n - 1]);
  return new ModelLoadError(
    `${lastShard}: weight data truncated: group ${gi + 1} needs ${group.byteLength} bytes but its shards hold ${got}; ` +
      `weight "${w.name}" (shape [${w.shape}]) is incomplete`,
  );
}

async function fetchGroup(
  group: ManifestGroup,
  gi: number,
  base: string,
  fetchImpl: typeof fetch,
  onChunk: (bytes: number) => void,
): Promise<ArrayBuffer> {
  const shards: Uint8Array[] = [];
  for (const [si, path] of group.paths.entries()) {
    const url = join(base, path);
    const res = await fetchOk(fetchImpl, url, `weight shard ${si + 1}/${group.paths.length} of group ${gi + 1} (first weight "${group.weights[0]?.name}")`);
    shards.push(await readBody(res, onChunk));
  }
  const got = shards.reduce((a, s) => a + s.byteLength, 0);
  if (got < group.byteLength) throw truncationError(group, gi, base, shards.map((s) => s.byteLength), got);
  if (got > group.byteLength) {
    throw new ModelLoadError(
      `${join(base, group.paths[group.paths.length - 1])}: group ${gi + 1} shards hold ${got} bytes but its weights need ${group.byteLength}; the shards do not match weightsManifest`,
    );
  }
  const all = new Uint8Array(got);
  let o = 0;
  for (const s of shards) {
    all.set(s, o);
    o += s.byteLength;
  }
  return all.buffer;
}

/** Fetches and validates model.json; returns the config and manifest groups (no weights yet). */
export async function loadModelJson(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<{ config: ModelConfig; groups: ManifestGroup[]; source: string }> {
  const source = join(baseUrl, 'model.json');
  const text = await (await fetchOk(fetchImpl, source, 'the model description')).text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError(`${source}: invalid JSON (${(e as Error).message})`, { cause: e });
  }
  let config: ModelConfig;
  try {
    config = parseModelConfig(json, source);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelLoadError(e.message, { cause: e });
    throw e;
  }
  return { config, groups: parseManifest(json, config, source), source };
}

export async function loadModel(baseUrl: string, opts: LoadModelOptions = {}): Promise<MilaModel> {
  const fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  const { config, groups, source } = await loadModelJson(baseUrl, fetchImpl);
  const total = groups.reduce((a, g) => a + g.byteLength, 0);
  let loaded = 0;
  opts.onProgress?.(0, total);
  const onChunk = (bytes: number) => {
    loaded += bytes;
    opts.onProgress?.(Math.min(loaded, total), total);
  };
  const buffers: ArrayBuffer[] = [];
  for (const [gi, g] of groups.entries()) buffers.push(await fetchGroup(g, gi, baseUrl, fetchImpl, onChunk));
  const tensors: tf.NamedTensorMap = {};
  try {
    groups.forEach((g, gi) => Object.assign(tensors, tf.io.decodeWeights(buffers[gi], g.weights)));
    return new MilaModel(config, tensors, source);
  } catch (e) {
    for (const t of Object.values(tensors)) t.dispose();
    throw e instanceof ModelLoadError ? e : new ModelLoadError(`${source}: ${(e as Error).message}`, { cause: e });
  }
}
