// The sweep table: one flat row per evaluated (mode, K), and its Markdown / CSV / JSON forms.
// Shared by the app (EvalPanel export buttons) and the CLI (scripts/eval.ts).
import type { RunMode } from '../runtime/modes';
import type { EvalResult } from './evaluator';
import type { ClassBreakdown } from './metrics';

export interface SweepRow {
  mode: RunMode;
  k: number | null; // null for 'fast-only' (no keyframes)
  frames: number;
  keyframes: number;
  miou: number; // %
  pixelAccuracy: number; // %
  depthAbs: number; // m
  depthRel: number;
  miouKey: number;
  miouProp: number;
  pixelAccuracyKey: number;
  pixelAccuracyProp: number;
  depthAbsKey: number;
  depthAbsProp: number;
  depthRelKey: number;
  depthRelProp: number;
  msPerFrameMedian: number;
  msPerFrameMean: number;
  gflopsPerFrame: number;
  /** Per ground-truth class (all frames); in the JSON only. Absent in tables written before it existed. */
  classes?: ClassBreakdown[];
}

/** Metadata written with the JSON export. */
export interface SweepInfo {
  model: string;
  clip: string;
  backend: string;
  adapter: string;
  date: string; // ISO 8601
}

export function toRow(r: EvalResult): SweepRow {
  return {
    mode: r.entry.mode,
    k: r.entry.mode === 'fast-only' ? null : r.entry.k,
    frames: r.frames,
    keyframes: r.keyframes,
    miou: r.all.miou,
    pixelAccuracy: r.all.pixelAccuracy,
    depthAbs: r.all.depthAbs,
    depthRel: r.all.depthRel,
    miouKey: r.key.miou,
    miouProp: r.prop.miou,
    pixelAccuracyKey: r.key.pixelAccuracy,
    pixelAccuracyProp: r.prop.pixelAccuracy,
    depthAbsKey: r.key.depthAbs,
    depthAbsProp: r.prop.depthAbs,
    depthRelKey: r.key.depthRel,
    depthRelProp: r.prop.depthRel,
    msPerFrameMedian: r.msPerFrameMedian,
    msPerFrameMean: r.msPerFrameMean,
    gflopsPerFrame: r.gflopsPerFrame,
    classes: r.classes,
  };
}

const fixed = (digits: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** Markdown columns (the CLI's table): header and formatter per column. */
const MARKDOWN_COLUMNS: [string, (r: SweepRow) => string][] = [
  ['mode', (r) => r.mode],
  ['K', (r) => (r.k === null ? '-' : String(r.k))],
  ['frames', (r) => String(r.frames)],
  ['keyframes', (r) => String(r.keyframes)],
  ['mIoU %', (r) => fixed(2)(r.miou)],
  ['pixel acc %', (r) => fixed(2)(r.pixelAccuracy)],
  ['depth Abs m', (r) => fixed(3)(r.depthAbs)],
  ['Rel', (r) => fixed(4)(r.depthRel)],
  ['mIoU key', (r) => fixed(2)(r.miouKey)],
  ['mIoU prop', (r) => fixed(2)(r.miouProp)],
  ['ms/frame (median)', (r) => fixed(1)(r.msPerFrameMedian)],
  ['GFLOPs/frame', (r) => fixed(3)(r.gflopsPerFrame)],
];

export function toMarkdown(rows: SweepRow[]): string {
  const lines = [
    `| ${MARKDOWN_COLUMNS.map(([h]) => h).join(' | ')} |`,
    `|${MARKDOWN_COLUMNS.map(([h]) => (h === 'mode' ? '---' : '---:')).join('|')}|`,
  ];
  for (const r of rows) lines.push(`| ${MARKDOWN_COLUMNS.map(([, f]) => f(r)).join(' | ')} |`);
  return lines.join('\n');
}

const CSV_KEYS: (keyof SweepRow)[] = [
  'mode', 'k', 'frames', 'keyframes', 'miou', 'pixelAccuracy', 'depthAbs', 'depthRel', 'miouKey', 'miouProp',
  'pixelAccuracyKey', 'pixelAccuracyProp', 'depthAbsKey', 'depthAbsProp', 'depthRelKey', 'depthRelProp',
  'msPerFrameMedian', 'msPerFrameMean', 'gflopsPerFrame',
];

/** CSV with a header; empty cells for NaN / not applicable (fast-only K). */
export function toCSV(rows: SweepRow[]): string {
  const cell = (v: SweepRow[keyof SweepRow]) => (v === null || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v));
  return [CSV_KEYS.join(','), ...rows.map((r) => CSV_KEYS.map((k) => cell(r[k])).join(','))].join('\n') + '\n';
}

/** JSON `{ info, rows }`; NaN (no such frames, e.g. no propagated frame at K=1) becomes null. */
export function toJSON(rows: SweepRow[], info?: SweepInfo): string {
  return JSON.stringify({ ...(info ? { info } : {}), rows }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}
