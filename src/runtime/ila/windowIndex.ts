// Gather indices and mask bias for the tfjs-ops reference: for every position p and window offset j
// (row-major over the L x L window) the flat index of p+delta in an h x w map, and whether it lies
// inside the map. Pure JS, cached per (h, w, L) because shapes repeat every frame.

export interface WindowIndex {
  /** [h*w*L*L] flat source position (0 for masked candidates, which the bias removes). */
  index: Int32Array;
  /** [h*w*L*L] 0 for valid candidates, MASK_BIAS for masked ones. */
  bias: Float32Array;
}

/** Added to masked scores: exp(score + MASK_BIAS - max) is exactly 0 in float32. */
export const MASK_BIAS = -1e30;

const cache = new Map<string, WindowIndex>();

export function windowIndex(h: number, w: number, L: number): WindowIndex {
  const key = `${h}x${w}/${L}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = (L - 1) / 2;
  const n = h * w * L * L;
  const index = new Int32Array(n);
  const bias = new Float32Array(n);
  let i = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++, i++) {
          const ky = y + dy;
          const kx = x + dx;
          const inside = ky >= 0 && ky < h && kx >= 0 && kx < w;
          index[i] = inside ? ky * w + kx : 0;
          bias[i] = inside ? 0 : MASK_BIAS;
        }
      }
    }
  }
  const entry = { index, bias };
  if (cache.size > 16) cache.clear(); // a handful of shapes per session; keep memory bounded
  cache.set(key, entry);
  return entry;
}
