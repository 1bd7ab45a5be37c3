// The picture: the engine's canvas (and video underneath) live in `host`; this component adds the
// slow/fast badge, drag-and-drop upload and the draggable split divider. The picture box keeps the
// source's aspect and fits the window (letterboxed in the black stage), so the controls under it
// stay on screen whatever the video's shape.
import { useCallback, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';

/** Width / height of what is drawn: the source at its display size; side by side doubles the width. */
function pictureRatio(state: EngineState): number {
  const src = state.source;
  if (!src || src.displayWidth <= 0 || src.displayHeight <= 0) return 16 / 9;
  const doubled = state.settings.view === 'side' && state.lastFrame !== null; // the canvas, once drawn
  return ((doubled ? 2 : 1) * src.displayWidth) / src.displayHeight;
}

function FrameBadge({ state }: { state: EngineState }) {
  const f = state.lastFrame;
  if (!f) return null;
  const text = f.isKeyframe ? 'SLOW net (keyframe)' : f.net === 'fast+ila' ? 'FAST net + ILA' : f.net === 'reuse' ? 'keyframe reused' : 'FAST net only';
  return (
    <div className={`frame-badge ${f.isKeyframe ? 'slow' : 'fast'}`} data-testid="frame-badge">
      {text} <span className="muted">frame {f.index + 1}</span>
    </div>
  );
}

export function Stage({ engine, state, children }: { engine: MilaEngine; state: EngineState; children?: ReactNode }) {
  const hostRef = useCallback(
    (el: HTMLDivElement | null) => {
      if (el) engine.attach(el);
    },
    [engine],
  );
  const stageRef = useRef<HTMLDivElement>(null);
  const [dragOver, setDragOver] = useState(false);
  const [dragging, setDragging] = useState(false);
  const { view, split } = state.settings;

  const splitFromPointer = (clientX: number) => {
    const canvas = stageRef.current?.querySelector('canvas');
    if (!canvas) return;
    const r = canvas.getBoundingClientRect();
    engine.update({ split: Math.min(1, Math.max(0, (clientX - r.left) / r.width)) });
  };

  return (
    <div
      ref={stageRef}
      className={`stage${dragOver ? ' drag-over' : ''}`}
      data-testid="stage"
      onDragOver={(e) => {
        e.preventDefault();
        setDragOver(true);
      }}
      onDragLeave={() => setDragOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragOver(false);
        const file = e.dataTransfer.files[0];
        if (file) void engine.openFile(file);
      }}
      onPointerDown={(e) => {
        if (view !== 'split') return;
        (e.target as Element).setPointerCapture?.(e.pointerId);
        setDragging(true);
        splitFromPointer(e.clientX);
      }}
      onPointerMove={(e) => dragging && splitFromPointer(e.clientX)}
      onPointerUp={() => setDragging(false)}
    >
      <div className="stage-picture" data-testid="stage-picture" style={{ '--picture-ratio': pictureRatio(state) } as CSSProperties}>
        <div className="stage-host" ref={hostRef} />
        {view === 'split' && state.lastFrame && (
          <div className="split-handle" style={{ left: `${split * 100}%` }} aria-label="Drag to move the divider" title="Drag to move the divider" />
        )}
        {view === 'split' && state.lastFrame && (
          <>
            <span className="corner-label left">segmentation</span>
            <span className="corner-label right">depth</span>
          </>
        )}
      </div>
      <FrameBadge state={state} />
      {dragOver && <div className="drop-hint">Drop a video to process it</div>}
      {state.opening && <div className="drop-hint">Opening {state.opening}...</div>}
      {children}
    </div>
  );
}
