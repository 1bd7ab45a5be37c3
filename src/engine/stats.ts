// Live statistics of the frame loop, framework-free: FPS, median latency of slow and fast frames,
// the stream's mean and p95 per frame (streamTiming.ts, as `npm run bench` reports them), frame
// counts, drops, and GFLOPs per frame from the runtime's cost model.
import { StreamTimer } from './streamTiming';

export interface FrameRecord {
  isKeyframe: boolean;
  ms: number; // capture -> inference -> drawn (GPU finished)
  at: number; // completion time, ms (performance.now())
  readbackBytes: number;
  gflops: number; // cost-model GFLOPs of the computation this frame ran (slow, fast+ILA, ...)
}

/** Cost-model figures for the current K and mode, to compare the measured mix against. */
export interface ExpectedCost {
  atK: number; // (slow + (K-1) fast) / K
  slowOnly: number; // every frame through the slow net
}

export interface StatsSnapshot {
  processed: number;
  keyframes: number;
  fastFrames: number;
  dropped: number;
  fps: number; // processed frames per second over the last FPS_WINDOW_MS
  medianSlowMs: number | null;
  medianFastMs: number | null;
  streamMeanMs: number | null; // all frames of the last STREAM_WINDOW at the current K and mode
  streamP95Ms: number | null;
  gflopsPerFrame: number | null; // measured mix of slow and fast frames so far
  gflopsAtK: number | null; // (slow + (K-1) fast) / K for the current K
  gflopsSlowOnly: number | null; // every frame through the slow net
  readbackBytesLastFrame: number;
  readbackBytesTotal: number;
}

const LATENCY_WINDOW = 60; // frames per median
const FPS_WINDOW_MS = 2000;
const STREAM_WINDOW = 60; // frames: three keyframe cycles at K=20

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export class FrameStats {
  private processed = 0;
  private keyframes = 0;
  private dropped = 0;
  private slowMs: number[] = [];
  private fastMs: number[] = [];
  private completions: number[] = [];
  private gflopsSum = 0;
  private lastReadback = 0;
  private totalReadback = 0;
  private stream = new StreamTimer(STREAM_WINDOW);
  private streamCost: number | null = null; // expected GFLOPs the stream window was measured at

  record(r: FrameRecord): void {
    this.processed++;
    if (r.isKeyframe) this.keyframes++;
    const window = r.isKeyframe ? this.slowMs : this.fastMs;
    window.push(r.ms);
    if (window.length > LATENCY_WINDOW) window.shift();
    this.stream.record(r.ms);
    this.completions.push(r.at);
    while (this.completions.length > 0 && this.completions[0] < r.at - FPS_WINDOW_MS) this.completions.shift();
    this.gflopsSum += r.gflops;
    this.lastReadback = r.readbackBytes;
    this.totalReadback += r.readbackBytes;
  }

  drop(): void {
    this.dropped++;
  }

  reset(): void {
    Object.assign(this, new FrameStats());
  }

  snapshot(now: number, expected: ExpectedCost | null): StatsSnapshot {
    const recent = this.completions.filter((t) => t >= now - FPS_WINDOW_MS);
    // Rate over the span actually covered, so the first seconds are not under-reported.
    const span = recent.length > 1 ? Math.max(recent[recent.length - 1] - recent[0], 1) : 0;
    const fps = recent.length > 1 ? ((recent.length - 1) * 1000) / span : 0;
    const fast = this.processed - this.keyframes;
    // A new K or mode changes the expected cost: start the stream window over, so its mean and
    // p95 describe the current setting and not a mix.
    const cost = expected?.atK ?? null;
    if (cost !== this.streamCost) {
      if (this.streamCost !== null) this.stream.reset();
      this.streamCost = cost;
    }
    const stream = this.stream.summary();
    return {
      processed: this.processed,
      keyframes: this.keyframes,
      fastFrames: fast,
      dropped: this.dropped,
      fps,
      medianSlowMs: median(this.slowMs),
      medianFastMs: median(this.fastMs),
      streamMeanMs: stream?.meanMs ?? null,
      streamP95Ms: stream?.p95Ms ?? null,
      gflopsPerFrame: this.processed > 0 ? this.gflopsSum / this.processed : null,
      gflopsAtK: expected?.atK ?? null,
      gflopsSlowOnly: expected?.slowOnly ?? null,
      readbackBytesLastFrame: this.lastReadback,
      readbackBytesTotal: this.totalReadback,
    };
  }
}
