// Runs the parity fixture's frame schedule on a loaded model and measures the output difference
// to the PyTorch reference. Browser-safe (tfjs-core + runtime only): the Node parity test and the
// e2e parity page (e2e/pages/parity.ts) share it, so both run exactly the same schedule.
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile } from '../../src/convert/safetensors';
import type { MilaModel } from '../../src/runtime/milaModel';

export type FrameKind = 'keyframe' | 'fast';

export interface FrameDiff {
  index: number;
  kind: FrameKind;
  memory: number; // keyframes in memory when the frame ran
  segmentation: number; // max |logit - reference|
  depth: number; // max |metres - reference|
  segmentationRange: number; // max |reference logit|, to read the diffs against
  depthRange: number;
}

/** The fixture schedule, read from frames.safetensors' metadata ("keyframe,fast,..."). */
export function fixtureSchedule(frames: SafetensorsFile): FrameKind[] {
  const schedule = (frames.metadata.schedule ?? '').split(',');
  if (schedule.length === 0 || !schedule.every((k) => k === 'keyframe' || k === 'fast') || schedule[0] !== 'keyframe') {
    throw new Error(`${frames.path}: metadata "schedule" must be a comma list of keyframe|fast starting with a keyframe`);
  }
  return schedule as FrameKind[];
}

function maxAbs(a: Float32Array | Int32Array | Uint8Array, b?: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - (b ? b[i] : 0)));
  return m;
}

/** Runs every fixture frame through preprocess + runKeyframe / runFastFrame; disposes all it makes. */
export async function runParitySchedule(model: MilaModel, frames: SafetensorsFile): Promise<FrameDiff[]> {
  const { height, width } = model.config.input;
  const memory = model.createMemory();
  const diffs: FrameDiff[] = [];
  try {
    for (const [index, kind] of fixtureSchedule(frames).entries()) {
      const rgb = tf.tensor3d(Int32Array.from(frames.bytes(`frame.${index}.rgb`)), [height, width, 3], 'int32');
      const input = model.preprocess(rgb);
      rgb.dispose();
      let outputs;
      if (kind === 'keyframe') {
        const key = model.runKeyframe(input);
        memory.push(key.memoryEntry);
        outputs = key.outputs;
      } else {
        outputs = model.runFastFrame(input, memory);
      }
      input.dispose();
      const seg = (await outputs.segmentation.data()) as Float32Array;
      const dep = (await outputs.depth.data()) as Float32Array;
      outputs.segmentation.dispose();
      outputs.depth.dispose();
      const refSeg = frames.float32(`frame.${index}.segmentation`);
      const refDep = frames.float32(`frame.${index}.depth`);
      if (seg.length !== refSeg.length || dep.length !== refDep.length) {
        throw new Error(`frame ${index}: output sizes ${seg.length}/${dep.length} differ from the reference ${refSeg.length}/${refDep.length}`);
      }
      diffs.push({
        index, kind, memory: memory.size,
        segmentation: maxAbs(seg, refSeg), depth: maxAbs(dep, refDep),
        segmentationRange: maxAbs(refSeg), depthRange: maxAbs(refDep),
      });
    }
  } finally {
    memory.dispose();
  }
  return diffs;
}

export function worst(diffs: FrameDiff[]): { segmentation: number; depth: number } {
  return {
    segmentation: Math.max(...diffs.map((d) => d.segmentation)),
    depth: Math.max(...diffs.map((d) => d.depth)),
  };
}
