// Ground-truth clip format: manifest parsing, frame paths, PNG decoding, and the fixture clip.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkClassesMatch, framePath, parseClipManifest } from '../../src/eval/clipManifest';
import { depthFromRGBA, depthToRGBA, labelsFromRGBA } from '../../src/eval/gtDecode';
import { NodeGroundTruthReader, readClipManifest } from '../../src/eval/node/nodeGroundTruth';
import { CODE_ROWS, HEIGHT, readFrameCode, WIDTH } from './fixtures/evalClipCode';

const CLIP_DIR = fileURLToPath(new URL('../fixtures/eval-clip/', import.meta.url));
const valid = {
  name: 'c', video: 'clip.webm', fps: 30, frames: 3, width: 4, height: 2, labels: 'labels/%06d.png',
  depth: 'depth/%06d.png', depthScale: 256, maxDepth: 100, classes: ['road', 'car'],
};

describe('parseClipManifest', () => {
  it('accepts the documented format', () => {
    expect(parseClipManifest(valid, 'm.json')).toMatchObject(valid);
  });

  it('names the file and the field on bad input', () => {
    expect(() => parseClipManifest([], 'm.json')).toThrow(/m\.json: expected a JSON object/);
    expect(() => parseClipManifest({ ...valid, fps: 0 }, 'm.json')).toThrow(/m\.json: "fps" must be a positive number/);
    expect(() => parseClipManifest({ ...valid, frames: 2.5 }, 'm.json')).toThrow(/"frames" must be a positive integer/);
    expect(() => parseClipManifest({ ...valid, labels: 'labels.png' }, 'm.json')).toThrow(/"labels" must contain a frame-number pattern/);
    expect(() => parseClipManifest({ ...valid, classes: [] }, 'm.json')).toThrow(/"classes"/);
    expect(() => parseClipManifest({ ...valid, video: undefined }, 'm.json')).toThrow(/"video" must be a non-empty string/);
  });

  it('checks that model and clip classes agree', () => {
    const m = parseClipManifest(valid, 'm.json');
    expect(() => checkClassesMatch(['road', 'car'], m, 'm.json')).not.toThrow();
    expect(() => checkClassesMatch(['car', 'road'], m, 'm.json')).toThrow(/differ from the model's/);
  });
});

describe('framePath', () => {
  it('formats zero-padded frame numbers', () => {
    expect(framePath('labels/%06d.png', 7)).toBe('labels/000007.png');
    expect(framePath('d/%d.png', 12)).toBe('d/12.png');
    expect(() => framePath('x%06d', -1)).toThrow(/non-negative/);
  });
});

describe('ground-truth decoding', () => {
  it('labels take the gray value, depth is (R*256+G)/scale with 0 invalid', () => {
    expect(Array.from(labelsFromRGBA([3, 3, 3, 255, 255, 255, 255, 255], 2, 1))).toEqual([3, 255]);
    const depth = depthFromRGBA([1, 2, 0, 255, 0, 0, 9, 255], 2, 1, 256);
    expect(Array.from(depth)).toEqual([(256 + 2) / 256, 0]);
    expect(() => labelsFromRGBA([1, 2, 3], 1, 1)).toThrow(/expected 1x1 RGBA/);
    expect(() => depthFromRGBA([0, 0, 0, 0], 1, 1, 0)).toThrow(/depthScale/);
  });

  it('depthToRGBA round-trips at the scale resolution', () => {
    const metres = [12.5, 0, NaN, 99.99609375];
    expect(Array.from(depthFromRGBA(depthToRGBA(metres, 256), 4, 1, 256))).toEqual([12.5, 0, 0, 99.99609375]);
  });
});

describe('fixture clip tests/fixtures/eval-clip', () => {
  const manifest = readClipManifest(CLIP_DIR);

  it('reads ground truth with pngjs', async () => {
    const gt = await new NodeGroundTruthReader(CLIP_DIR, manifest).read(5);
    expect(gt.labels.length).toBe(WIDTH * HEIGHT);
    expect(gt.labels[0]).toBe(255); // frame code rows are unlabelled
    expect(gt.depth[0]).toBe(0);
    const car = 55 * WIDTH + 8 + 4 * 5 + 1; // the car of frame 5
    expect(gt.labels[car]).toBe(13);
    expect(gt.depth[car]).toBe(12);
    expect(gt.labels[(CODE_ROWS + 2) * WIDTH]).toBe(10); // sky
  });

  it('reports missing clips and frames clearly', async () => {
    expect(() => readClipManifest('/nonexistent/clip')).toThrow(/no ground-truth clip at \/nonexistent\/clip/);
    await expect(new NodeGroundTruthReader(CLIP_DIR, manifest).read(999)).rejects.toThrow(/missing ground-truth file .*000999\.png/);
  });

  it('each video frame carries its own index', () => {
    const raw = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', `${CLIP_DIR}/clip.webm`, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'], { maxBuffer: 1 << 26 });
    const size = WIDTH * HEIGHT * 4;
    expect(raw.length).toBe(size * manifest.frames);
    const codes = Array.from({ length: manifest.frames }, (_, i) => readFrameCode(raw.subarray(i * size, (i + 1) * size)));
    expect(codes).toEqual(Array.from({ length: manifest.frames }, (_, i) => i));
  });
});
