// Benchmark page (driven by scripts/bench.ts through Playwright): builds the full-size MILA
// model with random weights in the page, times a slow frame, a fast frame (fast net + ILA with
// a full memory) and the ILA kernel alone on one backend, and reports medians.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/runtime/backend';
import { costModel } from '../src/runtime/costModel';
import { featureSize } from '../src/runtime/config';
import { ilaAttendGrouped, ilaImplementation } from '../src/runtime/ila';
import { disposeOutputs, MilaModel, type TaskOutputs } from '../src/runtime/milaModel';
import { fullSizeConfig, tinyConfig } from '../src/runtime/presets';
import { randomWeights } from '../src/runtime/randomWeights';

export interface BenchResult {
  model: string;
  input: string;
  backend: string;
  adapter: string;
  ilaImplementation: string;
  videoImport?: boolean; // webgpu: can video frames be imported into WebGPU on this adapter
  reps: number;
  firstSlowMs: number; // includes shader compilation
  firstFastMs: number;
  slowMs: number; // medians
  fastMs: number;
  ilaMs: number;
  slowGflops: number;
  fastGflops: number;
  ilaGflops: number;
  error?: string;
}

const log = (s: string) => {
  document.getElementById('log')!.textContent += `\n${s}`;
  console.log(s);
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Forces the GPU queue to finish by reading back one value of each tensor. */
async function settle(ts: tf.Tensor[]): Promise<void> {
  await Promise.all(ts.map((t) => tf.tidy(() => tf.slice(tf.reshape(t, [-1]), [0], [1])).data()));
}

async function time(fn: () => tf.Tensor[] | Promise<tf.Tensor[]>): Promise<number> {
  const t0 = performance.now();
  const outs = await fn();
  await settle(outs);
  const ms = performance.now() - t0;
  tf.dispose(outs);
  return ms;
}

const flat = (o: TaskOutputs) => [o.segmentation, o.depth];

async function run(backend: BackendName, reps: number, size: 'full' | 'tiny'): Promise<BenchResult> {
  const info = await initBackend(backend);
  if (info.backend !== backend) throw new Error(`backend ${backend} unavailable: ${info.fallbackReason ?? 'unknown'}`);
  log(`${backend}: ${info.adapter}${info.videoImport === undefined ? '' : `, video import into WebGPU ${info.videoImport ? 'works' : 'fails (canvas fallback on)'}`}`);
  const config = size === 'tiny' ? tinyConfig() : fullSizeConfig();
  const cost = costModel(config);
  const weights = Object.fromEntries(randomWeights(config, 1).map((w) => [w.name, tf.tensor(w.data, w.shape)]));
  const model = new MilaModel(config, weights, `bench(${config.name}, random weights)`);
  const { height, width } = config.input;
  const input = tf.randomUniform([1, height, width, 3], -2, 2, 'float32', 3) as tf.Tensor4D;
  const memory = model.createMemory();

  const keyframe = () => {
    const k = model.runKeyframe(input);
    memory.push(k.memoryEntry); // as in MilaRunner: keys/values cached once per keyframe
    return flat(k.outputs);
  };
  const fastFrame = () => flat(model.runFastFrame(input, memory));

  const firstSlowMs = await time(keyframe);
  log(`  first slow frame ${firstSlowMs.toFixed(0)} ms`);
  await time(keyframe); // memory now full (M = 2)
  const firstFastMs = await time(fastFrame);
  log(`  first fast frame ${firstFastMs.toFixed(0)} ms`);

  const slow: number[] = [];
  const fast: number[] = [];
  for (let i = 0; i < reps; i++) {
    slow.push(await time(keyframe));
    fast.push(await time(fastFrame));
    log(`  rep ${i + 1}: slow ${slow[i].toFixed(1)} ms, fast ${fast[i].toFixed(1)} ms`);
  }

  // The ILA kernel alone, on the model's shapes: both tasks in one grouped call.
  const [h, w] = featureSize(config);
  const G = 2;
  const M = config.ila.memory;
  const q = tf.randomNormal([G, h, w, config.ila.keyChannels], 0, 1, 'float32', 4) as tf.Tensor4D;
  const k = tf.randomNormal([G * M, h, w, config.ila.keyChannels], 0, 1, 'float32', 5) as tf.Tensor4D;
  const v = tf.randomNormal([G * M, h, w, config.taskChannels], 0, 1, 'float32', 6) as tf.Tensor4D;
  const impl = ilaImplementation(q, k, v, config.ila.window);
  const ilaRun = () => [ilaAttendGrouped(q, k, v, config.ila.window)];
  await time(ilaRun);
  const ila: number[] = [];
  for (let i = 0; i < Math.max(reps, 5); i++) ila.push(await time(ilaRun));
  log(`  ILA (${impl}) ${median(ila).toFixed(2)} ms`);

  tf.dispose([q, k, v, input]);
  memory.dispose();
  model.dispose();
  return {
    model: config.name,
    input: `${height}x${width}`,
    backend,
    adapter: info.adapter,
    videoImport: info.videoImport,
    ilaImplementation: impl,
    reps,
    firstSlowMs,
    firstFastMs,
    slowMs: median(slow),
    fastMs: median(fast),
    ilaMs: median(ila),
    slowGflops: cost.slowGflops,
    fastGflops: cost.fastGflops,
    ilaGflops: cost.ilaGflops,
  };
}

declare global {
  interface Window {
    runBench(backend: BackendName, reps: number, size: 'full' | 'tiny'): Promise<BenchResult>;
  }
}

window.runBench = async (backend, reps, size) => {
  try {
    return await run(backend, reps, size);
  } catch (e) {
    log(`${backend} failed: ${(e as Error).message}`);
    return { backend, error: (e as Error).message } as BenchResult;
  }
};
log('ready');
