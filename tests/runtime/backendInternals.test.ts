// src/runtime/backendInternals.ts is the one place that reaches into tfjs backend members outside
// tfjs-core's public API. These tests fail loudly when a tfjs upgrade moves one of them: the
// WebGPU backend's device and program runner (on a real WebGPUBackend when Dawn + SwiftShader is
// installed), the WebGL backend's GL context, and the engine's factory registry.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BackendInternalsError, asWebGpuBackend, reRegisterBackend, webGlContext, webGpuDevice,
} from '../../src/runtime/backendInternals';
import { installNodeWebGPU, type NodeWebGPU } from '../ila/webgpuNode';

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

describe('backend internals: refusals name what moved', () => {
  it('a backend without the WebGPU members is refused, not used', async () => {
    await tf.setBackend('cpu');
    expect(() => asWebGpuBackend()).toThrow(BackendInternalsError);
    expect(() => webGpuDevice()).toThrow(/WebGPUBackend\.runWebGPUProgram is not a function/);
    expect(() => asWebGpuBackend({ runWebGPUProgram: () => null })).toThrow(/WebGPUBackend\.device is not a GPUDevice/);
    expect(() => webGlContext()).toThrow(/MathBackendWebGL\.gpgpu\.gl is not a WebGL context/);
  });

  it('MathBackendWebGL still keeps its context at gpgpu.gl', () => {
    // No WebGL in Node: check the class assigns the member the accessor reads (a renamed or moved
    // member breaks this), and the accessor against an object of that shape.
    expect(MathBackendWebGL.toString()).toMatch(/this\.gpgpu\s*=/);
    const gl = { getParameter: () => 'renderer' } as unknown as WebGLRenderingContext;
    expect(webGlContext({ gpgpu: { gl } })).toBe(gl);
  });
});

describe.skipIf(!existsSync(ICD))('backend internals on a real WebGPUBackend (Dawn, SwiftShader)', () => {
  let gpu: NodeWebGPU | null = null;

  afterAll(async () => {
    await tf.setBackend('cpu');
    tf.removeBackend('webgpu');
    gpu?.uninstall();
  });

  it('device and runWebGPUProgram are where the accessors look', async () => {
    const installed = await installNodeWebGPU();
    gpu = installed.gpu;
    expect(gpu, installed.reason).not.toBeNull();
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    expect(await tf.setBackend('webgpu')).toBe(true);
    const backend = asWebGpuBackend();
    expect(backend).toBeInstanceOf(WebGPUBackend);
    expect(webGpuDevice()).toBe(backend.device);
    expect(typeof webGpuDevice().createBuffer).toBe('function');
  });
});

describe('reRegisterBackend', () => {
  it('builds a fresh instance next time, at the priority tfjs registered', async () => {
    let built = 0;
    tf.registerBackend('fake-lost', () => {
      built++;
      return new MathBackendCPU();
    }, -7);
    expect(await tf.setBackend('fake-lost')).toBe(true);
    expect(reRegisterBackend('fake-lost')).toBe(true);
    expect(tf.engine().registryFactory['fake-lost'].priority).toBe(-7);
    expect(await tf.setBackend('fake-lost')).toBe(true);
    expect(built).toBe(2);
    await tf.setBackend('cpu');
    tf.removeBackend('fake-lost');
  });

  it('is a no-op for a backend that was never registered', () => {
    expect(reRegisterBackend('no-such-backend')).toBe(false);
  });
});
