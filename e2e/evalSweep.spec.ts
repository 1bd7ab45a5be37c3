// A short K sweep in the browser on WebGPU (eval.html, the page `npm run eval` drives) with the
// tiny model: on a bundled clip (table shape, K=1 only keyframes), and on the fixture clip,
// where the browser's numbers are compared with the same evaluation in Node (cpu backend,
// ffmpeg-decoded frames, pngjs ground truth).
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalPageParams, EvalPageResult } from '../src/eval/page/protocol';

const SAMPLES = 'public/samples';

/** Bundled clips with ground truth: ids from public/samples/index.json (list of ids or {id}),
 * or, while the index is not written yet, every directory with a manifest. */
function bundledClips(): string[] {
  if (!existsSync(SAMPLES)) return [];
  const index = join(SAMPLES, 'index.json');
  let ids: unknown[] = readdirSync(SAMPLES);
  if (existsSync(index)) {
    const json = JSON.parse(readFileSync(index, 'utf8'));
    ids = (Array.isArray(json) ? json : (json.clips ?? json.samples ?? [])).map((e: unknown) =>
      typeof e === 'string' ? e : ((e as Record<string, string>).id ?? (e as Record<string, string>).dir));
  }
  return ids
    .filter((id): id is string => typeof id === 'string' && existsSync(join(SAMPLES, id, 'manifest.json')))
    .filter((id) => 'labels' in JSON.parse(readFileSync(join(SAMPLES, id, 'manifest.json'), 'utf8')));
}

/** Runs the page's sweep; starts again if the dev server reloads the page (dependency
 * optimisation, or files written elsewhere in the tree while the test runs). */
async function runSweep(page: Page, params: EvalPageParams): Promise<EvalPageResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto('/eval.html');
      await page.waitForFunction(() => window.milaEval !== undefined);
      return await page.evaluate((p) => window.milaEval!.run(p), params);
    } catch (e) {
      if (attempt >= 3 || !/Execution context was destroyed|navigation/i.test((e as Error).message)) throw e;
    }
  }
}

function shape(result: EvalPageResult) {
  return result.rows.map((r) => [r.mode, r.k, r.frames, r.keyframes]);
}

test('short sweep on a bundled clip: table shape, K=1 uses only keyframes', async ({ page }) => {
  test.setTimeout(420_000);
  const clips = bundledClips();
  expect(clips, `no bundled clip with ground truth under ${SAMPLES}/ (index.json)`).not.toHaveLength(0);
  const result = await runSweep(page, { modelUrl: '/models/tiny/', clipUrl: `/samples/${clips[0]}/`, ks: [1, 2], baselines: true, frames: 4, backend: 'webgpu' });
  expect(result.info.backend).toBe('webgpu');
  expect(shape(result)).toEqual([
    ['mila', 1, 4, 4],
    ['mila', 2, 4, 2],
    ['fast-only', null, 4, 0],
    ['reuse', 2, 4, 2],
  ]);
  expect(result.keyframeFlags[0]).toEqual([true, true, true, true]);
  expect(result.keyframeFlags[1]).toEqual([true, false, true, false]);
  const [k1, k2, fastOnly, reuse] = result.rows;
  expect(k1.miouProp).toBeNaN(); // NaN travels through page.evaluate as NaN
  expect(k1.gflopsPerFrame).toBeGreaterThan(k2.gflopsPerFrame);
  expect(k2.gflopsPerFrame).toBeGreaterThan(reuse.gflopsPerFrame);
  expect(fastOnly.miouKey).toBeNaN();
  for (const r of result.rows) {
    expect(r.miou).toBeGreaterThanOrEqual(0);
    expect(r.miou).toBeLessThanOrEqual(100);
    expect(r.depthAbs).toBeGreaterThan(0);
    expect(r.msPerFrameMedian).toBeGreaterThan(0);
  }
});

test('the browser (WebGPU) gives the numbers Node (cpu) gives on the fixture clip', async ({ page }) => {
  test.setTimeout(420_000);
  const { evaluateClipInNode, loadTinyModelCpu } = await import('../tests/eval/nodeEvaluation');
  const { toRow } = await import('../src/eval/table');
  const entries = [{ mode: 'mila' as const, k: 3 }];
  const browser = await runSweep(page, { modelUrl: '/models/tiny/', clipUrl: '/tests/fixtures/eval-clip/', ks: [3], baselines: false, frames: 6, backend: 'webgpu' });
  const node = (await evaluateClipInNode(await loadTinyModelCpu('public/models/tiny'), 'tests/fixtures/eval-clip', entries, 6)).map(toRow);
  const [b, n] = [browser.rows[0], node[0]];
  expect([b.frames, b.keyframes]).toEqual([n.frames, n.keyframes]);
  expect(browser.keyframeFlags[0]).toEqual([true, false, false, true, false, false]);
  // Same frames, model and metric code; only video colour conversion and backend arithmetic differ. The
  // browser decodes VP9 4:2:0 to RGB (a few levels per channel off the PNG-decoded frames Node reads): not a
  // rounding bound but an input change, which moves < 1 point of pixel accuracy and < 1% of depth error
  // of the tiny model. GFLOPs are float64 from the same config: 9 digits.
  expect(Math.abs(b.pixelAccuracy - n.pixelAccuracy)).toBeLessThan(1);
  expect(Math.abs(b.depthAbs - n.depthAbs) / n.depthAbs).toBeLessThan(0.01);
  expect(Math.abs(b.depthRel - n.depthRel) / n.depthRel).toBeLessThan(0.01);
  expect(b.gflopsPerFrame).toBeCloseTo(n.gflopsPerFrame, 9);
});
