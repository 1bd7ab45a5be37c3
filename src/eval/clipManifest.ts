// Ground-truth clip manifest (docs/ARCHITECTURE.md "Ground-truth clips"): parsing with
// messages that name the file and the field, and frame file names from `%0Nd` patterns.

interface ClipBase {
  name: string;
  video: string; // relative to the manifest
  fps: number;
  frames: number;
  width: number;
  height: number;
  labels: string; // e.g. "labels/%06d.png"
  classes: string[];
  seed?: number;
}

/** Depth ground truth: all three keys, or none (real footage has no depth gt: depth metrics are absent). */
interface WithDepth {
  depth: string; // e.g. "depth/%06d.png"
  depthScale: number; // depth metres = (R * 256 + G) / depthScale
  maxDepth: number;
}
interface WithoutDepth {
  depth?: undefined;
  depthScale?: undefined;
  maxDepth?: undefined;
}

export type GtClipManifest = ClipBase & (WithDepth | WithoutDepth);

const DEPTH_KEYS = ['depth', 'depthScale', 'maxDepth'] as const;

/**
 * The evaluator's `maxDepth` for this clip: the manifest's, or Infinity (no range limit) for a clip
 * without depth gt, whose readers give depth 0 (invalid) everywhere, so no depth pixel is counted.
 */
export function gtDepthRange(manifest: GtClipManifest): number {
  return manifest.maxDepth ?? Infinity;
}

export class ClipFormatError extends Error {
  override name = 'ClipFormatError';
}

const PATTERN = /%0?(\d*)d/;

export function parseClipManifest(json: unknown, source: string): GtClipManifest {
  const fail = (msg: string): never => {
    throw new ClipFormatError(`${source}: ${msg}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object');
  const o = json as Record<string, unknown>;
  const str = (key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v.length === 0) fail(`"${key}" must be a non-empty string`);
    return v as string;
  };
  const num = (key: string, integer: boolean): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      fail(`"${key}" must be a positive ${integer ? 'integer' : 'number'} (got ${JSON.stringify(v)})`);
    }
    return v as number;
  };
  const pattern = (key: string): string => {
    const v = str(key);
    if (!PATTERN.test(v)) fail(`"${key}" must contain a frame-number pattern like %06d (got "${v}")`);
    return v;
  };
  const classes = o.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')) {
    fail('"classes" must be a non-empty array of class names');
  }
  const base: ClipBase = {
    name: str('name'),
    video: str('video'),
    fps: num('fps', false),
    frames: num('frames', true),
    width: num('width', true),
    height: num('height', true),
    labels: pattern('labels'),
    classes: classes as string[],
  };
  const depthKeys = DEPTH_KEYS.filter((k) => o[k] !== undefined);
  if (depthKeys.length > 0 && depthKeys.length < DEPTH_KEYS.length) {
    fail(`depth ground truth needs all of "depth", "depthScale", "maxDepth" or none of them (got only ${depthKeys.map((k) => `"${k}"`).join(', ')})`);
  }
  const manifest: GtClipManifest =
    depthKeys.length === 0 ? base : { ...base, depth: pattern('depth'), depthScale: num('depthScale', false), maxDepth: num('maxDepth', false) };
  if (o.seed !== undefined) manifest.seed = o.seed as number;
  return manifest;
}

/** "labels/%06d.png", 7 -> "labels/000007.png" */
export function framePath(pattern: string, index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`frame index must be a non-negative integer (got ${index})`);
  return pattern.replace(PATTERN, (_, width: string) => String(index).padStart(Number(width || 0), '0'));
}

/** Checks that the model and the clip agree on the classes (same names, same order). */
export function checkClassesMatch(modelClasses: readonly string[], clip: GtClipManifest, clipSource: string): void {
  const same = modelClasses.length === clip.classes.length && modelClasses.every((c, i) => c === clip.classes[i]);
  if (!same) {
    throw new ClipFormatError(
      `${clipSource}: the clip's classes [${clip.classes.join(', ')}] differ from the model's [${modelClasses.join(', ')}]`,
    );
  }
}
