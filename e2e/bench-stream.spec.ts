// The streamed benchmark page (bench/benchPage.ts, driven by `npm run bench`) in Chromium: the tiny
// model on wasm over a few frames of street-seed2 yields every requested row with consistent
// statistics, the ratio to K=1 of the same run, per-net medians, and the typed ILA kernel.
// Speeds are not asserted here (the benchmark reports them); the structure and arithmetic are.
import { expect, test } from '@playwright/test';
import type { BenchModel, BenchPageOptions, BenchResult } from '../bench/benchPage';

test('bench page times the real frame loop per K, fast-only and reuse (tiny model, wasm)', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/bench/index.html');
  await page.waitForFunction(() => typeof window.runBench === 'function');
  const model: BenchModel = { url: '/models/tiny/', dir: 'public/models/tiny' };
  const opts: BenchPageOptions = { ks: [1, 2, 4], frames: 4, clipUrl: '/samples/street-seed2/', clipLabel: 'street-seed2', extraRows: true };
  const r: BenchResult = await page.evaluate(([m, o]) => window.runBench('wasm', m, o), [model, opts] as const);

  expect(r.error).toBeUndefined();
  expect(r.backend).toBe('wasm');
  expect(r.ilaImplementation).toBe('typed (simd)'); // the WebAssembly SIMD loop, not the scalar fallback
  expect(r.rows.map((row) => row.label)).toEqual(['K=1', 'K=2', 'K=4', 'fast-only', 'reuse K=5']);
  for (const row of r.rows) {
    expect(row.frames, row.label).toBe(4);
    expect(row.medianMs, row.label).toBeGreaterThan(0);
    expect(row.medianMs, row.label).toBeLessThanOrEqual(row.p95Ms);
    expect(row.p95Ms, row.label).toBeLessThanOrEqual(row.p99Ms);
    expect(row.fps, row.label).toBeCloseTo(1000 / row.meanMs, 6);
    expect(row.ratioToK1, row.label).toBeCloseTo(row.meanMs / r.rows[0].meanMs, 10);
  }
  expect(r.rows[0].ratioToK1).toBe(1);
  // Per-net medians come from the streamed frames: K=2 and K=4 hold fast + ILA frames, every row a keyframe.
  expect(r.nets.slowMs).toBeGreaterThan(0);
  expect(r.nets.fastIlaMs).toBeGreaterThan(0);
  expect(r.nets.fastMs).toBeGreaterThan(0);
  expect(r.nets.ilaMs).toBeGreaterThan(0);
  expect(r.nets.ilaShare).toBeCloseTo(r.nets.ilaMs / r.nets.fastIlaMs!, 10);
  expect(r.nets.ilaScalarMs).toBeGreaterThan(0); // the old loop timed beside it
  expect(errors).toEqual([]);
});
