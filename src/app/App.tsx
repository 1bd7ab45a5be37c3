// Page layout. Components only show engine state and call engine methods: no model logic here.
import { useEffect } from 'react';
import type { MilaEngine } from '../engine/engine';
import { EvalSlot } from './EvalSlot';
import { Header } from './components/Header';
import { KeyframeControls } from './components/KeyframeControls';
import { Legends } from './components/Legends';
import { LoadingPanel } from './components/LoadingPanel';
import { MessageList } from './components/MessageList';
import { PlaybackBar } from './components/PlaybackBar';
import { SourcePicker } from './components/SourcePicker';
import { Stage } from './components/Stage';
import { StatsPanel } from './components/StatsPanel';
import { ViewControls } from './components/ViewControls';
import { useEngineState } from './useEngineState';
import { useUrlSync } from './useUrlSync';

let started = false; // React may run effects twice in development; the engine starts once

export function App({ engine }: { engine: MilaEngine }) {
  const state = useEngineState(engine);
  useUrlSync(state.settings);
  useEffect(() => {
    if (started) return;
    started = true;
    void engine.start();
  }, [engine]);

  return (
    <div className="app">
      <Header state={state} />
      <MessageList engine={engine} state={state} />
      <main className="layout">
        <section className="stage-column">
          <Stage engine={engine} state={state}>
            <LoadingPanel state={state} />
          </Stage>
          <PlaybackBar engine={engine} state={state} />
          <Legends state={state} />
        </section>
        <aside className="panel">
          <SourcePicker engine={engine} state={state} />
          <KeyframeControls engine={engine} state={state} />
          <ViewControls engine={engine} state={state} />
          <StatsPanel state={state} />
        </aside>
      </main>
      <EvalSlot engine={engine} />
    </div>
  );
}
