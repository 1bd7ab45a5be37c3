// Analytic cost (GFLOPs, 1 multiply-add = 2 FLOPs) of a slow frame, a fast frame and ILA.
// Counted: every convolution (bias and ReLU ignored) and the ILA attention itself
// (scores q.k and the weighted sum of values); pooling, resizes, sigmoid and softmax
// exponentials are ignored (under 1% of the total).
import { ilaFlops } from './ila/ilaFlops';
import type { FrameNet, RunMode } from './modes';
import { convOutSize, encoderBlocks, encoderOutChannels, featureSize, ilaGroups, taskOutChannels, TASKS, type ModelConfig, type NetConfig } from './config';

const convFlops = (h: number, w: number, k: number, cin: number, cout: number) => 2 * h * w * k * k * cin * cout;

function encoderFlops(net: NetConfig, config: ModelConfig): number {
  let h = convOutSize(config.input.height, 7, 2);
  let w = convOutSize(config.input.width, 7, 2);
  let flops = convFlops(h, w, 7, 3, net.baseWidth);
  h = convOutSize(h, 3, 2);
  w = convOutSize(w, 3, 2);
  for (const b of encoderBlocks(net, config.outputStride, 'x')) {
    const ho = convOutSize(h, 3, b.stride, b.dilation);
    const wo = convOutSize(w, 3, b.stride, b.dilation);
    if (b.kind === 'basic') {
      flops += convFlops(ho, wo, 3, b.inChannels, b.planes) + convFlops(ho, wo, 3, b.planes, b.outChannels);
    } else {
      flops += convFlops(h, w, 1, b.inChannels, b.planes) + convFlops(ho, wo, 3, b.planes, b.planes) + convFlops(ho, wo, 1, b.planes, b.outChannels);
    }
    if (b.downsample) flops += convFlops(ho, wo, 1, b.inChannels, b.outChannels);
    h = ho;
    w = wo;
  }
  return flops;
}

/** Encoder + ASPP + projection to F. */
function featureNetFlops(net: NetConfig, config: ModelConfig): number {
  const [h, w] = featureSize(config);
  let flops = encoderFlops(net, config);
  let width = encoderOutChannels(net);
  if (net.aspp) {
    const a = net.aspp.channels;
    flops += convFlops(h, w, 1, width, a) + 3 * convFlops(h, w, 3, width, a) + convFlops(1, 1, 1, width, a) + convFlops(h, w, 1, 5 * a, a);
    width = a;
  }
  return flops + convFlops(h, w, 1, width, config.featureChannels);
}

export interface CostModel {
  slowGflops: number; // keyframe: slow net, decoders, heads, ILA keys for the memory
  fastGflops: number; // non-keyframe: fast net, decoders, ILA (full memory), fuse, heads
  fastOnlyGflops: number; // fast net + decoders, no ILA (the 'fast-only' baseline)
  ilaGflops: number; // the ILA part of fastGflops: queries, attention over M*L*L, fuse convs
  averageGflops(k: number): number; // (slow + (K-1) fast) / K
}

export function costModel(config: ModelConfig): CostModel {
  const [h, w] = featureSize(config);
  const C = config.featureChannels;
  const T = config.taskChannels;
  const d = config.ila.keyChannels;
  const L = config.ila.window;
  const M = config.ila.memory;
  const groups = ilaGroups(config);
  const valueWidth = config.ila.taskSpecific ? T : 2 * T;

  let decoders = 0;
  for (const t of TASKS) decoders += convFlops(h, w, 3, C, T) + convFlops(h, w, 1, T, taskOutChannels(config, t));
  const keys = groups.length * convFlops(h, w, 1, C, d);
  const attention = groups.length * (convFlops(h, w, 1, C, d) + ilaFlops(h, w, d, valueWidth, M, L));
  const fuse = TASKS.length * convFlops(h, w, 1, 2 * T, T);

  const slow = featureNetFlops(config.slow, config) + decoders + keys;
  const fastOnly = featureNetFlops(config.fast, config) + decoders;
  const ila = attention + fuse;
  const G = 1e9;
  return {
    slowGflops: slow / G,
    fastGflops: (fastOnly + ila) / G,
    fastOnlyGflops: fastOnly / G,
    ilaGflops: ila / G,
    averageGflops: (k: number) => {
      if (!Number.isInteger(k) || k < 1) throw new RangeError(`averageGflops: K must be an integer >= 1 (got ${k})`);
      return (slow + (k - 1) * (fastOnly + ila)) / k / G;
    },
  };
}

/** GFLOPs of one frame, by the computation that produced it. */
export function frameNetGflops(cost: CostModel, net: FrameNet): number {
  const byNet: Record<FrameNet, number> = {
    slow: cost.slowGflops, // keyframe: slow net + decoders + ILA keys
    'fast+ila': cost.fastGflops, // MILA non-keyframe
    fast: cost.fastOnlyGflops, // baseline: fast net without ILA
    reuse: 0, // baseline: keyframe outputs copied
  };
  return byNet[net];
}

/** Average GFLOPs per frame of each run mode at keyframe interval K. */
const MODE_AVERAGE: Record<RunMode, (cost: CostModel, k: number) => number> = {
  mila: (c, k) => c.averageGflops(k),
  'fast-only': (c) => c.fastOnlyGflops,
  reuse: (c, k) => c.slowGflops / k,
};

export function modeAverageGflops(cost: CostModel, mode: RunMode, k: number): number {
  return MODE_AVERAGE[mode](cost, k);
}
