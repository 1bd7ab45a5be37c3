// SessionManager in Node with a fake ModelSession factory: phases in order, what the page learns,
// fallback notices, failures (missing vs broken model), device loss and teardown.
import { describe, expect, it, vi } from 'vitest';
import type { ModelSession, SessionCallbacks } from '../../src/engine/modelSession';
import { PhaseMachine } from '../../src/engine/phase';
import type { ModelAbout } from '../../src/engine/modelAbout';
import { SessionManager, type SessionRequest } from '../../src/engine/sessionManager';
import { COST, messageIds, storeAndBoard } from './fakes';

class Missing extends Error {}

function fakeModelSession(opts: { fallbackReason?: string; canvasFallbackReason?: string | null; withDevice?: boolean } = {}) {
  let loseDevice!: (info: { reason: string; message: string }) => void;
  const lost = new Promise<{ reason: string; message: string }>((r) => (loseDevice = r));
  const session = {
    info: {
      backend: { backend: 'webgl', adapter: 'fake', fallbackReason: opts.fallbackReason },
      modelId: 'tiny',
      model: { config: { name: 'tiny', segmentation: { classes: ['a', 'b'], colors: [[0, 0, 0], [1, 1, 1]] }, input: { width: 128, height: 64 } } },
      cost: COST,
      style: { depthRange: { min: 1, max: 80 } },
      cachedShards: 2,
      loadedBytes: 1234,
      canvasFallbackReason: opts.canvasFallbackReason ?? null,
    },
    renderer: { kind: 'canvas2d' },
    device: opts.withDevice ? { lost } : null,
    dispose: vi.fn(),
  };
  return { session: session as unknown as ModelSession, loseDevice, dispose: session.dispose };
}

function setup(create: (cb: SessionCallbacks) => Promise<ModelSession>, fetchAbout?: (id: string) => Promise<ModelAbout | null>) {
  const { store, board } = storeAndBoard();
  const phases = new PhaseMachine(store);
  const seen: string[] = [];
  store.subscribe(() => {
    const p = store.get().phase;
    if (seen[seen.length - 1] !== p) seen.push(p);
  });
  const deps = {
    forgetModel: vi.fn(),
    resetBackend: vi.fn(),
    meter: { install: vi.fn(), uninstall: vi.fn() },
    onDeviceLost: vi.fn(),
  };
  const manager = new SessionManager({
    store, phases, board, createSession: (_req, cb) => create(cb), isMissing: (e) => e instanceof Missing, fetchAbout, ...deps,
  });
  return { store, board, manager, seen, ...deps };
}

const request: SessionRequest = { modelId: 'tiny', backend: 'webgpu', k: 5, mode: 'mila', canvas: () => ({}) as HTMLCanvasElement };

async function loadThrough(cb: SessionCallbacks, session: ModelSession): Promise<ModelSession> {
  cb.onPhase('backend', 'Starting the webgpu backend');
  cb.onPhase('weights', 'Downloading model "tiny"');
  cb.onProgress(10, 20);
  cb.onPhase('warmup', 'Warming up');
  return session;
}

describe('SessionManager', () => {
  it('loads through backend, weights and warm-up to ready, and tells the page what it runs', async () => {
    const f = fakeModelSession({ fallbackReason: 'WebGPU is not available' });
    const t = setup((cb) => loadThrough(cb, f.session));
    expect(await t.manager.create(request)).toBe(f.session);
    expect(t.seen).toEqual(['backend', 'weights', 'warmup', 'ready']);
    const st = t.store.get();
    expect(st.progress).toEqual({ loaded: 10, total: 20 });
    expect(st.model).toMatchObject({ id: 'tiny', classes: ['a', 'b'], inputWidth: 128, inputHeight: 64, bytes: 1234, cachedShards: 2, isTiny: true });
    expect([st.backend?.backend, st.renderer]).toEqual(['webgl', 'canvas2d']);
    expect(st.messages).toContainEqual({ id: 'backend', level: 'warning', text: 'Running on webgl, not webgpu: WebGPU is not available.' });
    expect(t.meter.install).toHaveBeenCalledTimes(1);
  });

  it('adds the model\'s about line when it arrives; an unreadable one is a warning, the model stays ready', async () => {
    const about = { summary: 'Trained on rendered street video only.', cardUrl: '/models/tiny/README.md' };
    const ok = setup((cb) => loadThrough(cb, fakeModelSession().session), async (id) => (id === 'tiny' ? about : null));
    await ok.manager.create(request);
    await vi.waitFor(() => expect(ok.store.get().model?.about).toEqual(about));

    const bad = setup((cb) => loadThrough(cb, fakeModelSession().session), async () => {
      throw new Error('/models/tiny/about.json: expected a JSON object');
    });
    await bad.manager.create(request);
    await vi.waitFor(() => expect(messageIds(bad.store)).toContain('about'));
    expect(bad.store.get().phase).toBe('ready');
    expect(bad.store.get().model?.about).toBeNull();
  });

  it('fails with a message; a broken model is dropped from the cache, a missing one is not', async () => {
    const broken = setup(async (cb) => {
      cb.onPhase('backend', '');
      throw new Error('shard 2 is truncated');
    });
    expect(await broken.manager.create(request)).toBeNull();
    expect(broken.store.get().phase).toBe('failed');
    expect(broken.store.get().messages[0]).toMatchObject({ id: 'model', level: 'error', action: 'retry-model' });
    expect(broken.board.lastError).toBe('shard 2 is truncated');
    expect(broken.forgetModel).toHaveBeenCalledWith('tiny');

    const missing = setup(async () => {
      throw new Missing('not there');
    });
    expect(await missing.manager.create({ ...request, modelId: 'other' })).toBeNull();
    expect(missing.forgetModel).not.toHaveBeenCalled();
    expect(missing.store.get().messages[0]).toMatchObject({ id: 'model', action: 'use-tiny' });
  });

  it('reports a lost device once, with its reason; a teardown of its own is not a loss', async () => {
    const f = fakeModelSession({ withDevice: true });
    const t = setup((cb) => loadThrough(cb, f.session));
    await t.manager.create(request);
    f.loseDevice({ reason: 'unknown', message: 'driver reset' });
    await new Promise((r) => setTimeout(r, 0));
    expect(t.onDeviceLost).toHaveBeenCalledWith('unknown: driver reset');
    expect(t.manager.deviceLosses).toBe(1);

    t.store.set({ phase: 'recovering' });
    t.manager.teardown(true);
    expect([f.dispose.mock.calls.length, t.meter.uninstall.mock.calls.length, t.resetBackend.mock.calls.length]).toEqual([1, 1, 1]);
    expect(t.manager.session).toBeNull();

    const g = fakeModelSession({ withDevice: true });
    const u = setup((cb) => loadThrough(cb, g.session));
    await u.manager.create(request);
    u.manager.dispose();
    g.loseDevice({ reason: 'destroyed', message: '' });
    await new Promise((r) => setTimeout(r, 0));
    expect(u.onDeviceLost).not.toHaveBeenCalled();
  });

  it('survives a session whose release throws (a lost device)', async () => {
    const f = fakeModelSession();
    f.dispose.mockImplementation(() => {
      throw new Error('device is gone');
    });
    const t = setup((cb) => loadThrough(cb, f.session));
    await t.manager.create(request);
    expect(() => t.manager.teardown(true)).not.toThrow();
    expect(messageIds(t.store)).not.toContain('model');
  });
});
