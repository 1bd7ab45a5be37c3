// Seeded random weights for a config: the tiny test model (scripts/make-tiny-model.ts), tests and
// the benchmark (timing only). Not part of the runtime.
// He-normal kernels; the last conv of each residual branch is scaled down so the residual
// stream of a 101-layer net stays in a sane range without BatchNorm statistics.
import { expectedWeights, type ModelConfig } from '../../src/runtime/config';

export interface RandomWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** mulberry32: small, fast, deterministic across platforms. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** Std of a kernel: He for ReLU convs, smaller for residual-branch ends and linear layers. */
function kernelStd(name: string, fanIn: number): number {
  const he = Math.sqrt(2 / fanIn);
  if (/\.layer\d+\.\d+\.conv3\.kernel$/.test(name)) return 0.2 * he; // bottleneck branch end
  if (/\.(query|key|head)\.kernel$/.test(name)) return Math.sqrt(1 / fanIn);
  return he;
}

export function randomWeights(config: ModelConfig, seed = 1): RandomWeight[] {
  const normal = gaussian(seededRandom(seed));
  const specs = expectedWeights(config);
  const names = new Set(specs.map((s) => s.name));
  return specs.map(({ name, shape }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith('.kernel')) {
      const fanIn = shape[0] * shape[1] * shape[2];
      let std = kernelStd(name, fanIn);
      // BasicBlock branch end: conv2 of a block without conv3.
      const conv3 = name.replace(/conv2\.kernel$/, 'conv3.kernel');
      if (conv3 !== name && !names.has(conv3)) std *= 0.2;
      if (name.includes('.downsample.')) std *= Math.SQRT1_2;
      for (let i = 0; i < n; i++) data[i] = normal() * std;
    } else {
      for (let i = 0; i < n; i++) data[i] = normal() * 0.05;
    }
    return { name, shape, data };
  });
}
