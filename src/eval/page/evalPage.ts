// eval.html: the headless evaluation page driven by `npm run eval` (scripts/eval.ts). It
// exposes window.milaEval.run(params): backend + model + clip -> sweep table rows.
import { initBackend } from '../../runtime/backend';
import { loadModel } from '../../runtime/weights/loader';
import { evaluateClipInBrowser } from '../browser/clipEvaluation';
import { sweepEntries } from '../sweep';
import { toRow } from '../table';
import { PROGRESS_PREFIX, type EvalPageParams, type EvalPageResult, type MilaEvalHandle } from './protocol';

const statusEl = document.getElementById('status');

function report(line: string): void {
  console.log(`${PROGRESS_PREFIX} ${line}`);
  if (statusEl) statusEl.textContent = line;
}

async function run(params: EvalPageParams): Promise<EvalPageResult> {
  const entries = sweepEntries(params.ks, { baselines: params.baselines, baselineK: params.baselineK });
  const backend = await initBackend(params.backend);
  report(`backend ${backend.backend} (${backend.adapter})${backend.fallbackReason ? `, fallback: ${backend.fallbackReason}` : ''}`);
  const model = await loadModel(params.modelUrl);
  try {
    report(`model ${model.config.name} loaded, evaluating ${entries.length} configurations`);
    let clipName = params.clipUrl;
    const started = performance.now();
    const { results } = await evaluateClipInBrowser({
      model,
      clipUrl: params.clipUrl,
      entries,
      frames: params.frames,
      onManifest: (m) => (clipName = m.name),
      onFrame: (i, n) => report(`frame ${i + 1}/${n} (${((performance.now() - started) / 1000).toFixed(1)} s)`),
    });
    report('done');
    return {
      info: {
        model: model.config.name,
        clip: clipName,
        backend: backend.backend,
        adapter: backend.adapter,
        date: new Date().toISOString(),
        ...(backend.fallbackReason ? { fallbackReason: backend.fallbackReason } : {}),
      },
      rows: results.map(toRow),
      keyframeFlags: results.map((r) => r.keyframeFlags),
    };
  } finally {
    model.dispose();
  }
}

declare global {
  interface Window {
    milaEval?: MilaEvalHandle;
  }
}

window.milaEval = { run };
report('ready');
