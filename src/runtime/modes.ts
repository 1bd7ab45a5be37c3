// The runtime's vocabulary, defined once: run modes, the computations that produce a frame, and the
// tfjs backends. Everything above (engine, eval, app, URL parsing, CLIs) imports these; a new mode is
// added here, in the runner's step, in costModel's MODE_AVERAGE and in the app's labels (the last
// two are Records over RunMode, so the compiler names them).

/** mila: slow keyframes + fast/ILA; fast-only: fast net on every frame; reuse: keyframe outputs copied. */
export const RUN_MODES = ['mila', 'fast-only', 'reuse'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** Which computation produced a frame. */
export type FrameNet = 'slow' | 'fast+ila' | 'fast' | 'reuse';

/** tfjs backends, in the order tried when the preferred one fails. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
