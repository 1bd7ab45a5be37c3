// Node side of the ground-truth clip reader (CLI argument checks, tests, fixtures): pngjs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { framePath, parseClipManifest, type GtClipManifest } from '../clipManifest';
import { depthFromRGBA, labelsFromRGBA, noDepth, type GroundTruthFrame, type GroundTruthReader } from '../gtDecode';

/** Reads and validates `<dir>/manifest.json`; throws with a clear message when missing or malformed. */
export function readClipManifest(dir: string): GtClipManifest {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`no ground-truth clip at ${dir}: ${path} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseClipManifest(json, path);
}

function readPng(path: string, manifest: GtClipManifest): Uint8Array {
  if (!existsSync(path)) throw new Error(`missing ground-truth file ${path}`);
  const png = PNG.sync.read(readFileSync(path));
  if (png.width !== manifest.width || png.height !== manifest.height) {
    throw new Error(`${path}: ${png.width}x${png.height}, the manifest says ${manifest.width}x${manifest.height}`);
  }
  return png.data; // RGBA, grayscale expanded to R = G = B
}

export class NodeGroundTruthReader implements GroundTruthReader {
  constructor(private readonly dir: string, readonly manifest: GtClipManifest) {}

  async read(index: number): Promise<GroundTruthFrame> {
    const m = this.manifest;
    const labelsPath = join(this.dir, framePath(m.labels, index));
    const labels = labelsFromRGBA(readPng(labelsPath, m), m.width, m.height, labelsPath);
    if (m.depth === undefined) return { width: m.width, height: m.height, labels, depth: noDepth(m.width, m.height) };
    const depthPath = join(this.dir, framePath(m.depth, index));
    return { width: m.width, height: m.height, labels, depth: depthFromRGBA(readPng(depthPath, m), m.width, m.height, m.depthScale, depthPath) };
  }
}
