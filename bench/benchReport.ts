// The pure half of `npm run bench` (scripts/bench.ts): command-line arguments, the result the
// bench page returns, and its rendering as text tables (stdout), Markdown (--out) and JSON
// (--json), so all are unit-tested (tests/scripts/benchReport.test.ts) without a browser.
import { BACKEND_NAMES, type BackendName, type RunMode } from '../src/runtime/modes';
import { DEFAULT_MODEL_ID, TINY_MODEL_ID } from '../src/runtime/presets';
import type { StreamSummary } from '../src/engine/streamTiming';
import { scanFlags } from '../src/node/cliFlags';

/** The backends the bench accepts, in initBackend's fallback-chain order. */
export const BENCH_BACKENDS: readonly BackendName[] = BACKEND_NAMES;
export const DEFAULT_BENCH_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];
export const DEFAULT_KS: readonly number[] = [1, 2, 5, 10, 20];
export const DEFAULT_MODELS: readonly string[] = [`public/models/${DEFAULT_MODEL_ID}`, `public/models/${TINY_MODEL_ID}`];
export const DEFAULT_CLIP = 'public/samples/street-seed2';
/** 40 frames: a multiple of every default K, so each MILA row holds whole keyframe cycles. */
export const DEFAULT_FRAMES = 40;
/** The K of the reuse row (keyframe outputs copied to the frames between). */
export const REUSE_K = 5;

/** One streamed row: the real frame loop over the clip with one runner setting. */
export interface StreamRow extends StreamSummary {
  label: string; // 'K=5', 'fast-only', 'reuse K=5'
  mode: RunMode;
  k: number;
  ratioToK1: number | null; // mean / mean of the K=1 row of the same run
  gflops: number; // analytic average per frame (cost model)
}

/** Per-net medians, from the streamed frames (slow, fast + ILA, fast) and an ILA-only loop. */
export interface NetMedians {
  slowMs: number | null; // keyframes of the MILA rows
  fastIlaMs: number | null; // fast frames of the MILA rows (fast net + ILA + fuse + heads)
  fastMs: number | null; // the fast-only row (fast net + heads, no ILA)
  ilaMs: number; // the ILA call alone on the model's shapes, full memory
  ilaShare: number | null; // ilaMs / fastIlaMs
  ilaScalarMs?: number | null; // the same call on the scalar JS loop, when the typed kernel runs its SIMD loop (old vs new)
}

export interface BenchResult {
  model: string;
  modelDir: string;
  weights: string; // 'weights of <model dir>'
  input: string; // HxW
  slowDepth: number;
  fastDepth: number;
  ilaGroups: number; // attention groups in one ILA call (2: task-specific, 1: shared)
  backend: string;
  adapter: string;
  ilaImplementation: string;
  videoImport?: boolean; // webgpu: can video frames be imported into WebGPU on this adapter
  clip: string;
  frames: number; // frames per streamed row
  warmUpMs: number; // model.warmUp(): shader compilation / first runs, kept out of the rows
  rows: StreamRow[];
  nets: NetMedians;
  error?: string;
}

export const USAGE = `usage: npm run bench -- [options]

Times the real frame loop (capture, runner step, outputs ready) over a bundled clip in headless
Chromium, for each K plus fast-only and reuse (K=${REUSE_K}), per backend and model: mean, median,
p95, p99 ms per frame, FPS and the ratio to K=1 of the same run; then per-net medians (slow,
fast, fast + ILA, ILA alone; on cpu/wasm also ILA on the scalar JS loop beside the SIMD one).

  --models <dirs>     comma-separated model directories (model.json + shards)
                      (default ${DEFAULT_MODELS.join(',')}); --model <dir> for one
  --backends <list>   comma-separated, of ${BENCH_BACKENDS.join(', ')} (default ${DEFAULT_BENCH_BACKENDS.join(',')})
  --ks <list>         keyframe intervals of the MILA rows (default ${DEFAULT_KS.join(',')}; 1 is always added)
  --frames <N>        frames per row (default ${DEFAULT_FRAMES}; SwiftShader WebGPU: a few, ratios only)
  --clip <dir>        clip directory with manifest.json under public/ (default ${DEFAULT_CLIP})
  --no-extra-rows     only the MILA rows (skip fast-only and reuse)
  --json <file>       also write every result as JSON (for scripts)
  --out <file.md>     also write the tables as Markdown (e.g. RUN_DIR/bench-wasm.md: the model card's own benchmark)
  --port <P>          Vite dev-server port (default $E2E_PORT or 5205)
  --help              this text`;

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export interface BenchArgs {
  models: string[];
  backends: BackendName[];
  ks: number[];
  frames: number;
  clip: string;
  extraRows: boolean;
  json?: string;
  out?: string;
  port: number;
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new BenchUsageError(`${flag} needs a positive integer (got "${value}")`);
  return Number(value);
}

