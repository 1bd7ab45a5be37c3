import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';
import { VIEW_MODES, type ViewMode } from '../../render/types';

const VIEW_LABELS: Record<ViewMode, string> = {
  seg: 'Segmentation',
  depth: 'Depth',
  side: 'Side by side',
  split: 'Split',
  video: 'Video only',
};

export function ViewControls({ engine, state }: { engine: MilaEngine; state: EngineState }) {
  const { view, opacity } = state.settings;
  return (
    <fieldset className="card">
      <legend>Overlay</legend>
      <div className="segmented" role="radiogroup" aria-label="Overlay view">
        {VIEW_MODES.map((v) => (
          <label key={v} className={v === view ? 'on' : ''}>
            <input type="radio" name="view" value={v} checked={v === view} data-testid={`view-${v}`} onChange={() => engine.update({ view: v })} />
            {VIEW_LABELS[v]}
          </label>
        ))}
      </div>
      <label className="slider-row">
        <span>Opacity {Math.round(opacity * 100)}%</span>
        <input type="range" min={0} max={1} step={0.05} value={opacity} data-testid="opacity-slider" onChange={(e) => engine.update({ opacity: Number(e.target.value) })} />
      </label>
    </fieldset>
  );
}
