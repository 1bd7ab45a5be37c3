// Colour maps shared by the GPU shader (overlay.wgsl mirrors these formulas), the CPU fallback
// renderer and the legends, so the legend always tells the truth about the drawn colours.

export type Rgb = [number, number, number]; // 0..1

/** Turbo colormap (Google, 2019), polynomial fit; t in [0,1] -> dark blue .. dark red. */
export function turbo(t: number): Rgb {
  const x = Math.min(1, Math.max(0, t));
  const x2 = x * x;
  const x3 = x2 * x;
  const x4 = x2 * x2;
  const x5 = x4 * x;
  const r = 0.13572138 + 4.6153926 * x - 42.66032258 * x2 + 132.13108234 * x3 - 152.94239396 * x4 + 59.28637943 * x5;
  const g = 0.09140261 + 2.19418839 * x + 4.84296658 * x2 - 14.18503333 * x3 + 4.27729857 * x4 + 2.82956604 * x5;
  const b = 0.1066733 + 12.64194608 * x - 60.58204836 * x2 + 110.36276771 * x3 - 89.90310912 * x4 + 27.34824973 * x5;
  const c = (v: number) => Math.min(1, Math.max(0, v));
  return [c(r), c(g), c(b)];
}

/** Depth range drawn by the colormap: log scale from `near` to `far` metres. */
export interface DepthRange { near: number; far: number }

/** Street scenes span 0.5..100 m; a log scale gives near and far objects similar colour resolution. */
export function depthRangeFor(maxDepth: number): DepthRange {
  return { near: Math.max(0.05, maxDepth / 200), far: maxDepth };
}

/** Depth (metres) -> colormap coordinate: near = 1 (red), far = 0 (blue). */
export function depthToUnit(depth: number, range: DepthRange): number {
  const d = Math.min(range.far, Math.max(range.near, depth));
  return 1 - Math.log(d / range.near) / Math.log(range.far / range.near);
}

/** Legend ticks in metres: the 1-2-5 series inside the range, each with its position along the bar. */
export function depthTicks(range: DepthRange): { metres: number; unit: number }[] {
  const ticks: { metres: number; unit: number }[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(range.near)); decade <= range.far; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * decade).toPrecision(3));
      if (v >= range.near && v <= range.far) ticks.push({ metres: v, unit: depthToUnit(v, range) });
    }
  }
  return ticks;
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
}

/** Class colour (0..255 ints from model.json) -> CSS. */
export function classCss(c: readonly number[]): string {
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
