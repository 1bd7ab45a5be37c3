import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32 } from '../../src/convert/dtypes';
import { SafetensorsFile } from '../../src/convert/safetensors';
import { float32ToFloat16Bits } from '../../src/node/quantize';
import { encodeSafetensors, f32Tensor, type RawTensor } from './helpers/safetensorsWriter';

const open = (bytes: Uint8Array) => SafetensorsFile.fromBytes('x.safetensors', bytes);

function u16Tensor(dtype: string, shape: number[], bits: number[]): RawTensor {
  return { dtype, shape, bytes: new Uint8Array(Uint16Array.from(bits).buffer) };
}

describe('SafetensorsFile', () => {
  it('reads F32, F16, BF16 and F64 tensors as float32, and metadata', () => {
    const f64 = new Float64Array([1.5, -2.25, 1e-3]);
    const bytes = encodeSafetensors({
      a: f32Tensor([2, 2], [1, -2, 3.5, 0.125]),
      h: u16Tensor('F16', [3], [0x3c00, 0xc000, 0x0001]), // 1, -2, smallest subnormal
      b: u16Tensor('BF16', [2], [0x3f80, 0xc0a0]), // 1, -5
      d: { dtype: 'F64', shape: [3], bytes: new Uint8Array(f64.buffer) },
      n: { dtype: 'I64', shape: [], bytes: new Uint8Array(8) },
    });
    const f = open(bytes);
    expect([...f.tensors.keys()]).toEqual(['a', 'h', 'b', 'd', 'n']);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(f.tensors.get('a')!.shape).toEqual([2, 2]);
    expect([...f.float32('a')]).toEqual([1, -2, 3.5, 0.125]);
    expect([...f.float32('h')]).toEqual([1, -2, 2 ** -24]);
    expect([...f.float32('b')]).toEqual([1, -5]);
    expect([...f.float32('d')]).toEqual([...Float32Array.from(f64)]);
    expect(() => f.float32('n')).toThrow(/x\.safetensors: tensor "n" has dtype I64; a floating-point dtype/);
    expect(() => f.float32('zzz')).toThrow(/no tensor "zzz"/);
  });

  it('reads data that is not 4-byte aligned', () => {
    const bytes = encodeSafetensors({ odd: { dtype: 'U8', shape: [1], bytes: new Uint8Array([7]) }, a: f32Tensor([2], [0.1, 42]) });
    expect([...open(bytes).float32('a')]).toEqual([...Float32Array.from([0.1, 42])]);
  });

  it('float16 decode inverts the quantiser encode on every finite half', () => {
    for (let h = 0; h < 0x7c00; h += 7) {
      expect(float32ToFloat16Bits(float16BitsToFloat32(h))).toBe(h);
      expect(float32ToFloat16Bits(float16BitsToFloat32(h | 0x8000))).toBe(h | 0x8000);
    }
  });

  it('rejects a file that is not safetensors', () => {
    const text = new TextEncoder().encode('{"this": "is json, not safetensors"}');
    expect(() => open(text)).toThrow(/x\.safetensors: not a valid safetensors file: header length \d+ is implausible/);
    expect(() => open(new Uint8Array([1, 2, 3]))).toThrow(/fewer than the 8-byte header length/);
    const notJson = encodeSafetensors({});
    notJson[8] = 0x80; // invalid UTF-8
    expect(() => open(notJson)).toThrow(/header is not UTF-8 JSON/);
  });

  it('rejects a truncated file', () => {
    const bytes = encodeSafetensors({ a: f32Tensor([4], [1, 2, 3, 4]) });
    expect(() => open(bytes.subarray(0, bytes.length - 1))).toThrow(/tensor "a" ends at data byte 16 but the data section has only 15 bytes: the file is truncated/);
    expect(() => open(bytes.subarray(0, 20))).toThrow(/runs past the end of the file/);
  });

  it('rejects an unknown dtype, naming the tensor', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F12', shape: [1], bytes: new Uint8Array(4) } });
    expect(() => open(bytes)).toThrow(/tensor "a" has unknown dtype "F12"/);
  });

  it('rejects inconsistent shapes, offsets, holes and overlaps', () => {
    const two = { a: f32Tensor([2], [1, 2]), b: f32Tensor([2], [3, 4]) };
    expect(() => open(encodeSafetensors(two, (h) => (h.a.shape = [3])))).toThrow(/tensor "a" \(F32 \[3\]\) needs 12 bytes but data_offsets span 8/);
    expect(() => open(encodeSafetensors(two, (h) => (h.a.shape = [-2])))).toThrow(/tensor "a" has an invalid shape \[-2\]/);
    expect(() => open(encodeSafetensors(two, (h) => (h.a.data_offsets = [8, 0])))).toThrow(/invalid data_offsets/);
    expect(() => open(encodeSafetensors(two, (h) => (h.b.data_offsets = [4, 12])))).toThrow(/overlaps/);
    const three = { ...two, c: f32Tensor([2], [5, 6]) };
    expect(() => open(encodeSafetensors(three, (h) => delete h.b))).toThrow(/data bytes 8\.\.16 belong to no tensor/);
    const trailing = new Uint8Array([...encodeSafetensors(two), 0, 0, 0, 0]);
    expect(() => open(trailing)).toThrow(/data section has 20 bytes but tensors cover only 16/);
  });
});
