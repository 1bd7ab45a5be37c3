// The model card's "Real footage" section and the model's about.json (the one line the page shows
// next to the model name), both from `npm run eval --json` results on the real-footage clips
// (public/samples/real-photos: real photos, hand-labelled, no depth gt). Used by scripts/model-card.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ClassBreakdown } from '../src/eval/metrics';

export class RealFootageError extends Error {
  override name = 'RealFootageError';
}

/** ClassBreakdown as the JSON holds it: JSON.stringify writes a NaN IoU as null. */
type ClassRow = Omit<ClassBreakdown, 'iou'> & { iou: number | null };

interface Row {
  mode: string;
  k: number | null;
  frames: number;
  miou: number | null;
  pixelAccuracy: number | null;
  classes?: ClassRow[]; // absent in evaluations written before the evaluator kept it
}

export interface RealFootageResult {
  path: string;
  model: string;
  clip: string;
  backend: string;
  rows: Row[];
}

/** What the page shows next to the model name (src/engine/modelAbout.ts reads it). */
export interface ModelAboutJson {
  summary: string;
  card: string; // the model card, relative to the model directory
}

/** The row the page runs by default (MILA at K=5, src/app/urlState.ts), else the first MILA row. */
export const HEADLINE_K = 5;

export function readRealFootage(path: string): RealFootageResult {
  if (!existsSync(path)) throw new RealFootageError(`${path} is missing (a real-footage evaluation: npm run eval -- --json on a real clip)`);
  let json: { info?: { model?: unknown; clip?: unknown; backend?: unknown }; rows?: unknown };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RealFootageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const { info, rows } = json;
  if (!info || typeof info.model !== 'string' || typeof info.clip !== 'string') {
    throw new RealFootageError(`${path} has no info.model / info.clip (write it with npm run eval -- --json)`);
  }
  if (!Array.isArray(rows) || rows.length === 0) throw new RealFootageError(`${path} has no rows`);
  for (const r of rows as Row[]) {
    if (typeof r.mode !== 'string' || typeof r.frames !== 'number') throw new RealFootageError(`${path}: a row without "mode" / "frames"`);
  }
  return { path, model: info.model, clip: info.clip, backend: typeof info.backend === 'string' ? info.backend : '?', rows: rows as Row[] };
}

const fixed = (v: number | null, digits: number) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');

export function headlineRow(result: RealFootageResult): Row | null {
  const mila = result.rows.filter((r) => r.mode === 'mila');
  return mila.find((r) => r.k === HEADLINE_K) ?? mila[0] ?? null;
}

/**
 * Per hand-labelled class, for this model's headline row: its share of the labelled pixels, IoU, and
 * what the model drew it as, so the card says which classes fail and how. Empty when the evaluation
 * has no breakdown.
 */
export function classBreakdownTable(result: RealFootageResult, classNames: readonly string[]): string {
  const row = headlineRow(result);
  if (!row?.classes?.length) return '';
  const name = (id: number) => classNames[id] ?? `class ${id}`;
  const lines = [...row.classes]
    .sort((a, b) => b.gtShare - a.gtShare)
    .map((c) => {
      const drawnAs = c.mostPredictedAs === c.classId ? 'itself' : name(c.mostPredictedAs);
      return `| ${name(c.classId)} | ${fixed(c.gtShare, 1)} | ${fixed(c.iou, 1)} | ${fixed(c.recall, 1)} | ${drawnAs} (${fixed(c.mostPredictedShare, 0)}%) |`;
    });
  return `Per class, this model at ${row.mode === 'mila' ? `MILA K=${row.k}` : row.mode} (all ${row.frames} frames):

| class (hand label) | share of labelled pixels % | IoU % | drawn as itself % | most often drawn as |
|---|---:|---:|---:|---|
${lines.join('\n')}

`;
}

/** Markdown section: every row of every result, this model's first. Empty without results. */
export function realFootageSection(results: RealFootageResult[], modelId: string, classNames: readonly string[] = []): string {
  if (results.length === 0) return '';
  const mine = results.find((r) => r.model === modelId);
  const ordered = [...results.filter((r) => r.model === modelId), ...results.filter((r) => r.model !== modelId)];
  const rows = ordered.flatMap((res) =>
    res.rows.map((r) => `| ${res.model}${res.model === modelId ? ' (this model)' : ''} | ${res.clip} | ${res.backend} | ${r.mode} | ${r.k ?? '-'} | ${r.frames} | ${fixed(r.pixelAccuracy, 1)} | ${fixed(r.miou, 1)} |`),
  );
  return `## Real footage

Real photos, not renders: the clip \`public/samples/real-photos/\` holds street photos that a Debian
package ships (sources, licence and crops in its \`ATTRIBUTION.md\`), each held for a few frames and
labelled coarsely by hand (\`training/real_footage/\`): class boundaries and unsure regions are not
counted. mIoU is the mean over the classes present in the hand labels. There is no depth ground truth,
so no depth figure; see the screenshots in \`docs/screenshots/\` for what the depth overlay does.
Other models' rows, where given, are for comparison (\`docs/real-footage/\`).

| model | clip | backend | mode | K | frames | pixel acc % | mIoU % (present classes) |
|---|---|---|---|---:|---:|---:|---:|
${rows.join('\n')}

${mine ? classBreakdownTable(mine, classNames) : ''}`;
}

