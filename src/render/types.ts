// The renderer's small typed interface: one processed frame in, pixels on a canvas out.
import type * as tf from '@tensorflow/tfjs-core';
import type { DepthRange } from './colormaps';

/** What the canvas shows: segmentation, depth, both side by side or split, or the bare video. */
export const VIEW_MODES = ['seg', 'depth', 'side', 'split', 'video'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

/** One processed frame; the engine owns every tensor and bitmap in it. */
export interface OverlayFrame {
  pixels: tf.Tensor3D; // [h, w, 3] int32 0..255: the frame exactly as the model saw it, display size
  bitmap: ImageBitmap | null; // the same frame for 2D-canvas drawing (null on the WebGPU path)
  labels: tf.Tensor3D; // [1, H, W] int32 class ids at the model input size
  depth: tf.Tensor4D; // [1, H, W, 1] metres
  isKeyframe: boolean; // true: slow net; false: fast net + ILA
}

export interface OverlayOptions {
  view: ViewMode;
  opacity: number; // 0..1
  split: number; // 0..1, divider position in view 'split'
}

/** Per-model drawing style: class colours (0..255) and the depth colormap range. */
export interface OverlayStyle {
  colors: [number, number, number][];
  depthRange: DepthRange;
}

export interface OverlayRenderer {
  readonly kind: 'webgpu' | 'canvas2d';
  readonly canvas: HTMLCanvasElement;
  /** Draws the frame; resolves once the pixels are on the canvas (GPU work finished). */
  render(frame: OverlayFrame, options: OverlayOptions): Promise<void>;
  dispose(): void;
}
