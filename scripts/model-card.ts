// Writes the model card (MODEL_DIR/README.md) of a shipped model from its training run folder.
// Usage: tsx scripts/model-card.ts RUN_DIR MODEL_DIR [--real-footage FILE]... [--real-footage-notes FILE]
// (scripts/ship-model.sh calls it). Every figure comes from a file: nothing here is typed in by hand.
// Also writes MODEL_DIR/about.json, the line the page shows next to the model name.
//
// RUN_DIR (training/scripts/train.py --out, plus what ship-model.sh adds):
//   recipe.json          the training recipe: at least "name", "model", "config", "train", "hardware"
//   train_log.jsonl      train.py's log: a "start" event, per-step lines, "stage-done" events, "done"
//   summary.json         train.py's summary (train/eval/total seconds)
//   eval.md              held-out evaluation in PyTorch (train.py)
//   browser-eval/<clip>.float16.json   npm run eval --json, shipped float16 model, all frames
//   browser-eval/<clip>.float32.json   the same for float32 (maybe fewer frames: then
//   browser-eval/<clip>.float16-check.json  is float16 on those same frames, for the comparison)
//   candidates.md, ablation.md, bench.md   optional sections, copied in; a file the run lacks is taken
//                        from the nearest run it continues (recipe "init": a run's export/ or checkpoint),
//                        and the card names that run: measured there, not on this model
//   bench-wasm.md, bench-webgpu.md  optional: this model's own benchmarks (npm run bench --out), before bench.md
// MODEL_DIR: the converted model (model.json + shards); the card's download size is measured there.
// --real-footage FILE: npm run eval --json on the real-footage clip (public/samples/real-photos), for
//   this model and, for comparison, others (docs/real-footage/<model>.json); optional, repeatable.
// --real-footage-notes FILE: Markdown (what the overlays do on real footage, screenshots) for that section;
//   its relative links are rebased from its folder to MODEL_DIR.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inWords, modelAbout, readRealFootage, realFootageSection, RealFootageError, realFootageSeen, rebaseLinks, type ModelAboutJson, type RealFootageResult, type RealFootageSeen } from './modelCardRealFootage';

export class ModelCardError extends Error {
  override name = 'ModelCardError';
}

type Json = Record<string, unknown>;

interface SweepRowJson {
  mode: string;
  k: number | null;
  frames: number;
  keyframes: number;
  miou: number | null;
  pixelAccuracy: number | null;
  depthAbs: number | null;
  depthRel: number | null;
  msPerFrameMedian: number | null;
  gflopsPerFrame: number | null;
}

interface SweepJson {
  info?: { model?: string; clip?: string; backend?: string; adapter?: string; date?: string };
  rows: SweepRowJson[];
}

interface StepLine {
  stage: string;
  step: number;
  loss?: number;
  segmentation?: number;
  depth?: number;
  adversarial?: number;
}

function need(path: string, what: string): string {
  if (!existsSync(path)) throw new ModelCardError(`${path} is missing (${what})`);
  return readFileSync(path, 'utf8');
}

function needJson<T = Json>(path: string, what: string): T {
  const text = need(path, what);
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new ModelCardError(`${path} is not valid JSON (${what}): ${(e as Error).message}`);
  }
}

function readLog(path: string): Json[] {
  return need(path, "train.py's log")
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      try {
        return JSON.parse(line) as Json;
      } catch {
        throw new ModelCardError(`${path} line ${n} is not JSON: ${line.slice(0, 80)}`);
      }
    });
}

const num = (v: unknown, digits: number): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-');
const gflops = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? (v >= 1 ? v.toFixed(2) : v.toPrecision(3)) : '-');
/** +1.25 / -0.50 / +0.00 (a value that rounds to zero has no minus sign). */
const signed = (v: number | null, digits: number): string => {
  if (v === null) return '-';
  const t = Math.abs(v).toFixed(digits);
  return `${v < 0 && Number(t) !== 0 ? '-' : '+'}${t}`;
};
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Markdown from another file: its title line dropped, its shallowest remaining heading moved to
 * level `level + 2` (the others with it, at most 6 deep), so it nests under a `level + 1` section. */
