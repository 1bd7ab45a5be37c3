// The CLI's directory server: files under a prefix, byte ranges (video seeking), no escapes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDirectory } from '../../src/eval/node/staticDir';

let server: Server;
let base: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mila-static-'));
  writeFileSync(join(dir, 'clip.webm'), '0123456789');
  const handler = serveDirectory('/__eval/clip/', dir);
  server = createServer((req, res) => handler(req, res, () => ((res.statusCode = 418), res.end('next'))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('serveDirectory', () => {
  it('serves whole files with a content type', async () => {
    const res = await fetch(`${base}/__eval/clip/clip.webm`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/webm');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(await res.text()).toBe('0123456789');
  });

  it('answers byte ranges with 206, and unsatisfiable ones with 416', async () => {
    let res = await fetch(`${base}/__eval/clip/clip.webm`, { headers: { Range: 'bytes=2-5' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await res.text()).toBe('2345');
    res = await fetch(`${base}/__eval/clip/clip.webm`, { headers: { Range: 'bytes=7-' } });
    expect(await res.text()).toBe('789');
    res = await fetch(`${base}/__eval/clip/clip.webm`, { headers: { Range: 'bytes=-2' } });
    expect(await res.text()).toBe('89');
    res = await fetch(`${base}/__eval/clip/clip.webm`, { headers: { Range: 'bytes=20-' } });
    expect(res.status).toBe(416);
  });

  it('404s missing files, refuses paths outside the directory, passes other URLs on', async () => {
    expect((await fetch(`${base}/__eval/clip/nope.png`)).status).toBe(404);
    expect((await fetch(`${base}/__eval/clip/..%2f..%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${base}/other`)).status).toBe(418);
  });
});
