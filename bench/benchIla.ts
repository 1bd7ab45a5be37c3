// Micro-benchmark of one ILA implementation on the active tfjs backend, for device timing runs
// (tests/ila/benchIlaNode.ts). Bench-only: not part of the runtime.
import * as tf from '@tensorflow/tfjs-core';
import { ILA_IMPLEMENTATIONS, ilaImplementation, randomIlaInputs, type IlaImplementation } from '../src/runtime/ila';
import { ilaFlops } from '../src/runtime/ila/ilaFlops';

export interface IlaBenchOptions {
  height: number; width: number; keyChannels: number; valueChannels: number; memory: number; window: number;
  groups?: number; // tasks in one call (default 1)
  implementation?: 'auto' | IlaImplementation; // default 'auto' = what ilaAttend picks
  samples?: number; // timed samples (default 20); the median is reported
  callsPerSample?: number; // back-to-back calls per sample, one readback at the end (default 10)
  warmup?: number; // untimed calls first, compiling shaders (default 3)
}

export interface IlaBenchResult {
  implementation: IlaImplementation;
  backend: string;
  medianMs: number; // per call: median over samples of (sample wall time / callsPerSample)
  minMs: number;
  firstCallMs: number; // includes shader compilation
  gflops: number; // ilaFlops for all groups, in GFLOP
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** Full result; `benchIla` returns just the median. Times include one output readback per sample. */
export async function benchIlaDetailed(opts: IlaBenchOptions): Promise<IlaBenchResult> {
  const G = opts.groups ?? 1;
  const { height: h, width: w, keyChannels: d, valueChannels: T, memory: M, window: L } = opts;
  const samples = opts.samples ?? 20;
  const perSample = opts.callsPerSample ?? 10;
  const warmup = opts.warmup ?? 3;
  if (samples < 1 || perSample < 1 || warmup < 0) throw new RangeError('benchIla: samples, callsPerSample >= 1, warmup >= 0');
  const gflops = G * ilaFlops(h, w, d, T, M, L) / 1e9;
  const [query, keys, values] = randomIlaInputs({ ...opts, groups: G });
  try {
    await Promise.all([query.data(), keys.data(), values.data()]);
    const choice = opts.implementation ?? 'auto';
    const implementation = choice === 'auto' ? ilaImplementation(query, keys, values, L) : choice;
    const run = ILA_IMPLEMENTATIONS[implementation];
    const call = () => run(query, keys, values, L);

    let t0 = now();
    const first = call();
    await first.data();
    first.dispose();
    const firstCallMs = now() - t0;
    for (let i = 0; i < warmup; i++) {
      const out = call();
      await out.data();
      out.dispose();
    }
    const times: number[] = [];
    for (let s = 0; s < samples; s++) {
      t0 = now();
      let out = call();
      for (let i = 1; i < perSample; i++) {
        out.dispose(); // the GPU keeps the buffer alive until the queued work is done
        out = call();
      }
      await out.data();
      times.push((now() - t0) / perSample);
      out.dispose();
    }
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor((times.length - 1) / 2)] * 0.5 + times[Math.ceil((times.length - 1) / 2)] * 0.5;
    return { implementation, backend: tf.getBackend(), medianMs, minMs: times[0], firstCallMs, gflops };
  } finally {
    tf.dispose([query, keys, values]);
  }
}

/** Median milliseconds per ILA call on the active backend (see benchIlaDetailed). */
export async function benchIla(opts: IlaBenchOptions): Promise<number> {
  return (await benchIlaDetailed(opts)).medianMs;
}
