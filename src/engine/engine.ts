// The frame engine: source -> model runtime -> renderer, framework-free. Owns the model session,
// the current source, the frame loop, statistics, recording and recovery from a lost GPU device.
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_MODEL_ID, TINY_MODEL_ID, type AppSettings } from '../app/urlState';
import type { FramePrediction } from '../runtime';
import type { OverlayFrame } from '../render/types';
import { fitWithin } from '../source/displaySize';
import { FrameCapturer } from '../source/frameCapture';
import { listSamples, openSample } from '../source/samples';
import type { FrameSource } from '../source/types';
import { seekVideo } from '../source/seek';
import { playbackDamagedText } from '../source/sourceText';
import { openVideoFile } from '../source/videoElementSource';
import { openWebcam } from '../source/webcamSource';
import { resetWebGpuBackend, settleWithin } from './deviceRecovery';
import type { EngineState, SourceSummary } from './engineState';
import { FrameLoop, type VideoFrameInfo } from './frameLoop';
import { backendFallbackMessage, CHOOSE_SOURCE_HINT, compositingFallbackMessage, errorText, modelProblemMessage, sampleMissingMessage, sourceProblemMessage, type EngineMessage } from './messages';
import { forgetCachedModel } from './modelCache';
import { ModelMissingError, ModelSession, modelBaseUrl, type LoadPhase } from './modelSession';
import { ReadbackMeter } from './readbackMeter';
import { CanvasRecorder, downloadBlob } from './recorder';
import { FrameStats } from './stats';
import { Store } from './store';

const DEFAULT_FPS = 30;
const STATS_EMIT_MS = 250;

interface CurrentFrame {
  frame: OverlayFrame;
  prediction: FramePrediction;
}

export class MilaEngine {
  readonly store: Store<EngineState>;
  private session: ModelSession | null = null;
  private source: FrameSource | null = null;
  private loop: FrameLoop | null = null;
  private capturer: FrameCapturer | null = null;
  private current: CurrentFrame | null = null;
  private redrawing: Promise<void> | null = null;
  private readonly stats = new FrameStats();
  readonly meter = new ReadbackMeter();
  private host: HTMLElement | null = null;
  private generation = 0; // bumped on teardown: late results of older sessions are ignored
  private positionProcessed = false; // the frame at the video's current position has been drawn
  private lastMediaTime = -1;
  private lastStatsEmit = 0;
  private tearingDown = false;
  private sourceRequests = 0; // sources asked for so far; the newest request wins
  private processing: { source: FrameSource; session: ModelSession } | null = null; // see startProcessing()
  deviceLosses = 0;
  lastError: string | null = null;

  constructor(settings: AppSettings) {
    this.store = new Store<EngineState>({
      phase: 'starting',
      phaseDetail: '',
      progress: null,
      backend: null,
      renderer: null,
      model: null,
      samples: [],
      source: null,
      opening: null,
      playing: false,
      lastFrame: null,
      stats: this.stats.snapshot(0, null),
      messages: [],
      recording: false,
      settings,
    });
  }

  get settings(): AppSettings {
    return this.store.get().settings;
  }

  get activeSession(): ModelSession | null {
    return this.session;
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
    if (problem) this.post({ id: 'samples', level: 'warning', text: problem });
    // A source the user chose (or is opening) while the samples were listed wins over the URL's.
    if (this.sourceRequests === 0) await this.openInitialSource();
    const ok = await sessionReady;
    if (ok) await this.startProcessing();
    else await this.playUnprocessed();
  }

  /**
   * Hands the source on screen to the model session, once per (source, session) pair: called when
   * the model becomes ready (the source was shown while it loaded) and when a source opens.
   */
  private async startProcessing(): Promise<void> {
    const src = this.source;
    const session = this.session;
    if (!src || !session || !this.loop) return;
    if (this.processing?.source === src && this.processing.session === session) return; // already under way
    this.processing = { source: src, session };
    session.runner.reset('source');
    this.positionProcessed = false;
    this.lastMediaTime = -1;
    if (this.settings.play) await this.play();
    else await this.step(1);
  }

