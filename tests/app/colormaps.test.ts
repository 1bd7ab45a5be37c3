import { describe, expect, it } from 'vitest';
import { depthRangeFor, depthTicks, depthToUnit, turbo } from '../../src/render/colormaps';

describe('colormaps', () => {
  it('turbo runs from dark blue to dark red through green', () => {
    const [r0, g0, b0] = turbo(0);
    expect(r0 + g0 + b0).toBeLessThan(0.5); // dark
    const [rLow, , bLow] = turbo(0.1);
    const [r1, , b1] = turbo(1);
    expect(bLow).toBeGreaterThan(rLow);
    expect(r1).toBeGreaterThan(b1);
    expect(turbo(0.5)[1]).toBeGreaterThan(0.8);
    expect(turbo(-3)).toEqual(turbo(0)); // clamped
  });

  it('maps near depth to 1 and far depth to 0 on a log scale', () => {
    const range = depthRangeFor(100);
    expect(range).toEqual({ near: 0.5, far: 100 });
    expect(depthToUnit(0.1, range)).toBe(1);
    expect(depthToUnit(1000, range)).toBe(0);
    // float64 sqrt and log: ~1e-16; toBeCloseTo(6) leaves room for a float32 implementation (2^-24 of 1)
    expect(depthToUnit(Math.sqrt(0.5 * 100), range)).toBeCloseTo(0.5, 6);
    expect(depthToUnit(5, range)).toBeGreaterThan(depthToUnit(6, range));
  });

  it('puts legend ticks on the 1-2-5 series at their colormap positions', () => {
    const ticks = depthTicks({ near: 0.5, far: 100 });
    expect(ticks.map((t) => t.metres)).toEqual([0.5, 1, 2, 5, 10, 20, 50, 100]);
    expect(ticks[0].unit).toBe(1);
    expect(ticks[ticks.length - 1].unit).toBe(0);
  });
});
