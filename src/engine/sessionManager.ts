// The model session: loading it through the phases the page shows (backend, weights, warm-up),
// what the page learns from it (backend, renderer, model summary, fallback notices), watching its
// GPU device, and tearing it down after a loss so that a fresh one can be created.
import type { BackendName, RunMode } from '../runtime/modes';
import { TINY_MODEL_ID, DEFAULT_MODEL_ID } from '../runtime/presets';
import type { EngineState } from './engineState';
import type { MessageBoard } from './messageBoard';
import { backendFallbackMessage, compositingFallbackMessage, errorText, modelAboutUnreadableMessage, modelProblemMessage } from './messages';
import type { ModelAbout } from './modelAbout';
import type { LoadPhase, ModelSession, SessionCallbacks } from './modelSession';
import type { PhaseMachine } from './phase';
import type { Store } from './store';

export interface SessionRequest {
  modelId: string;
  backend: BackendName | null;
  k: number;
  mode: RunMode;
  canvas: () => HTMLCanvasElement;
}

export interface SessionManagerDeps {
  store: Store<EngineState>;
  phases: PhaseMachine<EngineState>;
  board: MessageBoard;
  /** ModelSession.create in the page; a fake in tests. */
  createSession: (req: SessionRequest, cb: SessionCallbacks) => Promise<ModelSession>;
  /** The model is absent (not merely broken): ModelMissingError. */
  isMissing: (e: unknown) => boolean;
  /** The model's about.json line (what it was trained on, how it does on real footage); null: none. */
  fetchAbout?: (modelId: string) => Promise<ModelAbout | null>;
  /** Drops a model's cached shards, so that a broken download is not served again. */
  forgetModel: (modelId: string) => void;
  /** Makes the next WebGPU backend start on a fresh device (deviceRecovery.resetWebGpuBackend). */
  resetBackend: () => void;
  /** Counts the bytes read back from the backend; reinstalled on each new backend. */
  meter: { install(): void; uninstall(): void };
  /** Called when the GPU device of the live session is lost, with the reason. */
  onDeviceLost: (reason: string) => void;
}

export class SessionManager {
  private live: ModelSession | null = null;
  private tearingDown = false;
  deviceLosses = 0;

  constructor(private readonly deps: SessionManagerDeps) {}

  get session(): ModelSession | null {
    return this.live;
  }

  /** Loads a session (phases on screen); null when the model cannot be loaded (said on screen). */
  async create(req: SessionRequest): Promise<ModelSession | null> {
    const { store, phases, board } = this.deps;
    const phaseOf: Record<LoadPhase, EngineState['phase']> = { backend: 'backend', weights: 'weights', warmup: 'warmup' };
    let session: ModelSession;
    try {
      session = await this.deps.createSession(req, {
        onPhase: (phase, detail) => phases.to(phaseOf[phase], detail, { progress: phase === 'weights' ? { loaded: 0, total: 0 } : store.get().progress }),
        onProgress: (loaded, total) => store.set({ progress: { loaded, total } }),
      });
    } catch (e) {
      const missing = this.deps.isMissing(e);
      if (!missing) this.deps.forgetModel(req.modelId);
      phases.to('failed', '', { progress: null });
      board.fail(errorText(e), modelProblemMessage(e, req.modelId, DEFAULT_MODEL_ID, TINY_MODEL_ID, missing));
      return null;
    }
    this.live = session;
    this.deps.meter.install();
    const { info } = session;
    const cfg = info.model.config;
    phases.to('ready', '', {
      backend: info.backend,
      renderer: session.renderer.kind,
      model: {
        id: info.modelId,
        name: cfg.name,
        classes: cfg.segmentation.classes,
        colors: cfg.segmentation.colors,
        inputWidth: cfg.input.width,
        inputHeight: cfg.input.height,
        depthRange: info.style.depthRange,
        bytes: info.loadedBytes,
        cachedShards: info.cachedShards,
        isTiny: info.modelId === TINY_MODEL_ID,
        about: null,
      },
    });
    board.clear('model');
    void this.showAbout(info.modelId);
    if (info.backend.fallbackReason) board.post(backendFallbackMessage(info.backend.backend, req.backend ?? 'webgpu', info.backend.fallbackReason));
    if (info.canvasFallbackReason) board.post(compositingFallbackMessage(info.canvasFallbackReason));
    this.watchDevice(session);
    return session;
  }

  /** The about line arrives after the model (an optional file): a malformed one is a warning, not a failure. */
  private async showAbout(modelId: string): Promise<void> {
    if (!this.deps.fetchAbout) return;
    try {
      const about = await this.deps.fetchAbout(modelId);
      const model = this.deps.store.get().model;
      if (about && model?.id === modelId) this.deps.store.set({ model: { ...model, about } });
    } catch (e) {
      this.deps.board.post(modelAboutUnreadableMessage(modelId, errorText(e)));
    }
  }

  private watchDevice(session: ModelSession): void {
    const device = session.device;
    if (!device) return;
    void device.lost.then((info) => {
      if (this.live !== session || this.tearingDown) return; // our own teardown
      this.deviceLosses++;
      this.deps.onDeviceLost(`${info.reason}${info.message ? `: ${info.message}` : ''}`);
    });
  }

  /** Releases the session and its backend; after a device loss the next create() starts on a fresh device. */
  teardown(resetBackend: boolean): void {
    this.tearingDown = true;
    try {
      this.live?.dispose();
    } catch {
      // resources of a lost device may refuse to be released; they are unreachable anyway
    }
    this.live = null;
    this.deps.meter.uninstall();
    if (resetBackend) this.deps.resetBackend();
    this.tearingDown = false;
  }

  /** Final teardown (the page goes away): a device loss caused by it is not a loss to recover from. */
  dispose(): void {
    this.tearingDown = true;
    this.live?.dispose();
    this.live = null;
    this.deps.meter.uninstall();
  }
}
