// `npm run bench` without a browser: its arguments (bench/benchReport.ts parseBenchArgs) and the
// text / Markdown tables it renders from the bench page's results.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BenchUsageError, benchRows, formatGflops, markdownReport, parseBenchArgs, storedWeightTypes, textTable, type BenchResult,
} from '../../bench/benchReport';

const result = (over: Partial<BenchResult> = {}): BenchResult => ({
  model: 'tiny',
  weights: 'weights of public/models/tiny',
  input: '64x128',
  slowDepth: 101,
  fastDepth: 18,
  ilaGroups: 2,
  backend: 'wasm',
  adapter: 'wasm (SIMD on, threads on)',
  ilaImplementation: 'reference',
  reps: 3,
  firstSlowMs: 98,
  firstFastMs: 27,
  slowMs: 40,
  fastMs: 10,
  ilaMs: 3,
  slowGflops: 2,
  fastGflops: 0.5,
  ilaGflops: 0.0123,
  ...over,
});

describe('parseBenchArgs', () => {
  it('keeps the old defaults', () => {
    expect(parseBenchArgs([])).toEqual({ reps: 3, backends: ['webgpu', 'webgl'], size: 'full', port: 5205 });
    expect(parseBenchArgs([], { E2E_PORT: '6000' })?.port).toBe(6000);
    expect(parseBenchArgs(['--size', 'tiny', '--reps', '2'])).toMatchObject({ size: 'tiny', reps: 2 });
  });

  it('takes a model directory, every backend and an output file', () => {
    expect(parseBenchArgs(['--model', 'public/models/tiny', '--backends', 'wasm,webgpu,cpu,webgl', '--out=/tmp/b.md'])).toMatchObject({
      model: 'public/models/tiny',
      backends: ['wasm', 'webgpu', 'cpu', 'webgl'],
      out: '/tmp/b.md',
    });
    expect(parseBenchArgs(['--backends', 'wasm,wasm'])?.backends).toEqual(['wasm']);
    expect(parseBenchArgs(['--help'])).toBeNull();
  });

  it('rejects bad arguments with a usage error that says what is wrong', () => {
    const bad = (argv: string[], msg: RegExp) => expect(() => parseBenchArgs(argv)).toThrow(msg);
    bad(['--backends', 'webgpu,metal'], /unknown backend "metal".*webgpu, webgl, wasm, cpu/);
    bad(['--size', 'huge'], /--size must be full or tiny/);
    bad(['--reps', '0'], /--reps needs a positive integer/);
    bad(['--model'], /--model needs a value/);
    bad(['--model', 'x', '--size', 'tiny'], /exclude each other/);
    bad(['--frobnicate'], /unknown argument/);
    expect(() => parseBenchArgs(['--reps', 'x'])).toThrow(BenchUsageError);
  });
});

describe('bench tables', () => {
  it('derives the K averages from the slow and fast medians', () => {
    const rows = benchRows(result());
    expect(rows.map((r) => r.what)).toEqual([
      'slow frame (D101)', 'fast frame (D18+ILA)', 'ILA kernel (2 tasks)',
      'average per frame K=1', 'average per frame K=5', 'average per frame K=10',
    ]);
    expect(rows[4]).toMatchObject({ ms: (40 + 4 * 10) / 5, ratio: 16 / 40, gflops: (2 + 4 * 0.5) / 5 });
    expect(rows[5].ms).toBeCloseTo((40 + 9 * 10) / 10); // float64 mean of 10 small numbers: ~1e-15 vs 5e-3
    expect(benchRows(result({ ilaGroups: 1, slowDepth: 50 }))[2].what).toBe('ILA kernel (shared)');
  });

  it('prints small GFLOPs with significant digits', () => {
    expect(formatGflops(12.345)).toBe('12.35');
    expect(formatGflops(0.0213)).toBe('0.0213');
    expect(formatGflops(0)).toBe('0.00');
  });

  it('renders the text table and a failure', () => {
    const text = textTable(result());
    expect(text).toContain('backend wasm, adapter: wasm (SIMD on, threads on), model tiny (weights of public/models/tiny) at 64x128');
    expect(text).toContain('first call (warm-up) slow 98 ms');
    expect(text).toMatch(/average per frame K=5 +16\.0 +0\.40 +0\.800/);
    expect(textTable(result({ backend: 'webgpu' }))).toContain('first call (shader compile)');
    expect(textTable({ backend: 'webgl', error: 'no context' } as BenchResult)).toBe('backend webgl: FAILED: no context');
  });

  it('renders Markdown: a title the model card drops, then a table per backend', () => {
    const md = markdownReport({ title: 'tiny', description: 'model tiny at 64x128', date: '2026-01-01' }, [
      result(),
      result({ backend: 'webgpu', adapter: 'google / swiftshader', videoImport: false }),
      { backend: 'webgl', error: 'no context' } as BenchResult,
    ]);
    expect(md.startsWith('# Benchmark: tiny\n\nmodel tiny at 64x128, 2026-01-01.\n\n## wasm\n')).toBe(true);
    expect(md).toContain('| what | ms | × K=1 | GFLOPs |\n|---|---:|---:|---:|\n| slow frame (D101) | 40.0 |  | 2.00 |');
    expect(md).toContain('| average per frame K=10 | 13.0 | 0.33 | 0.650 |');
    expect(md).toContain('## webgpu\n\nbackend webgpu, adapter: google / swiftshader');
    expect(md).toContain('video frames into WebGPU: not importable');
    expect(md.endsWith('## webgl\n\nFAILED: no context\n')).toBe(true);
    // every table row has the header's four columns
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) expect(line.split(' | ')).toHaveLength(4);
  });

  it('reads the stored weight types of a model.json', () => {
    expect(storedWeightTypes(JSON.parse(readFileSync('public/models/tiny/model.json', 'utf8')))).toEqual(['float32']);
    expect(storedWeightTypes({ weightsManifest: [{ weights: [{ dtype: 'float32', quantization: { dtype: 'float16' } }, { dtype: 'int32' }] }] })).toEqual(['float16', 'int32']);
    expect(storedWeightTypes({})).toEqual([]);
  });
});
