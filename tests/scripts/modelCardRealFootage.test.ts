// The model card's "Real footage" section and about.json (scripts/modelCardRealFootage.ts via
// scripts/model-card.ts) on the fabricated run folder tests/fixtures/model-card-run/.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderModelAbout, renderModelCard } from '../../scripts/model-card';
import { headlineRow, inWords, modelAbout, parentModelName, readRealFootage, RealFootageError, realFootageSeen, rebaseLinks, trainingDataText } from '../../scripts/modelCardRealFootage';

let tmp: string;
let runDir: string;
let modelDir: string;

const row = (mode: string, k: number | null, pixelAccuracy: number, miou: number) => ({
  mode, k, frames: 25, keyframes: 5, miou, pixelAccuracy, depthAbs: null, depthRel: null,
});
function writeResult(name: string, model: string, rows: object[]): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify({ info: { model, clip: 'Real street photos (opencv-doc)', backend: 'wasm' }, rows }));
  return path;
}

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'model-card-real-'));
  runDir = join(tmp, 'run');
  modelDir = join(tmp, 'model');
  cpSync('tests/fixtures/model-card-run', runDir, { recursive: true });
  cpSync('public/models/tiny', modelDir, { recursive: true }); // model.json "name": "tiny"
});

afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** Every line is in the text, each after the one before. */
function expectInOrder(text: string, lines: string[]): void {
  let at = -1;
  for (const line of lines) {
    const next = text.indexOf(line, at + 1);
    expect(next, line).toBeGreaterThan(at);
    at = next;
  }
}

describe('real footage in the model card', () => {
  it('adds a section with this model first, then the others, depth absent', () => {
    const other = readRealFootage(writeResult('v0.json', 'older-model', [row('mila', 5, 12.5, 4.1)]));
    const mine = readRealFootage(writeResult('tiny.json', 'tiny', [row('mila', 1, 39.31, 15.7), row('fast-only', null, 46.38, 15.65)]));
    const card = renderModelCard(runDir, modelDir, { results: [other, mine], notes: '# Notes\n\n## Depth\n\nFar is red.\n' });
    const section = card.slice(card.indexOf('## Real footage'));
    expect(section).toContain('no depth figure');
    expectInOrder(section, [
      '| tiny (this model) | Real street photos (opencv-doc) | wasm | mila | 1 | 25 | 39.3 | 15.7 |',
      '| older-model | Real street photos (opencv-doc) | wasm | mila | 5 | 25 | 12.5 | 4.1 |',
    ]);
    expect(section).toContain('| tiny (this model) | Real street photos (opencv-doc) | wasm | fast-only | - | 25 | 46.4 | 15.7 |');
    expect(section).toContain('### Depth\n\nFar is red.'); // notes embedded, title dropped, headings moved down
    expect(card.indexOf('## Real footage')).toBeGreaterThan(card.indexOf('## Quality bars'));
  });

  it('breaks the headline row down per hand-labelled class, largest first, with what each was drawn as', () => {
    const classes = [
      { classId: 9, gtShare: 20, iou: 0, recall: 0, mostPredictedAs: 1, mostPredictedShare: 81.4 }, // terrain drawn as sidewalk
      { classId: 2, gtShare: 55.55, iou: 61.25, recall: 70.01, mostPredictedAs: 2, mostPredictedShare: 70.01 },
      { classId: 40, gtShare: 1, iou: null, recall: 0, mostPredictedAs: 0, mostPredictedShare: 100 }, // an id the model does not name
    ];
    const mine = readRealFootage(writeResult('tiny.json', 'tiny', [row('mila', 1, 39.31, 15.7), { ...row('mila', 5, 38, 14), classes }]));
    const section = renderModelCard(runDir, modelDir, { results: [mine] }).split('## Real footage')[1];
    expect(section).toContain('Per class, this model at MILA K=5 (all 25 frames):');
    expectInOrder(section, [
      '| building | 55.5 | 61.3 | 70.0 | itself (70%) |',
      '| terrain | 20.0 | 0.0 | 0.0 | sidewalk (81%) |',
      '| class 40 | 1.0 | - | 0.0 | road (100%) |',
    ]);
  });

  it('has no per-class table for an evaluation written without the breakdown', () => {
    const mine = readRealFootage(writeResult('tiny.json', 'tiny', [row('mila', 5, 38, 14)]));
    expect(renderModelCard(runDir, modelDir, { results: [mine] })).not.toContain('Per class, this model');
  });

  it('has no section without results', () => {
    expect(renderModelCard(runDir, modelDir)).not.toContain('## Real footage');
  });

  it('refuses results that are not an eval --json output', () => {
    expect(() => readRealFootage(join(tmp, 'none.json'))).toThrow(/none\.json is missing/);
    writeFileSync(join(tmp, 'bad.json'), '{"rows": []}');
    expect(() => readRealFootage(join(tmp, 'bad.json'))).toThrow(RealFootageError);
    expect(() => readRealFootage(join(tmp, 'bad.json'))).toThrow(/no info\.model \/ info\.clip/);
    expect(() => readRealFootage(writeResult('empty.json', 'tiny', []))).toThrow(/has no rows/);
  });
});

