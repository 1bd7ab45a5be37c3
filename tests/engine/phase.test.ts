// The engine's phase machine and its cancellation scope.
import { describe, expect, it } from 'vitest';
import { CancelScope } from '../../src/engine/cancelScope';
import { IllegalPhaseTransition, PHASE_TRANSITIONS, PhaseMachine, type EnginePhase } from '../../src/engine/phase';
import { storeAndBoard } from './fakes';

describe('PhaseMachine', () => {
  it('walks the loading phases to ready, and a device loss back through them', () => {
    const { store } = storeAndBoard();
    const m = new PhaseMachine(store);
    const path: EnginePhase[] = ['backend', 'weights', 'warmup', 'ready', 'recovering', 'backend', 'weights', 'warmup', 'ready'];
    for (const p of path) m.to(p, `detail of ${p}`);
    expect([store.get().phase, store.get().phaseDetail, m.ready]).toEqual(['ready', 'detail of ready', true]);
  });

  it('refuses a transition the table does not list, and leaves the state as it was', () => {
    const { store } = storeAndBoard();
    const m = new PhaseMachine(store);
    expect(() => m.to('ready')).toThrow(IllegalPhaseTransition);
    expect(() => m.to('ready')).toThrow('engine phase cannot go from "starting" to "ready" (allowed: backend, failed)');
    expect(store.get().phase).toBe('starting');
    m.to('failed', '', { progress: null });
    expect(() => m.to('backend')).toThrow(/from "failed" to "backend" \(allowed: none\)/);
  });

  it('can fail from every loading phase and only from those', () => {
    const canFail = (Object.keys(PHASE_TRANSITIONS) as EnginePhase[]).filter((p) => PHASE_TRANSITIONS[p].includes('failed'));
    expect(canFail.sort()).toEqual(['backend', 'recovering', 'starting', 'warmup', 'weights']);
  });
});

describe('CancelScope', () => {
  it('aborts the work started before cancel() and hands later work a live signal', () => {
    const scope = new CancelScope();
    const first = scope.signal;
    const second = scope.renew();
    expect([first.aborted, second.aborted]).toEqual([true, false]);
    scope.cancel();
    expect([second.aborted, scope.signal.aborted]).toEqual([true, false]);
  });
});
