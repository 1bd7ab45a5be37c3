// The schedule the backend-parity tests (Node webgpu, Chromium backends) run on one model:
// keyframe x0, keyframe x1, a fast frame x2 with ILA over both keyframes, and fast-only x2.
// No backend import here: the Chromium page imports it too.
import * as tf from '@tensorflow/tfjs-core';
import { disposeOutputs, type MilaModel, type TaskOutputs } from '../../src/runtime/milaModel';

/** A deterministic HxWx3 0..255 frame; `t` shifts the pattern like a moving camera. Built in JS,
 * not with tf ops, so it is bit-identical on every backend. */
export function testFrame(height: number, width: number, t = 0): tf.Tensor3D {
  const data = new Float32Array(height * width * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++, i++) data[i] = Math.round((Math.sin(0.21 * y + 0.13 * (x + 3 * t) + 2 * c) + 1) * 127.5);
    }
  }
  return tf.tensor3d(data, [height, width, 3]);
}

/** Outputs by name (`key0.segmentation`, ..., `fastOnly.depth`); every tensor it made is disposed. */
export async function runTwoKeyframeSchedule(model: MilaModel): Promise<Record<string, Float32Array>> {
  const { height, width } = model.config.input;
  const pixels = [0, 5, 9].map((t) => testFrame(height, width, t));
  const xs = pixels.map((p) => model.preprocess(p));
  const memory = model.createMemory();
  const outs: Record<string, TaskOutputs> = {};
  for (const i of [0, 1]) {
    const k = model.runKeyframe(xs[i]);
    memory.push(k.memoryEntry);
    outs[`key${i}`] = k.outputs;
  }
  outs.fast = model.runFastFrame(xs[2], memory);
  outs.fastOnly = model.runFastOnly(xs[2]);
  const data: Record<string, Float32Array> = {};
  for (const [name, o] of Object.entries(outs)) {
    data[`${name}.segmentation`] = (await o.segmentation.data()) as Float32Array;
    data[`${name}.depth`] = (await o.depth.data()) as Float32Array;
    disposeOutputs(o);
  }
  tf.dispose([...pixels, ...xs]);
  memory.dispose();
  return data;
}
