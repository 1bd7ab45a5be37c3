// Page for tests/runtime/browserBackends.test.ts: runs the tiny model (random weights built in the
// page) through a keyframe, a second keyframe, a fast frame with ILA over both and a fast-only
// frame on one backend, and returns the outputs, so the test can compare backends.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../../../src/runtime/backend';
import { ilaFusedCallCount } from '../../../src/runtime/ila';
import { MilaModel } from '../../../src/runtime/milaModel';
import { tinyConfig } from '../../../src/runtime/presets';
import { randomWeights } from '../../support/randomWeights';
import { runTwoKeyframeSchedule } from '../twoKeyframeSchedule';

export interface BackendRun {
  backend: string;
  adapter: string;
  fallbackReason?: string;
  fusedIlaCalls: number;
  leakedTensors: number;
  outputs: Record<string, number[]>;
}

async function run(backend: BackendName): Promise<BackendRun> {
  const info = await initBackend(backend);
  const config = tinyConfig();
  const model = new MilaModel(config, Object.fromEntries(randomWeights(config, 3).map((w) => [w.name, tf.tensor(w.data, w.shape)])));
  const before = tf.memory().numTensors;
  const fused = ilaFusedCallCount();
  const data = await runTwoKeyframeSchedule(model);
  const outputs = Object.fromEntries(Object.entries(data).map(([name, values]) => [name, Array.from(values)]));
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
