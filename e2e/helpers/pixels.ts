// Canvas pixels as the user sees them: a screenshot of the element, i.e. what the compositor shows.
// (drawImage of a WebGPU canvas after its frame was presented reads an empty texture, so a page-side
// copy would see nothing; the screenshot needs the Vulkan launch flags of helpers/browser.ts.)
import type { Locator, Page } from '@playwright/test';
import { PNG } from 'pngjs';

export async function canvasPixels(canvas: Locator): Promise<PNG> {
  return PNG.sync.read(await canvas.screenshot());
}

/** Switches the stage to `view` (seg, depth, side, split, video) and returns what its canvas shows. */
export async function viewPixels(page: Page, view: string): Promise<PNG> {
  await page.getByTestId(`view-${view}`).check();
  await page.waitForTimeout(400); // the next drawn frame
  return canvasPixels(page.getByTestId('stage').locator('canvas'));
}

/** Mean absolute RGB difference per channel, 0..255, over the common area. */
export function meanAbsDiff(a: PNG, b: PNG): number {
  const w = Math.min(a.width, b.width);
  const h = Math.min(a.height, b.height);
  let sum = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * a.width + x) * 4;
      const j = (y * b.width + x) * 4;
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i + c] - b.data[j + c]);
    }
  }
  return sum / (w * h * 3);
}
