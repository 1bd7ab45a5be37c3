// A ground-truth clip without depth (the real-footage clip public/samples/real-photos): the manifest
// parses, the readers give depth 0 (invalid) everywhere, and the evaluator reports depth as absent
// (NaN, null in JSON) while segmentation is scored as usual.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gtDepthRange, parseClipManifest } from '../../src/eval/clipManifest';
import { evaluate, type EvalPrediction, type EvalRunner } from '../../src/eval/evaluator';
import type { GroundTruthFrame } from '../../src/eval/gtDecode';
import { NodeGroundTruthReader, readClipManifest } from '../../src/eval/node/nodeGroundTruth';

const REAL_CLIP = fileURLToPath(new URL('../../public/samples/real-photos/', import.meta.url));
const base = { name: 'c', video: 'clip.webm', fps: 10, frames: 2, width: 4, height: 2, labels: 'labels/%06d.png', classes: ['road', 'car'] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clip manifest without depth', () => {
  it('parses with no depth keys and has no depth range limit', () => {
    const m = parseClipManifest(base, 'm.json');
    expect(m.depth).toBeUndefined();
    expect(gtDepthRange(m)).toBe(Infinity);
    expect(gtDepthRange(parseClipManifest({ ...base, depth: 'd/%06d.png', depthScale: 256, maxDepth: 80 }, 'm.json'))).toBe(80);
  });

  it('refuses half a depth description', () => {
    expect(() => parseClipManifest({ ...base, depth: 'd/%06d.png' }, 'm.json')).toThrow(
      /m\.json: depth ground truth needs all of "depth", "depthScale", "maxDepth" or none of them \(got only "depth"\)/,
    );
    expect(() => parseClipManifest({ ...base, depth: 'd/%06d.png', depthScale: 256, maxDepth: 0 }, 'm.json')).toThrow(/"maxDepth" must be a positive number/);
  });
});

describe('the real-footage clip', () => {
  const manifest = readClipManifest(REAL_CLIP);

  it('reads labels and an all-invalid depth', async () => {
    expect(manifest.depth).toBeUndefined();
    const gt = await new NodeGroundTruthReader(REAL_CLIP, manifest).read(0);
    expect(gt.labels.length).toBe(manifest.width * manifest.height);
    expect(gt.depth.length).toBe(gt.labels.length);
    expect(gt.depth.every((d) => d === 0)).toBe(true);
    expect(gt.labels.some((l) => l !== 255)).toBe(true);
  });

  it('is scored on segmentation with depth metrics absent', async () => {
    const reader = new NodeGroundTruthReader(REAL_CLIP, manifest);
    const frames: GroundTruthFrame[] = [await reader.read(0), await reader.read(1)];
    const n = manifest.classes.length;
    // Predicts the gt labels (255 -> class 0) and 5 m everywhere: exact segmentation, a depth that must not be scored.
    let i = 0;
    const runner: EvalRunner = {
      step(): EvalPrediction {
        const gt = frames[i++];
        const labels = tf.tensor2d(Array.from(gt.labels, (l) => (l === 255 ? 0 : l)), [gt.height, gt.width], 'int32');
        const segmentation = tf.tidy(() => tf.expandDims(tf.oneHot(labels, n), 0) as tf.Tensor4D);
        labels.dispose();
        const depth = tf.fill([1, gt.height, gt.width, 1], 5) as tf.Tensor4D;
        return { isKeyframe: true, net: 'slow', segmentation, depth, dispose: () => tf.dispose([segmentation, depth]) };
      },
      dispose() {},
    };
    const source = { frameCount: 2, read: async () => tf.zeros([manifest.height, manifest.width, 3], 'int32') as tf.Tensor3D };
    const [r] = await evaluate({
      source, groundTruth: reader, numClasses: n, ignoreIndex: 255, maxDepth: gtDepthRange(manifest),
      entries: [{ mode: 'mila', k: 1 }], createRunner: () => runner, frameGflops: () => 1,
    });
    expect(r.frames).toBe(2);
    expect(r.all.pixelAccuracy).toBe(100);
    expect(r.all.miou).toBe(100);
    expect(r.all.depthAbs).toBeNaN();
    expect(r.all.depthRel).toBeNaN();
  });
});
