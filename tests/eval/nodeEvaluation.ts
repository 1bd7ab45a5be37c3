// Evaluation in Node with the real runtime (cpu backend): tiny model, a clip's frames decoded
// by ffmpeg and its PNG ground truth. Shared by the vitest integration test and the e2e
// comparison of the browser's numbers with Node's.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, type EvalEntry, type EvalResult } from '../../src/eval/evaluator';
import { gtDepthRange } from '../../src/eval/clipManifest';
import { frameGflopsFromCost } from '../../src/eval/frameCost';
import { NodeGroundTruthReader, readClipManifest } from '../../src/eval/node/nodeGroundTruth';
import { fileFetch } from '../../src/node/fileFetch';
import { costModel, loadModel, MilaRunner, type MilaModel } from '../../src/runtime';
import { ffmpegFrameSource } from './helpers';

export async function loadTinyModelCpu(modelDir: string): Promise<MilaModel> {
  if (!existsSync(join(modelDir, 'model.json'))) throw new Error(`${modelDir}/model.json is missing: run npm run make-tiny`);
  await tf.setBackend('cpu');
  return loadModel(modelDir.endsWith('/') ? modelDir : `${modelDir}/`, { fetchImpl: fileFetch });
}

export async function evaluateClipInNode(model: MilaModel, clipDir: string, entries: EvalEntry[], frames?: number): Promise<EvalResult[]> {
  const manifest = readClipManifest(clipDir);
  return evaluate({
    source: ffmpegFrameSource(clipDir, manifest),
    groundTruth: new NodeGroundTruthReader(clipDir, manifest),
    entries,
    createRunner: (e) => new MilaRunner(model, { interval: e.k, mode: e.mode }),
    frameGflops: frameGflopsFromCost(costModel(model.config)),
    numClasses: model.config.segmentation.classes.length,
    ignoreIndex: model.config.segmentation.ignoreIndex,
    maxDepth: gtDepthRange(manifest), // the gt's range (sky is stored at it), not the model's depth.maxDepth
    frames,
  });
}
