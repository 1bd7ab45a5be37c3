// The app end to end on the tiny model: upload, keyframe schedule, slider, overlays, memory, readback.
import { expect, test } from '@playwright/test';
import { figures, step, uploadVideo, waitForFrames, waitForReady } from './helpers/mila';
import { makeVideo } from './helpers/videos';

test('an uploaded video is processed; K=5 gives ceil(N/5) keyframes', async ({ page }) => {
  await page.goto('/?model=tiny&src=upload&play=0&k=5');
  await waitForReady(page);
  await uploadVideo(page, makeVideo({ frames: 60 }));
  await waitForFrames(page, 1); // stepping mode shows the first frame
  await step(page, 22);
  const f = await figures(page);
  expect(f.framesProcessed).toBe(23);
  expect(f.keyframes).toBe(Math.ceil(23 / 5));
  expect(f.lastError).toBeNull();
});
