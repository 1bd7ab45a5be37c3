import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';

export function PlaybackBar({ engine, state }: { engine: MilaEngine; state: EngineState }) {
  const broken = state.source?.broken ?? null; // the video failed in use: say why the controls are off
  const ready = state.phase === 'ready' && state.source !== null && !broken;
  // Without a model (it failed to load) the bare video can still be played and paused.
  const canPlay = ready || (state.phase === 'failed' && state.source !== null && !broken);
  const canLoop = state.source?.kind !== 'webcam';
  return (
    <div className="playback">
      {state.playing ? (
        <button type="button" data-testid="pause" onClick={() => engine.pause()}>
          Pause
        </button>
      ) : (
        <button type="button" data-testid="play" disabled={!canPlay} title={broken ?? undefined} onClick={() => void engine.play()}>
          Play
        </button>
      )}
      <button type="button" data-testid="step" disabled={!ready} onClick={() => void engine.step(1)} title={broken ?? 'Process the next frame'}>
        Step 1 frame
      </button>
      <label className={canLoop ? '' : 'muted'}>
        <input type="checkbox" data-testid="loop" checked={state.settings.loop} disabled={!canLoop} onChange={(e) => engine.update({ loop: e.target.checked })} /> Loop
      </label>
      <span className="spacer" />
      {state.recording ? (
        <button type="button" className="recording" data-testid="record-stop" onClick={() => void engine.stopRecording()}>
          Stop and download WebM
        </button>
      ) : (
        <button type="button" data-testid="record" disabled={!ready} onClick={() => engine.startRecording()} title="Record the annotated video">
          Record
        </button>
      )}
    </div>
  );
}
