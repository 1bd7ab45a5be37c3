// Evaluation metrics, normative (docs/ARCHITECTURE.md "Metrics"); mirrors training/mila/metrics.py.
// Pure JS accumulators: counts arrive either from plain arrays (`update`) or from per-frame
// sums computed on the GPU (`addCounts` / `addSums`, see gpuMetrics.ts). Accumulation is in
// float64 numbers, exact for integer counts up to 2^53.
// Depth counts only valid gt (isValidDepth): finite, > 0 and < the clip's maxDepth (sky / no return
// is stored at exactly maxDepth and has no measurement).

export const DEFAULT_IGNORE_INDEX = 255;

/** Dataset-level confusion matrix; `counts[gt * N + pred]`, rows are gt classes. */
export class ConfusionMatrix {
  readonly counts: Float64Array;

  constructor(readonly numClasses: number, readonly ignoreIndex = DEFAULT_IGNORE_INDEX) {
    if (!Number.isInteger(numClasses) || numClasses < 1) {
      throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
    }
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds one frame of integer label maps (flattened, same length). */
  update(pred: ArrayLike<number>, gt: ArrayLike<number>): void {
    if (pred.length !== gt.length) {
      throw new RangeError(`pred has ${pred.length} pixels but gt has ${gt.length}`);
    }
    const n = this.numClasses;
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i];
      if (!isCountedLabel(g, n, this.ignoreIndex)) continue;
      const p = pred[i];
      if (!Number.isInteger(p) || p < 0 || p >= n) {
        throw new RangeError(`pred contains class ${p} outside [0, ${n}) on a labelled pixel`);
      }
      this.counts[g * n + p] += 1;
    }
  }

  /** Adds an N*N block of counts (row-major, gt-major), e.g. one frame's GPU bincount. */
  addCounts(counts: ArrayLike<number>): void {
    if (counts.length !== this.counts.length) {
      throw new RangeError(`expected ${this.counts.length} counts, got ${counts.length}`);
    }
    for (let i = 0; i < counts.length; i++) this.counts[i] += counts[i];
  }

  merge(other: ConfusionMatrix): void {
    this.addCounts(other.counts);
  }

  get countedPixels(): number {
    let total = 0;
    for (const c of this.counts) total += c;
    return total;
  }

  /** IoU per class in [0, 1]; NaN for classes with no gt pixel (excluded from the mean). */
  iouPerClass(): number[] {
    const n = this.numClasses;
    const gtCount = new Float64Array(n);
    const predCount = new Float64Array(n);
    for (let g = 0; g < n; g++) {
      for (let p = 0; p < n; p++) {
        const c = this.counts[g * n + p];
        gtCount[g] += c;
        predCount[p] += c;
      }
    }
    const iou: number[] = [];
    for (let c = 0; c < n; c++) {
      const tp = this.counts[c * n + c];
      iou.push(gtCount[c] > 0 ? tp / (gtCount[c] + predCount[c] - tp) : NaN);
    }
    return iou;
  }

  /** Mean IoU over classes with at least one gt pixel, in percent; NaN if nothing counted. */
  miou(): number {
    const present = this.iouPerClass().filter((v) => !Number.isNaN(v));
    if (present.length === 0) return NaN;
    return (present.reduce((a, b) => a + b, 0) / present.length) * 100;
  }

  /**
   * Per class with ground truth, what became of its pixels: its IoU and the class it was most often
   * drawn as (itself when mostly right). Reads the confusion matrix only; no extra counting.
   */
  classBreakdown(): ClassBreakdown[] {
    const n = this.numClasses;
    const total = this.countedPixels;
    const iou = this.iouPerClass();
    const out: ClassBreakdown[] = [];
    for (let g = 0; g < n; g++) {
      let gtPixels = 0;
      let top = 0;
      for (let p = 0; p < n; p++) {
        gtPixels += this.counts[g * n + p];
        if (this.counts[g * n + p] > this.counts[g * n + top]) top = p;
      }
      if (gtPixels === 0) continue;
      out.push({
        classId: g,
        gtShare: (gtPixels / total) * 100,
        iou: iou[g] * 100,
        recall: (this.counts[g * n + g] / gtPixels) * 100,
        mostPredictedAs: top,
        mostPredictedShare: (this.counts[g * n + top] / gtPixels) * 100,
      });
    }
    return out;
  }

  /** Correct / counted pixels, in percent; NaN if nothing counted. */
  pixelAccuracy(): number {
    const total = this.countedPixels;
    if (total === 0) return NaN;
    let tp = 0;
    for (let c = 0; c < this.numClasses; c++) tp += this.counts[c * this.numClasses + c];
    return (tp / total) * 100;
  }
}

