// `npm run soak`: arguments, the readings it prints, its verdict and its progress bar. The browser
// side lives in scripts/soak.ts; this part is plain data, so it is unit-tested.
import { scanFlags } from './cliFlags';
import { DEFAULT_MODEL_ID } from '../runtime/presets';

export const SOAK_USAGE = `usage: npm run soak -- [--backends wasm,webgpu] [--model <id>] [--frames N] [--sample <id>]
                        [--k-every N] [--report-every N] [--port P]
Plays a bundled clip in a loop in headless Chromium (the app itself, playback on) for N processed frames per
backend, changing K every --k-every frames, and prints tensors, tensor bytes, GPU and JS heap memory every
--report-every frames, then a verdict: flat or growing. Not part of CI (CI keeps its shorter leak test).
  --backends      comma list of wasm, webgpu, webgl, cpu (default wasm,webgpu)
  --model         a model directory name under public/models (default: the page's default model)
  --frames        processed frames per backend (default 1000)
  --sample        bundled sample id (default street-seed2)
  --k-every       frames between K changes (default 50)
  --report-every  frames between readings (default 100)
  --port          dev-server port (default 5190)`;

export class SoakUsageError extends Error {}

export interface SoakArgs {
  backends: string[];
  model: string;
  frames: number;
  sample: string;
  kEvery: number;
  reportEvery: number;
  port: number;
}

const BACKENDS = new Set(['wasm', 'webgpu', 'webgl', 'cpu']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseSoakArgs(argv: string[]): SoakArgs | null {
  const a: SoakArgs = { backends: ['wasm', 'webgpu'], model: DEFAULT_MODEL_ID, frames: 1000, sample: 'street-seed2', kEvery: 50, reportEvery: 100, port: 5190 };
  const bad = (m: string) => new SoakUsageError(m);
  const int = (flag: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw bad(`${flag} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
  const ok = scanFlags(argv, bad, (flag, value) => {
    if (flag === '--backends') {
      a.backends = value().split(',').filter(Boolean);
      const unknown = a.backends.filter((b) => !BACKENDS.has(b));
      if (unknown.length || a.backends.length === 0) throw bad(`--backends: unknown backend ${unknown.join(', ') || '(none)'}; use wasm, webgpu, webgl, cpu`);
    } else if (flag === '--model' || flag === '--sample') {
      const v = value();
      if (!ID.test(v)) throw bad(`${flag} must be a directory name, got "${v}"`);
      if (flag === '--model') a.model = v;
      else a.sample = v;
    } else if (flag === '--frames') a.frames = int(flag, value(), 1);
    else if (flag === '--k-every') a.kEvery = int(flag, value(), 1);
    else if (flag === '--report-every') a.reportEvery = int(flag, value(), 1);
    else if (flag === '--port') a.port = int(flag, value(), 1);
    else throw bad(`unknown argument ${flag}`);
  });
  if (!ok) return null;
  if (a.reportEvery > a.frames) throw bad(`--report-every (${a.reportEvery}) is larger than --frames (${a.frames}): there would be no reading`);
  return a;
}

/** One reading, taken while paused with no frame in flight and after a garbage collection. */
export interface SoakReading {
  frame: number;
  numTensors: number;
  tensorBytes: number;
  gpuBytes: number | null; // webgpu: bytes of buffers in use
  gpuPoolBytes: number | null; // webgpu: bytes held by the buffer pool (in use + free)
  wasmHeapBytes: number | null; // wasm: the module's linear memory (it only grows)
  jsHeapBytes: number;
}

const MiB = 1024 * 1024;
const mib = (n: number | null) => (n === null ? '-' : `${(n / MiB).toFixed(1)} MiB`);

export function readingLine(backend: string, r: SoakReading): string {
  return `${backend} frame ${r.frame}: tensors ${r.numTensors}, tensor bytes ${mib(r.tensorBytes)}, GPU in use ${mib(r.gpuBytes)}, GPU pool ${mib(r.gpuPoolBytes)}, wasm heap ${mib(r.wasmHeapBytes)}, JS heap ${mib(r.jsHeapBytes)}`;
}

/**
 * Flat when, from the first reading (after warm-up: caches, compiled programs and pooled buffers exist
 * by then) to the last: the tensor count and tensor bytes did not grow at all; GPU and wasm memory grew
 * by at most 5% + 1 MiB (pools round sizes up, K changes touch other sizes); the JS heap after a GC by
 * at most 10% + 2 MiB (the page's own state, stats windows, React). A leak of one small tensor per frame
 * shows in the first rule, a leaked GPU buffer per frame in the second.
 */
export function soakVerdict(readings: SoakReading[]): { flat: boolean; growth: string[] } {
  if (readings.length < 2) return { flat: true, growth: ['one reading only: nothing to compare'] };
  const a = readings[0];
  const b = readings[readings.length - 1];
  const growth: string[] = [];
  if (b.numTensors > a.numTensors) growth.push(`tensors ${a.numTensors} -> ${b.numTensors}`);
  if (b.tensorBytes > a.tensorBytes) growth.push(`tensor bytes ${mib(a.tensorBytes)} -> ${mib(b.tensorBytes)}`);
  const loose = (name: string, x: number | null, y: number | null, rel: number, abs: number) => {
    if (x !== null && y !== null && y > x * (1 + rel) + abs) growth.push(`${name} ${mib(x)} -> ${mib(y)}`);
  };
  loose('GPU in use', a.gpuBytes, b.gpuBytes, 0.05, MiB);
  loose('GPU pool', a.gpuPoolBytes, b.gpuPoolBytes, 0.05, MiB);
  loose('wasm heap', a.wasmHeapBytes, b.wasmHeapBytes, 0.05, MiB);
  loose('JS heap', a.jsHeapBytes, b.jsHeapBytes, 0.1, 2 * MiB);
  return { flat: growth.length === 0, growth };
}

/** "[#########-----------] 450/1000 frames  45%  2.1 fps  ETA 4m22s" */
export function progressBar(done: number, total: number, elapsedMs: number, width = 30): string {
  const f = Math.min(1, done / total);
  const filled = Math.round(f * width);
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const eta = rate > 0 ? Math.max(0, total - done) / rate : NaN;
  const time = (s: number) => (Number.isFinite(s) ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : '--');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} frames ${String(Math.round(f * 100)).padStart(3)}%  ${rate.toFixed(1)} fps  ETA ${time(eta)}`;
}

/** The K values cycled through: short and long intervals, so keyframe memory and schedules change. */
export const K_CYCLE = [5, 2, 10, 3, 30, 1, 7];
