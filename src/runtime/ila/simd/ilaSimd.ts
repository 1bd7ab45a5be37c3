// Host side of the WebAssembly SIMD ILA kernel (ilaSimd.as.ts, embedded in ilaSimdWasm.generated.ts):
// instantiates it once, synchronously (2.2 KB: under Chrome's 4 KB main-thread limit on synchronous
// compiles), copies one call's query/keys/values into its memory, runs it and copies the output out.
// Where WebAssembly or its SIMD proposal is missing, ilaSimdUnavailableReason says why and the caller
// keeps the scalar JS kernel (ilaTyped.ts).
import { validateIlaArrays, type IlaDims } from '../validate';
import { ILA_SIMD_WASM_BASE64 } from './ilaSimdWasm.generated';

interface IlaSimdExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  ilaAttend(
    query: number, keys: number, values: number, out: number, scores: number, rows: number,
    G: number, M: number, h: number, w: number, d: number, T: number, L: number,
  ): void;
}

const PAGE_BYTES = 65536;

let exports: IlaSimdExports | null = null;
let unavailable: string | null = null;
let loaded = false;
let simdCalls = 0;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(ILA_SIMD_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function load(): void {
  loaded = true;
  if (typeof WebAssembly !== 'object') {
    unavailable = 'WebAssembly is not available';
    return;
  }
  const bytes = wasmBytes();
  // Validating the kernel itself detects exactly the features it uses (SIMD, bulk memory, ...).
  if (!WebAssembly.validate(bytes)) {
    unavailable = 'this WebAssembly engine rejects the SIMD ILA module (no WebAssembly SIMD)';
    return;
  }
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as IlaSimdExports;
  } catch (e) {
    unavailable = `instantiating the SIMD ILA module failed: ${(e as Error).message}`;
  }
}

/** Why the SIMD kernel cannot run here, or null when it can (instantiates it on first call). */
export function ilaSimdUnavailableReason(): string | null {
  if (!loaded) load();
  return unavailable;
}

/** How many SIMD ILA calls ran since load (debug/test counter: proves which path the kernel took). */
export function ilaSimdCallCount(): number {
  return simdCalls;
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

/**
 * query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] as flat row-major float32 arrays -> [G,h,w,T],
 * in float32 with f32x4 lanes. Same contract and masking as ilaTypedArrays. Throws when the SIMD
 * kernel is unavailable (check ilaSimdUnavailableReason first).
 */
export function ilaSimdArrays(
  query: Float32Array, keys: Float32Array, values: Float32Array, dims: IlaDims,
): Float32Array {
  const reason = ilaSimdUnavailableReason();
  if (reason) throw new Error(`SIMD ILA kernel unavailable: ${reason}`);
  const wasm = exports as IlaSimdExports;
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T, window: L } = dims;
  validateIlaArrays(query, keys, values, dims, 'ilaSimdArrays');
  const outLength = G * h * w * T;
  const candidates = M * L * L;
  // Byte layout from the module's heap base, 16-aligned for v128 loads: query, keys, values, out, scores, rows.
  const qOff = align16(wasm.heapBase());
  const kOff = align16(qOff + 4 * query.length);
  const vOff = align16(kOff + 4 * keys.length);
  const oOff = align16(vOff + 4 * values.length);
  const sOff = align16(oOff + 4 * outLength);
  const rOff = align16(sOff + 4 * candidates);
  const end = rOff + 4 * candidates;
  const have = wasm.memory.buffer.byteLength;
  if (end > have) wasm.memory.grow(Math.ceil((end - have) / PAGE_BYTES)); // only when a call needs more
  const buffer = wasm.memory.buffer;
  new Float32Array(buffer, qOff, query.length).set(query);
  new Float32Array(buffer, kOff, keys.length).set(keys);
  new Float32Array(buffer, vOff, values.length).set(values);
  wasm.ilaAttend(qOff, kOff, vOff, oOff, sOff, rOff, G, M, h, w, d, T, L);
  simdCalls++;
  return new Float32Array(buffer, oOff, outLength).slice();
}
