import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MIN_CHANNEL_STEPS, encodeWeight, narrowestChannelSteps, storageFor } from '../../src/node/quantize';
import { seededRandom } from '../support/randomWeights';

const rand = seededRandom(11);
const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());

/** Round trip through tfjs's own manifest decoder. */
function decode(data: Float32Array, dtype: 'float32' | 'float16' | 'uint8', spec: { name: string; shape: number[] }): { values: Float32Array; entry: any } {
  const enc = encodeWeight(data, dtype, spec);
  const entry = { name: spec.name, shape: spec.shape, dtype: 'float32' as const, ...(enc.quantization ? { quantization: enc.quantization } : {}) };
  const buffer = enc.bytes.buffer.slice(enc.bytes.byteOffset, enc.bytes.byteOffset + enc.bytes.byteLength);
  const t = tf.io.decodeWeights(buffer as ArrayBuffer, [entry])[spec.name];
  return { values: t.dataSync() as Float32Array, entry };
}

const maxAbs = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('encodeWeight', () => {
  const kernel = { name: 'slow.proj.conv.kernel', shape: [1, 1, 40, 8] };
  const data = uniform(320, -0.7, 0.9);

  it('float32 is exact', () => {
    expect(maxAbs(decode(data, 'float32', kernel).values, data)).toBe(0);
  });

  it('float16 decodes through tfjs within half-precision rounding (2^-11 relative)', () => {
    const { values, entry } = decode(data, 'float16', kernel);
    expect(entry.quantization).toEqual({ dtype: 'float16' });
    for (let i = 0; i < data.length; i++) expect(Math.abs(values[i] - data[i])).toBeLessThanOrEqual(Math.abs(data[i]) * 2 ** -11 + 2 ** -25);
    expect(maxAbs(values, data)).toBeGreaterThan(0);
  });

  it('float16 refuses values beyond its range, naming the weight', () => {
    expect(() => encodeWeight(Float32Array.from([1, 70000]), 'float16', kernel)).toThrow(/weight "slow.proj.conv.kernel" has value 70000 at flat index 1/);
  });

  it('uint8 kernels: per-tensor affine, error at most scale/2, min and max exact', () => {
    const { values, entry } = decode(data, 'uint8', kernel);
    expect(entry.quantization.dtype).toBe('uint8');
    const err = maxAbs(values, data);
    // half a step, plus float32 rounding of min + q * scale for |values| <= 0.9 (2 * 2^-24 * 0.9 = 1.1e-7)
    expect(err).toBeLessThanOrEqual(entry.quantization.scale / 2 + 2 * 2 ** -24 * 0.9);
    expect(err).toBeGreaterThan(entry.quantization.scale / 10);
    // exact in principle (q = 0 and 255); float32 rounding of min + 255 * scale is far below toBeCloseTo's 5e-7
    expect(Math.min(...values)).toBeCloseTo(Math.min(...data), 6);
    expect(Math.max(...values)).toBeCloseTo(Math.max(...data), 6);
  });

  it('uint8 mode keeps biases in float32', () => {
    const bias = uniform(8, -1, 1);
    const { values, entry } = decode(bias, 'uint8', { name: 'slow.proj.conv.bias', shape: [8] });
    expect(entry.quantization).toBeUndefined();
    expect([...values]).toEqual([...bias]);
  });

  it('uint8 mode stores a kernel in float16 when one output channel is much narrower than the tensor', () => {
    const narrow = data.map((v, i) => (i % 8 === 3 ? v * 0.01 : v)); // channel 3 spans ~2.5 steps
    expect(narrowestChannelSteps(narrow, 8)).toBeLessThan(MIN_CHANNEL_STEPS);
    expect(narrowestChannelSteps(data, 8)).toBeGreaterThan(MIN_CHANNEL_STEPS);
    expect(storageFor('uint8', kernel, narrow)).toBe('float16');
    expect(storageFor('uint8', kernel, data)).toBe('uint8');
    expect(decode(narrow, 'uint8', kernel).entry.quantization).toEqual({ dtype: 'float16' });
  });

  it('uint8 mode stores the stem and the residual shortcut kernels in float16', () => {
    for (const name of ['slow.encoder.conv1.kernel', 'fast.encoder.layer2.0.downsample.0.kernel']) {
      expect(storageFor('uint8', { name, shape: kernel.shape }, data)).toBe('float16');
    }
    expect(storageFor('uint8', { name: 'slow.encoder.layer2.0.conv1.kernel', shape: kernel.shape }, data)).toBe('uint8');
    expect(storageFor('float32', { name: 'slow.encoder.conv1.kernel', shape: kernel.shape }, data)).toBe('float32');
  });

  it('a constant tensor survives uint8', () => {
    const c = new Float32Array(6).fill(0.3);
    // at most one float32 rounding of 0.3 (2^-24 * 0.3 = 1.8e-8)
    expect(maxAbs(decode(c, 'uint8', { name: 'a.kernel', shape: [1, 1, 6, 1] }).values, c)).toBeLessThanOrEqual(2 ** -24 * 0.3);
  });
});
