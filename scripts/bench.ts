// npm run bench [-- --model <dir> | --size full|tiny] [--backends webgpu,webgl,wasm,cpu] [--reps N]
//                  [--out file.md] [--port P]        (--help: bench/benchReport.ts USAGE)
// Times a MILA model in headless Chromium through a Vite-served page (bench/index.html): slow
// frame, fast frame, ILA kernel, and the average per frame at K = 1, 5, 10, per backend (default
// WebGPU then WebGL). Without --model: the full-size preset (random weights, 256x512); with
// --model: that model directory's architecture at its own input size, with its own weights
// (served to the page like scripts/eval.ts does). --out also writes the tables as Markdown (a
// model card's bench.md). A benchmark, not a test. On this machine the WebGPU adapter is
// SwiftShader (CPU), so a full-size slow frame takes about a minute: few reps by default.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createServer } from 'vite';
import type { BenchModel } from '../bench/benchPage';
import { BenchUsageError, markdownReport, parseBenchArgs, storedWeightTypes, textTable, USAGE, type BenchArgs, type BenchResult } from '../bench/benchReport';
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

/** One backend on a fresh page (no shared GPU memory or compiled programs); retried once if Vite reloads the page. */
async function benchBackend(browser: Browser, origin: string, backend: string, reps: number, model: BenchModel): Promise<BenchResult> {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  page.on('console', (m) => process.stderr.write(`[page] ${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(`${origin}/bench/index.html`);
        await page.waitForFunction(() => typeof window.runBench === 'function', null, { timeout: 120_000 });
        return (await page.evaluate(([b, n, m]) => window.runBench(b as 'webgpu', n as number, m as BenchModel), [backend, reps, model] as const)) as BenchResult;
      } catch (e) {
        if (attempt < 2 && isNavigationError(e)) {
          process.stderr.write('[bench] the page reloaded (dependency optimisation); starting again\n');
          continue;
        }
        return { backend, error: String((e as Error).message).replace(/^page\.\w+: (Error: )?/, '').split('\n')[0] } as BenchResult;
      }
    }
  } finally {
    await page.close();
  }
}

async function run(args: BenchArgs): Promise<void> {
  const shipped = args.model === undefined ? undefined : readModel(args.model);
  const modelConfig = shipped?.config;
  const modelDir = args.model === undefined ? undefined : resolve(args.model);
  const model: BenchModel = modelDir === undefined ? { size: args.size } : { url: MODEL_PREFIX, label: args.model! };
  // No HMR and no file watching: an edit anywhere in the shared tree must not reload the page mid-run.
  // vite.config.ts (loaded from root) sends COOP/COEP, so the wasm backend gets its threads, as in the app.
  const server = await createServer({
    root: REPO,
    server: { port: args.port, strictPort: true, hmr: false, watch: null },
    logLevel: 'warn',
    plugins: modelDir === undefined ? [] : [{ name: 'mila-bench-model', configureServer: (s) => void s.middlewares.use(serveDirectory(MODEL_PREFIX, modelDir)) }],
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
    const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} (${cpu.length} logical cores)`;
    const what = modelConfig
      ? `model ${modelConfig.name} (${args.model}, its ${shipped!.weightTypes.join('/') || 'float32'} weights) at ${modelConfig.input.height}x${modelConfig.input.width}`
      : `${args.size === 'full' ? 'full-size D101/D18 MILA' : 'tiny model'}, random weights`;
    description = `${what}, headless Chromium ${browser.version()} on ${machine}`;
    console.log(`mila-web benchmark: ${description}`);
    for (const backend of args.backends) {
      const result = await benchBackend(browser, `http://localhost:${args.port}`, backend, args.reps, model);
      results.push(result);
      console.log('');
      console.log(textTable(result));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (args.out) {
    const title = modelConfig ? modelConfig.name : `${args.size} preset (random weights)`;
    writeFileSync(args.out, markdownReport({ title, description, date: new Date().toISOString().slice(0, 10) }, results));
    console.log(`\nwrote ${args.out}`);
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
