// Decoding of ground-truth PNG pixels (as RGBA bytes, which both pngjs in Node and a 2D canvas
// in the browser give) into class labels and metric depth. Shared by both readers.

export interface GroundTruthFrame {
  width: number;
  height: number;
  labels: Uint8Array; // train IDs, 255 = unlabelled
  depth: Float32Array; // metres, 0 = invalid
}

function checkSize(rgba: ArrayLike<number>, width: number, height: number, what: string): void {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${what}: expected ${width}x${height} RGBA (${width * height * 4} bytes), got ${rgba.length}`);
  }
}

/** 8-bit grayscale label PNG -> labels (the R channel; gray decodes to R = G = B). */
export function labelsFromRGBA(rgba: ArrayLike<number>, width: number, height: number, what = 'labels'): Uint8Array {
  checkSize(rgba, width, height, what);
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i];
  return out;
}

/** RGB depth PNG -> metres: v = R * 256 + G, depth = v / depthScale, v = 0 stays 0 (invalid). */
export function depthFromRGBA(rgba: ArrayLike<number>, width: number, height: number, depthScale: number, what = 'depth'): Float32Array {
  checkSize(rgba, width, height, what);
  if (!(depthScale > 0)) throw new RangeError(`${what}: depthScale must be > 0 (got ${depthScale})`);
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = (rgba[4 * i] * 256 + rgba[4 * i + 1]) / depthScale;
  return out;
}

/** Depth of a clip without depth ground truth: 0 (invalid) everywhere, so no depth pixel is counted. */
export function noDepth(width: number, height: number): Float32Array {
  return new Float32Array(width * height);
}

/** Inverse of depthFromRGBA (fixtures and tests): metres -> RGBA bytes, 0 or invalid -> v = 0. */
export function depthToRGBA(depth: ArrayLike<number>, depthScale: number): Uint8Array {
  const out = new Uint8Array(depth.length * 4);
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i];
    const v = Number.isFinite(d) && d > 0 ? Math.min(65535, Math.round(d * depthScale)) : 0;
    out[4 * i] = v >> 8;
    out[4 * i + 1] = v & 255;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** Reads one frame's ground truth; implemented with pngjs (Node) and createImageBitmap (browser). */
export interface GroundTruthReader {
  read(index: number): Promise<GroundTruthFrame>;
}
