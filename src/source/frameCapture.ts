// Turns the current video frame into an int32 [h, w, 3] tensor at the display size, on the GPU
// where possible. WebGPU first tries zero-copy importExternalTexture; adapters that reject video
// import (Chromium's SwiftShader) are detected on the first failure and use an ImageBitmap copy.
import * as tf from '@tensorflow/tfjs-core';
import { fitWithin } from './displaySize';

export interface CapturedFrame {
  pixels: tf.Tensor3D;
  bitmap: ImageBitmap | null;
}

export class FrameCapturer {
  /** null until tried; then whether tfjs could import the video element directly. */
  private directImportWorks: boolean | null = null;
  importFailure: string | null = null;

  constructor(private readonly needBitmap: boolean) {}

  /** Display size for a video of this native size (4K is scaled down). */
  sizeFor(video: HTMLVideoElement): { width: number; height: number; scaled: boolean } {
    return fitWithin(video.videoWidth, video.videoHeight);
  }

  async capture(video: HTMLVideoElement): Promise<CapturedFrame> {
    const size = this.sizeFor(video);
    if (!this.needBitmap && !size.scaled && this.directImportWorks !== false) {
      try {
        const pixels = tf.browser.fromPixels(video);
        this.directImportWorks = true;
        return { pixels, bitmap: null };
      } catch (e) {
        this.directImportWorks = false;
        this.importFailure = (e as Error).message || String(e);
      }
    }
    const bitmap = await createImageBitmap(video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
    try {
      const pixels = tf.browser.fromPixels(bitmap);
      if (this.needBitmap) return { pixels, bitmap };
      bitmap.close();
      return { pixels, bitmap: null };
    } catch (e) {
      bitmap.close();
      throw e;
    }
  }
}
