// Benchmark page (driven by scripts/bench.ts through Playwright): loads a model directory on one
// backend, decodes the first frames of a bundled clip, and times the real frame loop over them
// for each K, fast-only and reuse (bench/streamBench.ts); then the ILA call alone on the model's
// shapes. Returns a BenchResult (bench/benchReport.ts).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../src/runtime/backend';
import { costModel } from '../src/runtime/costModel';
import { featureSize, ilaGroups } from '../src/runtime/config';
import { ilaAttendGrouped, ilaImplementation, ilaTypedPath, setIlaTypedScalarOnly } from '../src/runtime/ila';
import { loadModel } from '../src/runtime/weights/loader';
import { median } from '../src/engine/stats';
import { REUSE_K, withRatios, type BenchResult, type NetMedians, type StreamRow } from './benchReport';
import { decodeClipFrames, streamRow, timeStream, timesOf, type TimedStream } from './streamBench';
import type { MilaModel } from '../src/runtime/milaModel';

export type { BenchResult } from './benchReport';

/** A served model directory (model.json + shards). */
export interface BenchModel {
  url: string;
  dir: string; // as given on the command line, for the report
}

export interface BenchPageOptions {
  ks: number[]; // MILA rows (1 included)
  frames: number;
  clipUrl: string;
  clipLabel: string;
  extraRows: boolean; // fast-only and reuse rows
}

const log = (s: string) => {
  document.getElementById('log')!.textContent += `\n${s}`;
  console.log(s);
};

/**
 * Median ms of the ILA call alone on the model's shapes with a full memory (random inputs). The typed
 * kernel (cpu, wasm) is labelled with its loop ('typed (simd)'); on its SIMD loop the scalar JS loop
 * is timed too, right after, as the old-vs-new figure of the same run.
 */
async function timeIla(model: MilaModel, reps: number): Promise<{ ms: number; implementation: string; scalarMs: number | null }> {
  const config = model.config;
  const [h, w] = featureSize(config);
  const G = ilaGroups(config).length;
  const M = config.ila.memory;
  const valueChannels = config.ila.taskSpecific ? config.taskChannels : 2 * config.taskChannels;
  const q = tf.randomNormal([G, h, w, config.ila.keyChannels], 0, 1, 'float32', 4) as tf.Tensor4D;
  const k = tf.randomNormal([G * M, h, w, config.ila.keyChannels], 0, 1, 'float32', 5) as tf.Tensor4D;
  const v = tf.randomNormal([G * M, h, w, valueChannels], 0, 1, 'float32', 6) as tf.Tensor4D;
  try {
    const kind = ilaImplementation(q, k, v, config.ila.window);
    const implementation = kind === 'typed' ? `typed (${ilaTypedPath()})` : kind;
    const once = async () => {
      const t0 = performance.now();
      const out = ilaAttendGrouped(q, k, v, config.ila.window);
      await tf.tidy(() => tf.slice(tf.reshape(out, [-1]), [0], [1])).data();
      out.dispose();
      return performance.now() - t0;
    };
    const medianOf = async () => {
      await once(); // compile / first run
      const times: number[] = [];
      for (let i = 0; i < reps; i++) times.push(await once());
      return median(times)!;
    };
    const ms = await medianOf();
    let scalarMs: number | null = null;
    if (implementation === 'typed (simd)') {
      setIlaTypedScalarOnly(true);
      try {
        scalarMs = await medianOf();
      } finally {
        setIlaTypedScalarOnly(false);
      }
    }
    return { ms, implementation, scalarMs };
  } finally {
    tf.dispose([q, k, v]);
  }
}

async function run(backend: BackendName, spec: BenchModel, opts: BenchPageOptions): Promise<BenchResult> {
  const info = await initBackend(backend);
  if (info.backend !== backend) throw new Error(`backend ${backend} unavailable: ${info.fallbackReason ?? 'unknown'}`);
  log(`${backend}: ${info.adapter}`);
  const t0 = performance.now();
  const model = await loadModel(spec.url); // after initBackend: the weights live on this backend
  log(`  loaded ${model.config.name} from ${spec.dir} in ${(performance.now() - t0).toFixed(0)} ms`);
  try {
    const config = model.config;
    const cost = costModel(config);
    const frames = await decodeClipFrames(opts.clipUrl, opts.frames);
    log(`  decoded ${frames.length} frames of ${opts.clipLabel}`);
    const w0 = performance.now();
    await model.warmUp();
    const warmUpMs = performance.now() - w0;
    log(`  warm-up ${warmUpMs.toFixed(0)} ms`);

    const rows: Omit<StreamRow, 'ratioToK1'>[] = [];
    const mila: TimedStream[] = [];
    let fastOnly: TimedStream | null = null;
    const timeRow = async (label: string, mode: 'mila' | 'fast-only' | 'reuse', k: number, gflops: number) => {
      const stream = await timeStream(model, frames, mode, k);
      const row = streamRow(label, mode, k, gflops, stream);
      rows.push(row);
      log(`  ${label}: mean ${row.meanMs.toFixed(1)} ms, median ${row.medianMs.toFixed(1)}, p95 ${row.p95Ms.toFixed(1)}`);
      return stream;
    };
    for (const k of opts.ks) mila.push(await timeRow(`K=${k}`, 'mila', k, cost.averageGflops(k)));
    if (opts.extraRows) {
      fastOnly = await timeRow('fast-only', 'fast-only', 1, cost.fastOnlyGflops);
      await timeRow(`reuse K=${REUSE_K}`, 'reuse', REUSE_K, cost.slowGflops / REUSE_K);
    }
    frames.forEach((f) => f.close());

    const ila = await timeIla(model, 10);
    log(`  ILA alone (${ila.implementation}) ${ila.ms.toFixed(2)} ms${ila.scalarMs === null ? '' : `; scalar JS loop ${ila.scalarMs.toFixed(2)} ms`}`);
    const fastIlaMs = median(timesOf(mila, 'fast+ila'));
    const nets: NetMedians = {
      slowMs: median(timesOf(mila, 'slow')),
      fastIlaMs,
      fastMs: fastOnly ? median(fastOnly.ms) : null,
      ilaMs: ila.ms,
      ilaShare: fastIlaMs ? ila.ms / fastIlaMs : null,
      ilaScalarMs: ila.scalarMs,
    };
    return {
      model: config.name,
      modelDir: spec.dir,
      weights: `weights of ${spec.dir}`,
      input: `${config.input.height}x${config.input.width}`,
      slowDepth: config.slow.depth,
      fastDepth: config.fast.depth,
      ilaGroups: ilaGroups(config).length,
      backend,
      adapter: info.adapter,
      videoImport: info.videoImport,
      ilaImplementation: ila.implementation,
      clip: opts.clipLabel,
      frames: opts.frames,
      warmUpMs,
      rows: withRatios(rows),
      nets,
    };
  } finally {
    model.dispose();
  }
}

declare global {
  interface Window {
    runBench(backend: BackendName, model: BenchModel, opts: BenchPageOptions): Promise<BenchResult>;
  }
}

window.runBench = async (backend, model, opts) => {
  try {
    return await run(backend, model, opts);
  } catch (e) {
    log(`${backend} failed: ${(e as Error).message}`);
    return { backend, modelDir: model.dir, error: (e as Error).message } as BenchResult;
  }
};
log('ready');
