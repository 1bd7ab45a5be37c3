// Benchmark page (driven by scripts/bench.ts through Playwright): builds a MILA model in the page
// (a preset with random weights, or a model directory loaded with its own weights), times a
// slow frame, a fast frame (fast net + ILA with a full memory) and the ILA kernel alone on one
// backend, and reports medians.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/runtime/backend';
import { costModel } from '../src/runtime/costModel';
import { featureSize, ilaGroups } from '../src/runtime/config';
import { ilaAttendGrouped, ilaImplementation } from '../src/runtime/ila';
import { MilaModel, type TaskOutputs } from '../src/runtime/milaModel';
import { fullSizeConfig, tinyConfig } from '../src/runtime/presets';
import { randomWeights } from '../tests/support/randomWeights';
import { loadModel } from '../src/runtime/weights/loader';
import type { BenchResult } from './benchReport';

export type { BenchResult } from './benchReport';

/** What to time: a preset with random weights, or a served model directory (model.json + shards). */
export type BenchModel = { size: 'full' | 'tiny' } | { url: string; label: string };

const log = (s: string) => {
  document.getElementById('log')!.textContent += `\n${s}`;
  console.log(s);
};

/** The median (of an even count: the mean of the two middle values). */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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

async function buildModel(spec: BenchModel): Promise<{ model: MilaModel; weights: string }> {
  if ('url' in spec) {
    const t0 = performance.now();
    const model = await loadModel(spec.url);
    log(`  loaded ${model.config.name} from ${spec.label} in ${(performance.now() - t0).toFixed(0)} ms`);
    return { model, weights: `weights of ${spec.label}` };
  }
  const config = spec.size === 'tiny' ? tinyConfig() : fullSizeConfig();
  const weights = Object.fromEntries(randomWeights(config, 1).map((w) => [w.name, tf.tensor(w.data, w.shape)]));
  return { model: new MilaModel(config, weights, `bench(${config.name}, random weights)`), weights: 'random weights' };
}

async function run(backend: BackendName, reps: number, spec: BenchModel): Promise<BenchResult> {
  const info = await initBackend(backend);
  if (info.backend !== backend) throw new Error(`backend ${backend} unavailable: ${info.fallbackReason ?? 'unknown'}`);
  log(`${backend}: ${info.adapter}${info.videoImport === undefined ? '' : `, video import into WebGPU ${info.videoImport ? 'works' : 'fails (canvas fallback on)'}`}`);
  const { model, weights } = await buildModel(spec); // after initBackend: the weights live on this backend
  const config = model.config;
  const cost = costModel(config);
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
  for (let i = 1; i < config.ila.memory; i++) await time(keyframe); // memory now full (M keyframes)
  const firstFastMs = await time(fastFrame);
  log(`  first fast frame ${firstFastMs.toFixed(0)} ms`);

  const slow: number[] = [];
  const fast: number[] = [];
  for (let i = 0; i < reps; i++) {
    slow.push(await time(keyframe));
    fast.push(await time(fastFrame));
    log(`  rep ${i + 1}: slow ${slow[i].toFixed(1)} ms, fast ${fast[i].toFixed(1)} ms`);
  }

  // The ILA kernel alone, on the model's shapes: every attention group (the two tasks, or one
  // shared group whose values are both tasks' features) in one grouped call.
  const [h, w] = featureSize(config);
  const G = ilaGroups(config).length;
  const M = config.ila.memory;
  const valueChannels = config.ila.taskSpecific ? config.taskChannels : 2 * config.taskChannels;
  const q = tf.randomNormal([G, h, w, config.ila.keyChannels], 0, 1, 'float32', 4) as tf.Tensor4D;
  const k = tf.randomNormal([G * M, h, w, config.ila.keyChannels], 0, 1, 'float32', 5) as tf.Tensor4D;
  const v = tf.randomNormal([G * M, h, w, valueChannels], 0, 1, 'float32', 6) as tf.Tensor4D;
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
    weights,
    input: `${height}x${width}`,
    slowDepth: config.slow.depth,
    fastDepth: config.fast.depth,
    ilaGroups: G,
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
    runBench(backend: BackendName, reps: number, model: BenchModel): Promise<BenchResult>;
  }
}

window.runBench = async (backend, reps, model) => {
  try {
    return await run(backend, reps, model);
  } catch (e) {
    log(`${backend} failed: ${(e as Error).message}`);
    return { backend, error: (e as Error).message } as BenchResult;
  }
};
log('ready');
