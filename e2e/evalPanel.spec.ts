// The app's evaluation mode (src/app/eval/EvalPanel.tsx): a short K sweep on a bundled clip from
// the UI, live table, plots and CSV / JSON export.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { waitForReady } from './helpers/mila';

test('EvalPanel runs a short sweep, shows table and plots, exports CSV and JSON', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto('/?model=tiny&play=0');
  await waitForReady(page);
  const panel = page.locator('.eval-panel');
  await expect(panel.locator('.clip-status')).toContainText(/\d+ frames, \d+x\d+/);
  await panel.getByLabel('frames to evaluate').fill('3');
  await panel.getByLabel('K list').fill('1,2');
  await panel.getByRole('button', { name: 'Run K sweep' }).click();
  await expect(panel.locator('.eval-status')).toHaveAttribute('data-status', 'running');
  await expect(panel.locator('.eval-status')).toHaveAttribute('data-status', /done|failed/, { timeout: 360_000 });
  await expect(panel.locator('.eval-status')).toHaveAttribute('data-status', 'done');

  const rows = panel.locator('.sweep-table:not(.class-breakdown) tbody tr');
  await expect(rows).toHaveCount(4);
  const cells = async (i: number) => rows.nth(i).locator('td').allInnerTexts();
  expect((await cells(0)).slice(0, 3)).toEqual(['K=1', '3', '3']); // K=1: every frame a keyframe
  expect((await cells(1)).slice(0, 3)).toEqual(['K=2', '3', '2']);
  expect((await cells(2)).slice(0, 3)).toEqual(['fast-only', '3', '0']);
  expect((await cells(3)).slice(0, 3)).toEqual(['reuse K=2', '3', '2']);
  // per class, first row by default: one line per gt class, shares summing to 100, named by the model
  const classRows = panel.locator('.class-table tbody tr');
  expect(await classRows.count()).toBeGreaterThan(0);
  const shares = (await classRows.evaluateAll((trs) => trs.map((tr) => Number(tr.children[1].textContent)))) as number[];
  expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.05 * shares.length + 0.01); // each rounded to 0.1
  expect(await classRows.first().getAttribute('data-class')).toMatch(/^[a-z ]+$/);
  await panel.getByLabel('row for the per-class table').selectOption('fast-only');
  await expect(panel.getByLabel('row for the per-class table')).toHaveValue('fast-only');
  await expect(panel.locator('svg.sweep-plot')).toHaveCount(3);
  await expect(panel.locator('svg.sweep-plot').first().locator('g.point')).toHaveCount(4);

  const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export CSV' }).click()]);
  const csvLines = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\n');
  expect(csvLines[0].startsWith('mode,k,frames,keyframes,miou,')).toBe(true);
  expect(csvLines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['mila,1,3,3', 'mila,2,3,2', 'fast-only,,3,0', 'reuse,2,3,2']);
  const [json] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Export JSON' }).click()]);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(exported.info.model).toBe('tiny');
  expect(exported.rows).toHaveLength(4);
  expect(exported.rows[0].classes.length).toBe(shares.length);
});
