// Start-up progress: backend, weight download (bytes), warm-up (kernel compilation), recovery.
import type { EngineState } from '../../engine/engineState';
import { formatBytes } from '../../source/fileSniff';

const STEPS: { phase: EngineState['phase']; label: string }[] = [
  { phase: 'backend', label: 'Backend' },
  { phase: 'weights', label: 'Weights' },
  { phase: 'warmup', label: 'Warm-up' },
];

export function LoadingPanel({ state }: { state: EngineState }) {
  const { phase, progress, phaseDetail } = state;
  if (phase === 'ready' || phase === 'failed') return null;
  const current = STEPS.findIndex((s) => s.phase === phase);
  const pct = progress && progress.total > 0 ? (100 * progress.loaded) / progress.total : 0;
  return (
    // Over a chosen source the panel shrinks to a strip, so the source's first frame stays visible.
    <div className={`loading${state.source ? ' over-source' : ''}`} data-testid="loading" data-phase={phase}>
      <ol className="loading-steps">
        {STEPS.map((s, i) => (
          <li key={s.phase} className={i < current ? 'done' : i === current ? 'active' : ''}>
            {s.label}
          </li>
        ))}
      </ol>
      <p>{phaseDetail || 'Starting...'}</p>
      {phase === 'weights' && progress && (
        <>
          <progress max={100} value={pct} data-testid="weights-progress" />
          <p className="muted">
            {formatBytes(progress.loaded)} of {progress.total ? formatBytes(progress.total) : '?'}
          </p>
        </>
      )}
      {state.source && <p className="muted">The video starts as soon as the model is ready.</p>}
      {phase === 'warmup' && !state.source && <p className="muted">The first run compiles GPU kernels at the exact input size; later frames reuse them.</p>}
    </div>
  );
}
