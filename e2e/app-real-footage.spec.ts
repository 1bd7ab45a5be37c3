// The default model on real footage: the line under the model name says what it was trained on and
// how it does on real photos, and links its model card; and the overlays draw on the real-photos clip.
// UPDATE_SCREENSHOTS=1 writes docs/screenshots/real-<photo>-<view>.png (wasm backend, the shipped model).
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from './helpers/fixtures';
import { figures, step, waitForReady } from './helpers/mila';
import { meanAbsDiff, viewPixels } from './helpers/pixels';
import { DEFAULT_MODEL_ID } from '../src/runtime/presets';

test.describe.configure({ timeout: 300_000 });

const ABOUT = `public/models/${DEFAULT_MODEL_ID}/about.json`;
// Frames of public/samples/real-photos (training/real_footage/sources.json: 5 frames per photo).
const PHOTOS = { 'leuven-a': 2, 'hotel-lawn': 12, 'sidewalk-sign': 17 } as const;

test.skip(!existsSync(ABOUT), `${ABOUT} does not exist: ship the default model first (bash scripts/ship-model.sh RUN_DIR)`);

test('the model line says what the default model was trained on and links its card', async ({ page, request }) => {
  const about = JSON.parse(readFileSync(ABOUT, 'utf8')) as { summary: string; card: string };
  await page.goto('/?backend=wasm&play=0&src=real-photos');
  await waitForReady(page);
  const line = page.getByTestId('model-about');
  await expect(line).toBeVisible();
  await expect(line).toContainText(about.summary);
  await expect(line).toContainText('real street photos');
  const link = line.getByRole('link', { name: 'model card' });
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  expect(href).toMatch(new RegExp(`/models/${DEFAULT_MODEL_ID}/${about.card}$`));
  const card = await request.get(href!);
  expect(card.ok()).toBe(true);
  expect(await card.text()).toContain('## Real footage');
});

test('the tiny model has no such line', async ({ page }) => {
  // about.json is asked for once the model is ready; the line could only appear after its answer.
  const answered = page.waitForResponse((r) => r.url().endsWith('/models/tiny/about.json'));
  await page.goto('/?model=tiny&backend=wasm&play=0&src=real-photos');
  await waitForReady(page);
  await answered;
  await expect(page.getByTestId('model-name')).toBeVisible();
  await expect(page.getByTestId('model-about')).toHaveCount(0);
});

test('segmentation and depth overlays on the real photos', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/?backend=wasm&play=0&k=5&src=real-photos&opacity=0.6');
  await waitForReady(page);
  await expect.poll(async () => (await figures(page)).framesProcessed).toBeGreaterThanOrEqual(1);
  let at = 0;
  for (const [photo, frame] of Object.entries(PHOTOS)) {
    await step(page, frame - at);
    at = frame;
    const shots: Record<string, Awaited<ReturnType<typeof viewPixels>>> = {};
    for (const view of ['seg', 'depth', 'video'] as const) {
      shots[view] = await viewPixels(page, view);
      if (view !== 'video' && process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: `docs/screenshots/real-${photo}-${view}.png` });
    }
    expect(meanAbsDiff(shots.seg, shots.video)).toBeGreaterThan(5);
    expect(meanAbsDiff(shots.depth, shots.seg)).toBeGreaterThan(5);
  }
});
