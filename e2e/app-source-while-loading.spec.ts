// A source chosen at any moment counts: while the model is still loading it is shown at once and
// processed as soon as the model is ready; when the model cannot load at all, the video still
// shows and plays beside the error (never a black picture). The model's requests are held back
// or answered badly with page.route, so the file is chosen deterministically during loading.
import type { Page, Route } from '@playwright/test';
import { expect, test } from './helpers/fixtures';
import { figures, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { canvasPixels } from './helpers/pixels';
import { makeVideo } from './helpers/videos';

test.describe.configure({ timeout: 300_000 });

const CLIP = 'public/samples/street-seed2/clip.webm';
const HINT = 'Choose a video file, or drop one on the picture.';

/** Holds every request matching `pattern` until the returned function is called. */
async function holdRequests(page: Page, pattern: string, answer: (r: Route) => Promise<void> = (r) => r.continue()): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  await page.route(pattern, async (r) => {
    await gate;
    await answer(r);
  });
  return release;
}

async function phase(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { __mila?: { phase: string } }).__mila?.phase ?? 'none');
}

/** The video element the engine shows: its size on screen, time and whether it plays. */
async function videoState(page: Page) {
  return page.locator('video.stage-video').evaluate((v: HTMLVideoElement) => {
    const r = v.getBoundingClientRect();
    return { width: r.width, height: r.height, videoWidth: v.videoWidth, currentTime: v.currentTime, paused: v.paused, readyState: v.readyState };
  });
}

/** Fraction of the stage's pixels that are not (near) black. */
async function litFraction(page: Page): Promise<number> {
  const png = await canvasPixels(page.getByTestId('stage'));
  let lit = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] + png.data[i + 1] + png.data[i + 2] > 60) lit++;
  return lit / (png.width * png.height);
}

test('a file chosen while the weights download is shown at once and processed when the model is ready', async ({ page }) => {
  const release = await holdRequests(page, '**/models/tiny/group1-shard*');
  await page.goto('/?model=tiny&backend=wasm&src=upload');
  await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('weights');
  await expect(page.getByTestId('message-source')).toContainText(HINT);
  await uploadVideo(page, makeVideo({ frames: 90 }));
  // Shown at once: the label, the video element with its first frame; the hint is gone.
  await expect(page.getByTestId('source-label')).toContainText('320x180', { timeout: 30_000 });
  await expect(page.getByTestId('message-source')).toHaveCount(0);
  const shown = await videoState(page);
  expect(shown.videoWidth).toBe(320);
  expect(shown.width).toBeGreaterThan(100);
  expect(shown.height).toBeGreaterThan(50);
  expect(await phase(page)).toBe('weights'); // still loading
  release();
  await waitForReady(page);
  await waitForFrames(page, 3); // played by the real-time loop, nobody pressed anything
  await expect(page.getByTestId('pause')).toBeVisible();
  await expect(page.getByTestId('message-source')).toHaveCount(0);
  const f = await figures(page);
  expect(f.lastError).toBeNull();
});

test('a file chosen during loading is not replaced by the default sample', async ({ page }) => {
  const release = await holdRequests(page, '**/models/tiny/group1-shard*');
  await page.goto('/?model=tiny&backend=wasm'); // default source: the first bundled sample
  await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('weights');
  await page.waitForTimeout(1500); // let the default sample open (or start opening) first
  await uploadVideo(page, makeVideo({ frames: 90 }));
  await expect(page.getByTestId('source-label')).toContainText('File:', { timeout: 30_000 });
  release();
  await waitForReady(page);
  await waitForFrames(page, 3);
  await expect(page.getByTestId('source-label')).toContainText('File:');
  expect(await page.evaluate(() => location.search)).toContain('src=upload');
});

test('a missing model: the chosen video still shows and plays, with the error beside it', async ({ page }) => {
  await page.route('**/models/tiny/model.json*', (r) => r.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?model=tiny&backend=wasm&src=upload');
  await expect(page.getByTestId('message-model')).toContainText('was not found', { timeout: 120_000 });
  expect(await phase(page)).toBe('failed');
  await uploadVideo(page, CLIP);
  await expect(page.getByTestId('source-label')).toContainText('File: clip.webm', { timeout: 30_000 });
  await expect(page.getByTestId('message-model')).toBeVisible(); // the error stays beside the video
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(0.3); // it plays
  expect((await videoState(page)).paused).toBe(false);
  expect(await litFraction(page)).toBeGreaterThan(0.3); // the picture, not black
  // Pause and play work on the bare video.
  await page.getByTestId('pause').click();
  const t = (await videoState(page)).currentTime;
  await page.waitForTimeout(500);
  expect((await videoState(page)).currentTime).toBe(t);
  await page.getByTestId('play').click();
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(t);
});

test('a corrupt model.json while the file is already chosen: the video plays once loading fails', async ({ page }) => {
  const release = await holdRequests(page, '**/models/tiny/model.json*', (r) => r.fulfill({ status: 200, body: '{ this is not json', contentType: 'application/json' }));
  await page.goto('/?model=tiny&backend=wasm&src=upload');
  await expect.poll(() => phase(page), { timeout: 120_000 }).toBe('weights');
  await uploadVideo(page, CLIP);
  await expect(page.getByTestId('source-label')).toContainText('File: clip.webm', { timeout: 30_000 });
  release();
  await expect(page.getByTestId('message-model')).toContainText('could not be loaded', { timeout: 120_000 });
  expect(await phase(page)).toBe('failed');
  await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 30_000 }).toBeGreaterThan(0.3);
  expect(await litFraction(page)).toBeGreaterThan(0.3);
});
