// The runtime in headless Chromium (Debian's, SwiftShader adapter): the tiny model on the webgpu
// (fused ILA kernel) and webgl backends agrees with the cpu backend in the same browser, without
// leaking tensors. Vite serves tests/runtime/browser/backendParity.html; Playwright drives it.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netBound } from '../convert/parityBounds';
import type { BackendRun } from './browser/backendParity';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = Number(process.env.E2E_PORT ?? 5205) + 50; // beside, not on, the e2e server's port

let server: ViteDevServer;
let browser: Browser;

async function runIn(backend: string): Promise<BackendRun> {
  // One page per backend: tfjs keeps one active backend per page.
  const page: Page = await browser.newPage();
  try {
    await page.goto(`http://localhost:${PORT}/tests/runtime/browser/backendParity.html`);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    return (await page.evaluate((b) => window.runBackend(b as 'cpu'), backend)) as BackendRun;
  } finally {
    await page.close();
  }
}

const maxAbs = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.skipIf(!existsSync(CHROMIUM))('runtime backends in Chromium', () => {
  let cpu: BackendRun;

  beforeAll(async () => {
    server = await createServer({ server: { port: PORT, strictPort: true, hmr: false, watch: null }, logLevel: 'warn' });
    await server.listen();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'] });
    cpu = await runIn('cpu');
    expect(cpu.backend).toBe('cpu');
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // a tiny model (~20 layers): the CPU-level float32 bound (parityBounds.ts) holds even with WGSL's and
  // GLSL's few-ulp exp and division
  for (const backend of ['webgpu', 'webgl'] as const) {
    it(`${backend} matches cpu (netBound)`, async () => {
      const r = await runIn(backend);
      expect(r.backend, r.fallbackReason).toBe(backend);
      expect(r.leakedTensors).toBe(0);
      if (backend === 'webgpu') expect(r.fusedIlaCalls).toBe(1); // both tasks in one dispatch
      for (const name of Object.keys(cpu.outputs)) {
        expect(r.outputs[name].length, name).toBe(cpu.outputs[name].length);
        const diff = maxAbs(r.outputs[name], cpu.outputs[name]);
        const bound = netBound(maxAbs(cpu.outputs[name], cpu.outputs[name].map(() => 0)));
        console.log(`${backend} ${name}: max abs diff ${diff.toExponential(2)}`);
        expect(diff, name).toBeLessThan(bound);
      }
    }, 600_000);
  }
});
