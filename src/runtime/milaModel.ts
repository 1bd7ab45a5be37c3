// The MILA network: slow net (keyframes), fast net + ILA (frames between), shared task decoders.
import * as tf from '@tensorflow/tfjs-core';
import { Aspp } from './aspp';
import { expectedWeights, ilaGroups, TASKS, type ModelConfig, type NetConfig, type TaskName } from './config';
import { makeDecoders, type TaskDecoder } from './decoders';
import { ilaAttendGrouped, ilaSelfTest, type IlaDims } from './ila';
import { conv, resizeBilinear, tidy, WeightStore, type ConvLayer } from './layers';
import { KeyframeMemory, type KeyframeMemoryEntry } from './memory';
import { ResNetEncoder } from './resnet';

export interface TaskOutputs {
  segmentation: tf.Tensor4D; // [1,H,W,N] logits
  depth: tf.Tensor4D; // [1,H,W,1] metres
}

/** Encoder (+ ASPP) + projection to the common feature width C. */
class FeatureNet {
  private readonly encoder: ResNetEncoder;
  private readonly aspp: Aspp | null;
  private readonly proj: ConvLayer;

  constructor(weights: WeightStore, net: NetConfig, config: ModelConfig, prefix: 'slow' | 'fast') {
    this.encoder = new ResNetEncoder(weights, net, config.outputStride, `${prefix}.encoder`);
    this.aspp = net.aspp ? new Aspp(weights, net.aspp, `${prefix}.aspp`) : null;
    this.proj = weights.conv(`${prefix}.proj.conv`);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let y = this.encoder.apply(x);
      if (this.aspp) y = this.aspp.apply(y);
      return conv(y, this.proj, true);
    });
  }
}

interface IlaGroup {
  query: ConvLayer;
  key: ConvLayer;
}

/** Checks the weight map holds exactly the config's weights with the expected shapes. */
function checkWeights(config: ModelConfig, weights: tf.NamedTensorMap, source: string): void {
  for (const { name, shape } of expectedWeights(config)) {
    const t = weights[name];
    if (!t) throw new Error(`${source}: missing weight "${name}" (expected shape [${shape}])`);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new Error(`${source}: weight "${name}" has shape [${t.shape}], expected [${shape}]`);
    }
  }
}

export class MilaModel {
  readonly memoryCapacity: number;
  private readonly weights: WeightStore;
  private readonly slow: FeatureNet;
  private readonly fast: FeatureNet;
  private readonly decoders: Record<TaskName, TaskDecoder>;
  private readonly ilaGroups: Record<string, IlaGroup>;
  private readonly fuse: Record<TaskName, ConvLayer>;
  private readonly inputScale: tf.Tensor1D; // 1 / (255 std)
  private readonly inputShift: tf.Tensor1D; // -mean / std
  private disposed = false;

  /** Takes ownership of `weights` (disposed by dispose()). `source` names them in errors. */
  constructor(readonly config: ModelConfig, weights: tf.NamedTensorMap, source = config.name) {
    checkWeights(config, weights, source);
    this.weights = new WeightStore(weights, source);
    this.slow = new FeatureNet(this.weights, config.slow, config, 'slow');
    this.fast = new FeatureNet(this.weights, config.fast, config, 'fast');
    this.decoders = makeDecoders(this.weights, config);
    this.ilaGroups = Object.fromEntries(
      ilaGroups(config).map((g) => [g, { query: this.weights.conv(`ila.${g}.query`), key: this.weights.conv(`ila.${g}.key`) }]),
    );
    this.fuse = Object.fromEntries(TASKS.map((t) => [t, this.weights.conv(`ila.${t}.fuse.conv`)])) as Record<TaskName, ConvLayer>;
    const { mean, std } = config.input;
    this.inputScale = tf.tensor1d(std.map((s) => 1 / (255 * s)));
    this.inputShift = tf.tensor1d(mean.map((m, i) => -m / std[i]));
    this.memoryCapacity = config.ila.memory;
  }

  /** HxWx3 RGB in 0..255 (any size, any dtype) -> [1,h,w,3] normalised at the model input size. */
  preprocess(pixels: tf.Tensor3D): tf.Tensor4D {
    this.checkAlive();
    if (pixels.rank !== 3 || pixels.shape[2] !== 3) {
      throw new Error(`MilaModel.preprocess: expected an HxWx3 RGB tensor, got shape [${pixels.shape}]`);
    }
    return tf.tidy(() => {
      const { height, width } = this.config.input;
      const x = resizeBilinear(tf.expandDims(tf.cast(pixels, 'float32'), 0) as tf.Tensor4D, height, width);
      return tf.add(tf.mul(x, this.inputScale), this.inputShift) as tf.Tensor4D;
    });
  }

  /** Slow net; returns the outputs and this keyframe's ILA keys/values (for a KeyframeMemory). */
  runKeyframe(input: tf.Tensor4D): { outputs: TaskOutputs; memoryEntry: KeyframeMemoryEntry } {
    this.checkInput(input);
    return tidy(() => {
      const f = this.slow.apply(input);
      const feats = this.taskFeatures(f);
      const outputs = this.heads(feats);
      const keys: Record<string, tf.Tensor4D> = {};
      const values: Record<string, tf.Tensor4D> = {};
      for (const [g, layers] of Object.entries(this.ilaGroups)) {
        keys[g] = conv(f, layers.key, false);
        values[g] = g === 'shared' ? tf.concat([feats.segmentation, feats.depth], 3) : feats[g as TaskName];
      }
      return { outputs, memoryEntry: { keys, values } };
    });
  }