function embed(markdown: string, level: number): string {
  const lines = markdown.replace(/\r\n/g, '\n').trim().split('\n');
  if (/^# /.test(lines[0] ?? '')) lines.shift();
  const depth = (l: string) => /^(#{1,6}) /.exec(l)?.[1].length ?? 0;
  const shallowest = Math.min(...lines.map(depth).filter((d) => d > 0));
  const shift = Number.isFinite(shallowest) ? Math.max(0, level + 2 - shallowest) : 0;
  return lines
    .map((l) => (depth(l) > 0 ? '#'.repeat(Math.min(6, depth(l) + shift) - depth(l)) + l : l))
    .join('\n')
    .trim();
}

/** "the Debian package a ships" / "the Debian packages a and b ship". */
const debianPackagesShip = (real: RealFootageSeen) =>
  real.packages.length > 1 ? `the Debian packages ${inWords(real.packages)} ship` : `the Debian package ${real.packages[0]} ships`;

/** What the model was trained on, as the card's opening says it. */
export function trainingDataParagraph(real: RealFootageSeen | null): string {
  const rendered = `the project's procedural street renderer (\`training/mila/street/\`): synthetic roads, buildings,
vehicles and people with exact labels and metric depth`;
  const advice = `**Real footage (your own videos, the webcam) gets rough results.** For real video, train on
Cityscapes-style data (\`training/README.md\`) and convert your checkpoint with \`npm run convert\`.`;
  const evaluations = `None of them is a photo of the real-footage evaluation below. The evaluations below use held-out
seeds of the renderer (the bundled clips) and hand-labelled real photos.`;
  if (!real)
    return `**Trained only on rendered street video.** Every training frame came from ${rendered}, never a real camera
frame. The evaluations below use held-out seeds of the same renderer (the bundled clips). ${advice}`;
  if (real.handLabelled)
    return `**Trained on rendered street video and a little real footage, ${real.handLabelled} photos of it labelled by hand.**
Almost every labelled training frame came from ${rendered}. ${real.handLabelled} photos that ${debianPackagesShip(real)}
were labelled coarsely by hand with polygons (\`training/real_footage/labels/\`) and made a
share of the slow net's pre-training batches. The fast net and ILA trained on that real footage
(\`training/real_footage/unlabelled.json\`) through pseudo-labels: the slow net of the time labelled it (a
hand-labelled photo keeps its own labels in a MILA stage that has them). There is no real depth: depth was
learned from the renders (and the slow net's own depth on real frames). ${evaluations} ${advice}`;
  return `**Trained on rendered street video and, without labels, on a little real footage.** Every labelled training
frame came from ${rendered}. Its last stage also saw unlabelled real photos and a video that
${debianPackagesShip(real)} (\`training/real_footage/unlabelled.json\`), labelled by the model's own slow net:
the fast net and ILA learned to agree with the keyframe net on real pictures (pseudo-labels), and the slow net did
not train. No real frame was labelled by hand for training. ${evaluations} ${advice}`;
}

interface RunRef {
  dir: string;
  recipe: Json;
}

/** The run folders this run continues through its recipe's "init" (a run's export/ or a checkpoint
 * in a run folder; relative paths are from the repository root, where the scripts run), nearest
 * first; the chain ends at an init outside any run folder (one without recipe.json). */
export function continuedRuns(runDir: string): RunRef[] {
  const chain: RunRef[] = [];
  const seen = new Set([resolve(runDir)]);
  let recipe = needJson(join(runDir, 'recipe.json'), 'the training recipe');
  while (typeof recipe.init === 'string' && recipe.init !== '') {
    const dir = dirname(resolve(recipe.init));
    if (seen.has(dir)) throw new ModelCardError(`${recipe.name}: its "init" chain comes back to ${dir}`);
    seen.add(dir);
    if (!existsSync(join(dir, 'recipe.json'))) break;
    recipe = needJson(join(dir, 'recipe.json'), 'the recipe of a run this model continues');
    chain.push({ dir, recipe });
  }
  return chain;
}

/** Stages of the run this one continues, carried into this model (inheritedStages). */
type Inherited = { from: RunRef; done: Json[] } | null;

/** The stages a model carries from the run it continues when its "init" is that run's
 * `checkpoint-after-<stage>.pt`: that run's finished stages up to and including <stage> (its later
 * stages are not in this model), so the card and the page count their time. Null for any other init. */
export function inheritedStages(init: unknown, chain: RunRef[]): Inherited {
  const stage = typeof init === 'string' ? /checkpoint-after-([a-z-]+)\.pt$/.exec(init)?.[1] : undefined;
  if (!stage || chain.length === 0) return null;
  const from = chain[0];
  const done = readLog(join(from.dir, 'train_log.jsonl')).filter((e) => e.event === 'stage-done');
  const last = done.findIndex((e) => e.stage === stage);
  if (last < 0) throw new ModelCardError(`${from.dir}/train_log.jsonl: no finished stage "${stage}", which "init" names`);
  return { from, done: done.slice(0, last + 1) };
}

const inheritedSeconds = (inherited: Inherited): number => (inherited?.done ?? []).reduce((s, d) => s + Number(d.seconds), 0);

function inheritedText(inherited: Inherited): string {
  if (!inherited) return '';
  const stages = inherited.done.map((d) => d.stage).join(', ');
  return `; plus ${num(inheritedSeconds(inherited), 0)} s of \`${String(inherited.from.recipe.model)}\`'s run (${stages}): this run starts from its state after them ("init")`;
}

function section(title: string, intro: string, path: string): string {
  return `## ${title}\n\n${intro}\n\n${embed(readFileSync(path, 'utf8'), 1)}\n\n`;
}

/** A section from RUN_DIR/file, or from the nearest continued run (`chain`) that has it, saying so. */
function optionalSection(runDir: string, chain: RunRef[], file: string, title: string, intro: string, id: string): string {
  if (existsSync(join(runDir, file))) return section(title, intro, join(runDir, file));
  const from = chain.find((r) => existsSync(join(r.dir, file)));
  if (!from) return '';
  const source = `Measured for \`${String(from.recipe.model)}\`, which ${id} continues (\`init\`), not re-measured on ${id}: \`${file}\` of run \`${String(from.recipe.name)}\`.`;
  return section(title, `${intro} ${source}`, join(from.dir, file));
}

/** This model's own benchmarks, one section per backend file: measured on it, so never inherited. */
function ownBenchmarks(runDir: string, id: string): string {
  return (['wasm', 'webgpu'] as const)
    .map((b) => optionalSection(runDir, [], `bench-${b}.md`, `Benchmark of ${id}${b === 'wasm' ? '' : ` (${b})`}`, `From \`bench-${b}.md\` (\`npm run bench\` on this model).`, id))
    .join('');
}

function bytesText(n: number): string {
  return `${(n / 1e6).toFixed(2)} MB (${(n / 2 ** 20).toFixed(2)} MiB)`;
}

/** Loss table: per stage, the logged per-task losses averaged over the first and the last 10% of its logged steps. */
function lossTable(log: Json[]): string {
  const done = log.filter((e) => e.event === 'stage-done');
  const steps = log.filter((e) => e.event === undefined && typeof e.stage === 'string' && typeof e.step === 'number') as unknown as StepLine[];
  const rows = done.map((d) => {
    const lines = steps.filter((s) => s.stage === d.stage);
    const n = Math.max(1, Math.floor(lines.length / 10));
    const head = lines.slice(0, n);
    const tail = lines.slice(-n);
    const avg = (part: StepLine[], key: keyof StepLine) => mean(part.map((s) => s[key]).filter((v): v is number => typeof v === 'number'));
    const pair = (key: keyof StepLine, digits: number) => `${num(avg(head, key), digits)} | ${num(avg(tail, key), digits)}`;
    const span = (part: StepLine[]) => (part.length === 1 ? String(part[0].step) : `${part[0].step}-${part[part.length - 1].step}`);
    return `| ${d.stage} | ${pair('segmentation', 3)} | ${pair('depth', 3)} | ${pair('adversarial', 3)} | ${pair('loss', 3)} | ${lines.length ? `${span(head)} / ${span(tail)}` : 'no step logged'} |`;
  });
  return [
    '| stage | segmentation CE start | segmentation CE end | depth loss start | depth loss end | adversarial start | adversarial end | total start | total end | logged steps averaged (start / end) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows,
  ].join('\n');
}

function stageTable(log: Json[], start: Json, inherited: Inherited): string {
  const budgets = (start.budgets_s ?? {}) as Record<string, number | null>;
  const own = log.filter((e) => e.event === 'stage-done');
  if (own.length === 0) throw new ModelCardError('train_log.jsonl has no "stage-done" event: no stage finished');
  const row = (d: Json, name: string, budget: unknown) => {
    const steps = Number(d.steps);
    const seconds = Number(d.seconds);
    return `| ${name} | ${steps} | ${num(seconds, 0)} | ${num(seconds / 60, 1)} | ${num(budget, 0)} | ${steps > 0 ? num(seconds / steps, 2) : '-'} |`;
  };
  const carried = inherited?.done ?? [];
  const done = [...carried, ...own];
  const rows = [
    ...carried.map((d) => row(d, `${d.stage} (in \`${String(inherited?.from.recipe.model)}\`'s run, continued from its end)`, null)),
    ...own.map((d) => row(d, String(d.stage), budgets[String(d.stage)])),
  ];
  const total = done.reduce((s, d) => s + Number(d.seconds), 0);
  rows.push(`| **all stages** | ${done.reduce((s, d) => s + Number(d.steps), 0)} | ${num(total, 0)} | ${num(total / 60, 1)} | | |`);
  return ['| stage | steps | seconds | minutes | budget (s) | s/step |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n');
}

const kText = (r: SweepRowJson) => (r.k === null ? '-' : String(r.k));

function browserTable(sweep: SweepJson): string {
  return [
    '| mode | K | frames | mIoU % | Acc % | Abs (m) | Rel | GFLOPs/frame | ms/frame (median) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sweep.rows.map(
      (r) => `| ${r.mode} | ${kText(r)} | ${r.frames} | ${num(r.miou, 2)} | ${num(r.pixelAccuracy, 2)} | ${num(r.depthAbs, 3)} | ${num(r.depthRel, 3)} | ${gflops(r.gflopsPerFrame)} | ${num(r.msPerFrameMedian, 1)} |`,
    ),
  ].join('\n');
}

function readSweep(path: string, what: string): SweepJson {
  const s = needJson<SweepJson>(path, what);
  if (!Array.isArray(s.rows) || s.rows.length === 0) throw new ModelCardError(`${path} has no rows (${what})`);
  return s;
}

interface ClipEvals {
  clip: string;
  float16: SweepJson;
  float32: SweepJson;
  check: SweepJson; // float16 on the float32 run's frames (the float16 sweep itself when those are all frames)
}

function readBrowserEvals(runDir: string): ClipEvals[] {
  const dir = join(runDir, 'browser-eval');
  if (!existsSync(dir)) throw new ModelCardError(`${dir} is missing (the browser evaluations ship-model.sh writes: <clip>.float16.json, <clip>.float32.json)`);
  const clips = readdirSync(dir)
    .filter((n) => n.endsWith('.float16.json'))
    .map((n) => n.slice(0, -'.float16.json'.length))
    .sort();
  if (clips.length === 0) throw new ModelCardError(`${dir} holds no <clip>.float16.json (npm run eval -- --json on the shipped float16 model)`);
  return clips.map((clip) => {
    const float16 = readSweep(join(dir, `${clip}.float16.json`), 'browser evaluation of the float16 model');
    const float32 = readSweep(join(dir, `${clip}.float32.json`), 'browser evaluation of the float32 model, for the float16 check');
    const checkPath = join(dir, `${clip}.float16-check.json`);
    const check = existsSync(checkPath) ? readSweep(checkPath, 'float16 on the float32 check frames') : float16;
    return { clip, float16, float32, check };
  });
}

function quantizationTable(evals: ClipEvals[]): { table: string; maxDelta: number; notes: string[] } {
  const rows: string[] = [];
  const notes: string[] = [];
  let maxDelta = 0;
  for (const e of evals) {
    const f32frames = e.float32.rows[0].frames;
    const allFrames = e.float16.rows[0].frames;
    if (f32frames < allFrames) {
      notes.push(`${e.clip}: float32 was evaluated on the first ${f32frames} of ${allFrames} frames (the full sweep is too slow on this CPU); the float16 figures in this comparison come from the same ${f32frames} frames.`);
    }
    for (const r32 of e.float32.rows) {
      const r16 = e.check.rows.find((r) => r.mode === r32.mode && r.k === r32.k);
      if (!r16) continue;
      if (r16.frames !== r32.frames) throw new ModelCardError(`${e.clip} ${r32.mode} K=${kText(r32)}: float16 has ${r16.frames} frames, float32 ${r32.frames}: not comparable (write ${e.clip}.float16-check.json on the float32 frames)`);
      const delta = r16.miou !== null && r32.miou !== null ? r16.miou - r32.miou : null;
      if (delta !== null) maxDelta = Math.max(maxDelta, Math.abs(delta));
      const dAbs = r16.depthAbs !== null && r32.depthAbs !== null ? r16.depthAbs - r32.depthAbs : null;
      rows.push(`| ${e.clip} | ${r32.mode} | ${kText(r32)} | ${r32.frames} | ${num(r32.miou, 2)} | ${num(r16.miou, 2)} | ${signed(delta, 2)} | ${signed(dAbs, 3)} |`);
    }
  }
  if (rows.length === 0) throw new ModelCardError('the float32 and float16 browser evaluations have no (mode, K) row in common');
  const table = ['| clip | mode | K | frames | mIoU float32 | mIoU float16 | Δ mIoU (points) | Δ Abs (m) |', '|---|---|---:|---:|---:|---:|---:|---:|', ...rows].join('\n');
  return { table, maxDelta, notes };
}

/** The adversarial loss over the MILA stage in 10 bins of its logged steps: the discriminator's curve. */
function discriminatorCurve(log: Json[]): string {
  const steps = (log.filter((e) => e.event === undefined && e.stage === 'mila' && typeof e.adversarial === 'number') as unknown as StepLine[]);
  if (steps.length === 0) return 'No adversarial loss was logged (adversarial weight 0, or no MILA stage).';
  const bins = Math.min(10, steps.length);
  const rows: string[] = [];
  for (let b = 0; b < bins; b++) {
    const part = steps.slice(Math.floor((b * steps.length) / bins), Math.floor(((b + 1) * steps.length) / bins));
    rows.push(`| ${part[0].step}-${part[part.length - 1].step} | ${num(mean(part.map((s) => s.adversarial as number)), 4)} |`);
  }
  return [
    'Binary cross-entropy of the discriminator (slow F = 1, fast F = 0), mean per bin of logged MILA steps. ln 2 = 0.693 means it cannot tell slow from fast features; near 0 means it separates them perfectly, so the reversed gradient aligns nothing.',
    '',
    '| MILA steps | adversarial BCE |',
    '|---|---:|',
    ...rows,
  ].join('\n');
}

/** The quality bars of the model's issue, checked on each clip's browser evaluation (float16). */
function qualityBars(evals: ClipEvals[], maxF16Delta: number): string {
  const rows: string[] = [];
  const mark = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**missed**');
  for (const e of evals) {
    const find = (mode: string, k: number | null) => e.float16.rows.find((r) => r.mode === mode && (k === null || r.k === k)) ?? null;
    const slow = find('mila', 1);
    const fast = find('fast-only', null);
    const bar = (what: string, ok: boolean | null, figures: string) => rows.push(`| ${e.clip} | ${what} | ${figures} | ${mark(ok)} |`);
    const v = (r: SweepRowJson | null, key: keyof SweepRowJson) => (r && typeof r[key] === 'number' ? (r[key] as number) : null);
    const both = (a: number | null, b: number | null, f: (a: number, b: number) => boolean) => (a === null || b === null ? null : f(a, b));
    bar('slow-only (K=1) mIoU >= 50', both(v(slow, 'miou'), 50, (a, b) => a >= b), num(v(slow, 'miou'), 2));
    bar('slow-only pixel accuracy >= 90', both(v(slow, 'pixelAccuracy'), 90, (a, b) => a >= b), num(v(slow, 'pixelAccuracy'), 2));
    bar('slow-only depth Rel <= 0.15', both(v(slow, 'depthRel'), 0.15, (a, b) => a <= b), num(v(slow, 'depthRel'), 3));
    bar('slow-only >= fast-only + 3 mIoU', both(v(slow, 'miou'), v(fast, 'miou'), (a, b) => a >= b + 3), `${num(v(slow, 'miou'), 2)} vs ${num(v(fast, 'miou'), 2)}`);
    const k5 = find('mila', 5);
    const r5 = find('reuse', 5);
    bar('MILA K=5 mIoU above fast-only and reuse K=5', both(v(k5, 'miou'), Math.max(v(fast, 'miou') ?? Infinity, v(r5, 'miou') ?? Infinity), (a, b) => a > b),
      `${num(v(k5, 'miou'), 2)} vs ${num(v(fast, 'miou'), 2)} / ${num(v(r5, 'miou'), 2)}`);
    bar('MILA K=5 depth Abs below fast-only and reuse K=5', both(v(k5, 'depthAbs'), Math.min(v(fast, 'depthAbs') ?? -Infinity, v(r5, 'depthAbs') ?? -Infinity), (a, b) => a < b),
      `${num(v(k5, 'depthAbs'), 3)} vs ${num(v(fast, 'depthAbs'), 3)} / ${num(v(r5, 'depthAbs'), 3)}`);
    bar('MILA K=5 within 3 mIoU of K=1', both(v(k5, 'miou'), v(slow, 'miou'), (a, b) => a >= b - 3), `${num(v(k5, 'miou'), 2)} vs ${num(v(slow, 'miou'), 2)}`);
    const k10 = find('mila', 10);
    const r10 = find('reuse', 10);
    bar('MILA K=10 mIoU above reuse K=10', both(v(k10, 'miou'), v(r10, 'miou'), (a, b) => a > b), `${num(v(k10, 'miou'), 2)} vs ${num(v(r10, 'miou'), 2)}`);
  }
  rows.push(`| all | float16 within 0.5 mIoU of float32 | ${maxF16Delta.toFixed(2)} | ${mark(maxF16Delta <= 0.5)} |`);
  return ['| clip | bar | figures | |', '|---|---|---|---|', ...rows].join('\n');
}

function downloadBytes(modelDir: string): { total: number; shards: number; files: number } {
  if (!existsSync(join(modelDir, 'model.json'))) throw new ModelCardError(`${join(modelDir, 'model.json')} is missing (the converted model)`);
  const bins = readdirSync(modelDir).filter((n) => n.endsWith('.bin'));
  if (bins.length === 0) throw new ModelCardError(`${modelDir} holds no weight shards (*.bin)`);
  const shards = bins.reduce((s, n) => s + statSync(join(modelDir, n)).size, 0);
  return { total: shards + statSync(join(modelDir, 'model.json')).size, shards, files: bins.length };
}

function storageOf(modelJson: Json): string {
  const groups = (modelJson.weightsManifest ?? []) as { weights: { quantization?: { dtype: string } }[] }[];
  const kinds = new Set(groups.flatMap((g) => g.weights.map((w) => w.quantization?.dtype ?? 'float32')));
  return [...kinds].sort().join(' + ');
}

export interface RealFootageInputs {
  results: RealFootageResult[];
  notes?: string; // Markdown embedded in the section
}

/** The card's Markdown. Throws ModelCardError naming the first missing or malformed file. */
export function renderModelCard(runDir: string, modelDir: string, real: RealFootageInputs = { results: [] }): string {
  const id = basename(resolve(modelDir));
  const recipe = needJson(join(runDir, 'recipe.json'), 'the training recipe');
  for (const key of ['name', 'model', 'config', 'train', 'hardware']) {
    if (recipe[key] === undefined) throw new ModelCardError(`${join(runDir, 'recipe.json')} has no "${key}"`);
  }
  const log = readLog(join(runDir, 'train_log.jsonl'));
  const start = log.find((e) => e.event === 'start');
  if (!start) throw new ModelCardError(`${join(runDir, 'train_log.jsonl')} has no "start" event`);
  if (!log.some((e) => e.event === 'done')) throw new ModelCardError(`${join(runDir, 'train_log.jsonl')} has no "done" event: the run did not finish`);
  const summary = needJson(join(runDir, 'summary.json'), "train.py's summary");
  const evalMd = need(join(runDir, 'eval.md'), 'the held-out evaluation in PyTorch');
  const evals = readBrowserEvals(runDir);
  const modelJson = needJson(join(modelDir, 'model.json'), 'the converted model');
  const c = modelJson as unknown as {
    name: string; input: { width: number; height: number }; outputStride: number; featureChannels: number; taskChannels: number;
    slow: { depth: number; baseWidth: number; aspp: { channels: number; rates: number[] } | null };
    fast: { depth: number; baseWidth: number };
    ila: { window: number; keyChannels: number; memory: number; taskSpecific: boolean };
    segmentation: { classes: string[] }; depth: { maxDepth: number };
  };
  const size = downloadBytes(modelDir);
  const exportPath = join(runDir, 'export', 'model.safetensors');
  const exportSize = existsSync(exportPath) ? ` (the PyTorch export it was converted from, float32 with BatchNorm unfolded: ${bytesText(statSync(exportPath).size)})` : '';
  const q = quantizationTable(evals);
  const info = evals[0].float16.info ?? {};
  const threads = start.threads === undefined ? '' : `, ${JSON.stringify(start.threads)} threads`;
  const chain = continuedRuns(runDir); // the runs this one continues: sections it lacks come from them
  const inherited = inheritedStages(recipe.init, chain);
  const seen = realFootageSeen([recipe, ...chain.map((r) => r.recipe)]);
  const realTitle = seen ? (seen.handLabelled ? ' and a little hand-labelled real footage' : ' and unlabelled real footage') : '';

  return `# ${id}: MILA trained on rendered street video${realTitle}

${trainingDataParagraph(seen)}

## Architecture

- model config \`${c.name}\`; input ${c.input.width}x${c.input.height}, output stride ${c.outputStride}
- slow: ResNet-${c.slow.depth}, base width ${c.slow.baseWidth}${c.slow.aspp ? ` + ASPP (${c.slow.aspp.channels} ch, rates ${c.slow.aspp.rates.join('/')})` : ''}
- fast: ResNet-${c.fast.depth}, base width ${c.fast.baseWidth}
- features ${c.featureChannels} ch, task features ${c.taskChannels} ch
- ILA: window ${c.ila.window}, key channels ${c.ila.keyChannels}, memory ${c.ila.memory} keyframes, task-specific ${c.ila.taskSpecific}
- ${c.segmentation.classes.length} classes (Cityscapes train ids), depth up to ${c.depth.maxDepth} m

## Download

${size.files} weight shard(s), ${storageOf(modelJson)}: **${bytesText(size.total)}** with \`model.json\`${exportSize}.

## Training

- recipe: **${String(recipe.name)}** (model id \`${String(recipe.model)}\`)
- hardware: ${String(recipe.hardware)}; device \`${String(start.device ?? '?')}\`${threads}
- time: ${num(summary.train_seconds, 0)} s of training (the stages, summed over resumed processes), ${num(summary.eval_seconds, 0)} s of evaluation, ${num(summary.total_seconds, 0)} s in all (\`summary.json\`)${inheritedText(inherited)}

The recipe (\`recipe.json\`):

\`\`\`json
${JSON.stringify(recipe, null, 2)}
\`\`\`

### Time per stage (\`stage-done\` events of \`train_log.jsonl\`)

${stageTable(log, start, inherited)}

### Losses at the start and the end of each stage (\`train_log.jsonl\`)

Means of the logged per-step values over the first and the last 10% of each stage's logged steps
(each a single batch). Segmentation is the cross-entropy, depth the depth loss, total the weighted
sum the optimiser saw (adversarial term included).

${lossTable(log)}

## Held-out evaluation in PyTorch (float32, \`eval.md\`)

${embed(evalMd, 1)}

## Browser evaluation (shipped ${storageOf(modelJson)} model, \`npm run eval\`)

Backend \`${info.backend ?? '?'}\` (${info.adapter ?? '?'}), on the machine that ran \`scripts/ship-model.sh\`${info.date ? ` (${info.date.slice(0, 10)})` : ''};
ms/frame is the median time of one \`runner.step\` (frame decoding and metrics excluded), GFLOPs/frame
from the runtime cost model. MILA at each K, \`fast-only\` (fast net alone, no ILA) and \`reuse\`
(the keyframe's outputs copied to the frames between).

${evals.map((e) => `### ${e.clip}${e.float16.info?.clip ? ` (${e.float16.info.clip})` : ''}\n\n${browserTable(e.float16)}`).join('\n\n')}

## float16 vs float32 (browser, same backend)

Largest |Δ mIoU|: **${q.maxDelta.toFixed(2)} points**.${q.notes.length ? `\n\n${q.notes.map((n) => `- ${n}`).join('\n')}` : ''}

${q.table}

## Quality bars (browser evaluation above, float16)

${qualityBars(evals, q.maxDelta)}

${realFootageSection(real.results, c.name, c.segmentation.classes)}${real.notes && real.results.length ? `${embed(real.notes, 1)}\n\n` : ''}## Discriminator (adversarial alignment)

${discriminatorCurve(log)}

${optionalSection(runDir, chain, 'candidates.md', 'Candidates', 'The recipes tried before this one was chosen (`candidates.md`).', id)}${optionalSection(runDir, chain, 'ablation.md', 'Ablation', 'From `ablation.md`.', id)}${ownBenchmarks(runDir, id)}${optionalSection(runDir, chain, 'bench.md', 'Benchmark', 'From `bench.md`.', id)}## Reproduce

\`\`\`sh
npm run train -- training/recipes/${String(recipe.name)}.json   # cache, training, evaluation, export, this card
# or, from an existing run folder: bash scripts/ship-model.sh RUN_DIR public/models/${id}
\`\`\`
`;
}

/** about.json: what the model was trained on (recipe, summary) and its real-footage headline. */
export function renderModelAbout(runDir: string, modelDir: string, real: RealFootageResult[]): ModelAboutJson {
  const recipe = needJson(join(runDir, 'recipe.json'), 'the training recipe');
  const summary = needJson(join(runDir, 'summary.json'), "train.py's summary");
  const name = String(needJson(join(modelDir, 'model.json'), 'the converted model').name);
  // a model continued from a stage of another run ("checkpoint-after-<stage>.pt") carries that stage's minutes
  const chain = continuedRuns(runDir);
  const inherited = inheritedStages(recipe.init, chain);
  return modelAbout({
    dataSource: (recipe.data as Json | undefined)?.source,
    realSeen: realFootageSeen([recipe, ...chain.map((r) => r.recipe)]),
    trainSeconds: typeof summary.train_seconds === 'number' ? summary.train_seconds + inheritedSeconds(inherited) : summary.train_seconds,
    hardware: String(recipe.hardware),
    realFootage: real.find((r) => r.model === name) ?? null,
    init: inherited ? inherited.from.recipe.init : recipe.init,
  });
}

const USAGE = 'usage: tsx scripts/model-card.ts RUN_DIR MODEL_DIR [--real-footage FILE]... [--real-footage-notes FILE]\n';

function parseArgs(argv: string[]): { runDir: string; modelDir: string; real: string[]; notes: string | null } | null {
  const positional: string[] = [];
  const real: string[] = [];
  let notes: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--real-footage' || a === '--real-footage-notes') {
      const v = argv[++i];
      if (!v) return null;
      if (a === '--real-footage') real.push(v);
      else notes = v;
    } else if (a.startsWith('--')) return null;
    else positional.push(a);
  }
  return positional.length === 2 ? { runDir: positional[0], modelDir: positional[1], real, notes } : null;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { runDir, modelDir } = args;
  try {
    const results = args.real.map(readRealFootage);
    const notes = args.notes === null ? undefined : rebaseLinks(need(args.notes, 'notes for the real-footage section'), args.notes, modelDir);
    const card = renderModelCard(runDir, modelDir, { results, notes });
    const about = renderModelAbout(runDir, modelDir, results);
    writeFileSync(join(modelDir, 'README.md'), card);
    writeFileSync(join(modelDir, 'about.json'), `${JSON.stringify(about, null, 2)}\n`);
    process.stderr.write(`model-card: wrote ${join(modelDir, 'README.md')} and about.json\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ModelCardError || e instanceof RealFootageError)) throw e;
    process.stderr.write(`model-card: error: ${e.message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exit(main(process.argv.slice(2)));
