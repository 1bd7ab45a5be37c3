// Class legend, depth colour bar in metres, and the slow/fast frame marker colours. The colours
// come from the same functions the renderers use (render/colormaps.ts, render/viewLayout.ts).
import type { EngineState } from '../../engine/engineState';
import { classCss, depthTicks, rgbCss, turbo } from '../../render/colormaps';
import { MARKER_FAST, MARKER_SLOW } from '../../render/viewLayout';

function DepthLegend({ state }: { state: EngineState }) {
  const range = state.model!.depthRange;
  // unit 1 (near) is on the left, like reading a street scene from the camera outwards
  const stops = Array.from({ length: 11 }, (_, i) => `${rgbCss(turbo(1 - i / 10))} ${i * 10}%`).join(', ');
  return (
    <div className="legend-depth" data-testid="depth-legend">
      <div className="legend-title">Depth (metres, log scale)</div>
      <div className="depth-bar" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <div className="depth-ticks">
        {depthTicks(range).map((t) => (
          <span key={t.metres} style={{ left: `${(1 - t.unit) * 100}%` }}>
            {t.metres}
          </span>
        ))}
      </div>
    </div>
  );
}

export function Legends({ state }: { state: EngineState }) {
  if (!state.model) return null;
  const { classes, colors } = state.model;
  const view = state.settings.view;
  const css = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  return (
    <div className="legends">
      <div className="legend-markers">
        <span>
          <i style={{ background: css(MARKER_SLOW) }} /> top band: slow net (keyframe)
        </span>
        <span>
          <i style={{ background: css(MARKER_FAST) }} /> fast net
        </span>
      </div>
      {view !== 'depth' && view !== 'video' && (
        <div className="legend-classes" data-testid="class-legend">
          {classes.map((name, i) => (
            <span key={name}>
              <i style={{ background: classCss(colors[i]) }} />
              {name}
            </span>
          ))}
        </div>
      )}
      {view !== 'seg' && view !== 'video' && <DepthLegend state={state} />}
    </div>
  );
}
