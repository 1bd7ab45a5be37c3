// Chromium launch options for specs that draw into a WebGPU canvas. Measured here (headless
// Chromium, SwiftShader): presenting any WebGPU canvas destroys every GPUDevice of the page
// ("A valid external Instance reference no longer exists") unless ANGLE runs on Vulkan.
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

export const WEBGPU_CANVAS_ARGS = ['--use-angle=vulkan', '--enable-features=Vulkan,DefaultANGLEVulkan,VulkanFromANGLE'];

export const webgpuCanvasLaunch = {
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...BASE_ARGS, ...WEBGPU_CANVAS_ARGS],
  },
};
