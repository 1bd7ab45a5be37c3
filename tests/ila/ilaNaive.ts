// Plain per-pixel loop in float64: the ground truth the reference and the fused kernel are tested
// against. Deliberately written straight from the formula, with no tfjs and no tricks.
import type { IlaDims } from '../../src/runtime/ila/validate';

/**
 * query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] as flat row-major arrays -> [G,h,w,T].
 * Out-of-map window candidates are skipped (masked), never treated as zero keys.
 */
export function ilaNaive(
  query: ArrayLike<number>, keys: ArrayLike<number>, values: ArrayLike<number>, dims: IlaDims,
): Float64Array {
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T, window: L } = dims;
  const r = (L - 1) / 2;
  const scale = 1 / Math.sqrt(d);
  const out = new Float64Array(G * h * w * T);
  const scores: number[] = [];
  const rows: number[] = [];
  for (let g = 0; g < G; g++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const qBase = ((g * h + y) * w + x) * d;
        scores.length = 0;
        rows.length = 0;
        for (let m = 0; m < M; m++) {
          for (let dy = -r; dy <= r; dy++) {
            for (let dx = -r; dx <= r; dx++) {
              const ky = y + dy;
              const kx = x + dx;
              if (ky < 0 || ky >= h || kx < 0 || kx >= w) continue; // masked
              const row = ((g * M + m) * h + ky) * w + kx;
              let s = 0;
              for (let c = 0; c < d; c++) s += query[qBase + c] * keys[row * d + c];
              scores.push(s * scale);
              rows.push(row);
            }
          }
        }
        const max = Math.max(...scores);
        let sum = 0;
        const e = scores.map((s) => { const v = Math.exp(s - max); sum += v; return v; });
        const oBase = ((g * h + y) * w + x) * T;
        for (let i = 0; i < rows.length; i++) {
          const wgt = e[i] / sum;
          for (let c = 0; c < T; c++) out[oBase + c] += wgt * values[rows[i] * T + c];
        }
      }
    }
  }
  return out;
}
