// Page screenshots in every overlay mode for docs/screenshots (UPDATE_SCREENSHOTS=1; wasm backend, so quick).
// Also checks each mode draws, and the upload path: a user's own video file through the file
// chooser, with the default model (docs/screenshots/app-upload.png).
import { expect, test } from './helpers/fixtures';
import { figures, step, uploadVideo, waitForReady } from './helpers/mila';
import { DEFAULT_MODEL_ID } from '../src/runtime/presets';
import { meanAbsDiff, viewPixels } from './helpers/pixels';

test.describe.configure({ timeout: 300_000 });

test('screenshots of each overlay mode', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const model = process.env.SCREENSHOT_MODEL ?? DEFAULT_MODEL_ID; // the docs show the shipped model
  await page.goto(`/?model=${model}&backend=wasm&play=0&k=5`);
  await waitForReady(page);
  await expect.poll(async () => (await figures(page)).framesProcessed).toBeGreaterThanOrEqual(1);
  await step(page, 11); // a fast frame a little into the clip
  const shots: Record<string, Awaited<ReturnType<typeof viewPixels>>> = {};
  for (const view of ['seg', 'depth', 'side', 'split', 'video'] as const) {
    shots[view] = await viewPixels(page, view);
    // The docs' screenshots are rewritten only on request, so a test run leaves the tree clean.
    if (view !== 'video' && process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/app-${view}.png` });
  }
  expect(meanAbsDiff(shots.seg, shots.video)).toBeGreaterThan(5);
  expect(meanAbsDiff(shots.depth, shots.seg)).toBeGreaterThan(5);
  // side by side holds two pictures: twice the aspect ratio of one view
  // whole-pixel screenshots of a ~16:9 picture: aspect ratios agree to +-0.05 (toBeCloseTo(1))
  expect(shots.side.width / shots.side.height).toBeCloseTo((2 * shots.seg.width) / shots.seg.height, 1);
});

test('an uploaded video with the default model', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  const model = process.env.SCREENSHOT_MODEL ?? DEFAULT_MODEL_ID;
  await page.goto(`/?model=${model}&backend=wasm&play=0&k=5&src=upload`);
  await waitForReady(page);
  // Real photos (not renders), chosen as a user chooses a file: what an upload of real footage gets.
  await uploadVideo(page, 'public/samples/real-photos/clip.webm');
  await expect(page.getByTestId('source-label')).toContainText('clip.webm', { timeout: 30_000 });
  await expect.poll(async () => (await figures(page)).framesProcessed, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await step(page, 11); // a fast frame on the second Leuven street photo
  const shots: Record<string, Awaited<ReturnType<typeof viewPixels>>> = {};
  for (const view of ['video', 'seg', 'side'] as const) shots[view] = await viewPixels(page, view);
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshots/app-upload.png' });
  expect(meanAbsDiff(shots.seg, shots.video)).toBeGreaterThan(5); // the overlay draws on the upload
  expect(shots.side.width / shots.side.height).toBeCloseTo((2 * shots.seg.width) / shots.seg.height, 1);
});
