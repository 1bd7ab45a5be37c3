// Sweep plan and table formats (CLI Markdown, CSV, JSON).
import { describe, expect, it } from 'vitest';
import { defaultBaselineK, sweepEntries } from '../../src/eval/sweep';
import { toCSV, toJSON, toMarkdown, toRow } from '../../src/eval/table';
import type { EvalResult } from '../../src/eval/evaluator';

describe('sweepEntries', () => {
  it('defaults to K = 1, 2, 5, 10, 20 plus both baselines at K = 5', () => {
    expect(sweepEntries()).toEqual([
      { mode: 'mila', k: 1 }, { mode: 'mila', k: 2 }, { mode: 'mila', k: 5 }, { mode: 'mila', k: 10 }, { mode: 'mila', k: 20 },
      { mode: 'fast-only', k: 1 }, { mode: 'reuse', k: 5 },
    ]);
  });

  it('takes the largest K for baselines when 5 is absent, or an explicit one, or none', () => {
    expect(defaultBaselineK([1, 3])).toBe(3);
    expect(sweepEntries([1, 3]).at(-1)).toEqual({ mode: 'reuse', k: 3 });
    expect(sweepEntries([2], { baselineK: 10 }).at(-1)).toEqual({ mode: 'reuse', k: 10 });
    expect(sweepEntries([2], { baselines: false })).toEqual([{ mode: 'mila', k: 2 }]);
  });

  it('gives one reuse row per baseline K when several are asked for (ship-model.sh: reuse at K = 5 and 10)', () => {
    expect(sweepEntries([1, 2, 5, 10, 20], { baselineK: [5, 10] }).slice(-3)).toEqual([
      { mode: 'fast-only', k: 1 }, { mode: 'reuse', k: 5 }, { mode: 'reuse', k: 10 },
    ]);
    expect(() => sweepEntries([2], { baselineK: [5, 5] })).toThrow(/duplicates/);
  });

  it('rejects bad K lists', () => {
    expect(() => sweepEntries([])).toThrow(/empty/);
    expect(() => sweepEntries([0])).toThrow(/K must be an integer in 1\.\.30/);
    expect(() => sweepEntries([31])).toThrow(/got 31/);
    expect(() => sweepEntries([2, 2])).toThrow(/duplicates/);
    expect(() => sweepEntries([2], { baselineK: 1.5 })).toThrow(/got 1\.5/);
  });
});

const summary = (miou: number) => ({ frames: 2, miou, pixelAccuracy: 90.125, depthAbs: 1.23456, depthRel: 0.1, });
const result = (mode: 'mila' | 'fast-only', k: number, propMiou: number): EvalResult => ({
  entry: { mode, k }, frames: 4, keyframes: mode === 'fast-only' ? 0 : 2, all: summary(50), key: summary(60), prop: summary(propMiou),
  msPerFrameMedian: 12.34, msPerFrameMean: 13, gflopsPerFrame: 1.5, keyframeFlags: [], classes: [],
});

describe('table formats', () => {
  const rows = [toRow(result('mila', 2, 40)), toRow(result('fast-only', 1, NaN))];

  it('fast-only has no K', () => {
    expect(rows[0].k).toBe(2);
    expect(rows[1].k).toBeNull();
  });

  it('Markdown: header, alignment row and one line per row with fixed decimals', () => {
    const lines = toMarkdown(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('| mode | K | frames | keyframes | mIoU % | pixel acc % | depth Abs m | Rel | mIoU key | mIoU prop | ms/frame (median) | GFLOPs/frame |');
    expect(lines[2]).toBe('| mila | 2 | 4 | 2 | 50.00 | 90.13 | 1.235 | 0.1000 | 60.00 | 40.00 | 12.3 | 1.500 |');
    expect(lines[3]).toContain('| fast-only | - | 4 | 0 |');
    expect(lines[3]).toContain('| 60.00 | - |');
  });

  it('CSV: header of field names, empty cells for NaN and null', () => {
    const lines = toCSV(rows).trimEnd().split('\n');
    expect(lines[0].split(',')).toHaveLength(19);
    expect(lines[0].startsWith('mode,k,frames,keyframes,miou,')).toBe(true);
    expect(lines[1].startsWith('mila,2,4,2,50,90.125,1.23456,0.1,60,40,')).toBe(true);
    expect(lines[2].startsWith('fast-only,,4,0,50,90.125,1.23456,0.1,60,,')).toBe(true);
  });

  it('JSON: info and rows, NaN as null', () => {
    const parsed = JSON.parse(toJSON(rows, { model: 'm', clip: 'c', backend: 'cpu', adapter: 'a', date: '2026-01-01T00:00:00Z' }));
    expect(parsed.info.model).toBe('m');
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[1].miouProp).toBeNull();
    expect(parsed.rows[1].k).toBeNull();
    expect(parsed.rows[0].miouProp).toBe(40);
  });

  it('JSON carries the per-class breakdown (NaN IoU as null); CSV and Markdown leave it out', () => {
    const classes = [{ classId: 3, gtShare: 100, iou: NaN, recall: 0, mostPredictedAs: 1, mostPredictedShare: 100 }];
    const row = toRow({ ...result('mila', 5, 40), classes });
    expect(JSON.parse(toJSON([row])).rows[0].classes).toEqual([{ ...classes[0], iou: null }]);
    expect(toCSV([row])).not.toContain('classes');
    expect(toMarkdown([row])).not.toContain('classes');
  });
});
