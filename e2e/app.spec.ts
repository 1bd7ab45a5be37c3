// The app end to end on WebGPU (SwiftShader) with the tiny model, one page for the whole group:
// upload, keyframe schedule, slider, overlays on the GPU, zero readback, flat memory, device loss.
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './helpers/fixtures';
import { figures, step, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { canvasPixels, meanAbsDiff } from './helpers/pixels';
import { makeVideo } from './helpers/videos';

test.describe.configure({ mode: 'serial', timeout: 400_000 });

let page: Page;
// On WebGPU the overlay is composited on the GPU: not one byte of a frame is read back.
// (helpers/browser.ts gives Chromium the Vulkan flags under which a WebGPU canvas presents.)
const WEBGPU_READBACK_BYTES_PER_FRAME = 0;

test.beforeAll(async ({ browser }) => {
  page = await openApp(browser, '/?model=tiny&src=upload&play=0&k=5&view=split');
  await waitForReady(page);
});

test.afterAll(async () => {
  await page?.context().close();
});

test('an uploaded video is processed on WebGPU with zero readback; K=5 gives ceil(N/5) keyframes', async () => {
  const f0 = await figures(page);
  expect(f0.backend).toBe('webgpu');
  expect(f0.renderer).toBe('webgpu');
  await uploadVideo(page, makeVideo({ frames: 300 }));
  await waitForFrames(page, 1); // play=0: the first frame is shown at once
  await step(page, 22);
  const f = await figures(page);
  expect(f.framesProcessed).toBe(23);
  expect(f.keyframes).toBe(Math.ceil(23 / 5));
  const perFrame = WEBGPU_READBACK_BYTES_PER_FRAME;
  expect(f.readbackBytesLastFrame).toBe(perFrame);
  expect(f.readbackBytesTotal).toBe(23 * perFrame);
  expect(f.lastError).toBeNull();
  // The measured stream (mean / p95 per frame) sits next to the analytic GFLOPs.
  await expect(page.getByTestId('stat-stream-ms')).toHaveText(/^\d+(\.\d)? ms \/ \d+(\.\d)? ms$/);
  console.log('stats after 23 frames:', await page.getByTestId('stats').innerText());
  await expect(page.getByTestId('source-label')).toContainText('testsrc2-320x180');
  await expect(page.getByTestId('frame-badge')).toBeVisible();
});

test('moving the slider changes the keyframe ratio, and the URL follows', async () => {
  const slider = page.getByTestId('k-slider');
  await slider.fill('2');
  await expect(page.getByTestId('k-value')).toHaveText('2');
  await expect.poll(() => page.evaluate(() => location.search)).toContain('k=2');
  const a = await figures(page);
  await step(page, 10);
  const b = await figures(page);
  expect(b.keyframes - a.keyframes).toBe(5); // K=2: every other processed frame

  await slider.fill('10');
  const c = await figures(page);
  await step(page, 10);
  const d = await figures(page);
  expect(d.keyframes - c.keyframes).toBe(1); // the next frame obeys the new K: 1 keyframe + 9 fast
  expect(d.fastFrames - c.fastFrames).toBe(9);
});

test('overlay pixels differ from the video and between the segmentation and depth views', async () => {
  const canvas = page.getByTestId('stage').locator('canvas');
  await page.getByTestId('view-video').check();
  await page.waitForTimeout(300);
  const video = await canvasPixels(canvas);
  await page.getByTestId('view-seg').check();
  await page.waitForTimeout(300);
  const seg = await canvasPixels(canvas);
  await page.getByTestId('view-depth').check();
  await page.waitForTimeout(300);
  const depth = await canvasPixels(canvas);
  expect(meanAbsDiff(seg, video)).toBeGreaterThan(5);
  expect(meanAbsDiff(depth, video)).toBeGreaterThan(5);
  expect(meanAbsDiff(seg, depth)).toBeGreaterThan(5);
  // side by side doubles the canvas width; readback stays at zero through redraws
  await page.getByTestId('view-side').check();
  await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.width / c.height)).toBeCloseTo((2 * 320) / 180, 2);
  expect((await figures(page)).readbackBytesLastFrame).toBe(WEBGPU_READBACK_BYTES_PER_FRAME);
});

test('numTensors stays flat over 200 frames', async () => {
  await page.getByTestId('k-slider').fill('5');
  await step(page, 5); // settle: memory holds its keyframes, the current frame is kept for redraws
  const before = (await figures(page)).numTensors;
  const counts: number[] = [];
  for (let i = 0; i < 10; i++) {
    await step(page, 20);
    counts.push((await figures(page)).numTensors);
  }
  const f = await figures(page);
  expect(f.lastError).toBeNull();
  expect(Math.max(...counts)).toBeLessThanOrEqual(before + 2); // +2: ILA memory may still be filling
  expect(counts[counts.length - 1]).toBe(counts[counts.length - 2]);
  expect(f.readbackBytesLastFrame).toBe(WEBGPU_READBACK_BYTES_PER_FRAME);
});

test('a lost GPU device is recovered by re-initialising', async () => {
  const before = await figures(page);
  expect(await page.evaluate(() => (window as unknown as { __mila: { loseDevice(): boolean } }).__mila.loseDevice())).toBe(true);
  await expect(page.getByTestId('message-device')).toBeVisible();
  await expect.poll(async () => (await figures(page)).phase, { timeout: 240_000 }).toBe('ready');
  await expect(page.getByTestId('message-device')).toContainText('Recovered');
  await waitForFrames(page, before.framesProcessed + 1);
  await step(page, 3);
  const f = await figures(page);
  expect(f.deviceLosses).toBe(1);
  expect(f.backend).toBe('webgpu');
  expect(f.framesProcessed).toBeGreaterThanOrEqual(before.framesProcessed + 4);
});
