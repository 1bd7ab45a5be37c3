// Canvas pixels as the page sees them (drawImage of the canvas into a 2D canvas), which works for
// WebGPU canvases even where headless Chromium does not composite them into screenshots.
import type { Locator } from '@playwright/test';
import { PNG } from 'pngjs';

export async function canvasPixels(canvas: Locator): Promise<PNG> {
  const dataUrl = await canvas.evaluate((c: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    copy.getContext('2d')!.drawImage(c, 0, 0);
    return copy.toDataURL('image/png');
  });
  return PNG.sync.read(Buffer.from(dataUrl.split(',')[1], 'base64'));
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