describe('about.json', () => {
  it('says what the model was trained on and its real-footage headline (MILA K=5)', () => {
    const real = readRealFootage(writeResult('tiny.json', 'tiny', [row('mila', 1, 39.31, 15.7), row('mila', 5, 45.13, 15.46)]));
    expect(headlineRow(real)?.k).toBe(5);
    const about = modelAbout({ dataSource: 'street-cache', trainSeconds: 4202.48, hardware: '2 CPUs', realFootage: real });
    expect(about).toEqual({
      summary: 'Trained on rendered street video only (no real camera frame) for 70 min on 2 CPUs. On real street photos (hand-labelled, MILA K=5): 45% pixel accuracy, mIoU 15%.',
      card: 'README.md',
    });
    expect(modelAbout({ dataSource: 'cityscapes', trainSeconds: undefined, hardware: 'x', realFootage: null }).summary).toBe(
      'Trained on the "cityscapes" data. Not measured on real footage.',
    );
    expect(trainingDataText(undefined)).toBe('data its recipe does not name');
  });

  it('uses only the result of this model, from the run folder', () => {
    const other = readRealFootage(writeResult('v0.json', 'older-model', [row('mila', 5, 12.5, 4.1)]));
    // fixture recipe: no "data" block; summary train_seconds 62 -> 1 min
    expect(renderModelAbout(runDir, modelDir, [other]).summary).toBe(
      'Trained on data its recipe does not name for 1 min on 2-core CPU (fixture). Not measured on real footage.',
    );
  });

  it('the CLI writes README.md and about.json with --real-footage, and rejects unknown flags', () => {
    const path = writeResult('tiny.json', 'tiny', [row('mila', 5, 45.13, 15.46)]);
    execFileSync('npx', ['tsx', 'scripts/model-card.ts', runDir, modelDir, '--real-footage', path], { stdio: 'pipe' });
    expect(readFileSync(join(modelDir, 'README.md'), 'utf8')).toContain('| tiny (this model) |');
    expect(JSON.parse(readFileSync(join(modelDir, 'about.json'), 'utf8')).summary).toMatch(/45% pixel accuracy, mIoU 15%\.$/);
    let status = 0;
    try {
      execFileSync('npx', ['tsx', 'scripts/model-card.ts', runDir, modelDir, '--real'], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});

describe('notes links', () => {
  it('are rebased from the notes folder to the model directory; URLs and anchors stay', () => {
    expect(rebaseLinks('![d](../screenshots/x.png) [u](https://x.org/a) [a](#top) [r](/abs) [s](m.json)', 'docs/real-footage/m.md', 'public/models/m')).toBe(
      '![d](../../../docs/screenshots/x.png) [u](https://x.org/a) [a](#top) [r](/abs) [s](../../../docs/real-footage/m.json)',
    );
  });
});

describe('the about line of a continued model', () => {
  it('counts its own minutes on top of the model it continued', () => {
    const about = modelAbout({
      dataSource: 'street-cache', trainSeconds: 3611, hardware: '2 CPUs', realFootage: null,
      init: 'training/runs/mila-street-v1_d101w12-d18w12_os8_128x256_street-cache_cpu-70m/export',
    });
    expect(about.summary).toContain('for 60 more min (after mila-street-v1) on 2 CPUs');
    expect(parentModelName('/abs/checkpoint.pt')).toBe('an earlier model');
    expect(parentModelName('../exports/mila-street-v11')).toBe('mila-street-v11');
    expect(parentModelName('training/exports/mila-street-v11/')).toBe('mila-street-v11');
  });
});

describe('a model that also saw real footage', () => {
  it('says so in the about line and names the package, from its recipe or a run it continues', () => {
    const seen = realFootageSeen([{ data: {} }, { real_footage: { manifest: 'm.json', package: { name: 'opencv-doc' } } }]);
    expect(seen).toEqual({ packages: ['opencv-doc'], handLabelled: 0 });
    expect(realFootageSeen([{ data: {} }, null])).toBeNull();
    expect(trainingDataText('street-cache', seen)).toBe(
      'rendered street video (its only labels) plus unlabelled real photos and video from opencv-doc (labelled by its own slow net)',
    );
    const about = modelAbout({ dataSource: 'street-cache', trainSeconds: 2400, hardware: '2 CPUs', realFootage: null, realSeen: seen });
    expect(about.summary).toMatch(/^Trained on rendered street video \(its only labels\) plus unlabelled real .* slow net\) for 40 min on 2 CPUs\./);
    expect(trainingDataText('street-cache')).toBe('rendered street video only (no real camera frame)');
  });

  it('counts the photos labelled by hand once over the runs, and says so instead of "its only labels"', () => {
    const seen = realFootageSeen([
      { real_footage: { package: { name: 'opencv-doc' }, hand_labelled: ['a', 'b'] } },
      { data: {} },
      { real_footage: { package: { name: 'opencv-doc' }, hand_labelled: ['b', 'c'] } },
    ]);
    expect(seen).toEqual({ packages: ['opencv-doc'], handLabelled: 3 });
    expect(trainingDataText('street-cache', seen)).toBe(
      'rendered street video plus real photos and video from opencv-doc (3 photos labelled by hand, the rest by its own slow net)',
    );
    expect(realFootageSeen([{ real_footage: { hand_labelled: ['a'] } }])).toEqual({ packages: ['a package its recipe does not name'], handLabelled: 1 });
  });

  it('names every Debian package the footage came from, over the runs, in the order first seen', () => {
    const seen = realFootageSeen([
      { real_footage: { packages: [{ name: 'opencv-doc' }, { name: 'python3-sklearn' }, { name: 'python3-skimage' }], hand_labelled: ['a', 'b'] } },
      { real_footage: { package: { name: 'opencv-doc' }, hand_labelled: ['a'] } }, // a run recorded before "packages"
    ]);
    expect(seen).toEqual({ packages: ['opencv-doc', 'python3-sklearn', 'python3-skimage'], handLabelled: 2 });
    expect(trainingDataText('street-cache', seen)).toBe(
      'rendered street video plus real photos and video from opencv-doc, python3-sklearn and python3-skimage (2 photos labelled by hand, the rest by its own slow net)',
    );
    expect(inWords(['a', 'b'])).toBe('a and b');
    expect(inWords(['a'])).toBe('a');
  });
});
