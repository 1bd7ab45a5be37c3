// The cpu/wasm ILA kernel's two inner loops, scalar JS (float64) vs WebAssembly SIMD, through the
// registered tfjs kernel at the shipped model's sizes (16x32 map, d=24, T=24, L=9, both tasks, memory
// 1 and 2), on the tfjs wasm and cpu backends in Node. Rounds alternate the two loops so a busy machine
// slows both alike; the ratio is the figure to trust.
//   npx tsx tests/ila/benchIlaTypedNode.ts [rounds] [samplesPerRound]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { benchIlaDetailed } from '../../bench/benchIla';
import { ilaTypedPath, setIlaTypedScalarOnly, type IlaTypedPath } from '../../src/runtime/ila';

const rounds = Number(process.argv[2] ?? 5);
const samples = Number(process.argv[3] ?? 5);
const size = { groups: 2, height: 16, width: 32, keyChannels: 24, valueChannels: 24, window: 9 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2;
}

for (const backend of ['wasm', 'cpu']) {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs ${backend} backend failed to initialise`);
  for (const memory of [1, 2]) {
    const times: Record<IlaTypedPath, number[]> = { simd: [], scalar: [] };
    for (let r = 0; r < rounds; r++) {
      for (const path of ['scalar', 'simd'] as const) {
        setIlaTypedScalarOnly(path === 'scalar');
        if (ilaTypedPath() !== path) throw new Error(`wanted the ${path} loop, the kernel runs ${ilaTypedPath()}`);
        const res = await benchIlaDetailed({ ...size, memory, implementation: 'typed', samples, callsPerSample: 3, warmup: 1 });
        times[path].push(res.medianMs);
      }
    }
    setIlaTypedScalarOnly(false);
    const scalar = median(times.scalar);
    const simd = median(times.simd);
    console.log(`${backend} G=2 M=${memory}: scalar ${scalar.toFixed(2)} ms, simd ${simd.toFixed(2)} ms per call ` +
      `(median of ${rounds} round medians), scalar/simd ${(scalar / simd).toFixed(1)}x; ` +
      `per-round ratios ${times.scalar.map((s, i) => (s / times.simd[i]).toFixed(1)).join(' ')}`);
  }
}
