// Weight quantisation for the TF.js weights manifest: float32 (none), float16, uint8 (affine).
// Decoding is tfjs's own `tf.io.decodeWeights`, so these must produce exactly its formats.

export type QuantizeDtype = 'float32' | 'float16' | 'uint8';

export type ManifestQuantization =
  | { dtype: 'float16' }
  | { dtype: 'uint8'; scale: number; min: number };

export interface EncodedWeight {
  bytes: Uint8Array;
  quantization?: ManifestQuantization;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half from float, round to nearest even; overflow -> inf, tiny -> subnormal/zero. */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

/** Encodes one float32 weight in the requested storage dtype. */
export function encodeWeight(data: Float32Array, dtype: QuantizeDtype): EncodedWeight {
  if (dtype === 'float32') {
    return { bytes: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
  }
  if (dtype === 'float16') {
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = float32ToFloat16Bits(data[i]);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' } };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (data.length === 0) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round((data[i] - min) / scale);
  return { bytes: out, quantization: { dtype: 'uint8', scale, min } };
}
