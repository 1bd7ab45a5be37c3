// Shared test helpers: tfjs CPU backend, models with seeded random weights, test frames.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ModelConfig } from '../../src/runtime/config';
import { MilaModel } from '../../src/runtime/milaModel';
import { randomWeights } from '../../src/runtime/randomWeights';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function weightMap(config: ModelConfig, seed = 7): tf.NamedTensorMap {
  return Object.fromEntries(randomWeights(config, seed).map((w) => [w.name, tf.tensor(w.data, w.shape)]));
}

export function randomModel(config: ModelConfig, seed = 7): MilaModel {
  return new MilaModel(config, weightMap(config, seed), `random(${config.name})`);
}

/** A deterministic HxWx3 0..255 frame; `t` shifts the pattern like a moving camera. */
export function testFrame(height: number, width: number, t = 0): tf.Tensor3D {
  return tf.tidy(() => {
    const y = tf.reshape(tf.range(0, height), [height, 1, 1]);
    const x = tf.reshape(tf.range(0, width), [1, width, 1]);
    const c = tf.reshape(tf.tensor1d([0, 2, 4]), [1, 1, 3]);
    const v = tf.sin(tf.add(tf.add(tf.mul(y, 0.21), tf.mul(tf.add(x, t * 3), 0.13)), c));
    return tf.round(tf.mul(tf.add(v, 1), 127.5)) as tf.Tensor3D;
  });
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
