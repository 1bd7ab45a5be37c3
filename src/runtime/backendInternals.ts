// The ONE module that reaches past tfjs-core's public KernelBackend API into a backend's own
// members: the WebGPU backend's GPUDevice and program runner, the WebGL backend's GL context and
// program runner, the engine's backend factory registry.
// Typed with the classes tfjs exports (type-only imports: no backend package is loaded here), and
// checked at run time, so a tfjs upgrade that moves a member fails here with a clear message
// (and in tests/runtime/backendInternals.test.ts) instead of as an undefined deep in a frame.
import * as tf from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** Thrown when a tfjs backend no longer has a member mila-web relies on. */
export class BackendInternalsError extends Error {}

function missing(what: string): never {
  throw new BackendInternalsError(`tfjs backend internals moved: ${what} (check src/runtime/backendInternals.ts against the installed tfjs version)`);
}

/** The WebGPU backend `backend` (default: the active one), with its device and runner checked. */
export function asWebGpuBackend(backend: unknown = tf.backend()): WebGPUBackend {
  const b = backend as Partial<WebGPUBackend> | null;
  if (typeof b?.runWebGPUProgram !== 'function') missing('WebGPUBackend.runWebGPUProgram is not a function');
  if (typeof b.device?.createBuffer !== 'function') missing('WebGPUBackend.device is not a GPUDevice');
  return b as WebGPUBackend;
}

/** The GPUDevice of the active WebGPU backend. */
export function webGpuDevice(backend: unknown = tf.backend()): GPUDevice {
  return asWebGpuBackend(backend).device;
}

/** Runs a WGSL program through the WebGPU backend (one dispatch, output tracked by tfjs). */
export function runWebGpuProgram(
  backend: unknown, program: WebGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType,
): tf.TensorInfo {
  return asWebGpuBackend(backend).runWebGPUProgram(program, inputs, dtype);
}

/** The GL context of the active WebGL backend. */
export function webGlContext(backend: unknown = tf.backend()): WebGLRenderingContext {
  const gl = (backend as Partial<MathBackendWebGL> | null)?.gpgpu?.gl;
  if (typeof gl?.getParameter !== 'function') missing('MathBackendWebGL.gpgpu.gl is not a WebGL context');
  return gl;
}

/**
 * Drops a backend instance (e.g. webgpu after its device was lost) and registers its factory again
 * with the priority tfjs gave it, so the next setBackend builds a fresh one. tfjs's removeBackend
 * also forgets the factory; the priority is read from the engine's registry, not restated here.
 * Returns false when `name` has no registered factory.
 */
export function reRegisterBackend(name: string): boolean {
  const registered = tf.engine().registryFactory[name];
  if (!registered) return false;
  if (typeof registered.factory !== 'function' || typeof registered.priority !== 'number') {
    missing(`engine().registryFactory['${name}'] no longer holds { factory, priority }`);
  }
  try {
    tf.removeBackend(name);
  } catch {
    // disposing a backend whose device is gone may throw; it is being discarded anyway
  }
  tf.registerBackend(name, registered.factory, registered.priority);
  return true;
}

/** Runs a GLSL program through the WebGL backend (output tracked by tfjs once made a tensor). */
export function runWebGlProgram(
  backend: unknown, program: GPGPUProgram, inputs: tf.TensorInfo[], dtype: tf.DataType,
): tf.TensorInfo {
  const b = backend as Partial<MathBackendWebGL> | null;
  if (typeof b?.runWebGLProgram !== 'function') missing('MathBackendWebGL.runWebGLProgram is not a function');
  return b.runWebGLProgram(program, inputs, dtype);
}
