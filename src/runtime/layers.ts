// Conv layer with BN folded in: one tf.fused.conv2d (conv + bias + optional ReLU), PyTorch-style
// symmetric explicit padding (never TF 'same', which pads asymmetrically at stride 2).
import * as tf from '@tensorflow/tfjs-core';

export interface ConvLayer {
  name: string;
  kernel: tf.Tensor4D; // [kh, kw, in, out]
  bias: tf.Tensor1D;
  stride: number;
  dilation: number;
  pad: 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
}

/** Named weights with lookups that fail naming the missing weight. */
export class WeightStore {
  constructor(private readonly tensors: tf.NamedTensorMap, private readonly source: string) {}

  get(name: string): tf.Tensor {
    const t = this.tensors[name];
    if (!t) throw new Error(`${this.source}: missing weight "${name}"`);
    return t;
  }

  conv(module: string, stride = 1, dilation = 1): ConvLayer {
    const kernel = this.get(`${module}.kernel`) as tf.Tensor4D;
    const bias = this.get(`${module}.bias`) as tf.Tensor1D;
    const k = kernel.shape[0];
    const p = (dilation * (k - 1)) / 2;
    if (kernel.rank !== 4 || kernel.shape[1] !== k || !Number.isInteger(p)) {
      throw new Error(`${this.source}: weight "${module}.kernel" must be a square odd [k,k,in,out] kernel (got [${kernel.shape}])`);
    }
    return { name: module, kernel, bias, stride, dilation, pad: p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]] };
  }

  dispose(): void {
    for (const t of Object.values(this.tensors)) t.dispose();
  }
}

export function conv(x: tf.Tensor4D, layer: ConvLayer, relu: boolean): tf.Tensor4D {
  return tf.fused.conv2d({
    x,
    filter: layer.kernel,
    strides: layer.stride,
    pad: layer.pad,
    dilations: layer.dilation,
    bias: layer.bias,
    activation: relu ? 'relu' : 'linear',
  });
}

/** align_corners=False bilinear resize (PyTorch semantics). */
export function resizeBilinear(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  if (x.shape[1] === height && x.shape[2] === width) return x;
  return tf.image.resizeBilinear(x, [height, width], false, true);
}

/** tf.tidy for results typed as interfaces (tfjs's TensorContainer wants an index signature). */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => tf.TensorContainer) as T;
}
