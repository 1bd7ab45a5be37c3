import { test } from '@playwright/test';
import { figures, waitForReady } from './helpers/mila';
import { makeVideo } from './helpers/videos';
test('dbg', async ({ page }) => {
  const t0 = Date.now();
  const ts = () => ((Date.now() - t0) / 1000).toFixed(1);
  page.on('console', (m) => m.type() !== 'debug' && console.log(`[${ts()}] console.${m.type()}: ${m.text().slice(0, 300)}`));
  await page.goto('/?model=tiny&src=upload&play=0&k=5');
  await waitForReady(page);
  console.log(`[${ts()}] ready`);
  const exp = process.env.EXP ?? 'A';
  const r = await page.evaluate(async (exp) => {
    const out: string[] = [];
    const { tf, WebGpuOverlayRenderer } = await import('/src/engine/zzDebugProbe.ts' as string);
    const device = (tf.backend() as any).device as GPUDevice;
    let lost = false;
    device.lost.then((i: any) => { lost = true; out.push('LOST ' + i.reason + ' ' + i.message); });
    device.addEventListener('uncapturederror', (e: any) => out.push('uncaptured: ' + e.error.message));
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    if (exp === 'A') {
      const canvas = document.createElement('canvas');
      document.body.appendChild(canvas);
      const r = new WebGpuOverlayRenderer(canvas, device, { colors: [[255, 0, 0], [0, 255, 0]], depthRange: { near: 0.5, far: 100 } });
      out.push('renderer made');
      await wait(1000);
      const pixels = tf.randomUniformInt([180, 320, 3], 0, 255).add(0);
      const labels = tf.randomUniformInt([1, 64, 128], 0, 2).add(0);
      const depth = tf.randomUniform([1, 64, 128, 1], 1, 50).add(0);
      await r.render({ pixels, labels, depth, bitmap: null, isKeyframe: true }, { view: 'split', opacity: 0.6, split: 0.5 });
      out.push('rendered');
      await wait(1000);
    }
    if (exp === 'B') {
      const v = document.createElement('video');
      v.muted = true; v.src = '/@fs' + (window as any).__VIDEO;
    }
    out.push('lost=' + lost);
    return out.join('\n');
  }, exp);
  console.log(r);
  console.log(JSON.stringify(await figures(page)));
});
