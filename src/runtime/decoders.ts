// Task decoders shared by slow and fast path: 3x3 conv to the task feature T, 1x1 head,
// bilinear resize to the input size; depth = maxDepth * sigmoid(raw) after the resize.
import * as tf from '@tensorflow/tfjs-core';
import { TASKS, type ModelConfig, type TaskName } from './config';
import { conv, resizeBilinear, type ConvLayer, type WeightStore } from './layers';

export class TaskDecoder {
  readonly conv: ConvLayer;
  readonly head: ConvLayer;

  constructor(weights: WeightStore, readonly task: TaskName, private readonly config: ModelConfig) {
    this.conv = weights.conv(`decoders.${task}.conv`);
    this.head = weights.conv(`decoders.${task}.head`);
  }

  /** F [1,h,w,C] -> task feature [1,h,w,T]. */
  feature(f: tf.Tensor4D): tf.Tensor4D {
    return conv(f, this.conv, true);
  }

  /** task feature -> output at input resolution (logits, or metres for depth). */
  output(taskFeature: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const { height, width } = this.config.input;
      const raw = resizeBilinear(conv(taskFeature, this.head, false), height, width);
      return this.task === 'depth' ? tf.mul(tf.sigmoid(raw), this.config.depth.maxDepth) : raw;
    });
  }
}

export function makeDecoders(weights: WeightStore, config: ModelConfig): Record<TaskName, TaskDecoder> {
  return Object.fromEntries(TASKS.map((t) => [t, new TaskDecoder(weights, t, config)])) as Record<TaskName, TaskDecoder>;
}
