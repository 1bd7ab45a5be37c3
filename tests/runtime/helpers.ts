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

/** A deterministic HxWx3 0..255 frame; `t` shifts the pattern like a moving camera. Built in JS,
 * not with tf ops, so it is bit-identical on every backend. */
export function testFrame(height: number, width: number, t = 0): tf.Tensor3D {
  const data = new Float32Array(height * width * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++, i++) data[i] = Math.round((Math.sin(0.21 * y + 0.13 * (x + 3 * t) + 2 * c) + 1) * 127.5);
    }
  }
  return tf.tensor3d(data, [height, width, 3]);
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
