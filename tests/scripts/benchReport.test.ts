// `npm run bench` without a browser: its arguments (bench/benchReport.ts parseBenchArgs) and the
// text / Markdown / JSON reports it renders from the bench page's streamed results.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID } from '../../src/runtime/presets';
import {
  BenchUsageError, formatGflops, jsonReport, markdownReport, parseBenchArgs, storedWeightTypes, textTable, withRatios,
  type BenchResult, type StreamRow,
} from '../../bench/benchReport';

const row = (label: string, mode: StreamRow['mode'], k: number, meanMs: number, gflops: number): Omit<StreamRow, 'ratioToK1'> => ({
  label, mode, k, gflops, frames: 40, meanMs, medianMs: meanMs - 1, p95Ms: meanMs + 10, p99Ms: meanMs + 20, fps: 1000 / meanMs,
});

const result = (over: Partial<BenchResult> = {}): BenchResult => ({
  model: 'tiny',
  modelDir: 'public/models/tiny',
  weights: 'weights of public/models/tiny',
  input: '64x128',
  slowDepth: 101,
  fastDepth: 18,
  ilaGroups: 2,
  backend: 'wasm',
  adapter: 'wasm (SIMD on, threads on)',
  ilaImplementation: 'typed',
  clip: 'public/samples/street-seed2',
  frames: 40,
  warmUpMs: 98,
  rows: withRatios([
    row('K=1', 'mila', 1, 40, 2),
    row('K=5', 'mila', 5, 16, 0.8),
    row('fast-only', 'fast-only', 1, 8, 0.45),
    row('reuse K=5', 'reuse', 5, 9, 0.4),
  ]),
  nets: { slowMs: 40, fastIlaMs: 10, fastMs: 8, ilaMs: 2, ilaShare: 0.2 },
  ...over,
});

describe('parseBenchArgs', () => {
  it('defaults: both bundled models, webgpu/webgl/wasm, K = 1, 2, 5, 10, 20, 40 frames of street-seed2', () => {
    expect(parseBenchArgs([])).toEqual({
      models: [`public/models/${DEFAULT_MODEL_ID}`, 'public/models/tiny'], backends: ['webgpu', 'webgl', 'wasm'],
      ks: [1, 2, 5, 10, 20], frames: 40, clip: 'public/samples/street-seed2', extraRows: true, port: 5205,
    });
    expect(parseBenchArgs([], { E2E_PORT: '6000' })?.port).toBe(6000);
  });

  it('limits backends, models, Ks and frames so a run fits in minutes; K=1 is always there', () => {
    expect(parseBenchArgs(['--models', 'a,b,a', '--backends', 'wasm,cpu', '--ks', '10,5', '--frames=8', '--json', '/tmp/b.json', '--no-extra-rows'])).toMatchObject({
      models: ['a', 'b'], backends: ['wasm', 'cpu'], ks: [1, 5, 10], frames: 8, json: '/tmp/b.json', extraRows: false,
    });
    expect(parseBenchArgs(['--model', 'public/models/tiny'])?.models).toEqual(['public/models/tiny']);
    expect(parseBenchArgs(['--backends', 'wasm,wasm'])?.backends).toEqual(['wasm']);
    expect(parseBenchArgs(['--help'])).toBeNull();
  });

  it('rejects bad arguments with a usage error that says what is wrong', () => {
    const bad = (argv: string[], msg: RegExp) => expect(() => parseBenchArgs(argv)).toThrow(msg);
    bad(['--backends', 'webgpu,metal'], /unknown backend "metal".*webgpu, webgl, wasm, cpu/);
    bad(['--ks', '1,0'], /--ks needs a positive integer \(got "0"\)/);
    bad(['--frames', '0'], /--frames needs a positive integer/);
    bad(['--models', ','], /--models needs at least one item/);
    bad(['--model'], /--model needs a value/);
    bad(['--frobnicate'], /unknown argument/);
    expect(() => parseBenchArgs(['--frames', 'x'])).toThrow(BenchUsageError);
  });
});

