// `npm run eval` end to end: argument and input errors exit non-zero with a clear message; a
// short run prints the table as JSON (cpu backend here to keep it quick; WebGPU is covered by
// evalSweep.spec.ts and the CLI's default).
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function evalCli(args: string[], timeout = 240_000) {
  const r = spawnSync('node_modules/.bin/tsx', ['scripts/eval.ts', ...args], { encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FIXTURE = 'tests/fixtures/eval-clip';
const TINY = 'public/models/tiny';

test('bad arguments and missing inputs exit non-zero with a clear message', () => {
  let r = evalCli(['--clip', FIXTURE]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--model <dir> is required');
  expect(r.stderr).toContain('usage: npm run eval');
  r = evalCli(['--model', TINY, '--clip', FIXTURE, '--k', '1,0']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('K must be an integer in 1..30');
  r = evalCli(['--model', 'no/such/model', '--clip', FIXTURE]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/mila-eval: error: no model at no\/such\/model/);
  r = evalCli(['--model', TINY, '--clip', 'no/such/clip']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/mila-eval: error: no ground-truth clip at .*no\/such\/clip/);
  const broken = mkdtempSync(join(tmpdir(), 'mila-evalcli-'));
  try {
    writeFileSync(join(broken, 'model.json'), '{"name": "cut off",');
    r = evalCli(['--model', broken, '--clip', FIXTURE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`mila-eval: error: ${join(broken, 'model.json')} is not valid JSON`);
  } finally {
    rmSync(broken, { recursive: true, force: true });
  }
  r = evalCli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('--frames <N>');
});

test('--json prints the sweep table', () => {
  test.setTimeout(300_000);
  const r = evalCli(['--model', TINY, '--clip', FIXTURE, '--k', '1,3', '--frames', '4', '--backend', 'cpu', '--json']);
  expect(r.stderr).not.toContain('error');
  expect(r.code).toBe(0);
  const table = JSON.parse(r.stdout);
  expect(table.info).toMatchObject({ model: 'tiny', clip: 'eval-fixture', backend: 'cpu' });
  expect(table.rows.map((row: { mode: string; k: number | null; frames: number; keyframes: number }) => [row.mode, row.k, row.frames, row.keyframes])).toEqual([
    ['mila', 1, 4, 4],
    ['mila', 3, 4, 2],
    ['fast-only', null, 4, 0],
    ['reuse', 3, 4, 2],
  ]);
  expect(table.rows[0].miouProp).toBeNull(); // K=1: no propagated frame
  for (const row of table.rows) {
    expect(row.miou).toBeGreaterThanOrEqual(0);
    expect(row.msPerFrameMedian).toBeGreaterThan(0);
    expect(row.gflopsPerFrame).toBeGreaterThan(0);
  }
});
