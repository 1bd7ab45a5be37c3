// Shared test helpers: tfjs CPU backend, models with seeded random weights, test frames.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ModelConfig } from '../../src/runtime/config';
import { MilaModel } from '../../src/runtime/milaModel';
import { randomWeights } from '../support/randomWeights';
export { testFrame } from './twoKeyframeSchedule';

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

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
