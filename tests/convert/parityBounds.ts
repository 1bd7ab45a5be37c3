// Output differences allowed between two implementations of the whole network (tfjs vs PyTorch, one tfjs
// backend vs another), from float32 rounding and the magnitude of what is compared. Documented in
// ARCHITECTURE.md "Converter".

/**
 * float32 network vs network, relative to the output magnitude (absolute below 1). Each conv output is a
 * dot product over 9 * C inputs whose rounding accumulates like sqrt(9 * C) * 2^-24 relative (about
 * 12 * 6e-8 for C = 16), and the relative errors of ~100 layers (ResNet-101 plus decoders and ILA) add up:
 * 100 * 12 * 6e-8 = 7e-5. Bound: 1e-4 of max(1, |reference|), per output (logits; depth in metres).
 */
export const FLOAT32_NET_RTOL = 1e-4;

/**
 * WebGPU in Chromium (SwiftShader or a real GPU): WGSL's exp, log and division are not correctly rounded
 * (exp: 3 + 2|x| ulp, division 2.5 ulp), so every sigmoid, softmax and normalisation adds a few ulp more
 * than the CPU; over the same ~100 layers that is ten times the CPU bound.
 */
export const WEBGPU_NET_RTOL = 1e-3;

/** Allowed max |a - b| for outputs whose reference has max |value| `range`. */
export function netBound(range: number, rtol = FLOAT32_NET_RTOL): number {
  return rtol * Math.max(1, range);
}

/**
 * Weight quantisation, absolute (logits; depth in metres, maxDepth 100): not rounding of arithmetic but of
 * every stored weight. float16 keeps 2^-11 relative per weight; uint8 half a step of (max - min) / 255 per
 * tensor. Measured on the parity fixture and kept with about 4x margin (see ARCHITECTURE.md "Converter").
 */
export const QUANTISED_BOUNDS = {
  float16: { segmentation: 0.02, depth: 0.05 },
  uint8: { segmentation: 0.25, depth: 0.5 },
} as const;
