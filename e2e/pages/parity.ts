// Test page for e2e/parity.spec.ts: loads a converted model with the runtime on tfjs's webgpu
// backend, runs the parity fixture's frame schedule and reports the output differences to the
// PyTorch reference (same code path as the Node parity test: tests/convert/parityRun.ts).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { SafetensorsFile } from '../../src/convert/safetensors';
import { loadModel } from '../../src/runtime/weights/loader';
import { runParitySchedule, type FrameDiff } from '../../tests/convert/parityRun';

export interface ParityReport {
  backend: string;
  adapter: string;
  diffs: FrameDiff[];
  leakedTensors: number;
}

declare global {
  interface Window {
    runParityCheck?: (modelUrl: string, framesUrl: string) => Promise<ParityReport>;
  }
}

async function adapterName(): Promise<string> {
  const adapter = await navigator.gpu?.requestAdapter();
  const info = adapter?.info;
  return info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'unknown';
}

async function runParityCheck(modelUrl: string, framesUrl: string): Promise<ParityReport> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs webgpu backend failed to initialise');
  await tf.ready();
  const res = await fetch(framesUrl);
  if (!res.ok) throw new Error(`${framesUrl}: HTTP ${res.status}`);
  const frames = SafetensorsFile.fromBytes(framesUrl, new Uint8Array(await res.arrayBuffer()));
  const model = await loadModel(modelUrl);
  const before = tf.memory().numTensors;
  try {
    const diffs = await runParitySchedule(model, frames);
    return { backend: tf.getBackend(), adapter: await adapterName(), diffs, leakedTensors: tf.memory().numTensors - before };
  } finally {
    model.dispose();
  }
}

window.runParityCheck = runParityCheck;
document.getElementById('status')!.textContent = 'ready';

// Accept hot updates instead of letting Vite reload the page: a source edit during a run (the tree
// is shared while developing) would otherwise destroy the page mid-check.
if (import.meta.hot) import.meta.hot.accept(() => {});
