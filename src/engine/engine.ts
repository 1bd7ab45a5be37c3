// The frame engine: source -> model runtime -> renderer, framework-free. A thin composition of
// its parts (docs/ARCHITECTURE.md "Engine"): SessionManager (model, backend, device loss),
// SourceController (open, switch, play, seek, loop), FramePipeline (one frame: capture, runner,
// render, stats), Recording, MessageBoard and the PhaseMachine. It decides only what crosses them:
// when a source is processed, playback with and without a model, settings, and recovery.
import { modeAverageGflops } from '../runtime/costModel';
import { FrameCapturer } from '../source/frameCapture';
import { listSamples, openSample } from '../source/samples';
import type { FrameSource } from '../source/types';
import { openVideoFile } from '../source/videoElementSource';
import { openWebcam } from '../source/webcamSource';
import { resetWebGpuBackend, settleWithin } from './deviceRecovery';
import { initialEngineState, type EngineState } from './engineState';
import { FramePipeline } from './framePipeline';
import { MessageBoard } from './messageBoard';
import { CHOOSE_SOURCE_HINT, deviceText, sampleMissingMessage, samplesProblemMessage, sampleUnknownMessage, type EngineMessage } from './messages';
import { fetchModelAbout } from './modelAbout';
import { forgetCachedModel } from './modelCache';
import { ModelMissingError, ModelSession, modelBaseUrl } from './modelSession';
import { PhaseMachine } from './phase';
import { ReadbackMeter } from './readbackMeter';
import { Recording } from './recording';
import { SessionManager } from './sessionManager';
import type { AppSettings } from './settings';
import { DEFAULT_FPS, SourceController } from './sourceController';
import { FrameStats, type StatsSnapshot } from './stats';
import { Store } from './store';

const STATS_EMIT_MS = 250;

export class MilaEngine {
  readonly store: Store<EngineState>;
  readonly meter = new ReadbackMeter();
  private readonly stats = new FrameStats();
  private readonly board: MessageBoard;
  private readonly phases: PhaseMachine<EngineState>;
  private readonly sessions: SessionManager;
  private readonly sources: SourceController;
  private readonly pipeline: FramePipeline;
  private readonly recording: Recording;
  private host: HTMLElement | null = null;
  private lastStatsEmit = 0;
  private processing: { source: FrameSource; session: ModelSession } | null = null; // see startProcessing()

  constructor(settings: AppSettings) {
    this.store = new Store<EngineState>(initialEngineState(settings, this.stats.snapshot(0, null)));
    const store = this.store;
    this.board = new MessageBoard(store);
    this.phases = new PhaseMachine(store);
    this.sessions = new SessionManager({
      store,
      phases: this.phases,
      board: this.board,
      createSession: (req, cb) => ModelSession.create(req, cb),
      isMissing: (e) => e instanceof ModelMissingError,
      forgetModel: (id) => void forgetCachedModel(modelBaseUrl(id)),
      fetchAbout: (id) => fetchModelAbout(modelBaseUrl(id)),
      resetBackend: resetWebGpuBackend,
      meter: this.meter,
      onDeviceLost: (reason) => void this.recover(reason),
    });
    this.sources = new SourceController({ store, board: this.board, mount: (v) => this.host?.prepend(v), onMediaError: () => this.pause() });
    this.sources.loop = settings.loop;
    this.pipeline = new FramePipeline({
      stats: this.stats,
      board: this.board,
      meter: this.meter,
      renderOptions: () => ({ view: this.settings.view, opacity: this.settings.opacity, split: this.settings.split }),
      onFrameDone: (lastFrame) => {
        store.set({ lastFrame });
        this.emitStats(false);
      },
    });
    this.recording = new Recording({ store, board: this.board });
  }

  get settings(): AppSettings {
    return this.store.get().settings;
  }

  get activeSession(): ModelSession | null {
    return this.sessions.session;
  }

  get deviceLosses(): number {
    return this.sessions.deviceLosses;
  }

  get lastError(): string | null {
    return this.board.lastError;
  }

  /** The stage element the engine draws into (the engine adds its canvas and video there). */
  attach(host: HTMLElement): void {
    this.host = host;
  }

  // ------------------------------------------------------------------ start-up

