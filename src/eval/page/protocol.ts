// What scripts/eval.ts sends to eval.html (window.milaEval.run) and gets back.
import type { BackendName } from '../../runtime/backend';
import type { SweepInfo, SweepRow } from '../table';

export interface EvalPageParams {
  modelUrl: string; // model directory URL (holds model.json)
  clipUrl: string; // clip directory URL (holds manifest.json)
  ks: number[];
  baselines: boolean;
  baselineK?: number | number[]; // one reuse row per K
  frames?: number;
  backend: BackendName;
}

export interface EvalPageResult {
  info: SweepInfo & { fallbackReason?: string };
  rows: SweepRow[];
  keyframeFlags: boolean[][]; // per row, per frame
}

export interface MilaEvalHandle {
  run(params: EvalPageParams): Promise<EvalPageResult>;
}

/** Progress lines the page logs to the console (the CLI forwards them to stderr). */
export const PROGRESS_PREFIX = '[mila-eval]';
