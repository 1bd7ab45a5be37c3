// Weight storage for the TF.js weights manifest: float32 (none), float16, uint8 (per-tensor affine,
// value = q * scale + min). Decoding is tfjs's own `tf.io.decodeWeights`, so these must produce
// exactly its formats.
//
// uint8 scheme (TF.js has only per-tensor affine uint8), measured on the parity fixture
// (docs/ARCHITECTURE.md "Converter"):
// - biases stay float32 (they are <0.5% of the bytes and add straight to the outputs);
// - the stem conv and the residual shortcut convs (`downsample.0`) are stored float16: they write
//   straight into the residual stream, and in uint8 these few tensors alone caused most of the
//   output error (2 stem kernels: 0.16 logits; 7 shortcut kernels: 0.15), for ~5% of the bytes;
// - every other kernel is uint8, unless its narrowest output channel (after BatchNorm folding each
//   channel has its own range) would get fewer than MIN_CHANNEL_STEPS quantisation steps, in which
//   case it is float16 too. All of these are standard manifest entries.

export type QuantizeDtype = 'float32' | 'float16' | 'uint8';
export const QUANTIZE_DTYPES: readonly QuantizeDtype[] = ['float32', 'float16', 'uint8'];

export type ManifestQuantization =
  | { dtype: 'float16' }
  | { dtype: 'uint8'; scale: number; min: number };

export interface EncodedWeight {
  bytes: Uint8Array;
  quantization?: ManifestQuantization;
}

/** A kernel whose narrowest output channel spans fewer uint8 steps than this is kept in float16. */
export const MIN_CHANNEL_STEPS = 16;

/** Largest finite float16. */
const FLOAT16_MAX = 65504;

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

export function encodeFloat16(data: Float32Array, name = 'weight'): EncodedWeight {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    if (Math.abs(data[i]) > FLOAT16_MAX) {
      throw new Error(`float16: weight "${name}" has value ${data[i]} at flat index ${i}, beyond float16's range (±${FLOAT16_MAX})`);
    }
    out[i] = float32ToFloat16Bits(data[i]);
  }
  return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' } };
}

/** Per-tensor affine uint8 over [min, max]; error per value at most scale / 2. */
export function encodeUint8(data: Float32Array): EncodedWeight {
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (data.length === 0) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((data[i] - min) / scale)));
  return { bytes: out, quantization: { dtype: 'uint8', scale, min } };
}

/** Fewest uint8 steps any output channel (last axis of an HWIO kernel) spans under per-tensor scaling. */
export function narrowestChannelSteps(data: Float32Array, outChannels: number): number {
  const lo = new Float64Array(outChannels).fill(Infinity);
  const hi = new Float64Array(outChannels).fill(-Infinity);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const c = i % outChannels;
    const v = data[i];
    if (v < lo[c]) lo[c] = v;
    if (v > hi[c]) hi[c] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return Infinity;
  let steps = Infinity;
  for (let c = 0; c < outChannels; c++) steps = Math.min(steps, ((hi[c] - lo[c]) / (max - min)) * 255);
  return steps;
}

/** Kernels that feed the residual stream directly (see the uint8 scheme above). */
const RESIDUAL_STREAM_KERNEL = /\.encoder\.(conv1|layer\d+\.\d+\.downsample\.0)\.kernel$/;

/** The storage actually used for one weight when the model is quantised to `dtype`. */
export function storageFor(dtype: QuantizeDtype, spec: { name: string; shape: number[] }, data: Float32Array): QuantizeDtype {
  if (dtype !== 'uint8') return dtype;
  if (!spec.name.endsWith('.kernel')) return 'float32';
  if (RESIDUAL_STREAM_KERNEL.test(spec.name)) return 'float16';
  const outChannels = spec.shape[spec.shape.length - 1];
  return narrowestChannelSteps(data, outChannels) < MIN_CHANNEL_STEPS ? 'float16' : 'uint8';
}

/**
 * Encodes one float32 weight for a model quantised to `dtype`. With `spec` (name and HWIO shape)
 * the uint8 scheme above applies; without it every value is stored in `dtype` as is.
 */
export function encodeWeight(data: Float32Array, dtype: QuantizeDtype, spec?: { name: string; shape: number[] }): EncodedWeight {
  const storage = spec ? storageFor(dtype, spec, data) : dtype;
  if (storage === 'float16') return encodeFloat16(data, spec?.name);
  if (storage === 'uint8') return encodeUint8(data);
  return { bytes: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) };
}
