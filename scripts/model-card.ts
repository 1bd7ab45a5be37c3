// Writes the model card (README.md) of a shipped model from the device run's results.
// Usage: tsx scripts/model-card.ts RESULTS_DIR MODEL_DIR QUANTIZE [browser-eval-*.json ...]
// Every figure comes from a file the run wrote: nothing here is typed in by hand.
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

interface TrainEvent { event?: string; [key: string]: unknown }

function readEvents(logPath: string): TrainEvent[] {
  return readFileSync(logPath, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as TrainEvent];
      } catch {
        return [];
      }
    });
}

function shardBytes(modelDir: string): number {
  return readdirSync(modelDir)
    .filter((n) => n.endsWith('.bin'))
    .reduce((sum, n) => sum + statSync(join(modelDir, n)).size, 0);
}

function browserSection(files: string[]): string {
  if (files.length === 0) return 'The browser evaluator (`npm run eval`) was not available when this card was written.\n';
  return files
    .map((file) => {
      const table = JSON.parse(readFileSync(file, 'utf8')) as { rows?: Record<string, unknown>[] };
      const rows = table.rows ?? [];
      const head = '| mode | K | mIoU | Acc | Abs (m) | Rel | ms/frame | GFLOPs/frame |\n|---|---:|---:|---:|---:|---:|---:|---:|';
      const fmt = (v: unknown, digits: number) => (typeof v === 'number' ? v.toFixed(digits) : String(v ?? ''));
      const body = rows
        .map((r) => `| ${r.mode} | ${r.k} | ${fmt(r.miou, 2)} | ${fmt(r.pixelAccuracy, 2)} | ${fmt(r.depthAbs, 3)} | ${fmt(r.depthRel, 3)} | ${fmt(r.msPerFrame, 1)} | ${fmt(r.gflopsPerFrame, 2)} |`)
        .join('\n');
      return `### ${basename(file, '.json').replace('browser-eval-', '')}\n\n${head}\n${body}\n`;
    })
    .join('\n');
}

const [resultsDir, modelDir, quantize, ...browserFiles] = process.argv.slice(2);
if (!resultsDir || !modelDir || !quantize) {
  console.error('usage: tsx scripts/model-card.ts RESULTS_DIR MODEL_DIR QUANTIZE [browser-eval-*.json ...]');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(resultsDir, 'config.json'), 'utf8'));
const events = readEvents(join(resultsDir, 'train.log'));
const start = events.find((e) => e.event === 'start') ?? {};
const done = events.find((e) => e.event === 'done') ?? {};
const torchLine = readFileSync(join(resultsDir, 'train.log'), 'utf8').split('\n').find((l) => l.startsWith('torch ')) ?? '';
const evalMd = readFileSync(join(resultsDir, 'eval.md'), 'utf8');
const stages = (done.stages as { stage: string; steps: number; seconds: number; first_loss: number; last_loss: number }[] | undefined) ?? [];
const stageRows = stages
  .map((s) => `| ${s.stage} | ${s.steps} | ${s.seconds.toFixed(0)} | ${s.first_loss.toFixed(3)} | ${s.last_loss.toFixed(3)} |`)
  .join('\n');

const card = `# ${config.name}: MILA, D101 slow net + D18 fast net with ILA

**Trained on rendered video, not real footage.** Every training and evaluation frame comes from the
project's procedural street renderer (\`training/mila/street/\`): synthetic roads, buildings, cars and
people with exact labels and metric depth. Expect it to work on the bundled rendered clips and
poorly on real camera footage; for real video, train on Cityscapes-style data (see \`training/README.md\`)
and convert your checkpoint with \`npm run convert\`.

## Architecture
- slow: ResNet-${config.slow.depth} (base width ${config.slow.baseWidth}) + ASPP (${config.slow.aspp?.channels} ch, rates ${config.slow.aspp?.rates?.join('/')})
- fast: ResNet-${config.fast.depth} (base width ${config.fast.baseWidth})
- output stride ${config.outputStride}, features ${config.featureChannels} ch, task features ${config.taskChannels} ch
- ILA: window ${config.ila.window}, key channels ${config.ila.keyChannels}, memory ${config.ila.memory} keyframes, task-specific ${config.ila.taskSpecific}
- input ${config.input.width}x${config.input.height}, ${config.segmentation.classes.length} classes, depth up to ${config.depth.maxDepth} m
- weights: ${quantize} shards, ${(shardBytes(modelDir) / 1e6).toFixed(1)} MB download

Base width ${config.slow.baseWidth} (torchvision's is 64) keeps the download under 60 MB and lets the
whole schedule train in one 10-minute GPU run; the paper's nets are ResNet-101 and ResNet-18 at width 64.

## Training
Device: ${torchLine || 'see train.log'}; ${String(done.train_seconds ?? '?')} s of training, ${String(done.eval_seconds ?? '?')} s of evaluation.
Schedule (\`training/scripts/device_run.sh\`): pre-train D101-MultiTask and D18-MultiTask on single frames,
then MILA on clips (ILA TS + MF, adversarial alignment through gradient reversal, equal weighting).
Run settings: \`${JSON.stringify(start)}\`

| stage | steps | seconds | first loss | last loss |
|---|---:|---:|---:|---:|
${stageRows}

## Evaluation on the held-out bundled clips (training code's evaluator, float32)

${evalMd.replace(/^# .*\n/m, '')}

## Browser evaluator (float32 vs shipped ${quantize})

${browserSection(browserFiles)}
## Reproduce
\`\`\`sh
# on the GPU machine (about 9 minutes), results in $OUT:
bash training/scripts/device_run.sh
# here, with $OUT's files in RESULTS:
bash scripts/ship-model.sh RESULTS ${modelDir} --quantize ${quantize}
\`\`\`
`;
writeFileSync(join(modelDir, 'README.md'), card);
console.log(`model card: ${join(modelDir, 'README.md')}`);
