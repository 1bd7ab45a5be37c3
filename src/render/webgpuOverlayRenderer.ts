// Draws OverlayFrames with a render pipeline on tfjs's own GPUDevice: model outputs and the frame
// stay in tfjs's GPU buffers (dataToGPU), colours are computed in overlay.wgsl. Zero readback.
import type * as tf from '@tensorflow/tfjs-core';
import shaderSource from './overlay.wgsl?raw';
import type { OverlayFrame, OverlayOptions, OverlayRenderer, OverlayStyle } from './types';
import { canvasSize, markerBandHeight, VIEW_IDS } from './viewLayout';

const PARAMS_BYTES = 64; // 16 four-byte fields of `Params` in overlay.wgsl

interface GpuRef {
  buffer: GPUBuffer;
  tensorRef: tf.Tensor;
}

/** tfjs-webgpu's dataToGPU returns a copy of the tensor's buffer plus a tensor that owns it. */
function gpuBufferOf(t: tf.Tensor): GpuRef {
  const data = t.dataToGPU() as unknown as Partial<GpuRef>;
  if (!data.buffer || !data.tensorRef) throw new Error('dataToGPU did not return a GPU buffer: is the WebGPU backend active?');
  return { buffer: data.buffer, tensorRef: data.tensorRef };
}

export class WebGpuOverlayRenderer implements OverlayRenderer {
  readonly kind = 'webgpu' as const;
  private readonly context: GPUCanvasContext;
  private readonly pipeline: GPURenderPipeline;
  private readonly params: GPUBuffer;
  private readonly palette: GPUBuffer;
  private readonly paramData = new ArrayBuffer(PARAMS_BYTES);

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly device: GPUDevice,
    private readonly style: OverlayStyle,
  ) {
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('This canvas cannot provide a WebGPU context');
    this.context = context;
    const format = navigator.gpu.getPreferredCanvasFormat();
    // COPY_SRC lets captureStream / drawImage read the canvas for recording and snapshots.
    context.configure({ device, format, alphaMode: 'opaque', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
    const module = device.createShaderModule({ code: shaderSource, label: 'overlay.wgsl' });
    this.pipeline = device.createRenderPipeline({
      layout: 'auto',
      vertex: { module, entryPoint: 'vs' },
      fragment: { module, entryPoint: 'fs', targets: [{ format }] },
      primitive: { topology: 'triangle-list' },
      label: 'overlay',
    });
    this.params = device.createBuffer({ size: PARAMS_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const pal = new Float32Array(Math.max(1, style.colors.length) * 4);
    style.colors.forEach((c, i) => pal.set([c[0] / 255, c[1] / 255, c[2] / 255, 1], i * 4));
    this.palette = device.createBuffer({ size: pal.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(this.palette, 0, pal);
  }

  async render(frame: OverlayFrame, options: OverlayOptions): Promise<void> {
    const [frameH, frameW] = frame.pixels.shape;
    const [, modelH, modelW] = frame.labels.shape;
    const size = canvasSize(options.view, frameW, frameH);
    if (this.canvas.width !== size.width) this.canvas.width = size.width;
    if (this.canvas.height !== size.height) this.canvas.height = size.height;
    this.writeParams(size, frameW, frameH, modelW, modelH, frame.isKeyframe, options);

    const refs = [gpuBufferOf(frame.pixels), gpuBufferOf(frame.labels), gpuBufferOf(frame.depth)];
    try {
      const bindGroup = this.device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: this.params } },
          ...refs.map((r, i) => ({ binding: i + 1, resource: { buffer: r.buffer } })),
          { binding: 4, resource: { buffer: this.palette } },
        ],
      });
      const encoder = this.device.createCommandEncoder({ label: 'overlay' });
      const pass = encoder.beginRenderPass({
        colorAttachments: [{ view: this.context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store', clearValue: [0, 0, 0, 1] }],
      });
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.draw(3);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
    } finally {
      // Safe right after submit: tfjs reuses these buffers only in later submissions on the same queue.
      for (const r of refs) r.tensorRef.dispose();
    }
    await this.device.queue.onSubmittedWorkDone();
  }

  private writeParams(
    size: { width: number; height: number },
    frameW: number,
    frameH: number,
    modelW: number,
    modelH: number,
    isKeyframe: boolean,
    o: OverlayOptions,
  ): void {
    const f = new Float32Array(this.paramData);
    const u = new Uint32Array(this.paramData);
    f[0] = size.width;
    f[1] = size.height;
    u[2] = frameW;
    u[3] = frameH;
    u[4] = modelW;
    u[5] = modelH;
    u[6] = VIEW_IDS[o.view];
    u[7] = isKeyframe ? 1 : 0;
    f[8] = o.opacity;
    f[9] = o.split;
    f[10] = this.style.depthRange.near;
    f[11] = this.style.depthRange.far;
    f[12] = markerBandHeight(size.height);
    u[13] = this.style.colors.length;
    this.device.queue.writeBuffer(this.params, 0, this.paramData);
  }

  dispose(): void {
    this.params.destroy();
    this.palette.destroy();
    this.context.unconfigure();
  }
}
