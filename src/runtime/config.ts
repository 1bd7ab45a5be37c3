// Typed architecture config (the `model.json` contract of docs/ARCHITECTURE.md), its validating
// parser (rules: contract/model-config.schema.json), and the list of every TF.js weight it implies.
import { findViolation, schemaDefault, violationText } from './configSchema';

export type BackboneDepth = 18 | 50 | 101;
export type OutputStride = 8 | 16;
export type TaskName = 'segmentation' | 'depth';
export const TASKS: readonly TaskName[] = ['segmentation', 'depth'];

export interface AsppConfig { channels: number; rates: [number, number, number] }
export interface NetConfig { depth: BackboneDepth; baseWidth: number; aspp: AsppConfig | null }

export interface ModelConfig {
  format: 'mila-web/1';
  name: string;
  input: { height: number; width: number; mean: [number, number, number]; std: [number, number, number] };
  outputStride: OutputStride;
  featureChannels: number; // C
  taskChannels: number; // T
  slow: NetConfig;
  fast: NetConfig;
  ila: { window: number; keyChannels: number; memory: number; taskSpecific: boolean };
  segmentation: { classes: string[]; colors: [number, number, number][]; ignoreIndex: number };
  depth: { maxDepth: number };
}

export interface WeightSpec { name: string; shape: number[] }

/** Thrown for a malformed `model.json`; the message names the source file and the field. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

type Obj = Record<string, unknown>;
const DEFAULT_IGNORE_INDEX = schemaDefault(['segmentation', 'ignoreIndex']) as number;
const triple = (v: unknown) => [...(v as number[])] as [number, number, number];

function toNet(o: Obj): NetConfig {
  const a = o.aspp as Obj | null | undefined;
  return {
    depth: o.depth as BackboneDepth,
    baseWidth: o.baseWidth as number,
    aspp: a ? { channels: a.channels as number, rates: triple(a.rates) } : null,
  };
}

/**
 * Validates `json` (the parsed model.json; extra keys such as weightsManifest are ignored) against
 * contract/model-config.schema.json and returns the typed config, defaults filled in.
 */
export function parseModelConfig(json: unknown, source: string): ModelConfig {
  const violation = findViolation(json);
  if (violation) throw new ModelFormatError(`${source}: ${violationText(violation)}`);
  const root = json as Obj;
  const inp = root.input as Obj;
  const il = root.ila as Obj;
  const seg = root.segmentation as Obj;
  return {
    format: root.format as 'mila-web/1',
    name: root.name as string,
    input: { height: inp.height as number, width: inp.width as number, mean: triple(inp.mean), std: triple(inp.std) },
    outputStride: root.outputStride as OutputStride,
    featureChannels: root.featureChannels as number,
    taskChannels: root.taskChannels as number,
    slow: toNet(root.slow as Obj),
    fast: toNet(root.fast as Obj),
    ila: { window: il.window as number, keyChannels: il.keyChannels as number, memory: il.memory as number, taskSpecific: il.taskSpecific as boolean },
    segmentation: {
      classes: [...(seg.classes as string[])],
      colors: (seg.colors as number[][]).map(triple),
      ignoreIndex: (seg.ignoreIndex as number | undefined) ?? DEFAULT_IGNORE_INDEX,
    },
    depth: { maxDepth: (root.depth as Obj).maxDepth as number },
  };
}

// ---------------------------------------------------------------- encoder structure

export const BLOCKS_PER_LAYER: Record<BackboneDepth, [number, number, number, number]> = {
  18: [2, 2, 2, 2],
  50: [3, 4, 6, 3],
  101: [3, 4, 23, 3],
};

/** One residual block, with everything needed to build it (shared by weights, runtime, cost model). */
export interface BlockSpec {
  prefix: string; // e.g. "slow.encoder.layer3.5"
  kind: 'basic' | 'bottleneck';
  inChannels: number;
  planes: number; // inner width
  outChannels: number;
  stride: number;
  dilation: number; // of the 3x3 conv(s)
  downsample: boolean;
}

/** torchvision ResNet v1.5 with replace_stride_with_dilation (see ARCHITECTURE.md "Encoder"). */
export function encoderBlocks(net: NetConfig, outputStride: OutputStride, prefix: string): BlockSpec[] {
  const kind = net.depth === 18 ? 'basic' : 'bottleneck';
  const expansion = kind === 'basic' ? 1 : 4;
  const dilateLayer = outputStride === 16 ? [false, false, false, true] : [false, false, true, true];
  const w = net.baseWidth;
  let inChannels = w;
  let dilation = 1;
  const blocks: BlockSpec[] = [];
  BLOCKS_PER_LAYER[net.depth].forEach((count, li) => {
    const planes = w * 2 ** li;
    let stride = li === 0 ? 1 : 2;
    const previousDilation = dilation;
    if (dilateLayer[li]) {
      dilation *= stride;
      stride = 1;
    }
    const outChannels = planes * expansion;
    for (let b = 0; b < count; b++) {
      blocks.push({
        prefix: `${prefix}.layer${li + 1}.${b}`,
        kind,
        inChannels: b === 0 ? inChannels : outChannels,
        planes,
        outChannels,
        stride: b === 0 ? stride : 1,
        dilation: b === 0 ? previousDilation : dilation,
        downsample: b === 0 && (stride !== 1 || inChannels !== outChannels),
      });
    }
    inChannels = outChannels;
  });
  return blocks;
}

