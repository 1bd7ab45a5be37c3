// Minimal safetensors writer for tests: builds valid files, and invalid ones on purpose.
export interface RawTensor {
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

export function f32Tensor(shape: number[], values: ArrayLike<number>): RawTensor {
  const a = Float32Array.from(values);
  return { dtype: 'F32', shape, bytes: new Uint8Array(a.buffer) };
}

/** Serialises tensors in insertion order; `headerPatch` lets a test corrupt individual entries. */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  headerPatch: (header: Record<string, any>) => void = () => {},
): Uint8Array {
  const header: Record<string, any> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  headerPatch(header);
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // the reference writer pads to 8 bytes too
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.byteLength;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, pos);
    pos += t.bytes.byteLength;
  }
  return out;
}
