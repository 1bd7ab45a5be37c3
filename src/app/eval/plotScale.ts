// Linear scales with "nice" ticks for the sweep plot (pure, unit-tested).

export interface LinearScale {
  domain: [number, number];
  ticks: number[];
  map(value: number): number; // domain -> [rangeStart, rangeEnd]
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** A scale covering all finite `values` (padded to nice ticks); `zero` includes 0 in the domain. */
export function linearScale(values: number[], range: [number, number], opts: { zero?: boolean; tickCount?: number } = {}): LinearScale {
  const finite = values.filter(Number.isFinite);
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (opts.zero) lo = Math.min(lo, 0), hi = Math.max(hi, 0);
  if (hi - lo < 1e-12) {
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep(hi - lo, opts.tickCount ?? 5);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  const [r0, r1] = range;
  return { domain: [lo, hi], ticks, map: (v) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0) };
}

/** Tick label without float noise: 0.30000000000000004 -> "0.3". */
export function formatTick(v: number): string {
  return String(Number(v.toPrecision(6)));
}
