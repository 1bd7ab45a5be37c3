// Per ground-truth class of the evaluated clip, for one chosen row: share of the labelled pixels,
// IoU, and the class its pixels were most often drawn as (SweepRow.classes, from the confusion
// matrix). Answers "which classes fail, and as what" that the mIoU alone hides.
import { useState } from 'react';
import type { SweepRow } from '../../eval/table';
import { pointLabel } from './SweepPlot';

const pct = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

export function ClassTable({ rows, classNames }: { rows: SweepRow[]; classNames: readonly string[] }) {
  const withClasses = rows.filter((r) => r.classes && r.classes.length > 0);
  const [chosen, setChosen] = useState<string | null>(null);
  if (withClasses.length === 0) return null;
  const row = withClasses.find((r) => pointLabel(r) === chosen) ?? withClasses[0];
  const name = (id: number) => classNames[id] ?? `class ${id}`;
  const classes = [...row.classes!].sort((a, b) => b.gtShare - a.gtShare);
  return (
    <div className="class-table">
      <label>
        per class for{' '}
        <select value={pointLabel(row)} onChange={(e) => setChosen(e.target.value)} aria-label="row for the per-class table">
          {withClasses.map((r) => (
            <option key={pointLabel(r)} value={pointLabel(r)}>{pointLabel(r)}</option>
          ))}
        </select>
      </label>
      <table className="sweep-table class-breakdown">
        <thead>
          <tr>
            <th>class</th>
            <th>share of labelled %</th>
            <th>IoU %</th>
            <th>drawn as itself %</th>
            <th>most often drawn as</th>
          </tr>
        </thead>
        <tbody>
          {classes.map((c) => (
            <tr key={c.classId} data-class={name(c.classId)}>
              <td>{name(c.classId)}</td>
              <td>{pct(c.gtShare)}</td>
              <td>{pct(c.iou)}</td>
              <td>{pct(c.recall)}</td>
              <td>{c.mostPredictedAs === c.classId ? 'itself' : name(c.mostPredictedAs)} ({pct(c.mostPredictedShare)}%)</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
