import { describe, expect, it } from 'vitest';
import type { EvalPanelHost } from '../../src/app/eval/EvalPanel';
import { formatTick, linearScale } from '../../src/app/eval/plotScale';
import type { MilaEngine } from '../../src/engine/engine';

// Compile-time check (npm run typecheck): the app's engine is a valid EvalPanel host.
export const engineIsHost = (engine: MilaEngine): EvalPanelHost => engine;

describe('linearScale', () => {
  it('pads the domain to nice ticks and maps it onto the range', () => {
    const s = linearScale([3.2, 47.9], [0, 100]);
    expect(s.domain).toEqual([0, 50]);
    expect(s.ticks).toEqual([0, 10, 20, 30, 40, 50]);
    expect(s.map(25)).toBe(50);
  });

  it('includes zero on request, handles one value and no finite value', () => {
    expect(linearScale([0.5, 0.8], [0, 1], { zero: true }).domain[0]).toBe(0);
    const one = linearScale([7, NaN], [0, 10]);
    expect(one.domain[0]).toBeLessThan(7);
    expect(one.domain[1]).toBeGreaterThan(7);
    expect(linearScale([NaN], [0, 10]).domain).toEqual([0, 1]);
  });

  it('inverted ranges (SVG y) map high values to the top', () => {
    const s = linearScale([0, 10], [200, 0]);
    expect(s.map(10)).toBe(0);
    expect(s.map(0)).toBe(200);
  });

  it('formats ticks without float noise', () => {
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
    expect(formatTick(1500)).toBe('1500');
  });
});
