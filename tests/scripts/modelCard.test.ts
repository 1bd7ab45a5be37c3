// scripts/model-card.ts on a small fabricated training run folder (tests/fixtures/model-card-run/):
// every table renders from the files, and a missing file is an error that names it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelCardError, renderModelAbout, renderModelCard } from '../../scripts/model-card';

const FIXTURE = 'tests/fixtures/model-card-run';

let tmp: string;
let runDir: string;
let modelDir: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'model-card-'));
  runDir = join(tmp, 'run');
  modelDir = join(tmp, 'mila-street-v1');
  cpSync(FIXTURE, runDir, { recursive: true });
  cpSync('public/models/tiny', modelDir, { recursive: true }); // any converted model: model.json + shards
});

afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** A one-row Markdown table: `| a | b |` header, right-aligned second column. */
const table = (head: [string, string], row: [string, string]) => `| ${head[0]} | ${head[1]} |\n|---|---:|\n| ${row[0]} | ${row[1]} |\n`;

describe('model card', () => {
  it('says when the model also saw unlabelled real footage, and from which package', () => {
    const recipe = JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8'));
    writeFileSync(join(runDir, 'recipe.json'), JSON.stringify({ ...recipe, data: { source: 'street-cache' }, real_footage: { manifest: 'training/real_footage/unlabelled.json', package: { name: 'opencv-doc' } } }));
    const card = renderModelCard(runDir, modelDir);
    expect(card).toMatch(/^# mila-street-v1: MILA trained on rendered street video and unlabelled real footage\n/);
    expect(card).toContain('**Trained on rendered street video and, without labels, on a little real footage.**');
    expect(card).toContain('a video that\nthe Debian package opencv-doc ships (');
    expect(card).not.toContain('Trained only on rendered street video');
    expect(renderModelAbout(runDir, modelDir, []).summary).toMatch(/^Trained on rendered street video \(its only labels\) plus unlabelled real photos and video from opencv-doc/);
  });

  it('says how many real photos were labelled by hand, from this run or one it continues, and which packages shipped them', () => {
    const recipe = JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8'));
    const real = { manifest: 'training/real_footage/unlabelled.json', packages: [{ name: 'opencv-doc' }, { name: 'python3-sklearn' }], labels: 'training/real_footage/labels', hand_labelled: ['car-rear', 'palace-sky', 'squirrel-branch'] };
    writeFileSync(join(runDir, 'recipe.json'), JSON.stringify({ ...recipe, data: { source: 'street-cache' }, real_footage: real }));
    const card = renderModelCard(runDir, modelDir);
    expect(card).toMatch(/^# mila-street-v1: MILA trained on rendered street video and a little hand-labelled real footage\n/);
    expect(card).toContain('**Trained on rendered street video and a little real footage, 3 photos of it labelled by hand.**');
    expect(card).toContain('3 photos that the Debian packages opencv-doc and python3-sklearn ship\nwere labelled coarsely by hand');
    expect(card).not.toContain('No real frame was labelled by hand');
    expect(renderModelAbout(runDir, modelDir, []).summary).toMatch(
      /^Trained on rendered street video plus real photos and video from opencv-doc and python3-sklearn \(3 photos labelled by hand, the rest by its own slow net\)/,
    );
  });

  it('renders every section from the run folder', () => {
    const card = renderModelCard(runDir, modelDir);
    expect(card).toMatch(/^# mila-street-v1: /);
    expect(card).toContain('Trained only on rendered street video');
    expect(card).toContain('Real footage (your own videos, the webcam) gets rough results');
    // recipe: name, the JSON, hardware, threads from the start event
    expect(card).toContain('recipe: **cpu-street-v1 (fixture)**');
    expect(card).toContain('"hardware": "2-core CPU (fixture)"');
    expect(card).toContain('hardware: 2-core CPU (fixture); device `cpu`, 2 threads');
    // time per stage from the stage-done events (24.3 s -> 24, budget 24, 200 steps)
    expect(card).toContain('| pretrain-slow | 200 | 24 | 0.4 | 24 | 0.12 |');
    expect(card).toContain('| **all stages** | 400 | 60 | 1.0 | | |');
    // losses at start and end, per task, from the per-step lines (first / last 10% of 20 lines = 2 lines)
    expect(card).toContain('| pretrain-slow | 2.862 | 1.488 | 9.842 | 4.158 | - | - | 12.704 | 5.646 | 1-20 / 190-200 |');
    expect(card).toContain('| mila | 1.600 | 0.800 | 5.000 | 2.000 | 0.690 | 0.690 | 6.607 | 2.807 | 1 / 100 |');
    // the PyTorch evaluation, its title dropped and its headings moved down
    expect(card).toContain('| slow-only | 1 | 31.25 | 77.50 | 4.250 | 0.210 | 0.00937 | 20 |');
    expect(card).toContain('### Per offset from the keyframe');
    expect(card).not.toContain('# Evaluation: tiny');
    // the browser table per clip: mIoU, Acc, Abs, Rel, GFLOPs, ms/frame
    expect(card).toContain('### street-seed2 (Rendered street (seed 2))');
    expect(card).toContain('| mila | 10 | 10 | 27.50 | 73.00 | 4.500 | 0.250 | 0.00580 | 3.3 |');
    expect(card).toContain('| fast-only | - | 10 | 20.00 | 60.00 |');
    // float16 vs float32
    expect(card).toContain('Largest |Δ mIoU|: **0.50 points**');
    expect(card).toContain('| street-seed2 | mila | 1 | 10 | 31.25 | 31.00 | -0.25 | +0.000 |');
    // download size measured in the model directory
    const bytes = statSync(join(modelDir, 'model.json')).size + statSync(join(modelDir, 'group1-shard1of1.bin')).size;
    expect(card).toContain(`**${(bytes / 1e6).toFixed(2)} MB`);
    // optional sections: candidates present, ablation and bench absent
    // the quality bars, judged from the browser rows above (slow-only 31.00 mIoU < 50: missed)
    expect(card).toContain('| street-seed2 | slow-only (K=1) mIoU >= 50 | 31.00 | **missed** |');
    expect(card).toContain('| street-seed2 | MILA K=10 mIoU above reuse K=10 | 27.50 vs 22.00 | met |');
    expect(card).toContain('| all | float16 within 0.5 mIoU of float32 | 0.50 | met |');
    // the discriminator's curve from the MILA stage's logged adversarial BCE
    expect(card).toContain('| MILA steps | adversarial BCE |');
    expect(card).toMatch(/\| 1-\d+ \| 0\.6900 \|/);
    expect(card).toContain('npm run train -- training/recipes/cpu-street-v1 (fixture).json');
    expect(card).toContain('## Candidates');
    expect(card).toContain('| cpu-street-v0 | 12.50 |');
    expect(card).not.toContain('## Ablation');
    expect(card).not.toContain('## Benchmark');
  });

  it('adds the optional ablation and bench sections when their files exist', () => {
    writeFileSync(join(runDir, 'ablation.md'), `# Ablation\n\n${table(['variant', 'mIoU'], ['no ILA', '20.0'])}`);
    writeFileSync(join(runDir, 'bench.md'), table(['frame', 'ms'], ['slow', '120.5']));
    const card = renderModelCard(runDir, modelDir);
    expect(card).toContain('## Ablation');
    expect(card).toContain('| no ILA | 20.0 |');
    expect(card).toContain('## Benchmark');
    expect(card).toContain('| slow | 120.5 |');
  });

  it('takes a section the run lacks from the nearest run it continues, and names that run', () => {
    const writeRecipe = (dir: string, recipe: Record<string, unknown>) => writeFileSync(join(dir, 'recipe.json'), JSON.stringify(recipe));
    const older = join(tmp, 'older');
    const prev = join(tmp, 'prev');
    cpSync(FIXTURE, older, { recursive: true });
    cpSync(FIXTURE, prev, { recursive: true });
    writeRecipe(older, { name: 'older-run', model: 'mila-street-v0' });
    writeRecipe(prev, { name: 'prev-run', model: 'mila-street-v0b', init: join(older, 'checkpoint.pt') });
    const recipe = JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8'));
    writeRecipe(runDir, { ...recipe, init: join(prev, 'export') });
    // a file whose first line is not its title: its headings still nest under the card's section
    writeFileSync(join(older, 'bench.md'), `Measured on an idle machine.\n\n# Benchmark: v0\n\n## v0, wasm\n\n${table(['frame', 'ms'], ['slow', '99.0'])}`);
    writeFileSync(join(prev, 'ablation.md'), table(['variant', 'mIoU'], ['no ILA', '19.0']));
    writeFileSync(join(runDir, 'bench-wasm.md'), `# Benchmark: mila-street-v1\n\n${table(['stream', 'ms'], ['K=5', '41.0'])}`);
    writeFileSync(join(runDir, 'bench-webgpu.md'), `# Benchmark: mila-street-v1\n\n${table(['stream', 'ms'], ['K=5', '3152.8'])}`);
    const card = renderModelCard(runDir, modelDir);
    for (const text of [
      '## Ablation\n\nFrom `ablation.md`. Measured for `mila-street-v0b`, which mila-street-v1 continues (`init`), not re-measured on mila-street-v1: `ablation.md` of run `prev-run`.',
      '| no ILA | 19.0 |',
      // two links up the chain, through a checkpoint init
      '`bench.md` of run `older-run`',
      'Measured on an idle machine.\n\n### Benchmark: v0\n\n#### v0, wasm',
      // the model's own benchmark first, never inherited; its title dropped
      '## Benchmark of mila-street-v1\n\nFrom `bench-wasm.md`',
      '## Benchmark of mila-street-v1 (webgpu)\n\nFrom `bench-webgpu.md`',
    ]) expect(card).toContain(text);
    expect(card.indexOf('| K=5 | 41.0 |')).toBeLessThan(card.indexOf('| slow | 99.0 |'));
    // the run's own candidates.md wins over any continued run's
    writeFileSync(join(prev, 'candidates.md'), table(['recipe', 'mIoU'], ['inherited', '1.00']));
    expect(renderModelCard(runDir, modelDir)).toContain('| cpu-street-v0 | 12.50 |');
    expect(renderModelCard(runDir, modelDir)).not.toContain('| inherited | 1.00 |');
    // an init outside any run folder ends the chain; a chain that comes back is an error
    writeRecipe(prev, { name: 'prev-run', model: 'mila-street-v0b', init: join(tmp, 'elsewhere', 'export') });
    expect(renderModelCard(runDir, modelDir)).not.toContain('| slow | 99.0 |');
    writeRecipe(prev, { name: 'prev-run', model: 'mila-street-v0b', init: join(runDir, 'export') });
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/"init" chain comes back to/);
  });

  it('counts the stages a model carries from a checkpoint-after-<stage> of the run it continues', () => {
    const prev = join(tmp, 'prev');
    cpSync(FIXTURE, prev, { recursive: true });
    writeFileSync(join(prev, 'recipe.json'), JSON.stringify({ name: 'prev-run', model: 'mila-street-v0b', init: '../exports/mila-street-v0' }));
    const recipe = JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8'));
    writeFileSync(join(runDir, 'recipe.json'), JSON.stringify({ ...recipe, init: join(prev, 'checkpoint-after-pretrain-fast.pt') }));
    const card = renderModelCard(runDir, modelDir);
    // prev's pretrain-slow and pretrain-fast (24.3 + 12.1 s), not its mila stage, then this run's 62 s
    expect(card).toContain("plus 36 s of `mila-street-v0b`'s run (pretrain-slow, pretrain-fast): this run starts from its state after them");
    expect(card).toContain("| pretrain-fast (in `mila-street-v0b`'s run, continued from its end) | 100 | 12 |");
    expect(card).toContain('| **all stages** | 700 | 97 |');
    const about = renderModelAbout(runDir, modelDir, []);
    expect(about.summary).toContain('for 2 more min (after mila-street-v0)'); // (62 + 36.4) s, after prev's own init
    writeFileSync(join(runDir, 'recipe.json'), JSON.stringify({ ...recipe, init: join(prev, 'checkpoint-after-warmup.pt') }));
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/no finished stage "warmup"/);
  });

  it('says when float32 was checked on fewer frames, and compares on those frames', () => {
    const path = (n: string) => join(runDir, 'browser-eval', n);
    const f32 = JSON.parse(readFileSync(path('street-seed2.float32.json'), 'utf8'));
    for (const r of f32.rows) r.frames = 4;
    writeFileSync(path('street-seed2.float32.json'), JSON.stringify(f32));
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/float16 has 10 frames, float32 4: not comparable/);
    const check = JSON.parse(readFileSync(path('street-seed2.float16.json'), 'utf8'));
    for (const r of check.rows) r.frames = 4;
    writeFileSync(path('street-seed2.float16-check.json'), JSON.stringify(check));
    expect(renderModelCard(runDir, modelDir)).toContain('float32 was evaluated on the first 4 of 10 frames');
  });

  it.each([
    ['recipe.json', /run[/\\]recipe\.json is missing \(the training recipe\)/],
    ['train_log.jsonl', /train_log\.jsonl is missing/],
    ['summary.json', /summary\.json is missing/],
    ['eval.md', /eval\.md is missing \(the held-out evaluation in PyTorch\)/],
    ['browser-eval/street-seed2.float32.json', /street-seed2\.float32\.json is missing \(browser evaluation of the float32 model/],
    ['browser-eval', /browser-eval is missing/],
  ])('a missing %s is an error naming it', (file, message) => {
    rmSync(join(runDir, file), { recursive: true });
    expect(() => renderModelCard(runDir, modelDir)).toThrow(ModelCardError);
    expect(() => renderModelCard(runDir, modelDir)).toThrow(message);
  });

  it('refuses an unfinished log, a recipe without hardware and a model without shards', () => {
    const log = readFileSync(join(runDir, 'train_log.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(join(runDir, 'train_log.jsonl'), log.slice(0, -1).join('\n'));
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/no "done" event: the run did not finish/);
    writeFileSync(join(runDir, 'train_log.jsonl'), `${log.join('\n')}\n{"stage": "mila", "ste`);
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/train_log\.jsonl line \d+ is not JSON/);
    cpSync(join(FIXTURE, 'train_log.jsonl'), join(runDir, 'train_log.jsonl'));
    const recipe = JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8'));
    delete recipe.hardware;
    writeFileSync(join(runDir, 'recipe.json'), JSON.stringify(recipe));
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/recipe\.json has no "hardware"/);
    cpSync(join(FIXTURE, 'recipe.json'), join(runDir, 'recipe.json'));
    rmSync(join(modelDir, 'group1-shard1of1.bin'));
    expect(() => renderModelCard(runDir, modelDir)).toThrow(/holds no weight shards/);
  });

  it('the CLI writes MODEL_DIR/README.md, or exits 1 with the error', () => {
    execFileSync('npx', ['tsx', 'scripts/model-card.ts', runDir, modelDir], { stdio: 'pipe' });
    expect(readFileSync(join(modelDir, 'README.md'), 'utf8')).toContain('## float16 vs float32');
    rmSync(join(runDir, 'eval.md'));
    let stderr = '';
    let status = 0;
    try {
      execFileSync('npx', ['tsx', 'scripts/model-card.ts', runDir, join(tmp, 'other')], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(1);
    expect(stderr).toMatch(/model-card: error: .*eval\.md is missing/);
    expect(existsSync(join(tmp, 'other', 'README.md'))).toBe(false);
  });
});
