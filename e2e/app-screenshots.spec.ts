// Page screenshots in every overlay mode for docs/screenshots (UPDATE_SCREENSHOTS=1; wasm backend, so quick).
// Also checks each mode draws.
import { expect, test } from './helpers/fixtures';
import { figures, step, waitForReady } from './helpers/mila';
import { DEFAULT_MODEL_ID } from '../src/runtime/presets';
import { canvasPixels, meanAbsDiff } from './helpers/pixels';

test.describe.configure({ timeout: 300_000 });

test('screenshots of each overlay mode', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const model = process.env.SCREENSHOT_MODEL ?? DEFAULT_MODEL_ID; // the docs show the shipped model
  await page.goto(`/?model=${model}&backend=wasm&play=0&k=5`);
  await waitForReady(page);
  await expect.poll(async () => (await figures(page)).framesProcessed).toBeGreaterThanOrEqual(1);
  await step(page, 11); // a fast frame a little into the clip
  const canvas = page.getByTestId('stage').locator('canvas');
  const shots: Record<string, Awaited<ReturnType<typeof canvasPixels>>> = {};
  for (const view of ['seg', 'depth', 'side', 'split', 'video'] as const) {
    await page.getByTestId(`view-${view}`).check();
    await page.waitForTimeout(400);
    shots[view] = await canvasPixels(canvas);
    // The docs' screenshots are rewritten only on request, so a test run leaves the tree clean.
    if (view !== 'video' && process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/app-${view}.png` });
  }
  expect(meanAbsDiff(shots.seg, shots.video)).toBeGreaterThan(5);
  expect(meanAbsDiff(shots.depth, shots.seg)).toBeGreaterThan(5);
  // side by side holds two pictures: twice the aspect ratio of one view
  // whole-pixel screenshots of a ~16:9 picture: aspect ratios agree to +-0.05 (toBeCloseTo(1))
  expect(shots.side.width / shots.side.height).toBeCloseTo((2 * shots.seg.width) / shots.seg.height, 1);
});
