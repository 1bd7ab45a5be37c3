import { test } from '@playwright/test';
import { makeVideo } from './helpers/videos';
test('dbg2', async ({ page }) => {
  makeVideo({ frames: 60 });
  page.on('console', (m) => m.type() !== 'debug' && console.log(`console.${m.type()}: ${m.text().slice(0, 300)}`));
  await page.goto('/?model=nonexistent');
  await page.waitForTimeout(8000);
  const r = await page.evaluate(async (order) => {
    const out: string[] = [];
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let lost = false;
    try {
      const { tf } = await import('/src/engine/zzDebugProbe.ts' as string);
      const device = (tf.backend() as any).device as GPUDevice;
      device.lost.then((i: any) => { lost = true; out.push('LOST ' + i.reason + ' ' + i.message); });
      out.push('flag=' + tf.env().get('WEBGPU_IMPORT_EXTERNAL_TEXTURE'));
      const v = document.createElement('video');
      v.muted = true; v.src = '/test-results/videos/testsrc2-320x180-60f-30fps-vp8.webm';
      await new Promise((r, j) => { v.onloadeddata = r; v.onerror = () => j(new Error('video error')); });
      out.push('video loaded ' + v.videoWidth);
      for (const what of order.split(',')) {
        if (what === 'video') { const px = tf.browser.fromPixels(v); await px.data(); px.dispose(); }
        if (what === 'bitmap') { const bm = await createImageBitmap(v); const px = tf.browser.fromPixels(bm); await px.data(); px.dispose(); }
        if (what === 'bitmapResize') { const bm = await createImageBitmap(v, { resizeWidth: 320, resizeHeight: 180, resizeQuality: 'medium' }); const px = tf.browser.fromPixels(bm); await px.data(); px.dispose(); }
        if (what === 'render' || what === 'renderNoWait') {
          const { WebGpuOverlayRenderer } = await import('/src/render/webgpuOverlayRenderer.ts' as string);
          const canvas = document.createElement('canvas'); document.body.appendChild(canvas);
          const r = new WebGpuOverlayRenderer(canvas, device, { colors: [[255, 0, 0], [0, 255, 0]], depthRange: { near: 0.5, far: 100 } });
          await wait(1000); out.push('renderer made lost=' + lost);
          const pixels = tf.browser.fromPixels(v);
          const labels = tf.cast(tf.greater(tf.randomUniform([1, 64, 128], 0, 1), 0.5), 'int32');
          const depth = tf.add(tf.randomUniform([1, 64, 128, 1], 1, 50), tf.zeros([1, 64, 128, 1]));
          out.push('tensors made');
          const p = r.render({ pixels, labels, depth, bitmap: null, isKeyframe: true }, { view: 'split', opacity: 0.6, split: 0.5 });
          if (what === 'render') await p;
          out.push('rendered');
        }
        if (what.startsWith('inline')) {
          const variant = what.slice(6); // '', 'Const', 'NoCopySrc', 'NoDraw'
          let code = (await import('/src/render/overlay.wgsl?raw' as string)).default as string;
          if (variant === 'Const') code = code.replace('let v = pos.y / params.canvasH;', 'if (pos.x >= 0.0) { return vec4f(1.0, 0.0, 0.0, 1.0); }\n  let v = pos.y / params.canvasH;');
          const canvas: any = variant === 'Offscreen' ? new OffscreenCanvas(320, 180) : document.createElement('canvas'); canvas.width = 320; canvas.height = 180; if (variant !== 'Offscreen' && variant !== 'Detached') document.body.appendChild(canvas);
          const ctx = canvas.getContext('webgpu')! as GPUCanvasContext;
          const format = navigator.gpu.getPreferredCanvasFormat();
          ctx.configure({ device, format, alphaMode: 'opaque', usage: variant === 'NoCopySrc' ? GPUTextureUsage.RENDER_ATTACHMENT : GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
          const module = device.createShaderModule({ code });
          const pipeline = device.createRenderPipeline({ layout: 'auto', vertex: { module, entryPoint: 'vs' }, fragment: { module, entryPoint: 'fs', targets: [{ format }] } });
          const params = device.createBuffer({ size: 64, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
          const pd = new ArrayBuffer(64); const f = new Float32Array(pd); const u = new Uint32Array(pd);
          f[0] = 320; f[1] = 180; u[2] = 320; u[3] = 180; u[4] = 128; u[5] = 64; u[6] = 4; u[7] = 1; f[8] = 0.6; f[9] = 0.5; f[10] = 0.5; f[11] = 100; f[12] = 3; u[13] = 2;
          device.queue.writeBuffer(params, 0, pd);
          const mk = (n: number) => device.createBuffer({ size: n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
          const pix = mk(320 * 180 * 3 * 4), lab = mk(64 * 128 * 4), dep = mk(64 * 128 * 4), pal = mk(32);
          device.queue.writeBuffer(dep, 0, new Float32Array(64 * 128).fill(10));
          out.push('setup done lost=' + lost);
          if (variant !== 'NoBind') {
          const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [params, pix, lab, dep, pal].map((b, i) => ({ binding: i, resource: { buffer: b } })) });
          const enc = device.createCommandEncoder();
          const pass = enc.beginRenderPass({ colorAttachments: [{ view: ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }] });
          if (variant !== 'NoDraw') { pass.setPipeline(pipeline); pass.setBindGroup(0, bg); pass.draw(3); }
          pass.end();
          device.queue.submit([enc.finish()]);
          }
          out.push('submitted');
        }
        if (what === 'dataToGPU') {
          const t = tf.add(tf.randomUniform([1, 64, 128, 1], 1, 50), tf.zeros([1, 64, 128, 1]));
          const d: any = t.dataToGPU(); out.push('buffer size ' + d.buffer.size); d.tensorRef.dispose();
        }
        await wait(1500);
        out.push(`${what}: lost=${lost}`);
      }
    } catch (e) { out.push('EXC ' + (e as Error).message + ' lost=' + lost); }
    return out.join('\n');
  }, process.env.ORDER ?? 'bitmap,bitmapResize,video');
  console.log(r);
});