  /** Fast net + ILA against the keyframe memory (which must hold at least one keyframe). */
  runFastFrame(input: tf.Tensor4D, memory: KeyframeMemory): TaskOutputs {
    this.checkInput(input);
    if (memory.size === 0) throw new Error('MilaModel.runFastFrame: keyframe memory is empty; run a keyframe first');
    return tidy(() => {
      const f = this.fast.apply(input);
      const feats = this.taskFeatures(f);
      const T = this.config.taskChannels;
      // All attention groups in one ILA call (one fused dispatch on webgpu).
      const groups = memory.groups;
      const own = Object.keys(this.ilaGroups);
      if (groups.join() !== own.join()) {
        throw new Error(`MilaModel.runFastFrame: memory holds ILA groups [${groups}], this model needs [${own}] (memory from another model?)`);
      }
      const queries = groups.map((g) => conv(f, this.ilaGroups[g].query, false));
      const q = queries.length === 1 ? queries[0] : tf.concat(queries, 0);
      const a = ilaAttendGrouped(q, memory.keys, memory.values, this.config.ila.window);
      const attended = {} as Record<TaskName, tf.Tensor4D>;
      if (groups.length === 1 && groups[0] === 'shared') {
        attended.segmentation = tf.slice(a, [0, 0, 0, 0], [-1, -1, -1, T]);
        attended.depth = tf.slice(a, [0, 0, 0, T], [-1, -1, -1, T]);
      } else {
        groups.forEach((g, i) => {
          attended[g as TaskName] = groups.length === 1 ? a : tf.slice(a, [i, 0, 0, 0], [1, -1, -1, -1]);
        });
      }
      const fused = {} as Record<TaskName, tf.Tensor4D>;
      for (const t of TASKS) fused[t] = conv(tf.concat([feats[t], attended[t]], 3), this.fuse[t], true);
      return this.heads(fused);
    });
  }

  /** Baseline: the fast net and decoders alone, no ILA. */
  runFastOnly(input: tf.Tensor4D): TaskOutputs {
    this.checkInput(input);
    return tidy(() => this.heads(this.taskFeatures(this.fast.apply(input))));
  }

  /**
   * Runs keyframes and fast frames at the input size with the memory at every fill level
   * (1..M keyframes), so every program a real stream needs is compiled before the first frame.
   */
  async warmUp(): Promise<void> {
    this.checkAlive();
    const { height, width } = this.config.input;
    const input = tf.zeros([1, height, width, 3]) as tf.Tensor4D;
    const memory = new KeyframeMemory(this.memoryCapacity);
    const outputs: TaskOutputs[] = [];
    try {
      for (let m = 0; m < this.memoryCapacity; m++) {
        const key = this.runKeyframe(input);
        memory.push(key.memoryEntry);
        // A fused ILA shader that fails to compile yields zeros without an error: check it against the
        // reference at this exact size first (it switches ILA to the reference if it fails).
        await ilaSelfTest(ilaDimsOf(memory, this.config.ila.window));
        outputs.push(key.outputs, this.runFastFrame(input, memory));
      }
      outputs.push(this.runFastOnly(input));
      await Promise.all(outputs.flatMap((o) => [o.segmentation.data(), o.depth.data()]));
    } finally {
      outputs.forEach(disposeOutputs);
      memory.dispose();
      input.dispose();
    }
  }

  createMemory(): KeyframeMemory {
    return new KeyframeMemory(this.memoryCapacity);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.weights.dispose();
    this.inputScale.dispose();
    this.inputShift.dispose();
  }

  private taskFeatures(f: tf.Tensor4D): Record<TaskName, tf.Tensor4D> {
    return { segmentation: this.decoders.segmentation.feature(f), depth: this.decoders.depth.feature(f) };
  }

  private heads(feats: Record<TaskName, tf.Tensor4D>): TaskOutputs {
    return { segmentation: this.decoders.segmentation.output(feats.segmentation), depth: this.decoders.depth.output(feats.depth) };
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error(`MilaModel "${this.config.name}" has been disposed`);
  }

  private checkInput(input: tf.Tensor4D): void {
    this.checkAlive();
    const { height, width } = this.config.input;
    const s = input.shape;
    if (s.length !== 4 || s[0] !== 1 || s[1] !== height || s[2] !== width || s[3] !== 3) {
      throw new Error(`MilaModel: input must be [1,${height},${width},3] (use preprocess), got [${s}]`);
    }
  }
}

export function disposeOutputs(o: TaskOutputs): void {
  o.segmentation.dispose();
  o.depth.dispose();
}

/** The ILA problem size a fast frame against `memory` poses. */
function ilaDimsOf(memory: KeyframeMemory, window: number): IlaDims {
  const [slots, height, width, keyChannels] = memory.keys.shape;
  const groups = memory.groups.length;
  return { groups, memory: slots / groups, height, width, keyChannels, valueChannels: memory.values.shape[3], window };
}
