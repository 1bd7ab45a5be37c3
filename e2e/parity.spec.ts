// Converter parity in headless Chromium on the WebGPU backend: the committed PyTorch fixture
// (tests/fixtures/parity) is converted to float32 into a temp dir, served to the page through a
// Playwright route (nothing is written under public/), run by the runtime, and must match
// PyTorch's logits and depth to netBound(range, WEBGPU_NET_RTOL).
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertCheckpoint } from '../src/convert/convert';
import { WEBGPU_NET_RTOL, netBound } from '../tests/convert/parityBounds';
import type { ParityReport } from './pages/parity';

const FIXTURE = fileURLToPath(new URL('../tests/fixtures/parity', import.meta.url));
let modelDir: string;

test.beforeAll(() => {
  modelDir = mkdtempSync(join(tmpdir(), 'mila-parity-e2e-'));
  convertCheckpoint([join(FIXTURE, 'checkpoint')], join(modelDir, 'model'), { quantize: 'float32' });
});
test.afterAll(() => rmSync(modelDir, { recursive: true, force: true }));

test('converted model reproduces PyTorch outputs on WebGPU in Chromium', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route('**/__parity/model/*', (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop()!;
    route.fulfill({ body: readFileSync(join(modelDir, 'model', file)) });
  });
  await page.route('**/__parity/frames.safetensors', (route) => route.fulfill({ body: readFileSync(join(FIXTURE, 'frames.safetensors')) }));

  await page.goto('/e2e/pages/parity.html');
  await expect(page.locator('#status')).toHaveText('ready');
  await page.waitForLoadState('networkidle'); // let a Vite dependency re-optimisation reload happen first
  const report: ParityReport = await page.evaluate(() => window.runParityCheck!('/__parity/model', '/__parity/frames.safetensors'));
  console.log(
    `parity float32 on ${report.backend} (${report.adapter}):`,
    report.diffs.map((d) => `${d.kind}/${d.memory} seg ${d.segmentation.toExponential(2)} depth ${d.depth.toExponential(2)}`).join('; '),
  );

  expect(report.backend).toBe('webgpu');
  expect(report.diffs.map((d) => `${d.kind}/${d.memory}`)).toEqual(['keyframe/1', 'fast/1', 'keyframe/2', 'fast/2', 'fast/2']);
  for (const d of report.diffs) {
    expect(d.segmentation, `frame ${d.index} segmentation`).toBeLessThanOrEqual(netBound(d.segmentationRange, WEBGPU_NET_RTOL));
    expect(d.depth, `frame ${d.index} depth`).toBeLessThanOrEqual(netBound(d.depthRange, WEBGPU_NET_RTOL));
  }
  expect(report.leakedTensors).toBe(0);
  expect(errors).toEqual([]);
});
