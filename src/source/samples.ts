// The bundled sample clips: public/samples/index.json lists them, each has a manifest.json
// (docs/ARCHITECTURE.md "Ground-truth clips") naming its video file and frame rate.
import { openSampleVideo } from './videoElementSource';
import { SourceError, type FrameSource } from './types';

export interface SampleInfo {
  id: string; // directory name under public/samples/
  name: string;
  videoUrl: string;
  fps: number | null;
  frames: number | null;
}

const SAMPLES_BASE = `${import.meta.env.BASE_URL}samples`;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Accepts ["a","b"], [{id|name|dir}], or {clips|samples: [...]}, to stay robust to the index's shape. */
export function sampleIdsFromIndex(json: unknown): string[] {
  const list = Array.isArray(json) ? json : ((json as Record<string, unknown>)?.clips ?? (json as Record<string, unknown>)?.samples);
  if (!Array.isArray(list)) return [];
  return list
    .map((e) => (typeof e === 'string' ? e : (e as Record<string, unknown>)?.id ?? (e as Record<string, unknown>)?.dir ?? (e as Record<string, unknown>)?.name))
    .filter((id): id is string => typeof id === 'string' && ID.test(id));
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('text/html')) throw new Error('not found (the server answered with a web page)');
  return res.json();
}

async function readManifest(id: string): Promise<SampleInfo> {
  const m = (await fetchJson(`${SAMPLES_BASE}/${id}/manifest.json`)) as Record<string, unknown>;
  const video = typeof m.video === 'string' ? m.video : 'clip.webm';
  return {
    id,
    name: typeof m.name === 'string' ? m.name : id,
    videoUrl: `${SAMPLES_BASE}/${id}/${video}`,
    fps: typeof m.fps === 'number' && m.fps > 0 ? m.fps : null,
    frames: typeof m.frames === 'number' ? m.frames : null,
  };
}

/** Lists the bundled samples; an absent or broken index yields [] plus the reason. */
export async function listSamples(): Promise<{ samples: SampleInfo[]; problem: string | null }> {
  let ids: string[];
  try {
    ids = sampleIdsFromIndex(await fetchJson(`${SAMPLES_BASE}/index.json`));
  } catch (e) {
    return { samples: [], problem: `No bundled samples (${SAMPLES_BASE}/index.json: ${(e as Error).message}).` };
  }
  const results = await Promise.allSettled(ids.map(readManifest));
  const samples = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const bad = ids.filter((_, i) => results[i].status === 'rejected');
  return { samples, problem: bad.length ? `Sample manifest unreadable: ${bad.join(', ')}` : null };
}

export async function openSample(info: SampleInfo): Promise<FrameSource> {
  try {
    return await openSampleVideo(info.videoUrl, info.name, info.fps);
  } catch (e) {
    if (e instanceof SourceError) throw new SourceError('sample-missing', `Sample "${info.name}": ${e.message}`);
    throw e;
  }
}
