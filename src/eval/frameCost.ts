// GFLOPs of one predicted frame from the runtime's analytic cost model, by the computation that
// produced it (so a sweep row's GFLOPs/frame follows the keyframes that actually occurred).
import type { CostModel } from '../runtime/costModel';
import type { EvalPrediction } from './evaluator';

export function frameGflopsFromCost(cost: CostModel): (prediction: EvalPrediction) => number {
  const byNet: Record<string, number> = {
    slow: cost.slowGflops, // keyframe: slow net + decoders + ILA keys
    'fast+ila': cost.fastGflops, // MILA non-keyframe
    fast: cost.fastOnlyGflops, // baseline: fast net without ILA
    reuse: 0, // baseline: keyframe outputs copied
  };
  return (prediction) => {
    const g = byNet[prediction.net];
    if (g === undefined) throw new Error(`no cost known for frames computed by "${prediction.net}"`);
    return g;
  };
}
