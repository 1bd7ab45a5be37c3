// Maximum absolute output differences to the PyTorch reference on the parity fixture, per storage
// dtype (segmentation: logits; depth: metres, maxDepth 100). Documented in ARCHITECTURE.md "Converter".
export const PARITY_BOUNDS = {
  float32: { segmentation: 1e-4, depth: 1e-4 },
  float16: { segmentation: 0.02, depth: 0.05 },
  uint8: { segmentation: 0.25, depth: 0.5 },
} as const;

/** WebGPU in headless Chromium (float32). */
export const WEBGPU_BOUND = 1e-3;
