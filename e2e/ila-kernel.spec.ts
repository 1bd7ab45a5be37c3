// ILA on the GPU backends in headless Chromium (SwiftShader here): the fused kernel on webgpu and
// the GLSL programs on webgl match the tfjs-ops reference and the naive float64 loop on random
// inputs with borders, M=1 and M=2, one and two tasks (the shipped model's sizes included); the
// fused kernel is ONE compute dispatch / one tfjs kernel per call, the webgl path three kernels.
import { expect, test } from '@playwright/test';
import { ILA_F32_BOUND } from '../tests/ila/ilaBounds';
import type { IlaKernelCase, IlaKernelReport } from './pages/ila-kernel';

const CASES: IlaKernelCase[] = [
  // inputs: |q|, |k| <= 2 and |v| <= 1 (pages/ila-kernel.ts), inside what ILA_F32_BOUND is derived for
  { M: 1, h: 6, w: 9, d: 8, T: 8, L: 5, seed: 1 },
  { M: 2, h: 5, w: 7, d: 16, T: 12, L: 9, seed: 11 }, // window larger than the map: all borders
  { M: 2, h: 4, w: 8, d: 64, T: 128, L: 9, seed: 21 }, // production channel widths
  { M: 2, h: 5, w: 6, d: 6, T: 5, L: 3, seed: 31 }, // channels not multiples of 4 (scalar path)
  { G: 2, M: 1, h: 16, w: 32, d: 24, T: 24, L: 9, seed: 41 }, // the shipped model, both tasks, memory 1
  { G: 2, M: 2, h: 16, w: 32, d: 24, T: 24, L: 9, seed: 51 }, // ... memory 2
];


test('fused ILA kernel runs on WebGPU in Chromium and matches the reference', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/e2e/pages/ila-kernel.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const report: IlaKernelReport = await page.evaluate((cases) => window.runIlaKernelCheck!(cases), CASES);
  console.log(`ILA kernel on ${report.adapter}:`, report.results.map((r) => `${r.name}: ${r.maxAbsDiff.toExponential(2)}`).join('; '));

  expect(report.backend).toBe('webgpu');
  expect(report.results).toHaveLength(CASES.length);
  const kernelName = await page.evaluate(() => window.ilaKernelName);
  for (const r of report.results) {
    expect(r.implementation, r.name).toBe('fused');
    expect(r.maxAbsDiff, r.name).toBeLessThanOrEqual(ILA_F32_BOUND);
    expect(r.maxAbsDiffNaive, r.name).toBeLessThanOrEqual(ILA_F32_BOUND);
    expect(r.dispatches, r.name).toBe(1);
    expect(r.kernelNames, r.name).toEqual([kernelName]);
    expect(r.leakedTensors, r.name).toBe(0);
  }
  expect(errors).toEqual([]);
});

test('WebGL ILA programs run in Chromium and match the reference and the naive loop', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/e2e/pages/ila-kernel.html');
  await expect(page.locator('#status')).toHaveText('ready');
  const report: IlaKernelReport = await page.evaluate((cases) => window.runIlaKernelCheck!(cases, 'webgl'), CASES);
  console.log('ILA on webgl:', report.results.map((r) => `${r.name}: ${r.maxAbsDiff.toExponential(2)} / naive ${r.maxAbsDiffNaive.toExponential(2)}`).join('; '));

  expect(report.backend).toBe('webgl');
  expect(report.results).toHaveLength(CASES.length);
  for (const r of report.results) {
    expect(r.implementation, r.name).toBe('webgl');
    expect(r.maxAbsDiff, r.name).toBeLessThanOrEqual(ILA_F32_BOUND);
    expect(r.maxAbsDiffNaive, r.name).toBeLessThanOrEqual(ILA_F32_BOUND);
    expect(r.kernelNames, r.name).not.toContain('GatherV2'); // not the reference
    expect(r.leakedTensors, r.name).toBe(0);
  }
  expect(errors).toEqual([]);
});
