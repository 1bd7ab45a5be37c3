// Frame-exact stepping: every frame of the fixture clip carries its index (bits drawn in its
// top rows); stepping through it forwards, and jumping around, must show exactly those frames.
import { expect, test } from '@playwright/test';

test('VideoFrameStepper presents each requested frame exactly once, without drop or repeat', async ({ page }) => {
  await page.goto('/eval.html');
  const result = await page.evaluate(async () => {
    // Modules straight from the Vite dev server (variables keep tsc from resolving the URLs).
    const stepperUrl = '/src/eval/browser/videoFrameStepper.ts';
    const codeUrl = '/tests/eval/fixtures/evalClipCode.ts';
    const { VideoFrameStepper } = await import(/* @vite-ignore */ stepperUrl);
    const { readFrameCode } = await import(/* @vite-ignore */ codeUrl);
    const manifest = await (await fetch('/tests/fixtures/eval-clip/manifest.json')).json();
    const stepper = await VideoFrameStepper.open('/tests/fixtures/eval-clip/clip.webm', manifest.fps, manifest.frames);
    const read = async (i: number) => {
      await stepper.seek(i);
      return readFrameCode(stepper.capture().data);
    };
    const forward: number[] = [];
    for (let i = 0; i < manifest.frames; i++) forward.push(await read(i));
    const jumps = [17, 3, 29, 0, 28, 1, 15, 14];
    const jumped: number[] = [];
    for (const i of jumps) jumped.push(await read(i));
    let outside = '';
    await stepper.seek(manifest.frames).catch((e: Error) => (outside = e.message));
    stepper.dispose();
    return { frames: manifest.frames, forward, jumps, jumped, outside };
  });
  expect(result.forward).toEqual(Array.from({ length: result.frames }, (_, i) => i));
  expect(result.jumped).toEqual(result.jumps);
  expect(result.outside).toMatch(/outside the clip/);
});
