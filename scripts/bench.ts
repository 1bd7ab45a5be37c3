// npm run bench [-- --reps N --backends webgpu,webgl --port P --size full|tiny]
// Times the full-size MILA model (random weights, 256x512) in headless Chromium through a
// Vite-served page (bench/index.html): slow frame, fast frame, ILA kernel, and the average per
// frame at K = 1, 5, 10, for WebGPU then WebGL. A benchmark, not a test. On this machine the
// WebGPU adapter is SwiftShader (CPU), so a slow frame takes about a minute: few reps by default.
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import type { BenchResult } from '../bench/benchPage';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const reps = Number(arg('reps', '3'));
const backends = arg('backends', 'webgpu,webgl').split(',');
const size = arg('size', 'full');
if (size !== 'full' && size !== 'tiny') throw new Error(`--size must be full or tiny (got ${size})`);
const port = Number(arg('port', process.env.E2E_PORT ?? '5205'));
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer (got ${arg('reps', '')})`);

const pad = (s: string, n: number) => s.padStart(n);

function table(r: BenchResult): string {
  const rows: string[] = [];
  rows.push(`backend ${r.backend}, adapter: ${r.adapter}, model ${r.model} at ${r.input}`);
  if (r.videoImport !== undefined) rows.push(`video frames into WebGPU: ${r.videoImport ? 'importable' : 'not importable on this adapter (WEBGPU_IMPORT_EXTERNAL_TEXTURE off)'}`);
  rows.push(`ILA implementation: ${r.ilaImplementation}; median of ${r.reps} (ILA: of ${Math.max(r.reps, 5)}); first call (shader compile) slow ${r.firstSlowMs.toFixed(0)} ms, fast ${r.firstFastMs.toFixed(0)} ms`);
  rows.push(`${'what'.padEnd(22)}${pad('ms', 12)}${pad('x K=1', 9)}${pad('GFLOPs', 10)}`);
  const line = (what: string, ms: number, ratio: string, gflops: number) =>
    rows.push(`${what.padEnd(22)}${pad(ms.toFixed(1), 12)}${pad(ratio, 9)}${pad(gflops.toFixed(2), 10)}`);
  line('slow frame (D101)', r.slowMs, '', r.slowGflops);
  line('fast frame (D18+ILA)', r.fastMs, '', r.fastGflops);
  line('ILA kernel (2 tasks)', r.ilaMs, '', r.ilaGflops);
  for (const k of [1, 5, 10]) {
    const ms = (r.slowMs + (k - 1) * r.fastMs) / k;
    const gf = (r.slowGflops + (k - 1) * r.fastGflops) / k;
    line(`average per frame K=${k}`, ms, (ms / r.slowMs).toFixed(2), gf);
  }
  rows.push('(averages derived from the slow and fast medians: (slow + (K-1) fast) / K)');
  return rows.join('\n');
}

async function main(): Promise<void> {
  // No HMR and no file watching: an edit anywhere in the shared tree must not reload the page mid-run.
  const server = await createServer({ server: { port, strictPort: true, hmr: false, watch: null }, logLevel: 'warn' });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  try {
    console.log(`mila-web benchmark: ${size === 'full' ? 'full-size D101/D18 MILA' : 'tiny model'}, random weights, headless Chromium ${browser.version()}`);
    for (const backend of backends) {
      // A fresh page per backend so the two do not share GPU memory or compiled programs.
      const page = await browser.newPage();
      page.setDefaultTimeout(0);
      page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
      await page.goto(`http://localhost:${port}/bench/index.html`);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      const result = (await page.evaluate(([b, n, s]) => window.runBench(b as 'webgpu', n as number, s as 'full'), [backend, reps, size] as const)) as BenchResult;
      console.log('');
      console.log(result.error ? `backend ${backend}: FAILED: ${result.error}` : table(result));
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
