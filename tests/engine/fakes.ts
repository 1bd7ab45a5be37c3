// Node fakes for the engine's parts: a video element, a model session (runner + renderer), a
// capturer, a frame loop driven by hand, and the store/board pair every part reports to.
import { vi } from 'vitest';
import { initialEngineState, type EngineState } from '../../src/engine/engineState';
import type { Capturer, Loop, LoopFactory, PipelineSession } from '../../src/engine/framePipeline';
import { MessageBoard } from '../../src/engine/messageBoard';
import { FrameStats } from '../../src/engine/stats';
import { Store } from '../../src/engine/store';
import type { FrameSource } from '../../src/source/types';
import type { CostModel } from '../../src/runtime/costModel';
import type { FrameNet } from '../../src/runtime/modes';

export function initialState(): EngineState {
  const settings = { model: 'm', k: 5, view: 'split', opacity: 0.6, split: 0.5, src: '', backend: null, loop: true, play: true, mode: 'mila' } as const;
  return initialEngineState({ ...settings }, new FrameStats().snapshot(0, null));
}

export function storeAndBoard() {
  const store = new Store<EngineState>(initialState());
  return { store, board: new MessageBoard(store) };
}

export const messageIds = (store: Store<EngineState>) => store.get().messages.map((m) => m.id);

/** An HTMLVideoElement as far as the engine uses it: events, time, play/pause, loop, removal. */
export class FakeVideo extends EventTarget {
  loop = false;
  className = '';
  declare currentTime: number; // accessor below: assignments fire 'seeked'
  duration = 10;
  ended = false;
  paused = true;
  removed = false;
  error: MediaError | null = null;
  playError: Error | null = null;
  constructor(readonly videoWidth = 640, readonly videoHeight = 360) {
    super();
  }
  async play(): Promise<void> {
    if (this.playError) throw this.playError;
    this.paused = false;
  }
  pause(): void {
    this.paused = true;
  }
  remove(): void {
    this.removed = true;
  }
}
// Seeking completes on a later tick, as in a browser: assigning currentTime fires 'seeked' then.
Object.defineProperty(FakeVideo.prototype, 'currentTime', {
  get(this: { _t?: number }) {
    return this._t ?? 0;
  },
  set(this: FakeVideo & { _t?: number }, t: number) {
    this._t = t;
    setTimeout(() => this.dispatchEvent(new Event('seeked')), 0);
  },
});

export function fakeSource(
  label: string,
  opts: { canSeek?: boolean; fps?: number | null; width?: number; height?: number; playableEnd?: number | null; notice?: string | null } = {},
) {
  const video = new FakeVideo(opts.width ?? 640, opts.height ?? 360);
  const source = {
    kind: 'file' as const,
    label,
    video: video as unknown as HTMLVideoElement,
    width: opts.width ?? 640,
    height: opts.height ?? 360,
    fps: opts.fps === undefined ? 10 : opts.fps,
    canSeek: opts.canSeek ?? true,
    playableEnd: opts.playableEnd ?? null,
    notice: opts.notice ?? null,
    disposed: false,
    dispose() {
      this.disposed = true;
    },
  };
  return { source: source as FrameSource & { disposed: boolean }, video };
}

/** A tensor stand-in that knows whether it was disposed. */
export const fakeTensor = () => ({ disposed: false, dispose() { this.disposed = true; } });

export const COST: CostModel = { slowGflops: 10, fastGflops: 2, fastOnlyGflops: 1.5, ilaGflops: 0.5, averageGflops: (k) => (10 + (k - 1) * 2) / k };

/** Runner + renderer: keyframe every `k` frames, render resolves when the test says so (or at once). */
export function fakeSession(k = 2) {
  let index = 0;
  const predictions: { net: FrameNet; disposed: boolean }[] = [];
  const runner = {
    step: vi.fn((_pixels: unknown) => {
      const isKeyframe = index % k === 0;
      const p = {
        index: index++, isKeyframe, offset: 0, net: (isKeyframe ? 'slow' : 'fast+ila') as FrameNet, keyframeCause: isKeyframe ? 'interval' : null,
        segmentation: fakeTensor(), depth: fakeTensor(), disposed: false,
        labels: () => fakeTensor(),
        dispose() { this.disposed = true; },
      };
      predictions.push(p);
      return p;
    }),
    reset: vi.fn(),
  };
  const renderer = { render: vi.fn(async (_frame: unknown, _options: unknown) => {}) };
  const session = { runner, renderer, info: { cost: COST } } as unknown as PipelineSession;
  return { session, runner, renderer, predictions };
}

export function fakeCapturer() {
  const frames: ReturnType<typeof fakeTensor>[] = [];
  const capturer: Capturer & { frames: typeof frames } = {
    frames,
    capture: vi.fn(async () => {
      const pixels = fakeTensor();
      frames.push(pixels);
      return { pixels: pixels as never, bitmap: null };
    }),
  };
  return capturer;
}

/** A loop whose frames run when the test calls `tick` (or through runExclusive, like stepping). */
export function manualLoop() {
  const made: { loop: Loop & { running: boolean }; tick(t: number): Promise<void> }[] = [];
  const factory: LoopFactory = (_video, onFrame) => {
    let inFlight: Promise<void> | null = null;
    const loop = {
      running: false,
      get busy() { return inFlight !== null; },
      start() { this.running = true; },
      stop() { this.running = false; },
      async runExclusive(info: { mediaTime: number }) {
        while (inFlight) await inFlight;
        inFlight = onFrame(info).finally(() => { inFlight = null; });
        await inFlight;
      },
      async idle() { while (inFlight) await inFlight; },
    };
    made.push({ loop, tick: (t) => loop.runExclusive({ mediaTime: t }) });
    return loop;
  };
  return { factory, made };
}
