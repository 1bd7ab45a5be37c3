// A `fetch` over the local file system, for loading model directories in Node (tests, scripts).
// Accepts plain paths and file:// URLs; a missing file gives a 404 Response like a web server.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const fileFetch: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  try {
    const data = await readFile(path);
    return new Response(data, { status: 200 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return new Response(null, { status: 404, statusText: 'Not Found' });
    throw e;
  }
};
