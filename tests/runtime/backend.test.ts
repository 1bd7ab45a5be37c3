// Backend selection in Node: no WebGPU, no WebGL here, so the chain must fall back with reasons.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/runtime/backend';

describe('initBackend', () => {
  it('uses the preferred backend when it works', async () => {
    const info = await initBackend('cpu');
    expect(info).toEqual({ backend: 'cpu', adapter: 'cpu (plain JavaScript)' });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('falls back along webgpu -> webgl -> wasm -> cpu and says why', async () => {
    const info = await initBackend('webgpu');
    expect(['wasm', 'cpu']).toContain(info.backend);
    expect(tf.getBackend()).toBe(info.backend);
    expect(info.fallbackReason).toMatch(/^webgpu: navigator\.gpu is not available; webgl: /);
    await tf.setBackend('cpu');
  });

  it('rejects an unknown backend name', async () => {
    await expect(initBackend('metal' as never)).rejects.toThrow(/unknown backend "metal"/);
  });
});
