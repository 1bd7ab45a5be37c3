// Test videos made with ffmpeg on demand (cached per parameters under test-results/videos).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIR = resolve('test-results/videos');

export interface VideoSpec {
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  codec?: 'vp8' | 'vp9' | 'h264' | 'mpeg4' | 'prores';
  pattern?: 'testsrc' | 'testsrc2' | 'smptebars' | 'mandelbrot';
  faststart?: boolean; // MP4: the index ('moov') before the data, as web encoders write it
}

const CONTAINERS: Record<NonNullable<VideoSpec['codec']>, { ext: string; args: string[] }> = {
  vp8: { ext: 'webm', args: ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M'] },
  vp9: { ext: 'webm', args: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '1M'] },
  h264: { ext: 'mp4', args: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'] },
  // MPEG-4 Part 2 in MP4 and ProRes in MOV: valid containers whose codecs Chromium cannot decode.
  mpeg4: { ext: 'mp4', args: ['-c:v', 'mpeg4'] },
  prores: { ext: 'mov', args: ['-c:v', 'prores_ks'] },
};

/** Path of a test clip with the given properties (made once). */
export function makeVideo(spec: VideoSpec = {}): string {
  const { width = 320, height = 180, frames = 40, fps = 30, codec = 'vp8', pattern = 'testsrc2', faststart = false } = spec;
  const c = CONTAINERS[codec];
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `${pattern}-${width}x${height}-${frames}f-${fps}fps-${codec}${faststart ? '-faststart' : ''}.${c.ext}`);
  if (!existsSync(file)) {
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `${pattern}=size=${width}x${height}:rate=${fps}`,
      '-frames:v', String(frames), ...c.args, ...(faststart ? ['-movflags', '+faststart'] : []), file,
    ]);
  }
  return file;
}

/** Writes bytes to a named file in the test video folder and returns its path. */
export function writeTestFile(name: string, bytes: Uint8Array | string): string {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, name);
  writeFileSync(file, bytes);
  return file;
}

/** The first `fraction` of a file's bytes (a truncated download). */
export function truncated(path: string, fraction: number, name: string): string {
  const all = readFileSync(path);
  return writeTestFile(name, all.subarray(0, Math.floor(all.length * fraction)));
}
