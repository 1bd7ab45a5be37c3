// npm run bench [-- --models DIR,DIR] [--backends webgpu,webgl,wasm] [--ks 1,2,5,10,20] [--frames N]
//                  [--json file] [--out file.md] [--port P]        (--help: bench/benchReport.ts USAGE)
// Times the real frame loop of each model directory over a bundled clip in headless Chromium
// through a Vite-served page (bench/index.html), one fresh page per model x backend: every K,
// fast-only and reuse as streams (mean, median, p95, p99, FPS, ratio to K=1), then per-net
// medians. Default: the shipped model and the tiny one on webgpu, webgl and wasm. A benchmark,
// not a test. On this machine the WebGPU adapter is SwiftShader (CPU): a full-size slow frame
// takes seconds there, so run WebGPU with a few --frames and read its ratios only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer } from 'vite';
import type { BenchModel, BenchPageOptions } from '../bench/benchPage';
import {
  BenchUsageError, jsonReport, markdownReport, parseBenchArgs, storedWeightTypes, textTable, USAGE, type BenchArgs, type BenchResult,
} from '../bench/benchReport';
import { serveDirectory } from '../src/eval/node/staticDir';
import { parseModelConfig, type ModelConfig } from '../src/runtime/config';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const MODEL_PREFIX = '/__bench/model/';

class BenchFailure extends Error {}

/** Checks --model before starting anything: model.json must exist and parse. */
function readModel(dir: string): { config: ModelConfig; weightTypes: string[] } {
  const modelJson = join(resolve(dir), 'model.json');
  if (!existsSync(modelJson)) throw new BenchFailure(`no model at ${dir}: ${modelJson} does not exist (npm run make-tiny builds public/models/tiny)`);
  try {
    const json: unknown = JSON.parse(readFileSync(modelJson, 'utf8'));
    return { config: parseModelConfig(json, modelJson), weightTypes: storedWeightTypes(json) };
  } catch (e) {
    throw new BenchFailure(`${modelJson}: ${(e as Error).message}`);
  }
}

const isNavigationError = (e: unknown) => /Execution context was destroyed|navigation/i.test(String((e as Error)?.message));

/** Checks --clip: a directory under public/ holding manifest.json; returns its URL path. */
function clipUrl(dir: string): string {
  const abs = resolve(dir);
  const publicDir = join(REPO, 'public');
  if (!abs.startsWith(`${publicDir}/`)) throw new BenchFailure(`--clip ${dir}: must be a directory under ${publicDir} (Vite serves it to the page)`);
  if (!existsSync(join(abs, 'manifest.json'))) throw new BenchFailure(`--clip ${dir}: no manifest.json there`);
  return `${abs.slice(publicDir.length)}/`;
}

/** One model x backend on a fresh page (no shared GPU memory or compiled programs); retried once if Vite reloads the page. */
async function benchBackend(browser: Browser, origin: string, backend: string, model: BenchModel, opts: BenchPageOptions): Promise<BenchResult> {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(`${origin}/bench/index.html`);
        await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 120_000 });
        return (await page.evaluate(([b, m, o]) => window.runBench(b as 'webgpu', m as BenchModel, o as BenchPageOptions), [backend, model, opts] as const)) as BenchResult;
      } catch (e) {
        if (attempt < 2 && isNavigationError(e)) {
          process.stderr.write('[bench] the page reloaded (dependency optimisation); starting again\n');
          continue;
        }
        return { backend, modelDir: model.dir, error: String((e as Error).message).replace(/^page\.\w+: (Error: )?/, '').split('\n')[0] } as BenchResult;
      }
    }
  } finally {
    await page.close();
  }
}

async function run(args: BenchArgs): Promise<void> {
  const models = args.models.map((dir) => ({ dir, ...readModel(dir) }));
  const clip = clipUrl(args.clip);
  const prefix = (i: number) => `${MODEL_PREFIX}${i}/`;
  // No HMR and no file watching: an edit anywhere in the shared tree must not reload the page mid-run.
  // vite.config.ts (loaded from root) sends COOP/COEP, so the wasm backend gets its threads, as in the app.
  const server = await createServer({
    root: REPO,
    server: { port: args.port, strictPort: true, hmr: false, watch: null },
    logLevel: 'warn',
    plugins: [{
      name: 'mila-bench-models',
      configureServer: (s) => models.forEach((m, i) => void s.middlewares.use(serveDirectory(prefix(i), resolve(m.dir)))),
    }],
  });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
  const results: BenchResult[] = [];
  let description: string;
  try {
    const cpu = cpus();
    const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} logical cores, load average ${loadavg()[0].toFixed(2)} at the start)`;
    description = `headless Chromium ${browser.version()} on ${machine}; ${args.frames} frames of ${args.clip} per row`;
    console.log(`mila-web streamed benchmark: ${description}`);
    const opts: BenchPageOptions = { ks: args.ks, frames: args.frames, clipUrl: clip, clipLabel: args.clip, extraRows: args.extraRows };
    for (const [i, m] of models.entries()) {
      for (const backend of args.backends) {
        console.log(`\n${m.config.name} (${m.dir}, ${m.weightTypes.join('/') || 'float32'} weights) on ${backend}`);
        const result = await benchBackend(browser, `http://localhost:${args.port}`, backend, { url: prefix(i), dir: m.dir }, opts);
        results.push(result);
        console.log(textTable(result));
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const info = { title: models.map((m) => m.config.name).join(', '), description, date: new Date().toISOString().slice(0, 10) };
  if (args.out) {
    writeFileSync(args.out, markdownReport(info, results));
    console.log(`\nwrote ${args.out}`);
  }
  if (args.json) {
    writeFileSync(args.json, jsonReport(info, args, results));
    console.log(`wrote ${args.json}`);
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

async function main(): Promise<number> {
  let args: BenchArgs | null;
  try {
    args = parseBenchArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    process.stderr.write(`mila-bench: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await run(args);
  } catch (e) {
    if (!(e instanceof BenchFailure)) throw e;
    process.stderr.write(`mila-bench: ${e.message}\n`);
    return 1;
  }
  return process.exitCode === 1 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