function list(flag: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new BenchUsageError(`${flag} needs at least one item`);
  return [...new Set(items)];
}

/** Parses argv (without node and script); returns null for --help. */
export function parseBenchArgs(argv: string[], env: Record<string, string | undefined> = {}): BenchArgs | null {
  const out: BenchArgs = {
    models: [...DEFAULT_MODELS], backends: [...DEFAULT_BENCH_BACKENDS], ks: [...DEFAULT_KS], frames: DEFAULT_FRAMES,
    clip: DEFAULT_CLIP, extraRows: true, port: Number(env.E2E_PORT ?? 5205),
  };
  const proceed = scanFlags(argv, (m) => new BenchUsageError(m), (flag, value, arg) => {
    switch (flag) {
      case '--frames':
        out.frames = positiveInt(flag, value());
        break;
      case '--port':
        out.port = positiveInt(flag, value());
        break;
      case '--ks':
        out.ks = list(flag, value()).map((k) => positiveInt('--ks', k));
        break;
      case '--model':
        out.models = [value()];
        break;
      case '--models':
        out.models = list(flag, value());
        break;
      case '--clip':
        out.clip = value();
        break;
      case '--no-extra-rows':
        out.extraRows = false;
        break;
      case '--json':
        out.json = value();
        break;
      case '--out':
        out.out = value();
        break;
      case '--backends': {
        const names = list(flag, value());
        const bad = names.filter((b) => !BENCH_BACKENDS.includes(b as BackendName));
        if (bad.length > 0) {
          throw new BenchUsageError(`--backends: unknown backend${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')} (use ${BENCH_BACKENDS.join(', ')})`);
        }
        out.backends = names as BackendName[];
        break;
      }
      default:
        throw new BenchUsageError(`unknown argument "${arg}"`);
    }
  });
  if (!proceed) return null;
  // K=1 is the reference every ratio is taken to.
  out.ks = [...new Set([1, ...out.ks])].sort((a, b) => a - b);
  if (!Number.isInteger(out.port) || out.port < 1) throw new BenchUsageError(`--port / E2E_PORT needs a positive integer (got "${env.E2E_PORT}")`);
  return out;
}

/** Sets each row's ratio of its mean to the K=1 row's mean (null without a K=1 row). */
export function withRatios(rows: Omit<StreamRow, 'ratioToK1'>[]): StreamRow[] {
  const k1 = rows.find((r) => r.mode === 'mila' && r.k === 1);
  return rows.map((r) => ({ ...r, ratioToK1: k1 ? r.meanMs / k1.meanMs : null }));
}

/** GFLOPs to 2 decimals, or 3 significant digits below 1 (a tiny model's 0.0213 is not 0.02). */
export function formatGflops(g: number): string {
  return g >= 1 || g === 0 ? g.toFixed(2) : g.toPrecision(3);
}

/** The storage types of a model.json's weights (dtype, or the quantized dtype), e.g. ['float16']. */
export function storedWeightTypes(modelJson: unknown): string[] {
  const groups = (modelJson as { weightsManifest?: { weights?: { dtype?: string; quantization?: { dtype?: string } }[] }[] }).weightsManifest ?? [];
  const types = groups.flatMap((g) => (g.weights ?? []).map((w) => w.quantization?.dtype ?? w.dtype ?? 'float32'));
  return [...new Set(types)].sort();
}

const msText = (v: number | null) => (v === null ? '-' : v.toFixed(1));

function describeRun(r: BenchResult): string[] {
  const lines = [`${r.model} on ${r.backend} (${r.adapter}); ${r.modelDir} at ${r.input}, ${r.weights}`];
  if (r.videoImport !== undefined) lines.push(`video frames into WebGPU: ${r.videoImport ? 'importable' : 'not importable on this adapter (WEBGPU_IMPORT_EXTERNAL_TEXTURE off)'}`);
  lines.push(`ILA implementation: ${r.ilaImplementation}; ${r.frames} frames of ${r.clip} per row; warm-up ${r.warmUpMs.toFixed(0)} ms (not in the rows)`);
  return lines;
}

