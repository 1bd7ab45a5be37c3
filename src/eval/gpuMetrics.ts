// Per-frame metric sums computed with tfjs ops on the active backend (GPU in the browser).
// Only N*N confusion counts + 3 depth sums are read back per frame: a small, deliberate
// readback, acceptable in evaluation mode (never used by the real-time loop).
import * as tf from '@tensorflow/tfjs-core';
import { validDepthLimit, type DepthSums } from './metrics';

export interface FrameCounts {
  confusion: Float32Array; // N*N, gt-major
  depth: DepthSums;
}

/**
 * Confusion counts and depth error sums of one frame. `predLabels`/`gtLabels`: integer maps,
 * `predDepth`/`gtDepth`: metres; all four with the same number of pixels (any rank).
 * `maxDepth`: the ground truth's max depth (clip manifest); depth gt at or beyond it is not counted.
 * Does not dispose its inputs.
 */
export async function frameCounts(
  predLabels: tf.Tensor,
  gtLabels: tf.Tensor,
  predDepth: tf.Tensor,
  gtDepth: tf.Tensor,
  numClasses: number,
  ignoreIndex: number,
  maxDepth: number,
): Promise<FrameCounts> {
  validDepthLimit(maxDepth); // a clear error before any tensor work
  for (const [name, t] of [['gt labels', gtLabels], ['predicted depth', predDepth], ['gt depth', gtDepth]] as const) {
    if (t.size !== predLabels.size) {
      throw new RangeError(`${name} has ${t.size} pixels, predicted labels ${predLabels.size} (shapes ${t.shape} vs ${predLabels.shape})`);
    }
  }
  const nn = numClasses * numClasses;
  const packed = tf.tidy(() =>
    tf.concat([
      confusionBins(predLabels, gtLabels, numClasses, ignoreIndex),
      depthErrorSums(predDepth, gtDepth, maxDepth),
    ]),
  );
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  const invalidPred = values[nn + 1];
  if (invalidPred > 0) {
    throw new RangeError(`${invalidPred} labelled pixels have a predicted class outside [0, ${numClasses})`);
  }
  return {
    confusion: values.slice(0, nn),
    depth: { absSum: values[nn + 2], relSum: values[nn + 3], count: values[nn + 4] },
  };
}

/**
 * bincount of gt*N+pred over counted pixels, float32 [N*N + 2]: bin N*N collects ignored
 * pixels (gt 255 or outside [0,N)), bin N*N+1 labelled pixels whose prediction is out of range.
 */
export function confusionBins(pred: tf.Tensor, gt: tf.Tensor, n: number, ignoreIndex: number): tf.Tensor1D {
  return tf.tidy(() => {
    const p = tf.cast(tf.reshape(pred, [-1]), 'int32');
    const g = tf.cast(tf.reshape(gt, [-1]), 'int32');
    // int32 scalars throughout: a plain JS number would upcast the indices to float32.
    const int = (v: number) => tf.scalar(v, 'int32');
    const inRange = (x: tf.Tensor) => tf.logicalAnd(tf.greaterEqual(x, int(0)), tf.less(x, int(n)));
    const gtCounted = tf.logicalAnd(tf.notEqual(g, int(ignoreIndex)), inRange(g));
    const bin = tf.add(tf.mul(g, int(n)), p);
    const index = tf.where(gtCounted, tf.where(inRange(p), bin, int(n * n + 1)), int(n * n));
    // Empty weights: each pixel counts 1 (float32 output, exact below 2^24 pixels per frame).
    return tf.bincount(index as tf.Tensor1D, tf.tensor1d([], 'float32'), n * n + 2);
  });
}

/**
 * [sum |pred-gt|, sum |pred-gt|/gt, count] over valid gt pixels (isValidDepth, normative): finite,
 * gt > 0 and gt < maxDepth; sky / no return is stored at maxDepth and is not a measurement.
 */
export function depthErrorSums(pred: tf.Tensor, gt: tf.Tensor, maxDepth: number): tf.Tensor1D {
  const limit = validDepthLimit(maxDepth);
  return tf.tidy(() => {
    const p = tf.cast(tf.reshape(pred, [-1]), 'float32');
    const g = tf.cast(tf.reshape(gt, [-1]), 'float32');
    // Explicit isFinite: NaN comparisons are not reliable on every GPU backend, and NaN must never
    // reach the sums. Float32 `g < limit` equals metrics.ts's float64 test on float32 gt (validDepthLimit).
    const inRange = tf.logicalAnd(tf.greater(g, 0), tf.less(g, tf.scalar(limit, 'float32')));
    const valid = tf.logicalAnd(tf.isFinite(g), inRange);
    const zero = tf.zerosLike(g);
    const err = tf.where(valid, tf.abs(tf.sub(p, tf.where(valid, g, zero))), zero);
    const rel = tf.div(err, tf.where(valid, g, tf.onesLike(g)));
    return tf.stack([tf.sum(err), tf.sum(rel), tf.sum(tf.cast(valid, 'float32'))]) as tf.Tensor1D;
  });
}

/**
 * The prediction at the ground truth's resolution: logits and depth are bilinearly resized
 * (half-pixel centres, as everywhere in the project) before the argmax when sizes differ.
 * segmentation [1,h,w,N], depth [1,h,w,1] -> labels [H,W] int32, depth [H,W].
 */
export function predictionAtSize(
  segmentation: tf.Tensor4D,
  depth: tf.Tensor4D,
  height: number,
  width: number,
): { labels: tf.Tensor2D; depth: tf.Tensor2D } {
  return tf.tidy(() => {
    const same = segmentation.shape[1] === height && segmentation.shape[2] === width;
    const seg = same ? segmentation : tf.image.resizeBilinear(segmentation, [height, width], false, true);
    const dep = same ? depth : tf.image.resizeBilinear(depth, [height, width], false, true);
    return {
      labels: tf.reshape(tf.argMax(seg, 3), [height, width]) as tf.Tensor2D,
      depth: tf.reshape(dep, [height, width]) as tf.Tensor2D,
    };
  });
}