describe('bench tables', () => {
  it('ratios are each row mean over the K=1 mean of the same run', () => {
    const rows = result().rows;
    expect(rows.map((r) => r.ratioToK1)).toEqual([1, 0.4, 0.2, 9 / 40]);
    expect(withRatios([row('fast-only', 'fast-only', 1, 8, 0.45)])[0].ratioToK1).toBeNull(); // no K=1 row
  });

  it('prints small GFLOPs with significant digits', () => {
    expect(formatGflops(12.345)).toBe('12.35');
    expect(formatGflops(0.0213)).toBe('0.0213');
    expect(formatGflops(0)).toBe('0.00');
  });

  it('renders the text tables (stream, then per-net medians) and a failure', () => {
    const text = textTable(result());
    expect(text).toContain('tiny on wasm (wasm (SIMD on, threads on)); public/models/tiny at 64x128');
    expect(text).toContain('ILA implementation: typed; 40 frames of public/samples/street-seed2 per row; warm-up 98 ms');
    expect(text).toMatch(/K=5 +16\.0 +15\.0 +26\.0 +36\.0 +62\.5 +0\.40 +0\.800/);
    expect(text).toMatch(/reuse K=5 +9\.0 .* 0\.23 +0\.400/);
    expect(text).toMatch(/ILA alone \(2 tasks\) +2\.00 \(20% of fast \+ ILA\)/);
    expect(text).toMatch(/fast \(D18, no ILA\) +8\.0/);
    expect(text).not.toContain('scalar JS loop'); // only when the SIMD loop ran and the scalar one was timed beside it
    const both = textTable(result({ ilaImplementation: 'typed (simd)', nets: { slowMs: 40, fastIlaMs: 10, fastMs: 8, ilaMs: 2, ilaShare: 0.2, ilaScalarMs: 9 } }));
    expect(both).toMatch(/ILA, scalar JS loop +9\.00 \(4\.5x the SIMD loop\)/);
    expect(textTable({ backend: 'webgl', error: 'no context' } as BenchResult)).toBe('backend webgl: FAILED: no context');
  });

  it('renders Markdown and JSON: a title, then a section per model x backend', () => {
    const info = { title: 'tiny', description: 'headless Chromium', date: '2026-01-01' };
    const results = [result(), result({ backend: 'webgpu', adapter: 'google / swiftshader', videoImport: false }), { backend: 'webgl', error: 'no context' } as BenchResult];
    const md = markdownReport(info, results);
    expect(md.startsWith('# Benchmark: tiny\n\nheadless Chromium, 2026-01-01.\n\n## tiny, wasm\n')).toBe(true);
    expect(md).toContain('| stream | mean ms | median ms | p95 ms | p99 ms | FPS | × K=1 | GFLOPs |');
    expect(md).toContain('| K=5 | 16.0 | 15.0 | 26.0 | 36.0 | 62.5 | 0.40 | 0.800 |');
    expect(md).toContain('| fast + ILA | 10.0 |');
    expect(md).toContain('video frames into WebGPU: not importable');
    expect(md.endsWith('## webgl\n\nFAILED: no context\n')).toBe(true);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('mean ms'))) expect(line.split(' | ')).toHaveLength(8);
    const json = JSON.parse(jsonReport(info, parseBenchArgs(['--json', 'x.json'])!, results));
    expect(json.settings).toMatchObject({ ks: [1, 2, 5, 10, 20], frames: 40 });
    expect(json.settings.port).toBeUndefined();
    expect(json.results[0].rows[1]).toMatchObject({ label: 'K=5', meanMs: 16, ratioToK1: 0.4 });
  });

  it('reads the stored weight types of a model.json', () => {
    expect(storedWeightTypes(JSON.parse(readFileSync('public/models/tiny/model.json', 'utf8')))).toEqual(['float32']);
    expect(storedWeightTypes({ weightsManifest: [{ weights: [{ dtype: 'float32', quantization: { dtype: 'float16' } }, { dtype: 'int32' }] }] })).toEqual(['float16', 'int32']);
    expect(storedWeightTypes({})).toEqual([]);
  });
});
