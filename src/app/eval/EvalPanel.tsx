// Evaluation mode of the app: frame-exact ground-truth evaluation of the loaded model on a
// bundled clip, at the current K or as a K sweep with both baselines; live table, plots, export.
//
// Interface for the app (src/app/EvalSlot.tsx mounts it):  <EvalPanel engine={engine} />
// `engine` only needs what EvalPanelHost lists; MilaEngine satisfies it structurally:
//   store.get()/subscribe() with { model: {id} | null, samples: {id, name}[], source: {kind, id} | null, settings: {k} },
//   activeSession: { info: { model: MilaModel, backend: BackendInfo } } | null, and pause().
// The panel pauses playback while it evaluates; it runs its own runners on the shared model.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { checkKs, DEFAULT_SWEEP_KS, sweepEntries } from '../../eval/sweep';
import { toCSV, toJSON } from '../../eval/table';
import type { BackendInfo } from '../../runtime/backend';
import type { MilaModel } from '../../runtime/milaModel';
import { ClassTable } from './ClassTable';
import { downloadText } from './download';
import { SweepPlot } from './SweepPlot';
import { SweepTable } from './SweepTable';
import { useClipManifest } from './useClipManifest';
import { useEvaluationRun } from './useEvaluationRun';
import './evalPanel.css';

export interface EvalPanelHostState {
  model: { id: string } | null;
  samples: { id: string; name: string }[];
  source: { kind: string; id: string } | null;
  settings: { k: number };
}

export interface EvalPanelHost {
  store: { get(): EvalPanelHostState; subscribe(listener: () => void): () => void };
  activeSession: { info: { model: MilaModel; backend: BackendInfo } } | null;
  pause(): void;
}

export interface EvalPanelProps {
  engine: EvalPanelHost;
}

const samplesBase = `${import.meta.env.BASE_URL}samples/`;

function parseKList(text: string): { ks: number[] | null; error: string | null } {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.some((p) => !/^\d+$/.test(p))) return { ks: null, error: 'K list: comma-separated integers, e.g. 1,2,5,10,20' };
  const ks = parts.map(Number);
  try {
    checkKs(ks);
    return { ks, error: null };
  } catch (e) {
    return { ks: null, error: `K list: ${(e as Error).message}` };
  }
}

export function EvalPanel({ engine }: EvalPanelProps) {
  const state = useSyncExternalStore(engine.store.subscribe, engine.store.get);
  const { state: run, start, stop } = useEvaluationRun();
  const currentSample = state.source?.kind === 'sample' ? state.source.id : null;
  const [clipId, setClipId] = useState<string>('');
  useEffect(() => {
    if (!clipId && (currentSample || state.samples[0])) setClipId(currentSample ?? state.samples[0].id);
  }, [clipId, currentSample, state.samples]);
  const clipUrl = clipId ? `${samplesBase}${clipId}/` : null;
  const clip = useClipManifest(clipUrl);
  const [kText, setKText] = useState(DEFAULT_SWEEP_KS.join(','));
  const [baselines, setBaselines] = useState(true);
  const [framesText, setFramesText] = useState('');
  const kList = useMemo(() => parseKList(kText), [kText]);
  const frames = framesText.trim() === '' ? undefined : Number(framesText);
  const framesError = frames !== undefined && !(Number.isInteger(frames) && frames > 0) ? 'frames: a positive integer, or empty for all' : null;

  const session = engine.activeSession;
  const running = run.status === 'running';
  const blocked = !session ? 'Load a model first.' : clip.state !== 'ok' ? 'Pick a clip with ground truth.' : framesError;

  const launch = (ks: number[], withBaselines: boolean) => {
    if (!session || !clipUrl) return;
    engine.pause();
    start({
      model: session.info.model,
      modelId: state.model?.id ?? session.info.model.config.name,
      backend: session.info.backend,
      clipUrl,
      entries: sweepEntries(ks, { baselines: withBaselines }),
      frames,
    });
  };
  const stamp = () => `${run.info?.model ?? 'model'}-${run.info?.clip ?? 'clip'}`.replace(/[^\w.-]+/g, '_');

  return (
    <div className="eval-panel">
      <h2>Evaluation against ground truth</h2>
      <div className="eval-controls">
        <label>
          clip{' '}
          <select value={clipId} onChange={(e) => setClipId(e.target.value)} disabled={running} aria-label="evaluation clip">
            {state.samples.length === 0 && <option value="">no bundled clips</option>}
            {state.samples.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </label>
        <span className="muted small clip-status">
          {clip.state === 'ok' && `${clip.manifest.frames} frames, ${clip.manifest.width}x${clip.manifest.height}, ${clip.manifest.fps} fps`}
          {clip.state === 'loading' && 'reading the manifest…'}
          {clip.state === 'error' && `no ground truth: ${clip.message}`}
        </span>
        <label>
          frames <input className="eval-frames" value={framesText} onChange={(e) => setFramesText(e.target.value)} placeholder="all" size={5} disabled={running} aria-label="frames to evaluate" />
        </label>
      </div>
      <div className="eval-controls">
        <button onClick={() => launch([state.settings.k], false)} disabled={running || !!blocked}>
          Evaluate at K={state.settings.k}
        </button>
        <label>
          K list <input value={kText} onChange={(e) => setKText(e.target.value)} size={14} disabled={running} aria-label="K list" />
        </label>
        <label>
          <input type="checkbox" checked={baselines} onChange={(e) => setBaselines(e.target.checked)} disabled={running} /> baselines (fast-only, reuse)
        </label>
        <button onClick={() => kList.ks && launch(kList.ks, baselines)} disabled={running || !!blocked || !kList.ks}>
          Run K sweep
        </button>
        <button onClick={stop} disabled={!running}>Stop</button>
      </div>
      {(blocked || kList.error) && !running && <p className="muted small">{blocked ?? kList.error}</p>}
      <p className="eval-status small" data-status={run.status}>
        {run.status === 'running' && `evaluating: frame ${run.frame} / ${run.frameCount || '…'} (each frame stepped exactly; metrics read back per frame)`}
        {run.status === 'done' && `done: ${run.frameCount} frames of ${run.info?.clip}`}
        {run.status === 'stopped' && `stopped after ${run.frame} frames (partial results below)`}
        {run.status === 'failed' && <span className="error">evaluation failed: {run.error}</span>}
      </p>
      {run.rows.length > 0 && (
        <>
          <SweepTable rows={run.rows} />
          <ClassTable rows={run.rows} classNames={session?.info.model.config.segmentation.classes ?? []} />
          <div className="eval-controls">
            <button onClick={() => downloadText(`sweep-${stamp()}.csv`, toCSV(run.rows), 'text/csv')} disabled={running}>Export CSV</button>
            <button onClick={() => downloadText(`sweep-${stamp()}.json`, toJSON(run.rows, run.info ?? undefined), 'application/json')} disabled={running}>Export JSON</button>
          </div>
          {run.rows.length > 1 && (
            <div className="eval-plots">
              <SweepPlot rows={run.rows} x="msPerFrameMedian" y="miou" />
              <SweepPlot rows={run.rows} x="gflopsPerFrame" y="miou" />
              <SweepPlot rows={run.rows} x="gflopsPerFrame" y="depthAbs" />
            </div>
          )}
        </>
      )}
    </div>
  );
}

export default EvalPanel;
