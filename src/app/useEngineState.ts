// React binding of the engine's store.
import { useSyncExternalStore } from 'react';
import type { MilaEngine } from '../engine/engine';
import type { EngineState } from '../engine/engineState';

export function useEngineState(engine: MilaEngine): EngineState {
  return useSyncExternalStore(engine.store.subscribe, engine.store.get);
}
