import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// COOP/COEP make the page cross-origin isolated, which the wasm backend needs for threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  // Pre-bundle tfjs up front: a mid-test re-bundle by the dev server breaks every backend import.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
    ],
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Vite 8's default minifier breaks tfjs's threaded wasm backend; esbuild's does not.
  // eval.html (the headless evaluator's page) ships beside the app.
  build: {
    minify: 'esbuild',
    target: 'es2022',
    rollupOptions: { input: { main: 'index.html', eval: 'eval.html' } },
  },
});
