// Renderer for the WebGL / wasm / CPU backends, which cannot share a GPUDevice with a WebGPU
// canvas: the label and depth maps are read back (counted by the engine's readback meter) and
// coloured at model resolution, then composited over the frame with the 2D canvas API.
import { depthToUnit, turbo } from './colormaps';
import type { OverlayFrame, OverlayOptions, OverlayRenderer, OverlayStyle } from './types';
import { canvasSize, MARKER_FAST, MARKER_SLOW, markerBandHeight } from './viewLayout';

const LUT_SIZE = 256;

export class Canvas2dOverlayRenderer implements OverlayRenderer {
  readonly kind = 'canvas2d' as const;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly segLayer = document.createElement('canvas');
  private readonly depthLayer = document.createElement('canvas');
  private readonly turboLut: Uint8ClampedArray;
  private lastFrame: OverlayFrame | null = null;

  constructor(readonly canvas: HTMLCanvasElement, private readonly style: OverlayStyle) {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This canvas cannot provide a 2D context');
    this.ctx = ctx;
    this.turboLut = new Uint8ClampedArray(LUT_SIZE * 3);
    for (let i = 0; i < LUT_SIZE; i++) this.turboLut.set(turbo(i / (LUT_SIZE - 1)).map((v) => v * 255), i * 3);
  }

  async render(frame: OverlayFrame, options: OverlayOptions): Promise<void> {
    if (!frame.bitmap) throw new Error('The 2D-canvas renderer needs the frame as an ImageBitmap');
    // Layers only change with the frame; option changes (opacity, divider) recomposite only.
    if (frame !== this.lastFrame) {
      await this.colourLayers(frame);
      this.lastFrame = frame;
    }
    const [frameH, frameW] = frame.pixels.shape;
    const size = canvasSize(options.view, frameW, frameH);
    if (this.canvas.width !== size.width) this.canvas.width = size.width;
    if (this.canvas.height !== size.height) this.canvas.height = size.height;
    const ctx = this.ctx;
    const panel = (x: number, w: number, layer: HTMLCanvasElement | null, clip?: [number, number]) => {
      ctx.save();
      if (clip) {
        ctx.beginPath();
        ctx.rect(clip[0], 0, clip[1], frameH);
        ctx.clip();
      }
      ctx.imageSmoothingEnabled = true;
      ctx.globalAlpha = 1;
      ctx.drawImage(frame.bitmap!, x, 0, w, frameH);
      if (layer) {
        // Segmentation stays crisp (nearest), depth is smooth (bilinear), like the WebGPU shader.
        ctx.imageSmoothingEnabled = layer === this.depthLayer;
        ctx.globalAlpha = options.opacity;
        ctx.drawImage(layer, x, 0, w, frameH);
      }
      ctx.restore();
    };
    if (options.view === 'side') {
      panel(0, frameW, this.segLayer);
      panel(frameW, frameW, this.depthLayer);
    } else if (options.view === 'split') {
      const cut = Math.round(options.split * frameW);
      panel(0, frameW, this.segLayer, [0, cut]);
      panel(0, frameW, this.depthLayer, [cut, frameW - cut]);
      ctx.fillStyle = '#fff';
      ctx.fillRect(cut - 1, 0, 2, frameH);
    } else {
      panel(0, frameW, options.view === 'seg' ? this.segLayer : options.view === 'depth' ? this.depthLayer : null);
    }
    const m = frame.isKeyframe ? MARKER_SLOW : MARKER_FAST;
    ctx.fillStyle = `rgb(${m[0]}, ${m[1]}, ${m[2]})`;
    ctx.fillRect(0, 0, size.width, markerBandHeight(size.height));
  }

  private async colourLayers(frame: OverlayFrame): Promise<void> {
    const [, h, w] = frame.labels.shape;
    const [labels, depth] = await Promise.all([frame.labels.data(), frame.depth.data()]);
    const seg = new ImageData(w, h);
    const dep = new ImageData(w, h);
    const { colors, depthRange } = this.style;
    for (let i = 0; i < w * h; i++) {
      const c = colors[labels[i]];
      if (c) seg.data.set([c[0], c[1], c[2], 255], i * 4); // unknown ids stay transparent
      const li = Math.round(depthToUnit(depth[i], depthRange) * (LUT_SIZE - 1)) * 3;
      dep.data.set([this.turboLut[li], this.turboLut[li + 1], this.turboLut[li + 2], 255], i * 4);
    }
    for (const [layer, img] of [[this.segLayer, seg], [this.depthLayer, dep]] as const) {
      layer.width = w;
      layer.height = h;
      layer.getContext('2d')!.putImageData(img, 0, 0);
    }
  }

  dispose(): void {
    this.lastFrame = null;
  }
}
