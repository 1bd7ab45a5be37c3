// contract/fixtures/eval-table-keys.json against the browser evaluator's tables (src/eval);
// training/tests/test_contract.py checks training/mila/evaluate.py against the same names.
import { describe, expect, it } from 'vitest';
import { MetricAccumulator } from '../../src/eval/metrics';
import { toCSV, toRow } from '../../src/eval/table';
import { RUN_MODES } from '../../src/runtime/modes';
import { FIXTURES_DIR, readJson } from './contractFixtures';

const table: { metrics: string[]; rowKeys: string[]; modes: string[] } = readJson(`${FIXTURES_DIR}eval-table-keys.json`);

describe('evaluation table keys', () => {
  const acc = new MetricAccumulator(3, 255, 10);
  acc.addFrame([1, 0, 0, 0, 1, 0, 0, 0, 1], { absSum: 1, relSum: 0.5, count: 2 });
  const summary = acc.summary();
  const row = toRow({
    entry: { mode: 'mila', k: 5 }, frames: 1, keyframes: 1, all: summary, key: summary, prop: summary,
    msPerFrameMedian: 1, msPerFrameMean: 1, gflopsPerFrame: 1, keyframeFlags: [true], classes: acc.confusion.classBreakdown(),
  });

  it('names the metrics of a summary as the contract does', () => {
    expect(Object.keys(summary).filter((k) => table.metrics.includes(k))).toEqual(table.metrics);
    expect(Object.keys(summary).filter((k) => !table.metrics.includes(k))).toEqual(['frames']);
  });

  it('writes every metric (and its keyframe / propagated split) into the rows and the CSV header', () => {
    const header = toCSV([row]).split('\n')[0].split(',');
    for (const key of [...table.rowKeys, ...table.metrics, ...table.metrics.flatMap((m) => [`${m}Key`, `${m}Prop`])]) {
      expect(row, key).toHaveProperty(key);
      expect(header, key).toContain(key);
    }
  });

  it('has the run modes of the contract', () => expect([...RUN_MODES]).toEqual(table.modes));
});
