// Reading and driving the app's debug handle (`window.__mila`, src/engine/debugHandle.ts).
import { expect, type Page } from '@playwright/test';

export interface MilaFigures {
  phase: string;
  framesProcessed: number;
  keyframes: number;
  fastFrames: number;
  droppedFrames: number;
  backend: string | null;
  adapter: string | null;
  renderer: string | null;
  numTensors: number;
  readbackBytesLastFrame: number;
  readbackBytesTotal: number;
  lastError: string | null;
  deviceLosses: number;
  messages: { id: string; level: string; text: string }[];
}

export async function figures(page: Page): Promise<MilaFigures> {
  return page.evaluate(() => {
    const m = (window as unknown as { __mila: MilaFigures }).__mila;
    return {
      phase: m.phase,
      framesProcessed: m.framesProcessed,
      keyframes: m.keyframes,
      fastFrames: m.fastFrames,
      droppedFrames: m.droppedFrames,
      backend: m.backend,
      adapter: m.adapter,
      renderer: m.renderer,
      numTensors: m.numTensors,
      readbackBytesLastFrame: m.readbackBytesLastFrame,
      readbackBytesTotal: m.readbackBytesTotal,
      lastError: m.lastError,
      deviceLosses: m.deviceLosses,
      messages: m.messages,
    };
  });
}

/** Waits for the model session to be ready (phase 'ready'); fails early on 'failed'. */
export async function waitForReady(page: Page, timeout = 150_000): Promise<void> {
  await expect
    .poll(
      // The dev server may reload the page once while it optimises dependencies: retry through it.
      async () => (await page.evaluate(() => (window as unknown as { __mila?: { phase: string } }).__mila?.phase).catch(() => 'reloading')) ?? 'none',
      { timeout, intervals: [250, 500, 1000] },
    )
    .toMatch(/^(ready|failed)$/);
  const f = await figures(page);
  if (f.phase !== 'ready') throw new Error(`app failed to start: ${JSON.stringify(f.messages)}`);
}

export async function waitForFrames(page: Page, n: number, timeout = 120_000): Promise<void> {
  await expect.poll(async () => (await figures(page)).framesProcessed, { timeout, intervals: [200, 500, 1000] }).toBeGreaterThanOrEqual(n);
}

/** Processes the next n frames one by one (deterministic). */
export async function step(page: Page, n: number): Promise<void> {
  await page.evaluate((k) => (window as unknown as { __mila: { step(n: number): Promise<void> } }).__mila.step(k), n);
}

export async function uploadVideo(page: Page, path: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(path);
}
