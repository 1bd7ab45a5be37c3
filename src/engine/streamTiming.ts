// Per-frame wall time of a stream of frames, summarised as a user or a benchmark reads it: mean,
// median, p95, p99 and the frame rate the mean allows. Shared by the page's live stats
// (stats.ts) and the streamed benchmark (bench/streamBench.ts), so both report the same figures.

export interface StreamSummary {
  frames: number;
  meanMs: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  fps: number; // 1000 / mean: frames per second if frames were processed back to back
}

/** Nearest-rank percentile (p in (0, 100]) of ascending `sorted`: the smallest value with at least p% at or below it. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** Summary of per-frame milliseconds, or null for an empty stream. */
export function summarizeFrameTimes(ms: readonly number[]): StreamSummary | null {
  if (ms.length === 0) return null;
  for (const v of ms) if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`frame time must be a finite number >= 0 ms, got ${v}`);
  const sorted = [...ms].sort((a, b) => a - b);
  const n = sorted.length;
  const meanMs = sorted.reduce((a, b) => a + b, 0) / n;
  const medianMs = n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { frames: n, meanMs, medianMs, p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), fps: meanMs > 0 ? 1000 / meanMs : Infinity };
}

/** The last `capacity` frame times of a live stream (keyframes and fast frames together). */
export class StreamTimer {
  private times: number[] = [];

  constructor(readonly capacity = 120) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`StreamTimer capacity must be an integer >= 1, got ${capacity}`);
  }

  record(ms: number): void {
    this.times.push(ms);
    if (this.times.length > this.capacity) this.times.shift();
  }

  reset(): void {
    this.times = [];
  }

  summary(): StreamSummary | null {
    return summarizeFrameTimes(this.times);
  }
}
