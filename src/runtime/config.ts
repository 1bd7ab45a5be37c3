// Typed architecture config (the `model.json` contract of docs/ARCHITECTURE.md), its validating
// parser, and the list of every TF.js weight the config implies.

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

class FieldReader {
  constructor(private readonly source: string) {}

  fail(path: string, want: string, got: unknown): never {
    const shown = got === undefined ? 'missing' : JSON.stringify(got)?.slice(0, 80);
    throw new ModelFormatError(`${this.source}: field "${path}" must be ${want} (got ${shown})`);
  }

  obj(parent: Obj, key: string, path: string): Obj {
    const v = parent[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    return v as Obj;
  }

  int(parent: Obj, key: string, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = parent[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(path, `an integer in [${min}, ${max}]`, v);
    }
    return v;
  }

  num(parent: Obj, key: string, path: string, positive = false): number {
    const v = parent[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) {
      this.fail(path, positive ? 'a positive finite number' : 'a finite number', v);
    }
    return v;
  }

  oneOf<T>(parent: Obj, key: string, path: string, allowed: readonly T[]): T {
    const v = parent[key] as T;
    if (!allowed.includes(v)) this.fail(path, `one of ${allowed.join(', ')}`, v);
    return v;
  }

  triple(parent: Obj, key: string, path: string, positive: boolean): [number, number, number] {
    const v = parent[key];
    if (!Array.isArray(v) || v.length !== 3) this.fail(path, 'an array of 3 numbers', v);
    return (v as unknown[]).map((_, i) => this.num(v as unknown as Obj, String(i), `${path}[${i}]`, positive)) as [number, number, number];
  }
}

function parseNet(r: FieldReader, root: Obj, key: 'slow' | 'fast'): NetConfig {
  const o = r.obj(root, key, key);
  const depth = r.oneOf(o, 'depth', `${key}.depth`, [18, 50, 101] as const);
  const baseWidth = r.int(o, 'baseWidth', `${key}.baseWidth`, 1, 4096);
  let aspp: AsppConfig | null = null;
  if (o.aspp !== null && o.aspp !== undefined) {
    const a = r.obj(o, 'aspp', `${key}.aspp`);
    const rates = r.triple(a, 'rates', `${key}.aspp.rates`, true);
    rates.forEach((v, i) => {
      if (!Number.isInteger(v)) r.fail(`${key}.aspp.rates[${i}]`, 'a positive integer', v);
    });
    aspp = { channels: r.int(a, 'channels', `${key}.aspp.channels`, 1, 65536), rates };
  }
  return { depth, baseWidth, aspp };
}

/** Validates `json` (the parsed model.json, extra keys such as weightsManifest are ignored). */
export function parseModelConfig(json: unknown, source: string): ModelConfig {
  const r = new FieldReader(source);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) r.fail('(root)', 'a JSON object', json);
  const root = json as Obj;
  const format = r.oneOf(root, 'format', 'format', ['mila-web/1'] as const);
  const name = typeof root.name === 'string' ? root.name : r.fail('name', 'a string', root.name);

  const inp = r.obj(root, 'input', 'input');
  const input = {
    height: r.int(inp, 'height', 'input.height', 8, 8192),
    width: r.int(inp, 'width', 'input.width', 8, 8192),
    mean: r.triple(inp, 'mean', 'input.mean', false),
    std: r.triple(inp, 'std', 'input.std', true),
  };
  const outputStride = r.oneOf(root, 'outputStride', 'outputStride', [8, 16] as const);
  const featureChannels = r.int(root, 'featureChannels', 'featureChannels', 1, 65536);
  const taskChannels = r.int(root, 'taskChannels', 'taskChannels', 1, 65536);
  const slow = parseNet(r, root, 'slow');
  const fast = parseNet(r, root, 'fast');

  const il = r.obj(root, 'ila', 'ila');
  const window = r.int(il, 'window', 'ila.window', 1, 31);
  if (window % 2 !== 1) r.fail('ila.window', 'an odd integer', window);
  if (typeof il.taskSpecific !== 'boolean') r.fail('ila.taskSpecific', 'a boolean', il.taskSpecific);
  const ila = {
    window,
    keyChannels: r.int(il, 'keyChannels', 'ila.keyChannels', 1, 65536),
    memory: r.int(il, 'memory', 'ila.memory', 1, 16),
    taskSpecific: il.taskSpecific as boolean,
  };

  const seg = r.obj(root, 'segmentation', 'segmentation');
  const classes = seg.classes as string[];
  if (!Array.isArray(classes) || classes.length < 1 || !classes.every((c) => typeof c === 'string')) {
    r.fail('segmentation.classes', 'a non-empty array of strings', classes);
  }
  const colors = seg.colors;
  if (!Array.isArray(colors) || colors.length !== classes.length) {
    r.fail('segmentation.colors', `an array of ${classes.length} [r,g,b] colours (one per class)`, colors);
  }
  (colors as unknown[]).forEach((c, i) => {
    const ok = Array.isArray(c) && c.length === 3 && c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
    if (!ok) r.fail(`segmentation.colors[${i}]`, 'an [r,g,b] triple of integers in 0..255', c);
  });
  const segmentation = {
    classes: classes as string[],
    colors: colors as [number, number, number][],
    ignoreIndex: seg.ignoreIndex === undefined ? 255 : r.int(seg, 'ignoreIndex', 'segmentation.ignoreIndex', 0, 65535),
  };
  const dep = r.obj(root, 'depth', 'depth');
  const depth = { maxDepth: r.num(dep, 'maxDepth', 'depth.maxDepth', true) };

  return { format, name, input, outputStride, featureChannels, taskChannels, slow, fast, ila, segmentation, depth };
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
