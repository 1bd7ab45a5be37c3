import type { MilaEngine } from '../../engine/engine';
import type { EngineState } from '../../engine/engineState';
import type { EngineMessage } from '../../engine/messages';
import { reloadWith } from '../useUrlSync';
import { TINY_MODEL_ID } from '../../runtime/presets';

function ActionButton({ m, engine, state }: { m: EngineMessage; engine: MilaEngine; state: EngineState }) {
  if (m.action === 'use-tiny') {
    return (
      <button type="button" data-testid="use-tiny" onClick={() => reloadWith(state.settings, { model: TINY_MODEL_ID })}>
        Use the tiny test model
      </button>
    );
  }
  if (m.action === 'retry-model') {
    return (
      <button type="button" onClick={() => window.location.reload()}>
        Retry
      </button>
    );
  }
  if (m.action === 'dismiss') {
    return (
      <button type="button" className="link" aria-label="Dismiss" onClick={() => engine.clear(m.id)}>
        x
      </button>
    );
  }
  return null;
}

export function MessageList({ engine, state }: { engine: MilaEngine; state: EngineState }) {
  if (state.messages.length === 0) return null;
  return (
    <div className="messages">
      {state.messages.map((m) => (
        <div key={m.id} className={`message ${m.level}`} role={m.level === 'error' ? 'alert' : 'status'} data-testid={`message-${m.id}`}>
          <span>{m.text}</span>
          <ActionButton m={m} engine={engine} state={state} />
        </div>
      ))}
    </div>
  );
}
