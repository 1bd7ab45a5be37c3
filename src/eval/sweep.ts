// The K sweep plan: MILA at several keyframe intervals plus the two baselines.
import type { EvalEntry } from './evaluator';
import { MAX_INTERVAL, MIN_INTERVAL } from '../runtime/scheduler';

export const DEFAULT_SWEEP_KS: readonly number[] = [1, 2, 5, 10, 20];

/** Baselines run at K=5 when the sweep has it (the paper's usual interval), else the largest K. */
export function defaultBaselineK(ks: readonly number[]): number {
  return ks.includes(5) ? 5 : Math.max(...ks);
}

export function checkKs(ks: readonly number[]): void {
  if (ks.length === 0) throw new RangeError('the K list is empty');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < MIN_INTERVAL || k > MAX_INTERVAL) {
      throw new RangeError(`K must be an integer in ${MIN_INTERVAL}..${MAX_INTERVAL} (got ${k})`);
    }
  }
  if (new Set(ks).size !== ks.length) throw new RangeError(`the K list has duplicates: ${ks.join(',')}`);
}

export interface SweepOptions {
  baselines?: boolean; // default true
  /** K of the reuse baseline, or several (one reuse row each); default defaultBaselineK(ks). */
  baselineK?: number | readonly number[];
}

/** Entries in table order: MILA at each K, then fast-only (no ILA), then naive keyframe reuse (per baseline K). */
export function sweepEntries(ks: readonly number[] = DEFAULT_SWEEP_KS, opts: SweepOptions = {}): EvalEntry[] {
  checkKs(ks);
  const entries: EvalEntry[] = ks.map((k) => ({ mode: 'mila', k }));
  if (opts.baselines ?? true) {
    const baselineKs = opts.baselineK === undefined ? [defaultBaselineK(ks)] : typeof opts.baselineK === 'number' ? [opts.baselineK] : [...opts.baselineK];
    checkKs(baselineKs);
    entries.push({ mode: 'fast-only', k: 1 }, ...baselineKs.map((k): EvalEntry => ({ mode: 'reuse', k })));
  }
  return entries;
}
