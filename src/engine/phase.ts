// The engine's phases as an explicit state machine: every change goes through `to`, which refuses a
// transition the table does not list (a bug, said loudly, instead of a state no screen expects).
import type { Store } from './store';

export type EnginePhase = 'starting' | 'backend' | 'weights' | 'warmup' | 'ready' | 'recovering' | 'failed';

/** The phases each phase may move to. Loading runs backend -> weights -> warmup -> ready; a lost GPU device recovers through the same steps. */
export const PHASE_TRANSITIONS: Readonly<Record<EnginePhase, readonly EnginePhase[]>> = {
  starting: ['backend', 'failed'],
  backend: ['weights', 'failed'],
  weights: ['warmup', 'failed'],
  warmup: ['ready', 'failed'],
  ready: ['recovering'],
  recovering: ['backend', 'failed'],
  failed: [], // terminal: the page offers reloading (another model, or the same again)
};

export class IllegalPhaseTransition extends Error {
  constructor(from: EnginePhase, to: EnginePhase) {
    super(`engine phase cannot go from "${from}" to "${to}" (allowed: ${PHASE_TRANSITIONS[from].join(', ') || 'none'})`);
    this.name = 'IllegalPhaseTransition';
  }
}

interface PhaseFields {
  phase: EnginePhase;
  phaseDetail: string;
}

export class PhaseMachine<S extends PhaseFields> {
  constructor(private readonly store: Store<S>) {}

  get current(): EnginePhase {
    return this.store.get().phase;
  }

  /** Moves to `next` with its detail line (and other state set in the same update). */
  to(next: EnginePhase, detail = '', also: Partial<S> = {}): void {
    const from = this.current;
    if (!PHASE_TRANSITIONS[from].includes(next)) throw new IllegalPhaseTransition(from, next);
    this.store.set({ ...also, phase: next, phaseDetail: detail } as Partial<S>);
  }

  /** A model is loaded and running. */
  get ready(): boolean {
    return this.current === 'ready';
  }

  get failed(): boolean {
    return this.current === 'failed';
  }
}
