// A model's about.json (written beside model.json by scripts/model-card.ts): the line the page shows
// next to the model name, saying what the model was trained on and how it does on real footage, and
// where its model card is. Optional: a model without one (the tiny test model) shows no line.

export interface ModelAbout {
  summary: string;
  cardUrl: string; // the model directory's URL + the card's file name
}

/** Checks the file's shape; throws with the URL and the field on bad input. `baseUrl`: the model directory. */
export function parseModelAbout(json: unknown, baseUrl: string): ModelAbout {
  const url = `${baseUrl}about.json`;
  const o = json as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`${url}: expected a JSON object`);
  for (const key of ['summary', 'card'] as const) {
    if (typeof o[key] !== 'string' || (o[key] as string).trim() === '') throw new Error(`${url}: "${key}" must be a non-empty string`);
  }
  const card = o.card as string;
  // A file of the model directory, nothing else: the line must not link elsewhere.
  if (!/^[\w.-]+$/.test(card) || card.startsWith('.')) throw new Error(`${url}: "card" must be a file name in the model directory (got "${card}")`);
  return { summary: (o.summary as string).trim(), cardUrl: baseUrl + card };
}

/** `baseUrl`: the model directory (ending in /). null when the model has no about.json. */
export async function fetchModelAbout(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<ModelAbout | null> {
  const url = `${baseUrl}about.json`;
  const res = await fetchImpl(url, { cache: 'no-cache' });
  // The dev server answers a missing file with its HTML page: that is "no about.json" too.
  if (res.status === 404 || (res.ok && (res.headers.get('content-type') ?? '').includes('text/html'))) return null;
  if (!res.ok) throw new Error(`${url} answered ${res.status} ${res.statusText}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch (e) {
    throw new Error(`${url}: not valid JSON (${(e as Error).message})`);
  }
  return parseModelAbout(json, baseUrl);
}
