// Bad input: each case shows its message on screen and the app keeps working (wasm backend: the
// cases are about sources, and wasm starts fastest on this machine).
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, openApp, test } from './helpers/fixtures';
import { figures, step, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { makeVideo, writeTestFile } from './helpers/videos';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

let page: Page;

test.beforeAll(async ({ browser }) => {
  page = await openApp(browser, '/?model=tiny&backend=wasm&src=upload&play=0&k=5');
  await waitForReady(page);
  await uploadVideo(page, makeVideo({ frames: 60 }));
  await waitForFrames(page, 1);
});

test.afterAll(async () => {
  await page?.context().close();
});

/** Uploads `file`, expects the source message to match, then proves the app still processes frames. */
async function rejectsWith(file: string, message: RegExp): Promise<void> {
  const label = page.getByTestId('source-label');
  const before = await label.textContent();
  expect(before).toBeTruthy(); // a source is on screen (beforeAll)
  await uploadVideo(page, file);
  await expect(page.getByTestId('message-source')).toContainText(message, { timeout: 30_000 });
  const processed = (await figures(page)).framesProcessed;
  await step(page, 1); // the previous source is still loaded and usable
  expect((await figures(page)).framesProcessed).toBe(processed + 1);
  await expect(label).toHaveText(before!); // and still the one on screen
}

test('a non-video file', async () => {
  await rejectsWith(writeTestFile('notes.txt', 'these are not moving pictures\n'), /is not a video/);
});

test('a zero-length file', async () => {
  await rejectsWith(writeTestFile('empty.webm', new Uint8Array(0)), /is empty \(0 bytes\)/);
});

test('a truncated video', async () => {
  const whole = readFileSync(makeVideo({ frames: 60 }));
  await rejectsWith(writeTestFile('truncated.webm', whole.subarray(0, 200)), /damaged or truncated|could not be opened/);
});

test('a corrupt video (valid header, garbage after it)', async () => {
  const whole = readFileSync(makeVideo({ frames: 60 }));
  const bad = Buffer.concat([whole.subarray(0, 64), Buffer.alloc(whole.length - 64, 0x5a)]);
  await rejectsWith(writeTestFile('corrupt.webm', bad), /damaged|truncated|could not be/);
});

test('an unsupported codec (MPEG-4 Part 2 in MP4)', async () => {
  await rejectsWith(makeVideo({ codec: 'mpeg4', frames: 10 }), /codec is not supported/);
});

test('webcam denied and webcam absent', async () => {
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await page.getByTestId('webcam').click();
  await expect(page.getByTestId('message-source')).toContainText('Camera access was denied');
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  });
  await page.getByTestId('webcam').click();
  await expect(page.getByTestId('message-source')).toContainText('No camera was found');
});

test('a 3840x2160 video is scaled down and processed', async () => {
  await uploadVideo(page, makeVideo({ width: 3840, height: 2160, frames: 4, codec: 'h264', pattern: 'testsrc' }));
  await expect(page.getByTestId('message-scaled')).toContainText('3840x2160', { timeout: 60_000 });
  await expect(page.getByTestId('source-label')).toContainText('shown at 1280x720');
  const before = (await figures(page)).framesProcessed;
  await step(page, 2);
  const f = await figures(page);
  expect(f.framesProcessed).toBeGreaterThanOrEqual(before + 2);
  expect(f.messages.find((m) => m.id === 'frame')).toBeUndefined(); // no frame failed
});

test('the annotated video can be recorded and downloaded as WebM', async () => {
  await uploadVideo(page, makeVideo({ frames: 60 }));
  await expect(page.getByTestId('source-label')).toContainText('320x180');
  await page.getByTestId('record').click();
  await step(page, 6);
  await page.waitForTimeout(600);
  const download = page.waitForEvent('download');
  await page.getByTestId('record-stop').click();
  const file = await (await download).path();
  const bytes = readFileSync(file);
  expect(bytes.length).toBeGreaterThan(500);
  expect([...bytes.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]); // EBML: a WebM file
});
