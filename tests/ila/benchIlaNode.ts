// ILA timing on tfjs's webgpu backend in Node (Dawn): fused kernel vs tfjs-ops reference at the
// production size (16x32 map = 256x512 input at OS16, d=64, T=128, L=9, M=2), one task and both.
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx tests/ila/benchIlaNode.ts [samples] [callsPerSample]
// On the GPU machine: bundle with shared/tools/webgpu-on-device/prepare.sh, copy ila.wgsl beside
// .gpucarry/main.mjs, run `bash .gpucarry/run.sh`. Exits non-zero if webgpu is not the backend.
import * as tf from '@tensorflow/tfjs-core';
import { installNodeWebGPU } from './webgpuNode';

const samples = Number(process.argv[2] ?? 10);
const callsPerSample = Number(process.argv[3] ?? 10);
const { gpu, reason } = await installNodeWebGPU();
if (!gpu) {
  console.error(`no WebGPU adapter: ${reason}`);
  process.exit(2);
}
await import('@tensorflow/tfjs-backend-webgpu');
if (!(await tf.setBackend('webgpu'))) {
  console.error('tfjs webgpu backend failed to initialise');
  process.exit(2);
}
const { ilaSelfTest } = await import('../../src/runtime/ila');
const { benchIlaDetailed } = await import('../../bench/benchIla');
console.log(`adapter: ${gpu.adapterDescription}`);
const size = { height: 16, width: 32, keyChannels: 64, valueChannels: 128, memory: 2, window: 9 };
const check = await ilaSelfTest({ groups: 2, height: size.height, width: size.width, keyChannels: size.keyChannels, valueChannels: size.valueChannels, memory: size.memory, window: size.window });
console.log(`self-test (G=2): ${check.implementation}, max |fused - reference| = ${check.maxAbsDiff}`);
for (const groups of [1, 2]) {
  for (const implementation of ['fused', 'reference'] as const) {
    const r = await benchIlaDetailed({ ...size, groups, implementation, samples, callsPerSample, warmup: 1 });
    console.log(`G=${groups} ${implementation.padEnd(9)} median ${r.medianMs.toFixed(3)} ms, min ${r.minMs.toFixed(3)} ms, ` +
      `first ${r.firstCallMs.toFixed(1)} ms, ${(r.gflops / (r.medianMs / 1e3)).toPrecision(3)} GFLOP/s`);
  }
}
tf.engine().reset();
gpu.uninstall();
process.exit(0);
