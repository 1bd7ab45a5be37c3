// ResNet-18/50/101 encoder (torchvision v1.5, dilated to output stride 16 or 8), BN folded.
import * as tf from '@tensorflow/tfjs-core';
import { encoderBlocks, type BlockSpec, type NetConfig, type OutputStride } from './config';
import { conv, type ConvLayer, type WeightStore } from './layers';

interface Block {
  spec: BlockSpec;
  convs: ConvLayer[]; // 2 (basic) or 3 (bottleneck); stride and dilation on the 3x3
  downsample: ConvLayer | null;
}

export class ResNetEncoder {
  private readonly stem: ConvLayer;
  private readonly blocks: Block[];

  constructor(weights: WeightStore, net: NetConfig, outputStride: OutputStride, prefix: string) {
    this.stem = weights.conv(`${prefix}.conv1`, 2);
    this.blocks = encoderBlocks(net, outputStride, prefix).map((spec) => {
      const p = spec.prefix;
      const convs =
        spec.kind === 'basic'
          ? [weights.conv(`${p}.conv1`, spec.stride, spec.dilation), weights.conv(`${p}.conv2`, 1, spec.dilation)]
          : [weights.conv(`${p}.conv1`), weights.conv(`${p}.conv2`, spec.stride, spec.dilation), weights.conv(`${p}.conv3`)];
      const downsample = spec.downsample ? weights.conv(`${p}.downsample.0`, spec.stride) : null;
      return { spec, convs, downsample };
    });
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let y = conv(x, this.stem, true);
      // Maxpool 3x3/2 pad 1: after ReLU all values are >= 0, so zero padding + valid pool is exact.
      y = tf.maxPool(tf.pad(y, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 2, 'valid') as tf.Tensor4D;
      for (const block of this.blocks) y = this.applyBlock(y, block);
      return y;
    });
  }

  private applyBlock(x: tf.Tensor4D, { convs, downsample }: Block): tf.Tensor4D {
    return tf.tidy(() => {
      let y = x;
      convs.forEach((c, i) => {
        y = conv(y, c, i < convs.length - 1);
      });
      const identity = downsample ? conv(x, downsample, false) : x;
      return tf.relu(tf.add(y, identity)) as tf.Tensor4D;
    });
  }
}