  /**
   * Loads the model and opens the initial source side by side: a source (the initial one or one the
   * user picks meanwhile) is shown at once, and processed as soon as the model is ready.
   */
  async start(): Promise<void> {
    if (this.settings.src === 'upload') this.post(CHOOSE_SOURCE_HINT);
    const sessionReady = this.createSession();
    const { samples, problem } = await listSamples();
    this.store.set({ samples });
    if (problem) this.post(samplesProblemMessage(problem));
    // A source the user chose (or is opening) while the samples were listed wins over the URL's.
    if (this.sources.requested === 0) await this.openInitialSource();
    const ok = await sessionReady;
    if (ok) await this.startProcessing();
    else await this.playUnprocessed();
  }

  private async createSession(): Promise<boolean> {
    const s = this.settings;
    const session = await this.sessions.create({ modelId: s.model, backend: s.backend, k: s.k, mode: s.mode, canvas: () => this.newCanvas() });
    this.pipeline.setSession(session, session ? new FrameCapturer(session.renderer.kind === 'canvas2d') : null);
    return session !== null;
  }

  /**
   * Hands the source on screen to the model session, once per (source, session) pair: called when
   * the model becomes ready (the source was shown while it loaded) and when a source opens.
   */
  private async startProcessing(): Promise<void> {
    const source = this.sources.current;
    const session = this.sessions.session;
    if (!source || !session || !this.pipeline.hasVideo) return;
    if (this.processing?.source === source && this.processing.session === session) return; // already under way
    this.processing = { source, session };
    this.pipeline.restart();
    if (this.settings.play) await this.play();
    else await this.step(1);
  }

  /** No model (it failed to load): the source still shows and plays, without overlays. */
  private async playUnprocessed(): Promise<void> {
    if (this.sources.current && this.settings.play && this.phases.failed) await this.play();
  }

