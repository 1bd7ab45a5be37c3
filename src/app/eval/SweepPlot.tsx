// Accuracy vs cost of a sweep: one SVG scatter per cost axis (measured ms/frame, analytic
// GFLOPs/frame). MILA points are joined in K order; baselines are drawn apart and labelled.
import type { SweepRow } from '../../eval/table';
import { formatTick, linearScale } from './plotScale';

const W = 360, H = 240, M = { left: 48, right: 12, top: 12, bottom: 40 };

export type CostAxis = 'msPerFrameMedian' | 'gflopsPerFrame';
export type AccuracyAxis = 'miou' | 'depthAbs';

const AXIS_LABEL: Record<CostAxis | AccuracyAxis, string> = {
  msPerFrameMedian: 'ms per frame (median, measured)',
  gflopsPerFrame: 'GFLOPs per frame (analytic)',
  miou: 'mIoU %',
  depthAbs: 'depth Abs (m), lower is better',
};

export function pointLabel(r: SweepRow): string {
  if (r.mode === 'mila') return `K=${r.k}`;
  if (r.mode === 'fast-only') return 'fast-only';
  return `reuse K=${r.k}`;
}

export function SweepPlot({ rows, x, y }: { rows: SweepRow[]; x: CostAxis; y: AccuracyAxis }) {
  const points = rows.filter((r) => Number.isFinite(r[x]) && Number.isFinite(r[y]));
  const sx = linearScale(points.map((r) => r[x]), [M.left, W - M.right], { zero: true });
  const sy = linearScale(points.map((r) => r[y]), [H - M.bottom, M.top], { zero: y === 'depthAbs' });
  const mila = points.filter((r) => r.mode === 'mila').sort((a, b) => (a.k ?? 0) - (b.k ?? 0));
  const title = `${AXIS_LABEL[y]} vs ${AXIS_LABEL[x]}`;
  return (
    <svg className="sweep-plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} data-x={x} data-y={y}>
      <title>{title}</title>
      {sx.ticks.map((t) => (
        <g key={`x${t}`}>
          <line x1={sx.map(t)} x2={sx.map(t)} y1={M.top} y2={H - M.bottom} className="grid" />
          <text x={sx.map(t)} y={H - M.bottom + 14} textAnchor="middle">{formatTick(t)}</text>
        </g>
      ))}
      {sy.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={sy.map(t)} y2={sy.map(t)} className="grid" />
          <text x={M.left - 4} y={sy.map(t) + 4} textAnchor="end">{formatTick(t)}</text>
        </g>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" className="axis-label">{AXIS_LABEL[x]}</text>
      <text x={12} y={(M.top + H - M.bottom) / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${(M.top + H - M.bottom) / 2})`}>
        {AXIS_LABEL[y]}
      </text>
      {mila.length > 1 && <polyline className="mila-line" points={mila.map((r) => `${sx.map(r[x])},${sy.map(r[y])}`).join(' ')} />}
      {points.map((r) => (
        <g key={pointLabel(r)} className={`point ${r.mode}`} data-label={pointLabel(r)}>
          <circle cx={sx.map(r[x])} cy={sy.map(r[y])} r={4} />
          <text x={sx.map(r[x]) + 6} y={sy.map(r[y]) - 6}>{pointLabel(r)}</text>
        </g>
      ))}
    </svg>
  );
}
