// safetensors dtypes: byte sizes, and decoding of the floating-point ones to float32.
// Integer tensors are read only to be ignored (e.g. BatchNorm's num_batches_tracked).

export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};

/** Dtypes the converter can turn into float32 weights. */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
export type FloatDtype = (typeof FLOAT_DTYPES)[number];

export function isFloatDtype(dtype: string): dtype is FloatDtype {
  return (FLOAT_DTYPES as readonly string[]).includes(dtype);
}

/** IEEE half bits -> float (exact). */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes little-endian `bytes` of a float dtype into a new Float32Array.
 * `bytes` may start at any offset (safetensors data is not aligned), so read through a DataView.
 */
export function decodeFloat(bytes: Uint8Array, dtype: FloatDtype): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < n; i++) out[i] = float16BitsToFloat32(view.getUint16(2 * i, true));
      break;
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
  }
  return out;
}
