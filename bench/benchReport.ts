// The pure half of `npm run bench` (scripts/bench.ts): command-line arguments, the result the
// bench page returns, and its rendering as a text table (stdout) and as Markdown (--out), so
// both are unit-tested (tests/scripts/benchReport.test.ts) without a browser.
import { BACKEND_NAMES, type BackendName } from '../src/runtime/modes';
import { scanFlags } from '../src/node/cliFlags';

/** The backends the bench accepts, in initBackend's fallback-chain order. */
export const BENCH_BACKENDS: readonly BackendName[] = BACKEND_NAMES;

export interface BenchResult {
  model: string;
  weights: string; // 'random weights' or 'weights of <model dir>'
  input: string; // HxW
  slowDepth: number; // backbone depths, for the row labels (D101 / D18)
  fastDepth: number;
  ilaGroups: number; // attention groups in one ILA call (2: task-specific, 1: shared)
  backend: string;
  adapter: string;
  ilaImplementation: string;
  videoImport?: boolean; // webgpu: can video frames be imported into WebGPU on this adapter
  reps: number;
  firstSlowMs: number; // includes shader compilation
  firstFastMs: number;
  slowMs: number; // medians
  fastMs: number;
  ilaMs: number;
  slowGflops: number;
  fastGflops: number;
  ilaGflops: number;
  error?: string;
}

export const BENCH_KS = [1, 5, 10] as const;

export const USAGE = `usage: npm run bench -- [options]

Times a MILA model in headless Chromium: slow frame, fast frame (fast net + ILA with a full
memory), the ILA kernel alone, and the average per frame at K = ${BENCH_KS.join(', ')}, per backend.

  --model <dir>       a model directory (model.json + shards, e.g. public/models/tiny): its
                      architecture at its own input size, with its own weights
  --size full|tiny    without --model: the full-size (256x512) or tiny preset with random
                      weights (default full)
  --backends <list>   comma-separated, of ${BENCH_BACKENDS.join(', ')} (default webgpu,webgl)
  --reps <N>          timed repetitions per frame kind, median reported (default 3)
  --out <file.md>     also write the tables as Markdown (e.g. RUN_DIR/bench.md for the model card)
  --port <P>          Vite dev-server port (default $E2E_PORT or 5205)
  --help              this text`;

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

export interface BenchArgs {
  reps: number;
  backends: BackendName[];
  size: 'full' | 'tiny';
  model?: string;
  out?: string;
  port: number;
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new BenchUsageError(`${flag} needs a positive integer (got "${value}")`);
  return Number(value);
}

/** Parses argv (without node and script); returns null for --help. */
export function parseBenchArgs(argv: string[], env: Record<string, string | undefined> = {}): BenchArgs | null {
  const out: BenchArgs = { reps: 3, backends: ['webgpu', 'webgl'], size: 'full', port: Number(env.E2E_PORT ?? 5205) };
  let sizeGiven = false;
  const proceed = scanFlags(argv, (m) => new BenchUsageError(m), (flag, value, arg) => {
    switch (flag) {
      case '--reps':
        out.reps = positiveInt(flag, value());
        break;
      case '--port':
        out.port = positiveInt(flag, value());
        break;
      case '--size': {
        const s = value();
        if (s !== 'full' && s !== 'tiny') throw new BenchUsageError(`--size must be full or tiny (got "${s}")`);
        out.size = s;
        sizeGiven = true;
        break;
      }
      case '--model':
        out.model = value();
        break;
      case '--out':
        out.out = value();
        break;
      case '--backends': {
        const list = value().split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((b) => !BENCH_BACKENDS.includes(b as BackendName));
        if (list.length === 0 || bad.length > 0) {
          throw new BenchUsageError(`--backends: unknown backend${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ') || '(none given)'} (use ${BENCH_BACKENDS.join(', ')})`);
        }
        out.backends = [...new Set(list)] as BackendName[];
        break;
      }
      default:
        throw new BenchUsageError(`unknown argument "${arg}"`);
    }
  });
  if (!proceed) return null;
  if (out.model !== undefined && sizeGiven) throw new BenchUsageError('--model and --size exclude each other (a model directory has its own size)');
  if (!Number.isInteger(out.port) || out.port < 1) throw new BenchUsageError(`--port / E2E_PORT needs a positive integer (got "${env.E2E_PORT}")`);
  return out;
}

