// The evaluation table, live while frames are processed: all frames, keyframes, propagated frames.
import type { SweepRow } from '../../eval/table';
import { pointLabel } from './SweepPlot';

const f = (digits: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const pct = f(1), metres = f(2), rel = f(3);

export function SweepTable({ rows }: { rows: SweepRow[] }) {
  return (
    <table className="sweep-table">
      <thead>
        <tr>
          <th rowSpan={2}>run</th>
          <th rowSpan={2}>frames</th>
          <th rowSpan={2}>key&shy;frames</th>
          <th colSpan={3}>mIoU %</th>
          <th colSpan={3}>pixel acc %</th>
          <th colSpan={3}>depth Abs m</th>
          <th colSpan={3}>depth Rel</th>
          <th rowSpan={2}>ms/frame</th>
          <th rowSpan={2}>GFLOPs/frame</th>
        </tr>
        <tr>
          {['mIoU', 'acc', 'Abs', 'Rel'].flatMap((m) => ['all', 'key', 'prop'].map((s) => <th key={m + s} className="sub">{s}</th>))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={pointLabel(r)} data-mode={r.mode} data-k={r.k ?? ''}>
            <td>{pointLabel(r)}</td>
            <td>{r.frames}</td>
            <td>{r.keyframes}</td>
            <td>{pct(r.miou)}</td><td>{pct(r.miouKey)}</td><td>{pct(r.miouProp)}</td>
            <td>{pct(r.pixelAccuracy)}</td><td>{pct(r.pixelAccuracyKey)}</td><td>{pct(r.pixelAccuracyProp)}</td>
            <td>{metres(r.depthAbs)}</td><td>{metres(r.depthAbsKey)}</td><td>{metres(r.depthAbsProp)}</td>
            <td>{rel(r.depthRel)}</td><td>{rel(r.depthRelKey)}</td><td>{rel(r.depthRelProp)}</td>
            <td>{f(1)(r.msPerFrameMedian)}</td>
            <td>{f(3)(r.gflopsPerFrame)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