  private newCanvas(): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.className = 'stage-canvas';
    canvas.dataset.testid = 'overlay-canvas';
    this.host?.querySelector('canvas.stage-canvas')?.remove(); // a canvas keeps its context type for life
    this.host?.appendChild(canvas);
    return canvas;
  }

  private async openInitialSource(): Promise<void> {
    const want = this.settings.src;
    if (want === 'webcam') return this.openWebcam();
    if (want === 'upload') return; // the hint is up since start()
    const samples = this.store.get().samples;
    const sample = want ? samples.find((x) => x.id === want) : samples[0];
    if (!sample) return this.post(sampleMissingMessage(want));
    await this.openSample(sample.id);
  }

  // ------------------------------------------------------------------ sources

  async openSample(id: string): Promise<void> {
    const info = this.store.get().samples.find((x) => x.id === id);
    if (!info) return this.post(sampleUnknownMessage(id));
    await this.switchSource(`sample "${info.name}"`, id, () => openSample(info));
  }

  async openFile(file: File): Promise<void> {
    await this.switchSource(`"${file.name}"`, 'upload', () => openVideoFile(file));
  }

  async openWebcam(): Promise<void> {
    await this.switchSource('the webcam', 'webcam', () => openWebcam());
  }

  /**
   * Opens the new source fully before replacing the old one: a bad file leaves the old one playing.
   * Works in every phase: while the model loads (or after it failed) the source is shown unprocessed.
   */
  private async switchSource(what: string, id: string, open: () => Promise<FrameSource>): Promise<void> {
    const source = await this.sources.open(what, open);
    if (!source) return;
    await this.pipeline.detach();
    this.sources.use(source, id);
    this.store.set({ settings: { ...this.settings, src: id } });
    await this.pipeline.attach(source.video);
    if (!this.sessions.session) {
      // Loading: the first frame stays on screen until startProcessing(). Failed: play it bare.
      await this.playUnprocessed();
      return;
    }
    await this.startProcessing(); // play, or show the first frame in stepping mode (play=0)
  }

  // ------------------------------------------------------------------ playback

  /** Plays with processing; without a model (it failed to load) the bare video plays. */
  async play(): Promise<void> {
    if (!this.sources.current || this.sources.broken || !this.pipeline.hasVideo) return;
    if (!this.pipeline.hasSession && !this.phases.failed) return; // loading: startProcessing() plays it
    this.pipeline.start();
    if (!(await this.sources.play())) this.pipeline.stop();
  }

  pause(): void {
    this.sources.pause();
    this.pipeline.stop();
    this.pipeline.positionProcessed = true; // the paused position was shown (or deliberately dropped)
  }

  /** Processes the next `n` frames one by one (deterministic: used by the step button and tests). */
  async step(n = 1): Promise<void> {
    if (this.store.get().playing) this.pause();
    for (let i = 0; i < n; i++) {
      const src = this.sources.current;
      if (!src || this.sources.broken || !this.pipeline.hasVideo || !this.pipeline.hasSession) return;
      if (this.pipeline.positionProcessed && src.canSeek && !(await this.sources.seekToNextFrame())) return;
      await this.pipeline.runOne(src.video.currentTime);
    }
  }

  // ------------------------------------------------------------------ settings and statistics

  update(patch: Partial<AppSettings>): void {
    const prev = this.settings;
    const next = { ...prev, ...patch };
    this.store.set({ settings: next });
    const runner = this.sessions.session?.runner;
    if (patch.k !== undefined && patch.k !== prev.k) runner?.setInterval(next.k); // the next frame obeys it
    if (patch.mode !== undefined && patch.mode !== prev.mode) runner?.setMode(next.mode);
    if (patch.loop !== undefined) this.sources.setLoop(next.loop);
    if (patch.view !== undefined || patch.opacity !== undefined || patch.split !== undefined) this.pipeline.redraw();
    this.emitStats(true);
  }

  resetStats(): void {
    this.stats.reset();
    this.emitStats(true);
  }

  /** Current statistics, computed now (the store's copy is throttled). */
  statsNow(): StatsSnapshot {
    const s = this.settings;
    const cost = this.sessions.session?.info.cost;
    const expected = cost ? { atK: modeAverageGflops(cost, s.mode, s.k), slowOnly: cost.slowGflops } : null;
    return this.stats.snapshot(performance.now(), expected);
  }

  private emitStats(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastStatsEmit < STATS_EMIT_MS) return;
    this.lastStatsEmit = now;
    this.store.set({ stats: this.statsNow() });
  }

  // ------------------------------------------------------------------ recording

  startRecording(): void {
    this.recording.start(this.sessions.session?.renderer.canvas ?? null, this.sources.current?.fps ?? DEFAULT_FPS);
  }

  /** Stops recording and downloads the WebM; resolves with it (null when nothing was recorded). */
  stopRecording(): Promise<Blob | null> {
    return this.recording.stop();
  }

  // ------------------------------------------------------------------ messages

  post(m: EngineMessage): void {
    this.board.post(m);
  }

  clear(id: string): void {
    this.board.clear(id);
  }

  // ------------------------------------------------------------------ GPU device loss

  /** Rebuilds backend, model and renderer after a lost device, then resumes the source. */
  async recover(reason: string): Promise<void> {
    const wasPlaying = this.store.get().playing;
    this.pipeline.cancel();
    this.pipeline.stop();
    this.sources.current?.video.pause();
    this.phases.to('recovering', deviceText.recoveringDetail(reason), { playing: false });
    this.post(deviceText.lost(reason));
    await settleWithin(this.pipeline.idle(), 3000);
    try {
      this.pipeline.disposeCurrent();
    } catch {
      // tensors of a lost device may refuse to be released; they are unreachable anyway
    }
    this.pipeline.setSession(null, null);
    this.sessions.teardown(true);
    const ok = await this.createSession();
    const session = this.sessions.session;
    const source = this.sources.current;
    if (!ok || !session) {
      // No model any more: drop the stale overlay, the source goes on playing bare.
      this.host?.querySelector('canvas.stage-canvas')?.remove();
      this.store.set({ lastFrame: null });
      if (source && wasPlaying) await this.play();
      return;
    }
    this.post(deviceText.recovered(reason, session.info.backend.backend));
    if (source) {
      this.processing = { source, session };
      this.pipeline.restart();
      if (wasPlaying) await this.play();
      else await this.step(1);
    }
  }

  dispose(): void {
    this.pipeline.cancel();
    this.pipeline.stop();
    this.pipeline.disposeCurrent();
    this.sources.dispose();
    this.sessions.dispose();
  }
}
