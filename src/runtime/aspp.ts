// DeepLab ASPP: 1x1 + three dilated 3x3 branches + image pooling, concatenated and projected.
import * as tf from '@tensorflow/tfjs-core';
import type { AsppConfig } from './config';
import { conv, type ConvLayer, type WeightStore } from './layers';

export class Aspp {
  private readonly branches: ConvLayer[];
  private readonly pool: ConvLayer;
  private readonly project: ConvLayer;

  constructor(weights: WeightStore, aspp: AsppConfig, prefix: string) {
    this.branches = [
      weights.conv(`${prefix}.branches.0.conv`),
      ...aspp.rates.map((r, i) => weights.conv(`${prefix}.branches.${i + 1}.conv`, 1, r)),
    ];
    this.pool = weights.conv(`${prefix}.pool.conv`);
    this.project = weights.conv(`${prefix}.project.conv`);
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const [, h, w] = x.shape;
      const outs = this.branches.map((b) => conv(x, b, true));
      const pooled = conv(tf.mean(x, [1, 2], true) as tf.Tensor4D, this.pool, true);
      // Bilinear upsampling of a 1x1 map is a broadcast.
      outs.push(tf.tile(pooled, [1, h, w, 1]));
      return conv(tf.concat(outs, 3), this.project, true);
    });
  }
}
