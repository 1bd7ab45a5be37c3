// npm run eval -- --model <dir> --clip <dir> [--k 1,5,10] [--frames N] [--json] [--backend B]
// Headless ground-truth evaluation and K sweep: serves the repository with Vite (plus the two
// directories), drives eval.html in Debian's Chromium (WebGPU flags as in playwright.config.ts)
// and prints the sweep table. Metric code is src/eval/, the same the app uses.
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { checkClassesMatch } from '../src/eval/clipManifest';
import { CliUsageError, parseEvalArgs, USAGE, type EvalCliArgs } from '../src/eval/cliArgs';
import { localisePaths, type Mount } from '../src/eval/node/mountPaths';
import { readModelConfig } from '../src/eval/node/modelJson';
import { readClipManifest } from '../src/eval/node/nodeGroundTruth';
import { serveDirectory } from '../src/eval/node/staticDir';
import { PROGRESS_PREFIX, type EvalPageParams, type EvalPageResult } from '../src/eval/page/protocol';
import { toJSON, toMarkdown } from '../src/eval/table';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Same flags as playwright.config.ts: SwiftShader WebGPU on machines without a GPU.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];

const MODEL_URL = '/__eval/model/';
const CLIP_URL = '/__eval/clip/';

class EvalFailure extends Error {}

/** Checks the directories before starting a browser, so bad paths fail fast and clearly. */
function checkInputs(args: EvalCliArgs): { modelDir: string; clipDir: string } {
  const modelDir = resolve(args.model);
  let classes: string[];
  try {
    classes = readModelConfig(modelDir, args.model).segmentation.classes;
  } catch (e) {
    throw new EvalFailure((e as Error).message);
  }
  const clipDir = resolve(args.clip);
  try {
    const manifest = readClipManifest(clipDir);
    checkClassesMatch(classes, manifest, join(clipDir, 'manifest.json'));
    if (!existsSync(join(clipDir, manifest.video))) throw new Error(`${join(clipDir, manifest.video)} (the manifest's video) does not exist`);
  } catch (e) {
    throw new EvalFailure((e as Error).message);
  }
  return { modelDir, clipDir };
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function startServer(modelDir: string, clipDir: string): Promise<{ server: ViteDevServer; port: number }> {
  const port = await freePort();
  const { createServer } = await import('vite'); // loaded lazily: argument errors stay fast
  const server = await createServer({
    root: REPO,
    logLevel: 'error',
    // No file watching: edits elsewhere in the tree must not reload the page mid-run.
    server: { port, strictPort: true, host: '127.0.0.1', hmr: false, watch: null },
    optimizeDeps: { entries: ['eval.html'] },
    plugins: [
      {
        name: 'mila-eval-directories',
        configureServer(s) {
          s.middlewares.use(serveDirectory(MODEL_URL, modelDir));
          s.middlewares.use(serveDirectory(CLIP_URL, clipDir));
        },
      },
    ],
  });
  await server.listen();
  return { server, port };
}

const isNavigationError = (e: unknown) => /Execution context was destroyed|navigation/i.test(String((e as Error)?.message));

/** Loads eval.html and runs the sweep; retried once if Vite reloads the page (first dependency optimisation). */
async function runInPage(browser: Browser, origin: string, params: EvalPageParams, mounts: Mount[]): Promise<EvalPageResult> {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith(PROGRESS_PREFIX)) process.stderr.write(`${m.text()}\n`);
    else if (m.type() === 'error') process.stderr.write(`[page] ${m.text()}\n`);
  });
  page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(`${origin}/eval.html`);
      await page.waitForFunction(() => window.milaEval !== undefined, null, { timeout: 120_000 });
      return await page.evaluate((p) => window.milaEval!.run(p), params);
    } catch (e) {
      if (attempt < 2 && isNavigationError(e)) {
        process.stderr.write(`${PROGRESS_PREFIX} the page reloaded (dependency optimisation); starting again\n`);
        continue;
      }
      const message = String((e as Error).message).replace(/^page\.evaluate: (Error: )?/, '').split('\n    at ')[0];
      throw new EvalFailure(localisePaths(message, mounts)); // name the user's files, not the page's URLs
    }
  }
}

async function main(): Promise<number> {
  let args: EvalCliArgs | null;
  try {
    args = parseEvalArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    process.stderr.write(`mila-eval: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { modelDir, clipDir } = checkInputs(args);
  const { server, port } = await startServer(modelDir, clipDir);
  let browser: Browser | null = null;
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const result = await runInPage(browser, `http://127.0.0.1:${port}`, {
      modelUrl: MODEL_URL,
      clipUrl: CLIP_URL,
      ks: args.ks,
      baselines: args.baselines,
      baselineK: args.baselineK,
      frames: args.frames,
      backend: args.backend,
    }, [{ url: MODEL_URL, dir: modelDir }, { url: CLIP_URL, dir: clipDir }]);
    if (args.json) {
      process.stdout.write(`${toJSON(result.rows, result.info)}\n`);
    } else {
      const i = result.info;
      process.stdout.write(`model ${i.model} (${args.model}), clip ${i.clip} (${args.clip}), backend ${i.backend}: ${i.adapter}\n\n`);
      process.stdout.write(`${toMarkdown(result.rows)}\n`);
    }
    return 0;
  } finally {
    await browser?.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`mila-eval: error: ${e instanceof EvalFailure ? e.message : (e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
