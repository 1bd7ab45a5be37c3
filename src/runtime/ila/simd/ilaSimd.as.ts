// AssemblyScript source of the WebAssembly SIMD ILA kernel (cpu and wasm tfjs backends). Compiled by
// `npm run build:wasm` (scripts/build-wasm.ts, scripts/ilaSimdCompile.ts) into ilaSimdWasm.generated.ts;
// not TypeScript for tsc (tsconfig excludes *.as.ts). Same loop and masking as ../ilaTyped.ts, but float32 in f32x4 lanes:
// the scalar float64 JS loop is arithmetic-bound (~8M multiply-adds per frame at the shipped sizes).
// The host copies query/keys/values into this module's memory at byte offsets it chooses (from
// heapBase() up) and grows the memory itself; nothing here allocates, so no runtime is needed.

/** First free byte of linear memory: the host lays its buffers out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] (row-major float32 at the given byte offsets)
 * -> out [G,h,w,T]. Scratch: `scores` and `rows` hold M*L*L float32 / int32 each. Scores q.k/sqrt(d)
 * over the L x L window of every slot, out-of-map candidates skipped, one softmax (max-subtracted) over
 * all slots' candidates, weighted sum of values. d and T need not be multiples of 4 (scalar tails).
 */
export function ilaAttend(
  query: usize, keys: usize, values: usize, out: usize, scores: usize, rows: usize,
  G: i32, M: i32, h: i32, w: i32, d: i32, T: i32, L: i32,
): void {
  const r = (L - 1) >> 1;
  const hw = h * w;
  const scale = <f32>(1.0 / Math.sqrt(<f64>d));
  const dBytes = <usize>d << 2;
  const tBytes = <usize>T << 2;
  const d8 = dBytes & ~(<usize>31); // two independent f32x4 sums, 8 channels per step
  const d4 = dBytes & ~(<usize>15);
  const t4 = tBytes & ~(<usize>15);
  const zero = f32x4.splat(0);
  const scale4 = f32x4.splat(scale);
  const lanes = i32x4(0, 1, 2, 3);
  const quad = dBytes == d4;
  for (let g = 0; g < G; g++) {
    for (let y = 0; y < h; y++) {
      const y0 = max(0, y - r);
      const y1 = min(h - 1, y + r);
      for (let x = 0; x < w; x++) {
        const x0 = max(0, x - r);
        const x1 = min(w - 1, x + r);
        const pos = <usize>((g * h + y) * w + x);
        const qBase = query + pos * dBytes;
        let n: usize = 0;
        let best: f32 = -Infinity;
        let bestQuad = f32x4.splat(-Infinity);
        for (let m = 0; m < M; m++) {
          const slotBase = (g * M + m) * hw;
          for (let ky = y0; ky <= y1; ky++) {
            let row = slotBase + ky * w + x0;
            const rowEnd = slotBase + ky * w + x1 + 1;
            // Four neighbouring candidates at once (d a multiple of 4): each query vector is loaded once
            // for four keys, and one transpose-add gives the four scores.
            for (; quad && row + 4 <= rowEnd; row += 4) {
              const k0 = keys + <usize>row * dBytes;
              let a0 = zero;
              let a1 = zero;
              let a2 = zero;
              let a3 = zero;
              for (let c: usize = 0; c < dBytes; c += 16) {
                const qv = v128.load(qBase + c);
                a0 = f32x4.add(a0, f32x4.mul(qv, v128.load(k0 + c)));
                a1 = f32x4.add(a1, f32x4.mul(qv, v128.load(k0 + dBytes + c)));
                a2 = f32x4.add(a2, f32x4.mul(qv, v128.load(k0 + 2 * dBytes + c)));
                a3 = f32x4.add(a3, f32x4.mul(qv, v128.load(k0 + 3 * dBytes + c)));
              }
              const u0 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), v128.shuffle<f32>(a0, a1, 2, 6, 3, 7));
              const u1 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), v128.shuffle<f32>(a2, a3, 2, 6, 3, 7));
              const s4 = f32x4.mul(f32x4.add(v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), v128.shuffle<f32>(u0, u1, 2, 3, 6, 7)), scale4);
              v128.store(scores + (n << 2), s4);
              v128.store(rows + (n << 2), i32x4.add(i32x4.splat(row), lanes));
              n += 4;
              bestQuad = f32x4.max(bestQuad, s4);
            }
            for (; row < rowEnd; row++) {
              const kBase = keys + <usize>row * dBytes;
              let a0 = zero;
              let a1 = zero;
              let c: usize = 0;
              for (; c < d8; c += 32) {
                a0 = f32x4.add(a0, f32x4.mul(v128.load(qBase + c), v128.load(kBase + c)));
                a1 = f32x4.add(a1, f32x4.mul(v128.load(qBase + c + 16), v128.load(kBase + c + 16)));
              }
              if (c < d4) {
                a0 = f32x4.add(a0, f32x4.mul(v128.load(qBase + c), v128.load(kBase + c)));
                c += 16;
              }
              const a = f32x4.add(a0, a1);
              let s = (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
              for (; c < dBytes; c += 4) s += load<f32>(qBase + c) * load<f32>(kBase + c);
              s *= scale;
              store<f32>(scores + (n << 2), s);
              store<i32>(rows + (n << 2), row);
              n++;
              if (s > best) best = s;
            }
          }
        }
        best = max(best, max(max(f32x4.extract_lane(bestQuad, 0), f32x4.extract_lane(bestQuad, 1)), max(f32x4.extract_lane(bestQuad, 2), f32x4.extract_lane(bestQuad, 3))));
        let sum: f32 = 0;
        for (let i: usize = 0; i < n; i++) {
          const e = Mathf.exp(load<f32>(scores + (i << 2)) - best);
          store<f32>(scores + (i << 2), e);
          sum += e;
        }
        const inv: f32 = 1 / sum;
        const oBase = out + pos * tBytes;
        // Channel blocks (8, then 4, then single channels) outermost: the accumulators stay in registers
        // across all candidates, and each candidate's weight and row are loaded once per 8 channels.
        let t: usize = 0;
        const t8 = tBytes & ~(<usize>31);
        for (; t < t8; t += 32) {
          let acc0 = zero;
          let acc1 = zero;
          for (let i: usize = 0; i < n; i++) {
            const vBase = values + <usize>load<i32>(rows + (i << 2)) * tBytes + t;
            const wgt = f32x4.splat(load<f32>(scores + (i << 2)));
            acc0 = f32x4.add(acc0, f32x4.mul(wgt, v128.load(vBase)));
            acc1 = f32x4.add(acc1, f32x4.mul(wgt, v128.load(vBase + 16)));
          }
          v128.store(oBase + t, f32x4.mul(acc0, f32x4.splat(inv)));
          v128.store(oBase + t + 16, f32x4.mul(acc1, f32x4.splat(inv)));
        }
        for (; t < t4; t += 16) {
          let acc = zero;
          for (let i: usize = 0; i < n; i++) {
            const vBase = values + <usize>load<i32>(rows + (i << 2)) * tBytes;
            acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(scores + (i << 2))), v128.load(vBase + t)));
          }
          v128.store(oBase + t, f32x4.mul(acc, f32x4.splat(inv)));
        }
        for (; t < tBytes; t += 4) {
          let acc: f32 = 0;
          for (let i: usize = 0; i < n; i++) {
            acc += load<f32>(scores + (i << 2)) * load<f32>(values + <usize>load<i32>(rows + (i << 2)) * tBytes + t);
          }
          store<f32>(oBase + t, acc * inv);
        }
      }
    }
  }
}
