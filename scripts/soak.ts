// npm run soak [-- --backends wasm,webgpu --model <id> --frames 1000 ...]   (--help: src/node/soakReport.ts)
// Endurance run, not part of CI: the app itself in headless Chromium plays a bundled clip in a loop,
// K changes every --k-every frames through the K slider, and every --report-every frames playback is
// paused (one step, so no frame is in flight), the JS heap is garbage-collected and the memory figures
// are printed; at the end, a verdict per backend (src/node/soakReport.ts says what "flat" means).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { BASE_ARGS, WEBGPU_CANVAS_ARGS } from '../e2e/helpers/browser';
import type { MilaDebugHandle } from '../src/engine/debugHandle';
import { K_CYCLE, parseSoakArgs, progressBar, readingLine, SOAK_USAGE, SoakUsageError, soakVerdict, type SoakArgs, type SoakReading } from '../src/node/soakReport';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const POLL_MS = 200;

type Mila = { __mila: MilaDebugHandle };
/** Evaluates `f(window.__mila)` in the page (f must be self-contained: it is sent as source text). */
const mila = <T>(page: Page, f: (m: MilaDebugHandle) => T) => page.evaluate(`(${f.toString()})(window.__mila)`) as Promise<Awaited<T>>;

async function waitForReady(page: Page): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const phase = await page.evaluate(() => (window as unknown as Partial<Mila>).__mila?.phase ?? 'none').catch(() => 'reloading');
    if (phase === 'ready') return;
    if (phase === 'failed') throw new Error(`the model did not load: ${JSON.stringify(await mila(page, (m) => m.messages))}`);
    if (Date.now() > deadline) throw new Error(`not ready after 15 min (phase ${phase})`);
    await page.waitForTimeout(500);
  }
}

/** Sets K the way a user does: through the slider (React listens to input events). */
async function setK(page: Page, k: number): Promise<void> {
  await page.evaluate((value) => {
    const el = document.querySelector<HTMLInputElement>('[data-testid="k-slider"]')!;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, String(value));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, k);
  const now = await mila(page, (m) => m.k);
  if (now !== k) throw new Error(`K did not change to ${k} (the engine runs at K=${now})`);
}

/**
 * Pauses and takes a reading in the same state every time: K = 1 for one step makes the frame on screen a
 * keyframe (a keyframe's retained prediction holds other tensors than a fast frame's), and the step
 * waits for the frame in flight, so nothing is left running. K is then set back to `k`.
 */
async function reading(page: Page, cdp: import('playwright-core').CDPSession, k: number): Promise<SoakReading> {
  await page.getByTestId('pause').click();
  await setK(page, 1);
  await mila(page, (m) => m.step(1));
  await setK(page, k);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const r = await mila(page, (m) => ({ frame: m.framesProcessed, memory: m.memory }));
  if (!r.memory) throw new Error('no tfjs backend at the reading');
  return {
    frame: r.frame,
    numTensors: r.memory.numTensors,
    tensorBytes: r.memory.numBytes,
    gpuBytes: r.memory.gpuBytes,
    gpuPoolBytes: r.memory.gpuPoolBytes,
    wasmHeapBytes: r.memory.wasmHeapBytes,
    jsHeapBytes: usedSize,
  };
}

async function soakBackend(page: Page, origin: string, backend: string, a: SoakArgs): Promise<boolean> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A dev server's first load transforms every module: on a busy 2-core machine that outlasts 30 s.
  await page.goto(`${origin}/?model=${a.model}&backend=${backend}&src=${a.sample}&play=0&loop=1&k=${K_CYCLE[0]}`, { timeout: 180_000 });
  await waitForReady(page);
  const actual = await mila(page, (m) => m.backend);
  if (actual !== backend) throw new Error(`asked for ${backend}, running on ${actual}: ${JSON.stringify(await mila(page, (m) => m.messages))}`);
  console.log(`\n${backend}: model ${a.model}, sample ${a.sample}, adapter ${await mila(page, (m) => m.adapter)}`);
  const cdp = await page.context().newCDPSession(page);
  const readings: SoakReading[] = [];
  const start = Date.now();
  let nextK = a.kEvery;
  let nextReport = a.reportEvery;
  let kIndex = 0;
  await page.getByTestId('play').click();
  for (;;) {
    const done = await mila(page, (m) => m.framesProcessed);
    if (process.stderr.isTTY) process.stderr.write(`\r${progressBar(done, a.frames, Date.now() - start)}`);
    if (done >= nextK) {
      kIndex = (kIndex + 1) % K_CYCLE.length;
      await setK(page, K_CYCLE[kIndex]);
      nextK += a.kEvery;
    }
    if (done >= nextReport) {
      const r = await reading(page, cdp, K_CYCLE[kIndex]);
      readings.push(r);
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      console.log(`${readingLine(backend, r)}   ${progressBar(r.frame, a.frames, Date.now() - start, 20)}`);
      nextReport += a.reportEvery;
      if (r.frame >= a.frames) break;
      await page.getByTestId('play').click();
    }
    await page.waitForTimeout(POLL_MS);
  }
  const { flat, growth } = soakVerdict(readings);
  const lastError = await mila(page, (m) => m.lastError);
  const first = readings[0];
  const last = readings[readings.length - 1];
  console.log(`${backend} verdict: ${flat ? 'FLAT' : 'GROWING'} from frame ${first.frame} to ${last.frame}${growth.length ? ` (${growth.join('; ')})` : ''}` +
    `${errors.length ? `; page errors: ${errors.join(' | ')}` : ''}${lastError ? `; last error: ${lastError}` : ''}`);
  return flat && errors.length === 0;
}

async function run(a: SoakArgs): Promise<boolean> {
  if (!existsSync(`${REPO}public/models/${a.model}/model.json`)) throw new SoakUsageError(`no model public/models/${a.model}/model.json`);
  if (!existsSync(`${REPO}public/samples/${a.sample}/manifest.json`)) throw new SoakUsageError(`no sample public/samples/${a.sample}/manifest.json`);
  // No HMR and no file watching: an edit anywhere in the tree must not reload the page mid-run.
  const server = await createServer({ root: REPO, server: { port: a.port, strictPort: true, hmr: false, watch: null }, logLevel: 'warn' });
  await server.listen();
  const env = { ...process.env, VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...BASE_ARGS, ...WEBGPU_CANVAS_ARGS], env });
  let allFlat = true;
  try {
    for (const backend of a.backends) {
      const context = await browser.newContext();
      try {
        allFlat = (await soakBackend(await context.newPage(), `http://localhost:${a.port}`, backend, a)) && allFlat;
      } catch (e) {
        console.log(`${backend} verdict: ERROR ${(e as Error).message}`);
        allFlat = false;
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return allFlat;
}

async function main(): Promise<number> {
  let args: SoakArgs | null;
  try {
    args = parseSoakArgs(process.argv.slice(2));
    if (args === null) {
      console.log(SOAK_USAGE);
      return 0;
    }
    return (await run(args)) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof SoakUsageError)) throw e;
    process.stderr.write(`mila-soak: ${e.message}\n\n${SOAK_USAGE}\n`);
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
