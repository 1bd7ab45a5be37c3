import { defineConfig } from '@playwright/test';
import { BASE_ARGS, WEBGPU_CANVAS_ARGS } from './e2e/helpers/browser';

// Each developer (or CI) may run its own server: E2E_PORT picks the port.
const port = Number(process.env.E2E_PORT ?? 5173);
// Debian's Chromium: browser downloads are not possible here.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
  },
  // The app specs present WebGPU canvases, which needs Chromium's Vulkan flags (e2e/helpers/browser.ts).
  projects: [
    { name: 'app', testMatch: 'app*.spec.ts', use: { launchOptions: { executablePath: chromium, args: [...BASE_ARGS, ...WEBGPU_CANVAS_ARGS] } } },
    { name: 'kernels-and-tools', testIgnore: 'app*.spec.ts', use: { launchOptions: { executablePath: chromium, args: BASE_ARGS } } },
  ],
  webServer: {
    command: `npx vite --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
