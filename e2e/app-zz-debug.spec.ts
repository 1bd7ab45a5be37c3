import { test } from '@playwright/test';
import { makeVideo } from './helpers/videos';
test('dbg', async ({ page }) => {
  const t0 = Date.now();
  const ts = () => ((Date.now() - t0) / 1000).toFixed(1);
  page.on('console', (m) => m.type() !== 'debug' && console.log(`[${ts()}] console.${m.type()}: ${m.text().slice(0, 300)}`));
  await page.goto(process.env.DBG_URL ?? '/?model=tiny&src=upload&play=0');
  let attached = false;
  for (let i = 0; i < 150; i++) {
    await page.waitForTimeout(1000);
    const s = await page.evaluate(async (attach) => {
      const { tf } = await import('/src/engine/zzDebugProbe.ts' as string);
      const w = window as any;
      let b: any = null;
      try { b = tf.backend(); } catch { return 'no backend'; }
      if (attach && b?.device && !w.__watched) { w.__watched = true; b.device.lost.then((i: any) => { w.__lostAt = performance.now(); w.__lostInfo = i.reason + ' ' + i.message; }); }
      return `${w.__mila?.phase} frames=${w.__mila?.framesProcessed} err=${w.__mila?.lastError} backend=${tf.getBackend()} watched=${!!w.__watched} lost=${w.__lostInfo ?? '-'} t=${performance.now().toFixed(0)} lostAt=${w.__lostAt ?? '-'}`;
    }, true).catch((e) => 'eval error ' + e.message);
    console.log(`[${ts()}] ${s}`);
    if (s.includes('ready') && !attached) { attached = true; if (process.env.UPLOAD) await page.getByTestId('file-input').setInputFiles(makeVideo({ frames: 60 })); }
    if (s.includes('recovering') || i > 90) break;
  }
});