export interface BenchRow {
  what: string;
  ms: number;
  ratio?: number; // to K = 1 (the average rows)
  gflops: number;
}

/** The table rows of one backend: slow, fast, ILA, then the derived averages at K = 1, 5, 10. */
export function benchRows(r: BenchResult): BenchRow[] {
  const rows: BenchRow[] = [
    { what: `slow frame (D${r.slowDepth})`, ms: r.slowMs, gflops: r.slowGflops },
    { what: `fast frame (D${r.fastDepth}+ILA)`, ms: r.fastMs, gflops: r.fastGflops },
    { what: `ILA kernel (${r.ilaGroups === 1 ? 'shared' : `${r.ilaGroups} tasks`})`, ms: r.ilaMs, gflops: r.ilaGflops },
  ];
  for (const k of BENCH_KS) {
    const ms = (r.slowMs + (k - 1) * r.fastMs) / k;
    rows.push({ what: `average per frame K=${k}`, ms, ratio: ms / r.slowMs, gflops: (r.slowGflops + (k - 1) * r.fastGflops) / k });
  }
  return rows;
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

const AVERAGES_NOTE = 'averages derived from the slow and fast medians: (slow + (K-1) fast) / K';

function describeRun(r: BenchResult): string[] {
  const lines = [`backend ${r.backend}, adapter: ${r.adapter}, model ${r.model} (${r.weights}) at ${r.input}`];
  if (r.videoImport !== undefined) lines.push(`video frames into WebGPU: ${r.videoImport ? 'importable' : 'not importable on this adapter (WEBGPU_IMPORT_EXTERNAL_TEXTURE off)'}`);
  lines.push(`ILA implementation: ${r.ilaImplementation}; median of ${r.reps} (ILA: of ${Math.max(r.reps, 5)}); first call (${r.backend === 'webgpu' || r.backend === 'webgl' ? 'shader compile' : 'warm-up'}) slow ${r.firstSlowMs.toFixed(0)} ms, fast ${r.firstFastMs.toFixed(0)} ms`);
  return lines;
}

/** One backend's result as the fixed-width text table printed on stdout. */
export function textTable(r: BenchResult): string {
  if (r.error) return `backend ${r.backend}: FAILED: ${r.error}`;
  const pad = (s: string, n: number) => s.padStart(n);
  const lines = describeRun(r);
  lines.push(`${'what'.padEnd(22)}${pad('ms', 12)}${pad('x K=1', 9)}${pad('GFLOPs', 10)}`);
  for (const row of benchRows(r)) {
    lines.push(`${row.what.padEnd(22)}${pad(row.ms.toFixed(1), 12)}${pad(row.ratio === undefined ? '' : row.ratio.toFixed(2), 9)}${pad(formatGflops(row.gflops), 10)}`);
  }
  lines.push(`(${AVERAGES_NOTE})`);
  return lines.join('\n');
}

/** One backend's result as a Markdown section (## backend, run description, table). */
export function markdownSection(r: BenchResult): string {
  if (r.error) return `## ${r.backend}\n\nFAILED: ${r.error}`;
  // One line each (Markdown hard breaks: two trailing spaces), then the table.
  const lines = [`## ${r.backend}`, '', describeRun(r).join('  \n'), ''];
  lines.push('| what | ms | × K=1 | GFLOPs |', '|---|---:|---:|---:|');
  for (const row of benchRows(r)) {
    lines.push(`| ${row.what} | ${row.ms.toFixed(1)} | ${row.ratio === undefined ? '' : row.ratio.toFixed(2)} | ${formatGflops(row.gflops)} |`);
  }
  lines.push('', `Medians; ${AVERAGES_NOTE}.`);
  return lines.join('\n');
}

export interface BenchRunInfo {
  title: string; // e.g. the model name
  description: string; // model, weights, input, browser, machine
  date: string;
}

/** The whole --out file: a title, what was run, then a section per backend. */
export function markdownReport(info: BenchRunInfo, results: BenchResult[]): string {
  const parts = [`# Benchmark: ${info.title}`, `${info.description}, ${info.date}.`, ...results.map(markdownSection)];
  return `${parts.join('\n\n')}\n`;
}
