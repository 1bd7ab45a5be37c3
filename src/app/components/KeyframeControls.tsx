// The speed/quality knob: K, the keyframe interval, and the comparison modes.
import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';
import { RUN_MODES, type RunMode } from '../../runtime/modes';

const MODE_LABELS: Record<RunMode, string> = {
  mila: 'MILA: fast frames attend to keyframes (ILA)',
  'fast-only': 'Fast net only, no keyframes (baseline)',
  reuse: 'Reuse keyframe outputs (baseline)',
};

export function KeyframeControls({ engine, state }: { engine: MilaEngine; state: EngineState }) {
  const { k, mode } = state.settings;
  return (
    <fieldset className="card">
      <legend>Keyframe interval</legend>
      <label className="slider-row">
        <span>
          K = <b data-testid="k-value">{k}</b>
        </span>
        <input type="range" min={1} max={30} step={1} value={k} data-testid="k-slider" disabled={mode === 'fast-only'} onChange={(e) => engine.update({ k: Number(e.target.value) })} />
      </label>
      <p className="muted small">
        {k === 1 ? 'Every frame goes through the slow net.' : `The slow net runs on every ${k}th processed frame; the ${k - 1} frames between use the fast net.`}
      </p>
      <label>
        Mode{' '}
        <select data-testid="mode-select" value={mode} onChange={(e) => engine.update({ mode: e.target.value as RunMode })}>
          {RUN_MODES.map((m) => (
            <option key={m} value={m}>
              {MODE_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
