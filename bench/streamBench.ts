// The streamed half of the bench page: decodes a clip's first frames once (untimed), then runs
// the real per-frame work of the app's frame loop over them for one runner setting: capture
// (tf.browser.fromPixels), MilaRunner.step, and waiting until the frame's outputs (labels and
// depth, what the renderer draws) are computed. Every frame is timed, keyframes included.
import * as tf from '@tensorflow/tfjs-core';
import { summarizeFrameTimes } from '../src/engine/streamTiming';
import { VideoFrameStepper } from '../src/eval/browser/videoFrameStepper';
import { fetchClipManifest, clipBase } from '../src/eval/browser/browserGroundTruth';
import type { MilaModel } from '../src/runtime/milaModel';
import { MilaRunner, type FramePrediction } from '../src/runtime/runner';
import type { FrameNet, RunMode } from '../src/runtime/modes';
import type { StreamRow } from './benchReport';

/** Decoded clip frames, as the page's video would present them. */
export async function decodeClipFrames(clipUrl: string, count: number): Promise<ImageBitmap[]> {
  const manifest = await fetchClipManifest(clipUrl);
  if (count > manifest.frames) throw new Error(`${clipUrl}: ${count} frames requested, the clip has ${manifest.frames}`);
  const stepper = await VideoFrameStepper.open(clipBase(clipUrl) + manifest.video, manifest.fps, manifest.frames);
  try {
    const frames: ImageBitmap[] = [];
    for (let i = 0; i < count; i++) {
      await stepper.seek(i);
      frames.push(await createImageBitmap(stepper.capture()));
    }
    return frames;
  } finally {
    stepper.dispose();
  }
}

/**
 * Waits until the frame's outputs exist: reads back one value of the labels and of the depth
 * (on GPU backends this waits for the queued work; the 8 bytes are negligible next to a frame).
 */
async function outputsReady(p: FramePrediction): Promise<void> {
  const probes = tf.tidy(() => [p.labels(), p.depth].map((t) => tf.slice(tf.reshape(t, [-1]), [0], [1])));
  try {
    await Promise.all(probes.map((t) => t.data()));
  } finally {
    tf.dispose(probes);
  }
}

export interface TimedStream {
  ms: number[]; // per frame, in order
  nets: FrameNet[]; // what produced each frame
}

/** Runs the frames through a fresh runner (first frame a keyframe) and times each one. */
export async function timeStream(model: MilaModel, frames: ImageBitmap[], mode: RunMode, k: number): Promise<TimedStream> {
  const runner = new MilaRunner(model, { interval: k, mode });
  const out: TimedStream = { ms: [], nets: [] };
  try {
    for (const frame of frames) {
      const t0 = performance.now();
      const pixels = tf.browser.fromPixels(frame, 3);
      let p: FramePrediction;
      try {
        p = runner.step(pixels);
      } finally {
        pixels.dispose();
      }
      try {
        await outputsReady(p);
      } finally {
        p.dispose();
      }
      out.ms.push(performance.now() - t0);
      out.nets.push(p.net);
    }
  } finally {
    runner.dispose();
  }
  return out;
}

/** A row of the stream table (ratio to K=1 set later, over all rows of the run). */
export function streamRow(label: string, mode: RunMode, k: number, gflops: number, stream: TimedStream): Omit<StreamRow, 'ratioToK1'> {
  const summary = summarizeFrameTimes(stream.ms);
  if (!summary) throw new Error(`stream ${label}: no frames`);
  return { label, mode, k, gflops, ...summary };
}

/** Frame times of `streams` produced by `net`. */
export function timesOf(streams: TimedStream[], net: FrameNet): number[] {
  return streams.flatMap((s) => s.ms.filter((_, i) => s.nets[i] === net));
}
