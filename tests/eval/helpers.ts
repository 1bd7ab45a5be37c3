// Test helpers: frames of the fixture clip decoded with ffmpeg (Node has no <video>).
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { GtClipManifest } from '../../src/eval/clipManifest';
import type { EvalFrameSource } from '../../src/eval/evaluator';

export function ffmpegFrameSource(clipDir: string, manifest: GtClipManifest): EvalFrameSource {
  const raw = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', join(clipDir, manifest.video), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 1 << 28,
  });
  const size = manifest.width * manifest.height * 3;
  return {
    frameCount: Math.min(manifest.frames, Math.floor(raw.length / size)),
    read: async (i) => tf.tensor3d(new Int32Array(raw.subarray(i * size, (i + 1) * size)), [manifest.height, manifest.width, 3], 'int32'),
  };
}
