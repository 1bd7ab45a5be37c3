// src/engine/modelAbout.ts: the about.json beside a model (what the page says under the model name).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fetchModelAbout, parseModelAbout } from '../../src/engine/modelAbout';
import { DEFAULT_MODEL_ID } from '../../src/runtime/presets';

const BASE = '/models/m/';
const answer = (status: number, body: string, type = 'application/json') =>
  (async () => new Response(status === 204 ? null : body, { status, headers: { 'content-type': type } })) as unknown as typeof fetch;

describe('model about.json', () => {
  it('gives the summary and the card URL inside the model directory', () => {
    expect(parseModelAbout({ summary: ' Trained on X. ', card: 'README.md' }, BASE)).toEqual({ summary: 'Trained on X.', cardUrl: '/models/m/README.md' });
  });

  it('names the file and the field on bad input', () => {
    expect(() => parseModelAbout([], BASE)).toThrow('/models/m/about.json: expected a JSON object');
    expect(() => parseModelAbout({ card: 'README.md' }, BASE)).toThrow('"summary" must be a non-empty string');
    expect(() => parseModelAbout({ summary: 's', card: '' }, BASE)).toThrow('"card" must be a non-empty string');
    for (const card of ['../x.md', 'https://example.org/a', 'a/b.md', '.hidden']) {
      expect(() => parseModelAbout({ summary: 's', card }, BASE)).toThrow(/"card" must be a file name in the model directory/);
    }
  });

  it('is absent (null) on 404 or on the dev server\'s HTML fallback, an error on other failures', async () => {
    await expect(fetchModelAbout(BASE, answer(404, ''))).resolves.toBeNull();
    await expect(fetchModelAbout(BASE, answer(200, '<!doctype html>', 'text/html'))).resolves.toBeNull();
    await expect(fetchModelAbout(BASE, answer(500, ''))).rejects.toThrow('/models/m/about.json answered 500');
    await expect(fetchModelAbout(BASE, answer(200, '{'))).rejects.toThrow(/not valid JSON/);
    await expect(fetchModelAbout(BASE, answer(200, '{"summary": "s", "card": "README.md"}'))).resolves.toEqual({ summary: 's', cardUrl: '/models/m/README.md' });
  });

  it('the shipped default model has one, and its card exists', () => {
    const about = parseModelAbout(JSON.parse(readFileSync(`public/models/${DEFAULT_MODEL_ID}/about.json`, 'utf8')), BASE);
    expect(about.summary).toMatch(/^Trained on rendered street video/);
    expect(about.summary).toMatch(/real street photos/);
    expect(readFileSync(`public/models/${DEFAULT_MODEL_ID}/${about.cardUrl.slice(BASE.length)}`, 'utf8')).toMatch(/## Real footage/);
  });
});
