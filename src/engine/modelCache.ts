// A fetch for the model loader that keeps model files in the Cache Storage API, so a second visit
// loads the weights without the network. model.json is always revalidated; shards are cached
// under the hash of the model.json that lists them, so a re-converted model never mixes shards.

const CACHE_NAME = 'mila-web-models-v1';

export interface CacheReport {
  hits: number; // shard files served from the cache
  misses: number; // shard files fetched from the network
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}

function withVersion(url: string, version: string): string {
  const u = new URL(url, location.href);
  u.searchParams.set('mila-version', version);
  return u.href;
}

/** Returns a fetch wrapper and its hit counters; falls back to plain fetch where caches is absent. */
export function createCachingFetch(): { fetchImpl: typeof fetch; report: CacheReport } {
  const report: CacheReport = { hits: 0, misses: 0 };
  if (typeof caches === 'undefined') return { fetchImpl: (i, init) => fetch(i, init), report };
  let version: string | null = null;

  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const cache = await caches.open(CACHE_NAME);
    if (url.endsWith('model.json')) {
      const res = await fetch(input, { ...init, cache: 'no-cache' });
      if (res.ok) version = await sha256Hex(await res.clone().text());
      return res;
    }
    if (!version) return fetch(input, init);
    const key = withVersion(url, version);
    const hit = await cache.match(key);
    if (hit) {
      report.hits++;
      return hit;
    }
    const res = await fetch(input, init);
    if (res.ok) {
      report.misses++;
      // Only complete responses are cached; the loader validates sizes, a bad shard is not kept.
      await cache.put(key, res.clone()).catch(() => undefined);
    }
    return res;
  }) as typeof fetch;
  return { fetchImpl, report };
}

/** Drops cached files of a model directory (after a load error: the cache may hold a bad file). */
export async function forgetCachedModel(baseUrl: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(CACHE_NAME);
  const prefix = new URL(baseUrl, location.href).href;
  for (const req of await cache.keys()) if (req.url.startsWith(prefix)) await cache.delete(req);
}
