// Page for tests/runtime/browserBackends.test.ts: runs the tiny model (random weights built in the
// page) through a keyframe, a second keyframe, a fast frame with ILA over both and a fast-only
// frame on one backend, and returns the outputs, so the test can compare backends.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../../src/runtime/backend';
import { ilaFusedCallCount } from '../../../src/runtime/ila';
import { disposeOutputs, MilaModel, type TaskOutputs } from '../../../src/runtime/milaModel';
import { tinyConfig } from '../../../src/runtime/presets';
import { randomWeights } from '../../../src/runtime/randomWeights';

export interface BackendRun {
  backend: string;
  adapter: string;
  fallbackReason?: string;
  fusedIlaCalls: number;
  leakedTensors: number;
  outputs: Record<string, number[]>;
}

function frame(height: number, width: number, t: number): tf.Tensor3D {
  const data = new Float32Array(height * width * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++, i++) data[i] = Math.round((Math.sin(0.21 * y + 0.13 * (x + 3 * t) + 2 * c) + 1) * 127.5);
    }
  }
  return tf.tensor3d(data, [height, width, 3]);
}

async function run(backend: BackendName): Promise<BackendRun> {
  const info = await initBackend(backend);
  const config = tinyConfig();
  const model = new MilaModel(config, Object.fromEntries(randomWeights(config, 3).map((w) => [w.name, tf.tensor(w.data, w.shape)])));
  const before = tf.memory().numTensors;
  const fused = ilaFusedCallCount();
  const pixels = [0, 5, 9].map((t) => frame(64, 128, t));
  const xs = pixels.map((p) => model.preprocess(p));
  const memory = model.createMemory();
  const outs: Record<string, TaskOutputs> = {};
  for (const i of [0, 1]) {
    const k = model.runKeyframe(xs[i]);
    memory.push(k.memoryEntry);
    outs[`key${i}`] = k.outputs;
  }
  outs.fast = model.runFastFrame(xs[2], memory);
  outs.fastOnly = model.runFastOnly(xs[2]);
  const outputs: Record<string, number[]> = {};
  for (const [name, o] of Object.entries(outs)) {
    outputs[`${name}.segmentation`] = Array.from(await o.segmentation.data());
    outputs[`${name}.depth`] = Array.from(await o.depth.data());
    disposeOutputs(o);
  }
  tf.dispose([...pixels, ...xs]);
  memory.dispose();
  const leakedTensors = tf.memory().numTensors - before;
  model.dispose();
  return { backend: info.backend, adapter: info.adapter, fallbackReason: info.fallbackReason, fusedIlaCalls: ilaFusedCallCount() - fused, leakedTensors, outputs };
}

declare global {
  interface Window {
    runBackend(backend: BackendName): Promise<BackendRun>;
  }
}
window.runBackend = run;
document.getElementById('status')!.textContent = 'ready';
