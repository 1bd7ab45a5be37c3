// ILA straight on typed arrays, for backends whose tensors already live in CPU memory (cpu, wasm).
// One pass per output position: window scores, masked softmax, weighted sum. No gathered copies:
// the tfjs-ops reference materialises G*h*w*M*L*L rows of keys and values through GatherV2, which
// is what made ILA cost ~0.5 s per frame on wasm (docs/ARCHITECTURE.md "ILA implementations").
import { validateIlaArrays, type IlaDims } from './validate';

/**
 * query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] as flat row-major float32 arrays ->
 * [G,h,w,T]. Out-of-map candidates are skipped (masked); accumulation in float64.
 */
export function ilaTypedArrays(
  query: Float32Array, keys: Float32Array, values: Float32Array, dims: IlaDims,
): Float32Array {
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T, window: L } = dims;
  validateIlaArrays(query, keys, values, dims, 'ilaTypedArrays');
  const r = (L - 1) / 2;
  const hw = h * w;
  const scale = 1 / Math.sqrt(d);
  const out = new Float32Array(G * hw * T);
  const scores = new Float64Array(M * L * L); // then the softmax numerators
  const rows = new Int32Array(M * L * L); // key/value row of each candidate
  const acc = new Float64Array(T);
  const d4 = d - (d % 4); // 4-way unrolled dot products: independent sums the JIT can overlap
  const t4 = T - (T % 4);
  for (let g = 0; g < G; g++) {
    for (let y = 0; y < h; y++) {
      const y0 = Math.max(0, y - r);
      const y1 = Math.min(h - 1, y + r);
      for (let x = 0; x < w; x++) {
        const x0 = Math.max(0, x - r);
        const x1 = Math.min(w - 1, x + r);
        const qBase = ((g * h + y) * w + x) * d;
        let n = 0;
        let max = -Infinity;
        for (let m = 0; m < M; m++) {
          const slotBase = (g * M + m) * hw;
          for (let ky = y0; ky <= y1; ky++) {
            let row = slotBase + ky * w + x0;
            for (let kx = x0; kx <= x1; kx++, row++) {
              const kBase = row * d;
              let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
              let c = 0;
              for (; c < d4; c += 4) {
                s0 += query[qBase + c] * keys[kBase + c];
                s1 += query[qBase + c + 1] * keys[kBase + c + 1];
                s2 += query[qBase + c + 2] * keys[kBase + c + 2];
                s3 += query[qBase + c + 3] * keys[kBase + c + 3];
              }
              for (; c < d; c++) s0 += query[qBase + c] * keys[kBase + c];
              const s = (s0 + s1 + s2 + s3) * scale;
              scores[n] = s;
              rows[n++] = row;
              if (s > max) max = s;
            }
          }
        }
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const e = Math.exp(scores[i] - max);
          scores[i] = e;
          sum += e;
        }
        acc.fill(0);
        for (let i = 0; i < n; i++) {
          const wgt = scores[i];
          const vBase = rows[i] * T;
          let t = 0;
          for (; t < t4; t += 4) {
            acc[t] += wgt * values[vBase + t];
            acc[t + 1] += wgt * values[vBase + t + 1];
            acc[t + 2] += wgt * values[vBase + t + 2];
            acc[t + 3] += wgt * values[vBase + t + 3];
          }
          for (; t < T; t++) acc[t] += wgt * values[vBase + t];
        }
        const oBase = ((g * h + y) * w + x) * T;
        const inv = 1 / sum;
        for (let t = 0; t < T; t++) out[oBase + t] = acc[t] * inv;
      }
    }
  }
  return out;
}
