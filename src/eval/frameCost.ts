// GFLOPs of one predicted frame from the runtime's analytic cost model, by the computation that
// produced it (so a sweep row's GFLOPs/frame follows the keyframes that actually occurred).
import { frameNetGflops, type CostModel } from '../runtime/costModel';
import type { FrameNet } from '../runtime/modes';
import type { EvalPrediction } from './evaluator';

const FRAME_NETS: readonly string[] = ['slow', 'fast+ila', 'fast', 'reuse'] satisfies FrameNet[];

export function frameGflopsFromCost(cost: CostModel): (prediction: EvalPrediction) => number {
  return (prediction) => {
    if (!FRAME_NETS.includes(prediction.net)) throw new Error(`no cost known for frames computed by "${prediction.net}"`);
    return frameNetGflops(cost, prediction.net as FrameNet);
  };
}