/** The real footage a model saw, from its recipe and the runs it continues (recipe.json "real_footage"):
 * the Debian packages it came from ("packages", or "package" in runs recorded before a manifest could
 * list several), and how many of its photos were labelled by hand ("hand_labelled"; the rest trained
 * through pseudo-labels only). */
export interface RealFootageSeen {
  packages: string[];
  handLabelled: number;
}

type PackageRecord = { name?: unknown };

export function realFootageSeen(recipes: unknown[]): RealFootageSeen | null {
  const packages = new Set<string>();
  const hand = new Set<string>();
  let seen = false;
  for (const r of recipes) {
    const real = (r as { real_footage?: { packages?: unknown; package?: PackageRecord; hand_labelled?: unknown } } | null)?.real_footage;
    if (!real) continue;
    seen = true;
    const listed = Array.isArray(real.packages) ? (real.packages as PackageRecord[]) : real.package ? [real.package] : [];
    for (const p of listed) if (typeof p?.name === 'string') packages.add(p.name);
    if (Array.isArray(real.hand_labelled)) for (const id of real.hand_labelled) hand.add(String(id));
  }
  if (!seen) return null;
  return { packages: packages.size ? [...packages] : ['a package its recipe does not name'], handLabelled: hand.size };
}

/** "a", "a and b", "a, b and c". */
export function inWords(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "rendered street video" for the project's renderer, the source's name otherwise; with the real
 * footage it also saw (`real`), since that changes what a visitor should expect. */
export function trainingDataText(dataSource: unknown, real: RealFootageSeen | null = null): string {
  const rendered = dataSource === 'street' || dataSource === 'street-cache';
  if (rendered && real?.handLabelled)
    return `rendered street video plus real photos and video from ${inWords(real.packages)} (${real.handLabelled} photos labelled by hand, the rest by its own slow net)`;
  if (rendered && real)
    return `rendered street video (its only labels) plus unlabelled real photos and video from ${inWords(real.packages)} (labelled by its own slow net)`;
  if (rendered) return 'rendered street video only (no real camera frame)';
  if (typeof dataSource === 'string' && dataSource !== '') return `the "${dataSource}" data`;
  return 'data its recipe does not name';
}

/** The model a recipe's "init" continued: its run folder is named <model>_<recipe details> (training/recipes/),
 * a kept export training/exports/<model>. */
export function parentModelName(init: string): string {
  const parts = init.split('/');
  const after = (folder: string) => parts.find((part, i) => i > 0 && parts[i - 1] === folder && part !== '');
  const run = after('runs');
  const kept = after('exports');
  return run ? run.split('_')[0] : (kept ?? 'an earlier model');
}

/** The line the page shows: what the model was trained on, for how long, and how it does on real footage. */
export function modelAbout(opts: { dataSource: unknown; trainSeconds: unknown; hardware: string; realFootage: RealFootageResult | null; init?: unknown; realSeen?: RealFootageSeen | null }): ModelAboutJson {
  // a recipe that continued another model ("init"): its minutes come on top of that model's
  const parent = typeof opts.init === 'string' && opts.init !== '' ? parentModelName(opts.init) : null;
  const minutes = typeof opts.trainSeconds === 'number' && Number.isFinite(opts.trainSeconds)
    ? ` for ${Math.round(opts.trainSeconds / 60)}${parent ? ` more min (after ${parent})` : ' min'} on ${opts.hardware}`
    : '';
  const row = opts.realFootage ? headlineRow(opts.realFootage) : null;
  const real =
    row && opts.realFootage
      ? `On real street photos (hand-labelled, MILA K=${row.k}): ${fixed(row.pixelAccuracy, 0)}% pixel accuracy, mIoU ${fixed(row.miou, 0)}%.`
      : 'Not measured on real footage.';
  return { summary: `Trained on ${trainingDataText(opts.dataSource, opts.realSeen ?? null)}${minutes}. ${real}`, card: 'README.md' };
}

/**
 * Markdown written in `fromFile`'s folder, its relative links and images made relative to `toDir`
 * (the notes live in docs/real-footage/, the card in public/models/<id>/). Absolute URLs, #anchors
 * and root paths are left alone.
 */
export function rebaseLinks(markdown: string, fromFile: string, toDir: string): string {
  return markdown.replace(/(\]\()([^)\s]+)(\))/g, (whole, open: string, target: string, close: string) => {
    if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(target)) return whole;
    return `${open}${relative(toDir, join(dirname(fromFile), target)).split('\\').join('/')}${close}`;
  });
}
