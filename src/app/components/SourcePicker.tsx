// Sample clips, file upload (picker; drag-and-drop is on the stage) and webcam.
import { useRef } from 'react';
import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';

export function SourcePicker({ engine, state }: { engine: MilaEngine; state: EngineState }) {
  const fileRef = useRef<HTMLInputElement>(null);
  // Any phase: a source chosen while the model loads is shown at once and processed once it is ready.
  const disabled = state.opening !== null;
  const src = state.source;
  return (
    <fieldset className="card">
      <legend>Source</legend>
      {state.samples.length > 0 && (
        <label>
          Sample{' '}
          <select
            data-testid="sample-select"
            disabled={disabled}
            value={src?.kind === 'sample' ? src.id : ''}
            onChange={(e) => e.target.value && void engine.openSample(e.target.value)}
          >
            <option value="">choose a sample...</option>
            {state.samples.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="row">
        <button type="button" disabled={disabled} onClick={() => fileRef.current?.click()}>
          Open a video file...
        </button>
        <input
          ref={fileRef}
          type="file"
          accept="video/*,.webm,.mp4,.mov,.mkv,.ogv"
          data-testid="file-input"
          className="visually-hidden"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file can be chosen again
            if (file) void engine.openFile(file);
          }}
        />
        <button type="button" data-testid="webcam" disabled={disabled} onClick={() => void engine.openWebcam()}>
          Webcam
        </button>
      </div>
      <p className="muted small" data-testid="source-label">
        {src
          ? `${src.kind === 'sample' ? 'Sample' : src.kind === 'file' ? 'File' : 'Camera'}: ${src.label}, ${src.width}x${src.height}${src.scaled ? ` (shown at ${src.displayWidth}x${src.displayHeight})` : ''}`
          : 'No source yet. You can also drop a video on the picture.'}
      </p>
    </fieldset>
  );
}
