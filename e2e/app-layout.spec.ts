// The picture fits the window whatever the video's aspect (letterboxed), so the playback controls
// under it stay on screen: portrait phone video, a 1:20 strip and a wide 20:1 strip.
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './helpers/fixtures';
import { step, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { makeVideo } from './helpers/videos';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const VIEWPORT = { width: 1280, height: 900 };
let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await openApp(browser, '/?model=tiny&backend=wasm&src=upload&play=0');
  await page.setViewportSize(VIEWPORT);
  await waitForReady(page);
});

test.afterAll(async () => {
  await page?.context().close();
});

async function checkFits(file: string, label: string, aspect: number): Promise<void> {
  const before = await page.evaluate(() => (window as unknown as { __mila: { framesProcessed: number } }).__mila.framesProcessed);
  await uploadVideo(page, file);
  await expect(page.getByTestId('source-label')).toContainText(label, { timeout: 60_000 });
  await waitForFrames(page, before + 1);
  await step(page, 1);
  const canvas = (await page.getByTestId('stage').locator('canvas').boundingBox())!;
  const video = (await page.locator('video.stage-video').boundingBox())!;
  const play = (await page.getByTestId('play').boundingBox())!;
  const stage = (await page.getByTestId('stage').boundingBox())!;
  const msg = `${label}: canvas ${JSON.stringify(canvas)}, play ${JSON.stringify(play)}`;
  // The whole picture is inside the window and keeps the video's aspect.
  expect(canvas.y, msg).toBeGreaterThanOrEqual(0);
  expect(canvas.y + canvas.height, msg).toBeLessThanOrEqual(VIEWPORT.height);
  expect(canvas.x + canvas.width, msg).toBeLessThanOrEqual(VIEWPORT.width);
  // layout rounds to whole pixels: +-1 px on the shorter side (>= 40 px for the 1:20 clips) is <= 2.5%
  expect(Math.abs(canvas.width / canvas.height / aspect - 1), msg).toBeLessThan(0.03);
  // ... letterboxed inside the stage, the video exactly under the canvas.
  expect(canvas.x, msg).toBeGreaterThanOrEqual(stage.x - 0.5);
  expect(canvas.x + canvas.width, msg).toBeLessThanOrEqual(stage.x + stage.width + 0.5);
  // same box, up to sub-pixel layout rounding
  for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(video[k] - canvas[k]), `${msg} video ${k}`).toBeLessThan(1);
  // The controls stay visible.
  expect(play.y + play.height, msg).toBeLessThanOrEqual(VIEWPORT.height);
  await expect(page.getByTestId('play')).toBeInViewport();
  await expect(page.getByTestId('step')).toBeInViewport();
}

test('a 720x1280 portrait H.264 clip fits the window and the controls stay visible', async () => {
  await checkFits(makeVideo({ width: 720, height: 1280, frames: 30, codec: 'h264' }), '720x1280', 720 / 1280);
});

test('a 100x2000 clip fits the window', async () => {
  await checkFits(makeVideo({ width: 100, height: 2000, frames: 10, codec: 'h264' }), '100x2000', 64 / 1280);
});

test('a 2000x100 clip fits the window', async () => {
  await checkFits(makeVideo({ width: 2000, height: 100, frames: 10, codec: 'h264' }), '2000x100', 20);
});

test('the split divider follows the pointer over a letterboxed picture', async () => {
  await checkFits(makeVideo({ width: 720, height: 1280, frames: 30, codec: 'h264' }), '720x1280', 720 / 1280);
  const canvas = (await page.getByTestId('stage').locator('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + canvas.width * 0.25, canvas.y + canvas.height / 2);
  await page.mouse.down();
  await page.mouse.up();
  await expect.poll(() => page.evaluate(() => Number(new URLSearchParams(location.search).get('split')))).toBeCloseTo(0.25, 2);
  const handle = (await page.locator('.split-handle').boundingBox())!;
  expect(Math.abs(handle.x + handle.width / 2 - (canvas.x + canvas.width * 0.25))).toBeLessThan(2);
});
