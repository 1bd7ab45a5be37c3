// Chromium launch options for specs that draw into a WebGPU canvas. Measured here (headless
// Chromium, SwiftShader): presenting any WebGPU canvas destroys every GPUDevice of the page
// ("A valid external Instance reference no longer exists") unless Chromium's compositor runs on
// Vulkan (SwiftShader's) with ANGLE on Vulkan; with exactly these flags the canvas shows its pixels.
// playwright.config.ts has the same base flags; these add the Vulkan ones.
export const BASE_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export const WEBGPU_CANVAS_ARGS = ['--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=vulkan'];

