// BatchNorm folding and the PyTorch OIHW -> TF.js HWIO kernel transpose (ARCHITECTURE.md:
// w' = w * g / sqrt(v + eps), b' = beta + (b - mu) * g / sqrt(v + eps)). Computed in float64
// per element and rounded once, so folding adds no error beyond float32 storage.

export const BN_EPS = 1e-5;

export interface BatchNormParams {
  weight: Float32Array; // gamma
  bias: Float32Array; // beta
  runningMean: Float32Array;
  runningVar: Float32Array;
}

/** OIHW (PyTorch conv weight) -> HWIO (tfjs conv2d filter). */
export function oihwToHwio(w: Float32Array, [o, i, h, k]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(w.length);
  for (let oo = 0; oo < o; oo++) {
    for (let ii = 0; ii < i; ii++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < k; x++) {
          out[((y * k + x) * i + ii) * o + oo] = w[((oo * i + ii) * h + y) * k + x];
        }
      }
    }
  }
  return out;
}

/**
 * Folds a BN that follows a conv into the conv. `weight` is OIHW with `outChannels` = O leading,
 * `bias` the conv's own bias (zeros when it has none). Returns new arrays, inputs untouched.
 */
export function foldBatchNorm(
  weight: Float32Array,
  bias: Float32Array,
  bn: BatchNormParams,
  eps = BN_EPS,
): { weight: Float32Array; bias: Float32Array } {
  const outChannels = bias.length;
  const perOut = weight.length / outChannels;
  const w = new Float32Array(weight.length);
  const b = new Float32Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    const factor = bn.weight[o] / Math.sqrt(bn.runningVar[o] + eps);
    for (let j = o * perOut; j < (o + 1) * perOut; j++) w[j] = weight[j] * factor;
    b[o] = bn.bias[o] + (bias[o] - bn.runningMean[o]) * factor;
  }
  return { weight: w, bias: b };
}