export function encoderOutChannels(net: NetConfig): number {
  return net.baseWidth * 8 * (net.depth === 18 ? 1 : 4);
}

/** Attention groups: one per task (TS) or one shared group whose values are both tasks' features. */
export function ilaGroups(config: ModelConfig): string[] {
  return config.ila.taskSpecific ? [...TASKS] : ['shared'];
}

// ---------------------------------------------------------------- weights

const conv = (name: string, k: number, cin: number, cout: number): WeightSpec[] => [
  { name: `${name}.kernel`, shape: [k, k, cin, cout] },
  { name: `${name}.bias`, shape: [cout] },
];

function netWeights(net: NetConfig, config: ModelConfig, prefix: 'slow' | 'fast'): WeightSpec[] {
  const out: WeightSpec[] = [...conv(`${prefix}.encoder.conv1`, 7, 3, net.baseWidth)];
  for (const b of encoderBlocks(net, config.outputStride, `${prefix}.encoder`)) {
    if (b.kind === 'basic') {
      out.push(...conv(`${b.prefix}.conv1`, 3, b.inChannels, b.planes));
      out.push(...conv(`${b.prefix}.conv2`, 3, b.planes, b.outChannels));
    } else {
      out.push(...conv(`${b.prefix}.conv1`, 1, b.inChannels, b.planes));
      out.push(...conv(`${b.prefix}.conv2`, 3, b.planes, b.planes));
      out.push(...conv(`${b.prefix}.conv3`, 1, b.planes, b.outChannels));
    }
    if (b.downsample) out.push(...conv(`${b.prefix}.downsample.0`, 1, b.inChannels, b.outChannels));
  }
  let width = encoderOutChannels(net);
  if (net.aspp) {
    const a = net.aspp.channels;
    out.push(...conv(`${prefix}.aspp.branches.0.conv`, 1, width, a));
    for (let i = 1; i <= 3; i++) out.push(...conv(`${prefix}.aspp.branches.${i}.conv`, 3, width, a));
    out.push(...conv(`${prefix}.aspp.pool.conv`, 1, width, a));
    out.push(...conv(`${prefix}.aspp.project.conv`, 1, 5 * a, a));
    width = a;
  }
  out.push(...conv(`${prefix}.proj.conv`, 1, width, config.featureChannels));
  return out;
}

export function taskOutChannels(config: ModelConfig, task: TaskName): number {
  return task === 'segmentation' ? config.segmentation.classes.length : 1;
}

/** Every TF.js weight the config implies, in a fixed order (also used by the converter). */
export function expectedWeights(config: ModelConfig): WeightSpec[] {
  const C = config.featureChannels;
  const T = config.taskChannels;
  const d = config.ila.keyChannels;
  const out = [...netWeights(config.slow, config, 'slow'), ...netWeights(config.fast, config, 'fast')];
  for (const task of TASKS) {
    out.push(...conv(`decoders.${task}.conv`, 3, C, T));
    out.push(...conv(`decoders.${task}.head`, 1, T, taskOutChannels(config, task)));
  }
  for (const g of ilaGroups(config)) {
    out.push(...conv(`ila.${g}.query`, 1, C, d));
    out.push(...conv(`ila.${g}.key`, 1, C, d));
  }
  for (const task of TASKS) out.push(...conv(`ila.${task}.fuse.conv`, 1, 2 * T, T));
  return out;
}

// ---------------------------------------------------------------- sizes

/** PyTorch conv output length: floor((n + 2p - d(k-1) - 1) / s) + 1. */
export function convOutSize(n: number, k: number, stride: number, dilation = 1): number {
  const pad = (dilation * (k - 1)) / 2;
  return Math.floor((n + 2 * pad - dilation * (k - 1) - 1) / stride) + 1;
}

/** Spatial size [h, w] of the feature map F for the configured input. */
export function featureSize(config: ModelConfig): [number, number] {
  const reduce = (n: number) => {
    let x = convOutSize(n, 7, 2); // conv1
    x = convOutSize(x, 3, 2); // maxpool 3x3/2 pad 1
    x = convOutSize(x, 3, 2); // layer2
    if (config.outputStride === 16) x = convOutSize(x, 3, 2); // layer3
    return x;
  };
  return [reduce(config.input.height), reduce(config.input.width)];
}