  /** No model (it failed to load): the source still shows and plays, without overlays. */
  private async playUnprocessed(): Promise<void> {
    if (this.source && this.settings.play && this.store.get().phase === 'failed') await this.play();
  }

  private async createSession(): Promise<boolean> {
    const s = this.settings;
    const phaseNames: Record<LoadPhase, EngineState['phase']> = { backend: 'backend', weights: 'weights', warmup: 'warmup' };
    try {
      const session = await ModelSession.create(
        { modelId: s.model, backend: s.backend, k: s.k, mode: s.mode, canvas: () => this.newCanvas() },
        {
          onPhase: (phase, detail) => this.store.set({ phase: phaseNames[phase], phaseDetail: detail, progress: phase === 'weights' ? { loaded: 0, total: 0 } : this.store.get().progress }),
          onProgress: (loaded, total) => this.store.set({ progress: { loaded, total } }),
        },
      );
      this.session = session;
      this.meter.install();
      this.capturer = new FrameCapturer(session.renderer.kind === 'canvas2d');
      const { info } = session;
      const cfg = info.model.config;
      this.store.set({
        phase: 'ready',
        phaseDetail: '',
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
        },
      });
      this.clear('model');
      if (info.backend.fallbackReason) this.post(backendFallbackMessage(info.backend.backend, s.backend ?? 'webgpu', info.backend.fallbackReason));
      if (info.canvasFallbackReason) this.post(compositingFallbackMessage(info.canvasFallbackReason));
      this.watchDevice(session);
      return true;
    } catch (e) {
      this.lastError = errorText(e);
      const missing = e instanceof ModelMissingError;
      if (!missing) void forgetCachedModel(modelBaseUrl(s.model));
      this.store.set({ phase: 'failed', phaseDetail: '', progress: null });
      this.post(modelProblemMessage(e, s.model, DEFAULT_MODEL_ID, TINY_MODEL_ID, missing));
      return false;
    }
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
    if (!sample) {
      this.post(sampleMissingMessage(want));
      return;
    }
    await this.openSample(sample.id);
  }

  // ------------------------------------------------------------------ sources

  async openSample(id: string): Promise<void> {
    const info = this.store.get().samples.find((x) => x.id === id);
    if (!info) return this.post({ id: 'source', level: 'error', text: `Sample "${id}" does not exist.` });
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
   * When several opens overlap, the one asked for last wins; an older one that finishes later is dropped.
   */
  private async switchSource(what: string, id: string, open: () => Promise<FrameSource>): Promise<void> {
    const request = ++this.sourceRequests;
    this.store.set({ opening: what });
    let source: FrameSource;
    try {
      source = await open();
    } catch (e) {
      if (request !== this.sourceRequests) return; // superseded: its problem no longer matters
      this.lastError = errorText(e);
      this.store.set({ opening: null });
      this.post(sourceProblemMessage(e));
      return;
    }
    if (request !== this.sourceRequests) {
      source.dispose();
      return;
    }
    this.store.set({ opening: null });
    this.clear('source');
    await this.useSource(source, id);
  }

  private async useSource(source: FrameSource, id: string): Promise<void> {
    this.loop?.stop();
    await this.loop?.idle();
    this.disposeCurrent();
    const old = this.source;
    old?.video.remove();
    old?.dispose();
    this.source = source;
    const v = source.video;
    v.loop = this.settings.loop && source.canSeek;
    v.className = 'stage-video';
    this.host?.prepend(v);
    v.addEventListener('ended', () => this.store.set({ playing: false }));
    this.session?.runner.reset('source');
    this.positionProcessed = false;
    this.lastMediaTime = -1;
    this.loop = new FrameLoop(v, (info) => this.processFrame(info), () => this.onDrop());
    const size = fitWithin(v.videoWidth, v.videoHeight); // what FrameCapturer will capture
    const summary: SourceSummary = {
      kind: source.kind,
      id,
      label: source.label,
      width: source.width,
      height: source.height,
      displayWidth: size.width,
      displayHeight: size.height,
      scaled: size.scaled,
      broken: null,
    };
    this.store.set({ source: summary, settings: { ...this.settings, src: id } });
    if (source.notice) this.post({ id: 'source', level: 'warning', text: source.notice, action: 'dismiss' });
    v.addEventListener('error', () => {
      if (this.source !== source) return;
      this.lastError = playbackDamagedText(source.label, v.currentTime, v.error?.message);
      this.post({ id: 'source', level: 'error', text: this.lastError, action: 'dismiss' });
      this.pause();
      this.store.set({ source: { ...summary, broken: this.lastError } });
    });
    if (size.scaled) {
      this.post({ id: 'scaled', level: 'info', text: `"${source.label}" is ${source.width}x${source.height}: frames are scaled to ${size.width}x${size.height} for display and then to the model's input size.` });
    } else {
      this.clear('scaled');
    }
    if (!this.session) {
      // Loading: the first frame stays on screen until startProcessing(). Failed: play it bare.
      await this.playUnprocessed();
      return;
    }
    await this.startProcessing(); // play, or show the first frame in stepping mode (play=0)
  }

  // ------------------------------------------------------------------ playback

  /** Plays with processing; without a model (it failed to load) the bare video plays. */
  async play(): Promise<void> {
    const src = this.source;
    if (!src || !this.loop || src.video.error) return;
    const processing = this.session !== null;
    if (!processing && this.store.get().phase !== 'failed') return; // loading: startProcessing() plays it
    if (src.canSeek && src.video.ended) src.video.currentTime = 0;
    if (processing) this.loop.start();
    try {
      await src.video.play();
      this.store.set({ playing: true });
    } catch (e) {
      this.loop.stop();
      this.post({ id: 'playback', level: 'error', text: `Playback could not start: ${errorText(e)}` });
    }
  }

  pause(): void {
    this.source?.video.pause();
    this.loop?.stop();
    this.positionProcessed = true; // the paused position was shown (or deliberately dropped)
    this.store.set({ playing: false });
  }

  /** Processes the next `n` frames one by one (deterministic: used by the step button and tests). */
  async step(n = 1): Promise<void> {
    if (this.store.get().playing) this.pause();
    for (let i = 0; i < n; i++) {
      const src = this.source;
      const loop = this.loop;
      if (!src || !loop || !this.session || src.video.error) return;
      if (this.positionProcessed && src.canSeek) {
        const advanced = await this.seekToNextFrame(src);
        if (!advanced) return;
      }
      await loop.runExclusive({ mediaTime: src.video.currentTime });
    }
  }

  private async seekToNextFrame(src: FrameSource): Promise<boolean> {
    const v = src.video;
    const fps = src.fps ?? DEFAULT_FPS;
    const index = Math.floor(v.currentTime * fps + 1e-3);
    // Mid-frame times land on the wanted frame whatever the decoder's rounding.
    let target = (index + 1.5) / fps;
    const end = src.playableEnd ?? v.duration; // a truncated file's frames end before its duration
    if (Number.isFinite(end) && target >= end) {
      if (!this.settings.loop) {
        this.post({ id: 'playback', level: 'info', text: 'End of the clip.' });
        return false;
      }
      target = 0.5 / fps;
    }
    return seekVideo(v, target);
  }

  // ------------------------------------------------------------------ the frame

  private onDrop(): void {
    this.stats.drop();
  }

  private async processFrame(info: VideoFrameInfo): Promise<void> {
    const session = this.session;
    const source = this.source;
    const capturer = this.capturer;
    if (!session || !source || !capturer) return;
    const gen = this.generation;
    // A jump back in time (loop wrap, seek) breaks temporal continuity: start from a keyframe.
    if (info.mediaTime < this.lastMediaTime - 1e-3) session.runner.reset('seek');
    this.lastMediaTime = info.mediaTime;
    const t0 = performance.now();
    this.meter.beginFrame();
    let next: CurrentFrame | null = null;
    let pixels: tf.Tensor3D | null = null;
    let bitmap: ImageBitmap | null = null;
    try {
      ({ pixels, bitmap } = await capturer.capture(source.video));
      if (gen !== this.generation) throw new Error('stale');
      const prediction = session.runner.step(pixels);
      next = { prediction, frame: { pixels, bitmap, labels: prediction.labels(), depth: prediction.depth, isKeyframe: prediction.isKeyframe } };
      await session.renderer.render(next.frame, this.renderOptions());
      if (gen !== this.generation) throw new Error('stale');
    } catch (e) {
      if (next) next.prediction.dispose();
      pixels?.dispose();
      bitmap?.close();
      if (gen === this.generation && errorText(e) !== 'stale') this.reportFrameError(e);
      return;
    }
    const readbackBytes = this.meter.endFrame();
    await this.replaceCurrent(next);
    this.positionProcessed = true;
    const p = next.prediction;
    this.stats.record({ isKeyframe: p.isKeyframe, ms: performance.now() - t0, at: performance.now(), readbackBytes, gflops: session.frameGflops(p.isKeyframe, this.settings.mode) });
    this.store.set({ lastFrame: { index: p.index, isKeyframe: p.isKeyframe, net: p.net, mediaTime: info.mediaTime } });
    this.clear('frame');
    this.emitStats(false);
  }

  private reportFrameError(e: unknown): void {
    this.lastError = errorText(e);
    this.post({ id: 'frame', level: 'error', text: `A frame could not be processed: ${this.lastError}` });
  }

  private async replaceCurrent(next: CurrentFrame): Promise<void> {
    if (this.redrawing) await this.redrawing;
    this.disposeCurrent();
    this.current = next;
  }

  private disposeCurrent(): void {
    if (!this.current) return;
    this.current.prediction.dispose();
    this.current.frame.pixels.dispose();
    this.current.frame.bitmap?.close();
    this.current = null;
  }

  private renderOptions() {
    const s = this.settings;
    return { view: s.view, opacity: s.opacity, split: s.split };
  }

  /** Redraws the last frame with new view options (when paused: the loop would do it otherwise). */
  private redraw(): void {
    const session = this.session;
    const cur = this.current;
    if (!session || !cur || this.loop?.busy || this.redrawing) return;
    this.redrawing = session.renderer
      .render(cur.frame, this.renderOptions())
      .catch((e) => this.reportFrameError(e))
      .finally(() => {
        this.redrawing = null;
      });
  }

  private emitStats(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastStatsEmit < STATS_EMIT_MS) return;
    this.lastStatsEmit = now;
    const s = this.settings;
    this.store.set({ stats: this.stats.snapshot(now, this.session?.expectedGflops(s.k, s.mode) ?? null) });
  }

  /** Current statistics, computed now (the store's copy is throttled). */
  statsNow() {
    const s = this.settings;
    return this.stats.snapshot(performance.now(), this.session?.expectedGflops(s.k, s.mode) ?? null);
  }

  // ------------------------------------------------------------------ settings

  update(patch: Partial<AppSettings>): void {
    const prev = this.settings;
    const next = { ...prev, ...patch };
    this.store.set({ settings: next });
    const runner = this.session?.runner;
    if (patch.k !== undefined && patch.k !== prev.k) runner?.setInterval(next.k); // the next frame obeys it
    if (patch.mode !== undefined && patch.mode !== prev.mode) runner?.setMode(next.mode);
    if (patch.loop !== undefined && this.source?.canSeek) this.source.video.loop = next.loop;
    if (patch.view !== undefined || patch.opacity !== undefined || patch.split !== undefined) this.redraw();
    this.emitStats(true);
  }

  resetStats(): void {
    this.stats.reset();
    this.emitStats(true);
  }

  // ------------------------------------------------------------------ export

  private readonly recorder = new CanvasRecorder();

  startRecording(): void {
    const canvas = this.session?.renderer.canvas;
    if (!canvas) return;
    try {
      this.recorder.start(canvas, this.source?.fps ?? DEFAULT_FPS);
      this.store.set({ recording: true });
      this.clear('recording');
    } catch (e) {
      this.post({ id: 'recording', level: 'error', text: errorText(e) });
    }
  }

  /** Stops recording and downloads the WebM; resolves with it (null when nothing was recorded). */
  async stopRecording(): Promise<Blob | null> {
    const blob = await this.recorder.stop();
    this.store.set({ recording: false });
    if (blob.size === 0) {
      this.post({ id: 'recording', level: 'warning', text: 'Nothing was recorded: no frame was drawn while recording.' });
      return null;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    downloadBlob(blob, `mila-web-${stamp}.webm`);
    return blob;
  }

  // ------------------------------------------------------------------ messages

  post(m: EngineMessage): void {
    const rest = this.store.get().messages.filter((x) => x.id !== m.id);
    this.store.set({ messages: [...rest, m] });
  }

  clear(id: string): void {
    const msgs = this.store.get().messages;
    if (msgs.some((m) => m.id === id)) this.store.set({ messages: msgs.filter((m) => m.id !== id) });
  }

  // ------------------------------------------------------------------ GPU device loss

  private watchDevice(session: ModelSession): void {
    const device = session.device;
    if (!device) return;
    void device.lost.then((info) => {
      if (this.session !== session || this.tearingDown) return; // our own teardown
      this.deviceLosses++;
      void this.recover(`${info.reason}${info.message ? `: ${info.message}` : ''}`);
    });
  }

  /** Rebuilds backend, model and renderer after a lost device, then resumes the source. */
  async recover(reason: string): Promise<void> {
    const wasPlaying = this.store.get().playing;
    this.generation++;
    this.loop?.stop();
    this.source?.video.pause();
    this.store.set({ phase: 'recovering', phaseDetail: `GPU device lost (${reason}): re-initialising`, playing: false });
    this.post({ id: 'device', level: 'warning', text: `The GPU device was lost (${reason}). Re-initialising the backend and reloading the model...` });
    if (this.loop) await settleWithin(this.loop.idle(), 3000);
    this.tearingDown = true;
    try {
      this.disposeCurrent();
      this.session?.dispose();
    } catch {
      // resources of a lost device may refuse to be released; they are unreachable anyway
    }
    this.session = null;
    this.meter.uninstall();
    resetWebGpuBackend();
    this.tearingDown = false;
    const ok = await this.createSession();
    if (!ok) {
      // No model any more: drop the stale overlay, the source goes on playing bare.
      this.host?.querySelector('canvas.stage-canvas')?.remove();
      this.store.set({ lastFrame: null });
      if (this.source && wasPlaying) await this.play();
      return;
    }
    this.post({ id: 'device', level: 'info', text: `Recovered from a lost GPU device (${reason}); now on ${this.session!.info.backend.backend}.` });
    if (this.source) {
      this.processing = { source: this.source, session: this.session! };
      this.session!.runner.reset('source');
      this.positionProcessed = false;
      if (wasPlaying) await this.play();
      else await this.step(1);
    }
  }

  dispose(): void {
    this.tearingDown = true;
    this.generation++;
    this.loop?.stop();
    this.disposeCurrent();
    this.source?.dispose();
    this.session?.dispose();
    this.meter.uninstall();
  }
}
