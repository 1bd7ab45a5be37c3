// Checks, with a throwaway GPUDevice, that a WebGPU canvas really shows what is rendered into it.
// Measured on headless Chromium + SwiftShader: presenting either destroys every device of the page
// or leaves the canvas blank. Where it fails the overlay is composited with the 2D canvas instead
// (and the bytes that needs to read back are counted), rather than showing a blank picture.

export interface CanvasProbeResult {
  ok: boolean;
  reason?: string;
}

export async function probeWebGpuCanvas(): Promise<CanvasProbeResult> {
  if (!navigator.gpu) return { ok: false, reason: 'navigator.gpu is not available' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { ok: false, reason: 'no WebGPU adapter' };
  const device = await adapter.requestDevice();
  let lost: string | null = null;
  void device.lost.then((i) => {
    lost = i.reason;
  });
  try {
    const canvas = document.createElement('canvas');
    canvas.width = 4;
    canvas.height = 4;
    const ctx = canvas.getContext('webgpu');
    if (!ctx) return { ok: false, reason: 'no WebGPU canvas context' };
    ctx.configure({ device, format: navigator.gpu.getPreferredCanvasFormat(), alphaMode: 'opaque' });
    const enc = device.createCommandEncoder();
    enc.beginRenderPass({ colorAttachments: [{ view: ctx.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [1, 0, 0, 1] }] }).end();
    device.queue.submit([enc.finish()]);
    // Read the canvas in this same task: once the frame is presented its texture may be discarded.
    const copy = document.createElement('canvas');
    copy.width = 4;
    copy.height = 4;
    const c2d = copy.getContext('2d')!;
    c2d.drawImage(canvas, 0, 0);
    const [r, g, b, a] = c2d.getImageData(2, 2, 1, 1).data;
    await device.queue.onSubmittedWorkDone();
    if (lost) return { ok: false, reason: `presenting a WebGPU canvas lost the device (${lost})` };
    if (r > 200 && g < 50 && b < 50 && a > 200) return { ok: true };
    return { ok: false, reason: `a WebGPU canvas stays blank here (probe read rgba ${r},${g},${b},${a} instead of red)` };
  } catch (e) {
    return { ok: false, reason: `WebGPU canvas probe failed: ${(e as Error).message}` };
  } finally {
    if (!lost) device.destroy();
  }
}
