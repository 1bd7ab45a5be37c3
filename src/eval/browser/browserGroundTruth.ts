// Browser side of the ground-truth clip reader: manifest over fetch, PNGs through
// createImageBitmap without colour-space conversion or premultiplication (exact bytes).
import { framePath, parseClipManifest, type GtClipManifest } from '../clipManifest';
import { depthFromRGBA, labelsFromRGBA, noDepth, type GroundTruthFrame, type GroundTruthReader } from '../gtDecode';

/** `clipUrl` is the clip directory (with or without a trailing slash). */
export function clipBase(clipUrl: string): string {
  return clipUrl.endsWith('/') ? clipUrl : `${clipUrl}/`;
}

export async function fetchClipManifest(clipUrl: string): Promise<GtClipManifest> {
  const url = `${clipBase(clipUrl)}manifest.json`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`no ground-truth clip at ${clipUrl}: ${url} answered ${res.status} ${res.statusText}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch (e) {
    throw new Error(`${url}: not valid JSON (${(e as Error).message})`);
  }
  return parseClipManifest(json, url);
}

async function fetchRGBA(url: string, width: number, height: number): Promise<Uint8ClampedArray> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`missing ground-truth file ${url} (${res.status} ${res.statusText})`);
  const bitmap = await createImageBitmap(await res.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    if (bitmap.width !== width || bitmap.height !== height) {
      throw new Error(`${url}: ${bitmap.width}x${bitmap.height}, the manifest says ${width}x${height}`);
    }
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, width, height).data;
  } finally {
    bitmap.close();
  }
}

export class BrowserGroundTruthReader implements GroundTruthReader {
  constructor(private readonly clipUrl: string, readonly manifest: GtClipManifest) {}

  async read(index: number): Promise<GroundTruthFrame> {
    const m = this.manifest;
    const { width, height } = m;
    const base = clipBase(this.clipUrl);
    const labelsUrl = base + framePath(m.labels, index);
    const readDepth = async (): Promise<Float32Array> => {
      if (m.depth === undefined) return noDepth(width, height);
      const depthUrl = base + framePath(m.depth, index);
      return depthFromRGBA(await fetchRGBA(depthUrl, width, height), width, height, m.depthScale, depthUrl);
    };
    const [labelsRGBA, depth] = await Promise.all([fetchRGBA(labelsUrl, width, height), readDepth()]);
    return { width, height, labels: labelsFromRGBA(labelsRGBA, width, height, labelsUrl), depth };
  }
}
