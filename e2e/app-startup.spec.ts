// Start-up: the bundled sample plays at once; a missing or corrupt model and a missing WebGPU are
// each said on screen (never a silent fallback), and the page stays usable.
import { readFileSync } from 'node:fs';
import { expect, test } from './helpers/fixtures';
import { figures, waitForFrames, waitForReady } from './helpers/mila';
import { canvasPixels } from './helpers/pixels';
import { DEFAULT_MODEL_ID } from '../src/runtime/presets';

test.describe.configure({ timeout: 300_000 });

test('the page opens on the bundled sample and plays it with overlays', async ({ page }) => {
  await page.goto('/?model=tiny&backend=wasm');
  await waitForReady(page);
  await waitForFrames(page, 3); // played by the real-time loop, no stepping
  await expect(page.getByTestId('sample-select')).not.toHaveValue('');
  await expect(page.getByTestId('source-label')).toContainText('Sample:');
  await expect(page.getByTestId('frame-badge')).toBeVisible();
  await expect(page.getByTestId('class-legend')).toContainText('road');
  await expect(page.getByTestId('depth-legend')).toContainText('100');
  const px = await canvasPixels(page.getByTestId('stage').locator('canvas'));
  expect(px.width).toBeGreaterThan(100);
  const f = await figures(page);
  expect(f.keyframes).toBeGreaterThanOrEqual(1);
  expect(f.lastError).toBeNull();
});

test('a missing default model is said plainly and the tiny model is offered', async ({ page }) => {
  // Whatever is installed, this test sees the default model as absent.
  await page.route(`**/models/${DEFAULT_MODEL_ID}/**`, (r) => r.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?backend=wasm&src=upload');
  await expect(page.getByTestId('message-model')).toContainText(`default model "${DEFAULT_MODEL_ID}" is not installed`, { timeout: 120_000 });
  expect((await figures(page)).phase).toBe('failed'); // no silent fallback
  await page.getByTestId('use-tiny').click();
  await expect.poll(() => page.evaluate(() => location.search)).toContain('model=tiny');
  await waitForReady(page);
});

test('a corrupt model file is reported with the file it came from', async ({ page }) => {
  const shard = readFileSync('public/models/tiny/group1-shard1of1.bin');
  await page.route('**/models/tiny/group1-shard1of1.bin*', (r) => r.fulfill({ status: 200, body: shard.subarray(0, 1000), contentType: 'application/octet-stream' }));
  await page.goto('/?model=tiny&backend=wasm&src=upload');
  const msg = page.getByTestId('message-model');
  await expect(msg).toContainText('could not be loaded', { timeout: 120_000 });
  await expect(msg).toContainText('group1-shard1of1.bin');
  expect((await figures(page)).phase).toBe('failed');
});

test('without WebGPU the app falls back and says why', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
  await page.goto('/?model=tiny&backend=webgpu&src=upload');
  await waitForReady(page, 240_000);
  const f = await figures(page);
  expect(f.backend).not.toBe('webgpu');
  await expect(page.getByTestId('message-backend')).toContainText('navigator.gpu is not available');
  await expect(page.getByTestId('backend-name')).toContainText(f.backend!);
});
