// One frame, start to end: capture the video frame, step the runner, render, record statistics.
// Owns the frame loop of the current video, the frame on screen (for redraws) and the position
// bookkeeping of stepping. Work started before `cancel()` is dropped when it resumes (AbortSignal).
import type * as tf from '@tensorflow/tfjs-core';
import type { OverlayFrame, OverlayOptions, OverlayRenderer } from '../render/types';
import { frameNetGflops, type CostModel } from '../runtime/costModel';
import type { FramePrediction, MilaRunner } from '../runtime/runner';
import type { CapturedFrame } from '../source/frameCapture';
import { CancelScope } from './cancelScope';
import { FrameLoop, type VideoFrameInfo } from './frameLoop';
import type { LastFrame } from './engineState';
import type { MessageBoard } from './messageBoard';
import { errorText, frameFailedMessage } from './messages';
import type { FrameStats } from './stats';

/** What the pipeline needs of a model session (ModelSession satisfies it). */
export interface PipelineSession {
  runner: Pick<MilaRunner, 'step' | 'reset'>;
  renderer: Pick<OverlayRenderer, 'render'>;
  info: { cost: CostModel };
}

export interface Capturer {
  capture(video: HTMLVideoElement): Promise<CapturedFrame>;
}

/** What the pipeline needs of a frame loop (FrameLoop satisfies it). */
export interface Loop {
  readonly busy: boolean;
  start(): void;
  stop(): void;
  runExclusive(info: VideoFrameInfo): Promise<void>;
  idle(): Promise<void>;
}

export type LoopFactory = (video: HTMLVideoElement, onFrame: (info: VideoFrameInfo) => Promise<void>, onDrop: () => void) => Loop;

export interface PipelineDeps {
  stats: FrameStats;
  board: MessageBoard;
  meter: { beginFrame(): void; endFrame(): number };
  renderOptions: () => OverlayOptions;
  onFrameDone: (frame: LastFrame) => void;
  createLoop?: LoopFactory;
  now?: () => number;
}

interface CurrentFrame {
  frame: OverlayFrame;
  prediction: FramePrediction;
}

export class FramePipeline {
  private session: PipelineSession | null = null;
  private capturer: Capturer | null = null;
  private video: HTMLVideoElement | null = null;
  private loop: Loop | null = null;
  private current: CurrentFrame | null = null;
  private redrawing: Promise<void> | null = null;
  private lastMediaTime = -1;
  private readonly scope = new CancelScope();
  private readonly createLoop: LoopFactory;
  private readonly now: () => number;
  /** The frame at the video's current position has been drawn (or deliberately skipped): stepping seeks on. */
  positionProcessed = false;

  constructor(private readonly deps: PipelineDeps) {
    this.createLoop = deps.createLoop ?? ((video, onFrame, onDrop) => new FrameLoop(video, onFrame, onDrop));
    this.now = deps.now ?? (() => performance.now());
  }

  get hasVideo(): boolean {
    return this.loop !== null;
  }

  get hasSession(): boolean {
    return this.session !== null;
  }

  /** Runs frames through `session` from now on (null: no model, frames are not processed). */
  setSession(session: PipelineSession | null, capturer: Capturer | null): void {
    this.session = session;
    this.capturer = capturer;
  }

  /** Stops the old video's loop, drops its frame and follows `video` (from its first frame, a keyframe). */
  async attach(video: HTMLVideoElement): Promise<void> {
    await this.detach();
    this.video = video;
    this.loop = this.createLoop(video, (info) => this.process(info), () => this.deps.stats.drop());
    this.restart();
  }

  /** Stops the loop, waits for the frame in flight and drops the frame on screen. */
  async detach(): Promise<void> {
    this.loop?.stop();
    await this.loop?.idle();
    this.disposeCurrent();
    this.loop = null;
    this.video = null;
  }

  /** The next frame starts a new temporal sequence (new source or session): a keyframe. */
  restart(): void {
    this.session?.runner.reset('source');
    this.positionProcessed = false;
    this.lastMediaTime = -1;
  }

  start(): void {
    if (this.session) this.loop?.start();
  }

  stop(): void {
    this.loop?.stop();
  }

  /** Waits for the frame in flight, then processes the frame at `mediaTime` (stepping). */
  async runOne(mediaTime: number): Promise<void> {
    await this.loop?.runExclusive({ mediaTime });
  }

  idle(): Promise<void> {
    return this.loop?.idle() ?? Promise.resolve();
  }

  /** Drops the results of every frame in flight (device lost, teardown). */
  cancel(): void {
    this.scope.cancel();
  }

  private async process(info: VideoFrameInfo): Promise<void> {
    const { session, capturer, video } = this;
    if (!session || !capturer || !video) return;
    const signal = this.scope.signal;
    // A jump back in time (loop wrap, seek) breaks temporal continuity: start from a keyframe.
    if (info.mediaTime < this.lastMediaTime - 1e-3) session.runner.reset('seek');
    this.lastMediaTime = info.mediaTime;
    const t0 = this.now();
    this.deps.meter.beginFrame();
    let next: CurrentFrame | null = null;
    let captured: CapturedFrame | null = null;
    const drop = () => {
      next?.prediction.dispose();
      captured?.pixels.dispose();
      captured?.bitmap?.close();
    };
    try {
      captured = await capturer.capture(video);
      if (signal.aborted) return drop();
      const prediction = session.runner.step(captured.pixels as tf.Tensor3D);
      next = { prediction, frame: { ...captured, labels: prediction.labels(), depth: prediction.depth, isKeyframe: prediction.isKeyframe } };
      await session.renderer.render(next.frame, this.deps.renderOptions());
    } catch (e) {
      drop();
      if (!signal.aborted) this.reportError(e);
      return;
    }
    if (signal.aborted) return drop();
    const readbackBytes = this.deps.meter.endFrame();
    await this.replaceCurrent(next);
    this.positionProcessed = true;
    const p = next.prediction;
    const at = this.now();
    this.deps.stats.record({ isKeyframe: p.isKeyframe, ms: at - t0, at, readbackBytes, gflops: frameNetGflops(session.info.cost, p.net) });
    this.deps.board.clear('frame');
    this.deps.onFrameDone({ index: p.index, isKeyframe: p.isKeyframe, net: p.net, keyframeCause: p.keyframeCause, mediaTime: info.mediaTime });
  }

  private reportError(e: unknown): void {
    this.deps.board.fail(errorText(e), frameFailedMessage(e));
  }

  private async replaceCurrent(next: CurrentFrame): Promise<void> {
    if (this.redrawing) await this.redrawing;
    this.disposeCurrent();
    this.current = next;
  }

  disposeCurrent(): void {
    if (!this.current) return;
    this.current.prediction.dispose();
    this.current.frame.pixels.dispose();
    this.current.frame.bitmap?.close();
    this.current = null;
  }

  /** Redraws the frame on screen with new view options (when paused: the loop would do it otherwise). */
  redraw(): void {
    const { session, current } = this;
    if (!session || !current || this.loop?.busy || this.redrawing) return;
    this.redrawing = session.renderer
      .render(current.frame, this.deps.renderOptions())
      .catch((e) => this.reportError(e))
      .finally(() => {
        this.redrawing = null;
      });
  }
}