/** One ground-truth class's fate over a clip (ConfusionMatrix.classBreakdown); percentages. */
export interface ClassBreakdown {
  classId: number;
  gtShare: number; // % of the counted (labelled) pixels that are this class
  iou: number; // %
  recall: number; // % of its pixels drawn as itself
  mostPredictedAs: number; // the class its pixels were most often drawn as
  mostPredictedShare: number; // % of its pixels drawn as that class
}

export function isCountedLabel(gt: number, numClasses: number, ignoreIndex: number): boolean {
  return gt !== ignoreIndex && gt >= 0 && gt < numClasses && Number.isInteger(gt);
}

export interface DepthSums {
  absSum: number; // sum |pred - gt| over valid pixels, metres
  relSum: number; // sum |pred - gt| / gt over valid pixels
  count: number; // valid pixels (isValidDepth)
}

/**
 * Mean absolute (metres) and relative depth error over valid gt pixels (`isValidDepth`): pixels a
 * real depth sensor would measure. `maxDepth` is the ground truth's max depth (the clip manifest's
 * `maxDepth`): sky / no return is stored at exactly maxDepth and is not counted, nor anything beyond.
 * Required (Infinity: no range limit), so that no caller counts the sky by default.
 */
export class DepthErrors implements DepthSums {
  absSum = 0;
  relSum = 0;
  count = 0;
  private readonly limit: number;

  constructor(readonly maxDepth: number) {
    this.limit = validDepthLimit(maxDepth); // validates maxDepth
  }

  update(pred: ArrayLike<number>, gt: ArrayLike<number>): void {
    if (pred.length !== gt.length) {
      throw new RangeError(`pred has ${pred.length} pixels but gt has ${gt.length}`);
    }
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i];
      if (!(Number.isFinite(g) && g > 0 && g < this.limit)) continue; // isValidDepth(g, maxDepth)
      const err = Math.abs(pred[i] - g);
      this.absSum += err;
      this.relSum += err / g;
      this.count += 1;
    }
  }

  addSums(sums: DepthSums): void {
    this.absSum += sums.absSum;
    this.relSum += sums.relSum;
    this.count += sums.count;
  }

  merge(other: DepthErrors): void {
    this.addSums(other);
  }

  abs(): number {
    return this.count > 0 ? this.absSum / this.count : NaN;
  }

  rel(): number {
    return this.count > 0 ? this.relSum / this.count : NaN;
  }
}

/**
 * Valid depth ground truth (normative, docs/ARCHITECTURE.md "Metrics"; = training/mila/metrics.py
 * `valid_depth_mask`): finite, gt > 0 and gt < maxDepth. At or beyond maxDepth there is no
 * measurement (the rendered gt stores sky / no return at exactly maxDepth).
 */
export function isValidDepth(gt: number, maxDepth: number): boolean {
  return Number.isFinite(gt) && gt > 0 && gt < validDepthLimit(maxDepth);
}

/**
 * The exclusive upper bound of a valid gt: min(maxDepth, fround(maxDepth)). The gt is stored in
 * float32 (Float32Array, tensors), so sky sits at fround(maxDepth), which may round below maxDepth;
 * the smaller of both excludes it either way and, for float32 gt, is the same test as the tfjs path's
 * float32 `gt < maxDepth` (gpuMetrics.ts).
 */
export function validDepthLimit(maxDepth: number): number {
  if (typeof maxDepth !== 'number' || !(maxDepth > 0)) {
    throw new RangeError(`maxDepth must be a number > 0 (Infinity for no limit), got ${maxDepth}`);
  }
  return Math.min(maxDepth, Math.fround(maxDepth));
}

/** The numbers reported for a set of frames. */
export interface MetricSummary {
  frames: number;
  miou: number; // percent
  pixelAccuracy: number; // percent
  depthAbs: number; // metres
  depthRel: number; // fraction
}

/**
 * Confusion matrix + depth errors for one group of frames (all, keyframes, propagated).
 * `maxDepth`: the ground truth's (clip manifest's) max depth, see DepthErrors; the per-frame sums
 * given to addFrame must have been computed with the same one.
 */
export class MetricAccumulator {
  readonly confusion: ConfusionMatrix;
  readonly depth: DepthErrors;
  frames = 0;

  constructor(numClasses: number, ignoreIndex: number, maxDepth: number) {
    this.confusion = new ConfusionMatrix(numClasses, ignoreIndex);
    this.depth = new DepthErrors(maxDepth);
  }

  addFrame(confusionCounts: ArrayLike<number>, depthSums: DepthSums): void {
    this.confusion.addCounts(confusionCounts);
    this.depth.addSums(depthSums);
    this.frames += 1;
  }

  summary(): MetricSummary {
    return {
      frames: this.frames,
      miou: this.confusion.miou(),
      pixelAccuracy: this.confusion.pixelAccuracy(),
      depthAbs: this.depth.abs(),
      depthRel: this.depth.rel(),
    };
  }
}