type Column = [header: string, width: number, cell: (row: StreamRow) => string];

const STREAM_COLUMNS: Column[] = [
  ['stream', 12, (r) => r.label],
  ['mean', 9, (r) => r.meanMs.toFixed(1)],
  ['median', 9, (r) => r.medianMs.toFixed(1)],
  ['p95', 9, (r) => r.p95Ms.toFixed(1)],
  ['p99', 9, (r) => r.p99Ms.toFixed(1)],
  ['FPS', 8, (r) => r.fps.toFixed(1)],
  ['x K=1', 8, (r) => (r.ratioToK1 === null ? '-' : r.ratioToK1.toFixed(2))],
  ['GFLOPs', 9, (r) => formatGflops(r.gflops)],
];

function netRows(r: BenchResult): [string, string][] {
  const n = r.nets;
  return [
    [`slow (D${r.slowDepth})`, msText(n.slowMs)],
    [`fast (D${r.fastDepth}, no ILA)`, msText(n.fastMs)],
    [`fast + ILA`, msText(n.fastIlaMs)],
    [`ILA alone (${r.ilaGroups === 1 ? 'shared' : `${r.ilaGroups} tasks`})`, `${n.ilaMs.toFixed(2)}${n.ilaShare === null ? '' : ` (${(100 * n.ilaShare).toFixed(0)}% of fast + ILA)`}`],
    ...(n.ilaScalarMs == null ? [] : [[`ILA, scalar JS loop`, `${n.ilaScalarMs.toFixed(2)} (${(n.ilaScalarMs / n.ilaMs).toFixed(1)}x the SIMD loop)`] as [string, string]]),
  ];
}

/** One model x backend result as fixed-width text: the stream table, then the per-net medians. */
export function textTable(r: BenchResult): string {
  if (r.error) return `${r.model ? `${r.model} on ` : ''}backend ${r.backend}: FAILED: ${r.error}`;
  const lines = describeRun(r);
  lines.push(STREAM_COLUMNS.map(([h, w], i) => (i === 0 ? h.padEnd(w) : h.padStart(w))).join(''));
  for (const row of r.rows) lines.push(STREAM_COLUMNS.map(([, w, cell], i) => (i === 0 ? cell(row).padEnd(w) : cell(row).padStart(w))).join(''));
  lines.push('(ms per frame: capture + runner step + outputs ready, every frame of the stream)');
  lines.push('per-net medians, ms:');
  for (const [what, ms] of netRows(r)) lines.push(`  ${what.padEnd(24)}${ms}`);
  return lines.join('\n');
}

/** One model x backend result as a Markdown section. */
export function markdownSection(r: BenchResult): string {
  if (r.error) return `## ${r.model ? `${r.model}, ` : ''}${r.backend}\n\nFAILED: ${r.error}`;
  const lines = [`## ${r.model}, ${r.backend}`, '', describeRun(r).join('  \n'), ''];
  lines.push('| stream | mean ms | median ms | p95 ms | p99 ms | FPS | × K=1 | GFLOPs |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of r.rows) lines.push(`| ${STREAM_COLUMNS.map(([, , cell]) => cell(row)).join(' | ')} |`);
  lines.push('', '| net | median ms |', '|---|---:|');
  for (const [what, ms] of netRows(r)) lines.push(`| ${what} | ${ms} |`);
  lines.push('', 'ms per frame: capture + runner step + outputs ready, every frame of the stream (keyframes included).');
  return lines.join('\n');
}

export interface BenchRunInfo {
  title: string;
  description: string; // browser, machine
  date: string;
}

/** The whole --out file: a title, what was run, then a section per model x backend. */
export function markdownReport(info: BenchRunInfo, results: BenchResult[]): string {
  const parts = [`# Benchmark: ${info.title}`, `${info.description}, ${info.date}.`, ...results.map(markdownSection)];
  return `${parts.join('\n\n')}\n`;
}

/** The --json file: run description plus every result as the page returned it. */
export function jsonReport(info: BenchRunInfo, args: BenchArgs, results: BenchResult[]): string {
  const { port: _port, json: _json, out: _out, ...settings } = args;
  return `${JSON.stringify({ ...info, settings, results }, null, 2)}\n`;
}
