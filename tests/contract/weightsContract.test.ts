// contract/fixtures/weights/*.json (every Conv2d of the PyTorch model, as TF.js kernel/bias names
// and HWIO shapes) against expectedWeights(config); training/tests/test_contract.py checks the
// PyTorch side against the same files.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedWeights, parseModelConfig } from '../../src/runtime/config';
import { FIXTURES_DIR, readJson } from './contractFixtures';

const dir = `${FIXTURES_DIR}weights/`;
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('weight-name contract', () => {
  it('covers several configs', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const file of files) {
    it(`expectedWeights lists exactly the weights of ${file}`, () => {
      const fixture: { config: unknown; weights: [string, number[]][] } = readJson(dir + file);
      const ours = expectedWeights(parseModelConfig(fixture.config, file))
        .map((w): [string, number[]] => [w.name, w.shape])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect(ours).toEqual(fixture.weights);
    });
  }
});
