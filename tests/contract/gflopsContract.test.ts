// contract/fixtures/gflops.json (FLOPs counted from the convolutions PyTorch executes, plus ILA's
// attention) against costModel(config); training/tests/test_contract.py checks cost_model.py
// against the same numbers with the same tolerance.
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../src/runtime/config';
import { costModel } from '../../src/runtime/costModel';
import { FIXTURES_DIR, readJson } from './contractFixtures';

/**
 * Every FLOP count is an integer below 2^53, exact in float64 whatever the summation order. A GFLOPs
 * figure then takes at most four roundings on each side (the divisions by 1e9 and by K, a product
 * and a sum, in either order), each within u = 2^-53 relative, so two correct implementations differ
 * by at most 8u. Shared with training/tests/test_contract.py.
 */
const REL = 8 * 2 ** -53;
const close = (a: number, b: number) => Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b));

interface Entry {
  config: unknown;
  slowGflops: number;
  fastGflops: number;
  fastOnlyGflops: number;
  ilaGflops: number;
  averageGflops: Record<string, number>;
}
const fixture: { configs: Record<string, Entry> } = readJson(`${FIXTURES_DIR}gflops.json`);

describe('GFLOPs contract', () => {
  for (const [name, e] of Object.entries(fixture.configs)) {
    it(`costModel matches the counted GFLOPs of ${name}`, () => {
      const cost = costModel(parseModelConfig(e.config, name));
      const got = {
        slowGflops: cost.slowGflops,
        fastGflops: cost.fastGflops,
        fastOnlyGflops: cost.fastOnlyGflops,
        ilaGflops: cost.ilaGflops,
        ...Object.fromEntries(Object.keys(e.averageGflops).map((k) => [`K=${k}`, cost.averageGflops(Number(k))])),
      };
      const want = { ...e, ...Object.fromEntries(Object.entries(e.averageGflops).map(([k, v]) => [`K=${k}`, v])) } as unknown as Record<string, number>;
      for (const [key, value] of Object.entries(got)) expect({ key, value, want: want[key], ok: close(value, want[key]) }).toMatchObject({ ok: true });
    });
  }
});
