// Damaged and cut-off videos: a truncated file is called truncated (not an unsupported codec), plays only
// as far as its frames go, and a failure while in use leaves working controls or says why they are off
// (wasm backend: these cases are about sources).
import type { Page } from '@playwright/test';
import { expect, openApp, test } from './helpers/fixtures';
import { figures, step, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { makeVideo, truncated } from './helpers/videos';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await openApp(browser, '/?model=tiny&backend=wasm&src=upload&play=0&k=5');
  await waitForReady(page);
});

test.afterAll(async () => {
  await page?.context().close();
});

const sourceMessage = () => page.getByTestId('message-source');
const lastFrameTime = () => page.evaluate(() => (window as unknown as { __mila: { lastFrame: { mediaTime: number } | null } }).__mila.lastFrame?.mediaTime ?? -1);

/** Steps one frame with a deadline: `__mila.step` must always settle. */
async function stepSettles(): Promise<void> {
  await Promise.race([step(page, 1), new Promise((_, reject) => setTimeout(() => reject(new Error('__mila.step(1) did not resolve within 20 s')), 20_000))]);
}

test('an H.264 MP4 without +faststart cut to 30% is called truncated, not an unsupported codec', async () => {
  const file = truncated(makeVideo({ codec: 'h264', frames: 90 }), 0.3, 'cut-no-faststart.mp4');
  await uploadVideo(page, file);
  await expect(sourceMessage()).toContainText('is truncated', { timeout: 30_000 });
  await expect(sourceMessage()).toContainText('"moov" box');
  await expect(sourceMessage()).not.toContainText('codec');
  expect((await figures(page)).lastError).toContain('cut-no-faststart.mp4');
});

test('a truncated WebM says how much of it plays, and playing and stepping stay inside it', async () => {
  const file = truncated('public/samples/street-seed2/clip.webm', 0.3, 'street-first-30pc.webm');
  await uploadVideo(page, file);
  await expect(sourceMessage()).toContainText(/is truncated: only the first \d+\.\d s of its 10\.0 s can play/, { timeout: 30_000 });
  const playable = Number((await sourceMessage().textContent())!.match(/first (\d+\.\d) s/)![1]);
  expect(playable).toBeLessThan(5);
  await waitForFrames(page, (await figures(page)).framesProcessed); // the first frame is on screen
  // stepping from just before the cut: it wraps (or ends) at the playable length, never past it
  await page.evaluate((t) => new Promise<void>((resolve) => {
    const v = document.querySelector<HTMLVideoElement>('video.stage-video')!;
    v.addEventListener('seeked', () => resolve(), { once: true });
    v.currentTime = t;
  }), playable - 0.2);
  for (let i = 0; i < 15; i++) {
    await stepSettles();
    expect(await lastFrameTime()).toBeLessThanOrEqual(playable + 0.1);
  }
  // playing: the clock never runs into the missing part
  await page.getByTestId('play').click();
  const until = Date.now() + Math.max(8_000, playable * 2_500);
  let latest = 0;
  while (Date.now() < until) {
    latest = Math.max(latest, await page.evaluate(() => document.querySelector<HTMLVideoElement>('video.stage-video')!.currentTime));
    await page.waitForTimeout(100);
  }
  expect(latest).toBeLessThan(playable + 0.5); // the watch reacts on timeupdate (every 250 ms at most)
  await page.getByTestId('pause').click();
});

test('a +faststart MP4 cut to 30%: frames up to the damage are usable, then the controls say why they are off', async () => {
  const file = truncated(makeVideo({ codec: 'h264', frames: 90, faststart: true }), 0.3, 'cut-faststart.mp4');
  await uploadVideo(page, file);
  await expect(sourceMessage()).toContainText(/is truncated: only the first \d+\.\d s of its 3\.0 s can play/, { timeout: 30_000 });
  const before = (await figures(page)).framesProcessed;
  // Step through the whole clip and beyond: every step settles, and frames before the cut are processed.
  const failed = async () => (await figures(page)).lastError?.includes('cut-faststart.mp4') ?? false;
  for (let i = 0; i < 100 && !(await failed()); i++) await stepSettles();
  expect((await figures(page)).framesProcessed).toBeGreaterThan(before + 5);
  // Play (if stepping has not met the damage yet): it stops inside the frames that exist or fails.
  if (!(await failed())) {
    await page.getByTestId('play').click();
    await page.waitForTimeout(4_000);
  }
  const after = await figures(page);
  const broken = after.messages.find((m) => m.id === 'source' && m.level === 'error');
  if (broken) {
    // The failure is said in plain words, and the controls are off with the reason on them.
    expect(after.lastError).toContain('cut-faststart.mp4');
    expect(broken.text).not.toMatch(/PipelineStatus|PIPELINE_|DEMUXER_/);
    await expect(page.getByTestId('play')).toBeDisabled();
    await expect(page.getByTestId('step')).toBeDisabled();
    await expect(page.getByTestId('step')).toHaveAttribute('title', /Play and Step are off/);
    await stepSettles(); // the handle still answers
  } else {
    expect(await lastFrameTime()).toBeLessThan(3);
  }
});

test('a non-video file is named with the right article', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]);
  await page.getByTestId('file-input').setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: png });
  await expect(sourceMessage()).toContainText('it is an image/png file');
});
