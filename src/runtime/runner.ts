// The per-frame engine the app and the evaluator drive: preprocess, schedule, run the slow or
// fast path, keep the keyframe memory. Modes: 'mila' (slow keyframes + fast/ILA), 'fast-only'
// (fast net on every frame, no ILA), 'reuse' (keyframe outputs copied to the following frames).
import * as tf from '@tensorflow/tfjs-core';
import { disposeEntry, type KeyframeMemory } from './memory';
import { disposeOutputs, type MilaModel, type TaskOutputs } from './milaModel';
import { RUN_MODES, type FrameNet, type RunMode } from './modes';
import { KeyframeScheduler, type KeyframeCause, type ResetReason } from './scheduler';

export interface FramePrediction {
  index: number; // frames processed by this runner before this one
  isKeyframe: boolean; // the slow net ran on this frame
  offset: number; // processed frames since the last keyframe (0 on keyframes)
  net: FrameNet;
  keyframeCause: KeyframeCause | null; // why the slow net ran (null when it did not)
  segmentation: tf.Tensor4D; // [1,H,W,N] logits, owned by the prediction
  depth: tf.Tensor4D; // [1,H,W,1] metres, owned by the prediction
  labels(): tf.Tensor3D; // lazy argmax [1,H,W] int32, owned by the prediction
  dispose(): void;
}

class Prediction implements FramePrediction {
  private labelsTensor: tf.Tensor3D | null = null;
  private disposed = false;

  constructor(
    readonly index: number,
    readonly isKeyframe: boolean,
    readonly offset: number,
    readonly net: FrameNet,
    readonly segmentation: tf.Tensor4D,
    readonly depth: tf.Tensor4D,
    readonly keyframeCause: KeyframeCause | null = null,
  ) {}

  labels(): tf.Tensor3D {
    if (this.disposed) throw new Error(`FramePrediction ${this.index} has been disposed`);
    this.labelsTensor ??= tf.argMax(this.segmentation, 3) as tf.Tensor3D;
    return this.labelsTensor;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.segmentation.dispose();
    this.depth.dispose();
    this.labelsTensor?.dispose();
  }
}

function checkMode(mode: string): RunMode {
  if (!RUN_MODES.includes(mode as RunMode)) throw new RangeError(`runner mode must be one of ${RUN_MODES.join(', ')} (got ${mode})`);
  return mode as RunMode;
}

export class MilaRunner {
  private readonly scheduler: KeyframeScheduler;
  private readonly memory: KeyframeMemory;
  private mode: RunMode;
  private lastKeyframe: TaskOutputs | null = null; // 'reuse' mode only
  private processed = 0;
  private disposed = false;

  constructor(private readonly model: MilaModel, opts: { interval: number; mode?: RunMode }) {
    this.scheduler = new KeyframeScheduler(opts.interval);
    this.mode = checkMode(opts.mode ?? 'mila');
    this.memory = model.createMemory();
  }

  get interval(): number {
    return this.scheduler.interval;
  }

  get currentMode(): RunMode {
    return this.mode;
  }

  /** Number of keyframes currently held in the ILA memory. */
  get memorySize(): number {
    return this.memory.size;
  }

  setInterval(k: number): void {
    this.scheduler.setInterval(k);
  }

  /** Seek / new source / restart: the next frame is a keyframe and older keyframes are forgotten. */
  reset(reason: ResetReason): void {
    this.scheduler.reset(reason);
    this.forget();
  }

  /** Switching mode starts over with a keyframe (the memory of the other mode is not valid). */
  setMode(mode: RunMode): void {
    checkMode(mode);
    if (mode === this.mode) return;
    this.mode = mode;
    this.reset('start');
  }

  /** Runs one frame (HxWx3 RGB 0..255, any size); does not dispose `pixels`. */
  step(pixels: tf.Tensor3D): FramePrediction {
    if (this.disposed) throw new Error('MilaRunner has been disposed');
    const input = this.model.preprocess(pixels);
    try {
      const { isKeyframe, offset, cause } = this.scheduler.next();
      const index = this.processed++;
      if (this.mode === 'fast-only') {
        const o = this.model.runFastOnly(input);
        return new Prediction(index, false, offset, 'fast', o.segmentation, o.depth);
      }
      if (isKeyframe) {
        const { outputs, memoryEntry } = this.model.runKeyframe(input);
        if (this.mode === 'mila') {
          this.memory.push(memoryEntry);
        } else {
          disposeEntry(memoryEntry); // reuse needs no ILA memory
          if (this.lastKeyframe) disposeOutputs(this.lastKeyframe);
          this.lastKeyframe = { segmentation: tf.clone(outputs.segmentation), depth: tf.clone(outputs.depth) };
        }
        return new Prediction(index, true, 0, 'slow', outputs.segmentation, outputs.depth, cause);
      }
      if (this.mode === 'reuse') {
        const last = this.lastKeyframe!;
        return new Prediction(index, false, offset, 'reuse', tf.clone(last.segmentation), tf.clone(last.depth));
      }
      const o = this.model.runFastFrame(input, this.memory);
      return new Prediction(index, false, offset, 'fast+ila', o.segmentation, o.depth);
    } finally {
      input.dispose();
    }
  }

  /** Releases the runner's memory (not the model). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.forget();
  }

  private forget(): void {
    this.memory.clear();
    if (this.lastKeyframe) disposeOutputs(this.lastKeyframe);
    this.lastKeyframe = null;
  }
}
