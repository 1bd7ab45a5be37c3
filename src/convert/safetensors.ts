// safetensors reader (https://github.com/huggingface/safetensors, "Format"):
//   8 bytes little-endian u64 N | N bytes JSON header | data section.
// Header: { "<name>": { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {str: str} },
// offsets relative to the data section, which they must cover exactly (no holes, no overlap).
// Everything is validated up front so a bad file fails before any conversion work.
// Browser-safe (no Node imports): the parity page reads its fixture with it too.
import { ConvertError } from './errors';
import { DTYPE_BYTES, decodeFloat, isFloatDtype } from './dtypes';

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte range inside the data section. */
  begin: number;
  end: number;
}

/** Headers above this are rejected (the reference implementation uses 100 MB too). */
const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsFile {
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  readonly metadata: Readonly<Record<string, string>>;
  private readonly data: Uint8Array;

  private constructor(readonly path: string, bytes: Uint8Array) {
    const fail = (why: string): never => {
      throw new ConvertError(`${path}: not a valid safetensors file: ${why}`);
    };
    if (bytes.byteLength < 8) fail(`file has ${bytes.byteLength} bytes, fewer than the 8-byte header length`);
    const headerLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
    if (headerLen < 2n || headerLen > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLen} is implausible`);
    const n = Number(headerLen);
    if (8 + n > bytes.byteLength) fail(`header length ${n} runs past the end of the file (${bytes.byteLength} bytes): truncated?`);
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
    } catch (e) {
      fail(`header is not UTF-8 JSON (${(e as Error).message})`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
    this.data = bytes.subarray(8 + n);
    const { tensors, metadata } = parseHeader(header as Record<string, unknown>, this.data.byteLength, fail);
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /** `path` only names the file in messages. */
  static fromBytes(path: string, bytes: Uint8Array): SafetensorsFile {
    return new SafetensorsFile(path, bytes);
  }

  /** The tensor's raw little-endian bytes, e.g. for U8 images. */
  bytes(name: string): Uint8Array {
    const info = this.tensors.get(name);
    if (!info) throw new ConvertError(`${this.path}: no tensor "${name}"`);
    return this.data.subarray(info.begin, info.end);
  }

  /** The tensor's values as float32 (F32/F16/BF16/F64); integer dtypes are an error naming the tensor. */
  float32(name: string): Float32Array {
    const info = this.tensors.get(name);
    if (!info) throw new ConvertError(`${this.path}: no tensor "${name}"`);
    if (!isFloatDtype(info.dtype)) {
      throw new ConvertError(`${this.path}: tensor "${name}" has dtype ${info.dtype}; a floating-point dtype (F32, F16, BF16, F64) is required`);
    }
    return decodeFloat(this.data.subarray(info.begin, info.end), info.dtype);
  }
}

function parseHeader(
  header: Record<string, unknown>,
  dataBytes: number,
  fail: (why: string) => never,
): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> } {
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      const ok = typeof entry === 'object' && entry !== null && !Array.isArray(entry) && Object.values(entry).every((v) => typeof v === 'string');
      if (!ok) fail('"__metadata__" must map strings to strings');
      metadata = entry as Record<string, string>;
      continue;
    }
    if (typeof entry !== 'object' || entry === null) fail(`entry "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string') fail(`tensor "${name}" has no dtype`);
    const itemBytes = DTYPE_BYTES[dtype as string];
    if (itemBytes === undefined) {
      fail(`tensor "${name}" has unknown dtype "${dtype}" (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    const okOffsets =
      Array.isArray(offsets) && offsets.length === 2 && offsets.every((o) => Number.isSafeInteger(o) && o >= 0) && offsets[0] <= offsets[1];
    if (!okOffsets) fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    const [begin, end] = offsets as [number, number];
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== numel * itemBytes) {
      fail(`tensor "${name}" (${dtype} [${shape}]) needs ${numel * itemBytes} bytes but data_offsets span ${end - begin}`);
    }
    if (end > dataBytes) {
      fail(`tensor "${name}" ends at data byte ${end} but the data section has only ${dataBytes} bytes: the file is truncated`);
    }
    tensors.set(name, { name, dtype: dtype as string, shape: shape as number[], begin, end });
  }
  checkCoverage([...tensors.values()], dataBytes, fail);
  return { tensors, metadata };
}

/** The format requires the data section to be exactly the union of the tensors' ranges. */
function checkCoverage(infos: TensorInfo[], dataBytes: number, fail: (why: string) => never): void {
  const sorted = infos.filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  let pos = 0;
  for (const t of sorted) {
    if (t.begin < pos) fail(`tensor "${t.name}" overlaps the previous tensor's bytes`);
    if (t.begin > pos) fail(`data bytes ${pos}..${t.begin} belong to no tensor`);
    pos = t.end;
  }
  if (pos !== dataBytes) fail(`data section has ${dataBytes} bytes but tensors cover only ${pos}`);
}
