// ILA on tfjs's webgl backend: two GLSL programs around a stock softmax. (1) window scores
// [G*h*w, M*L*L], masked candidates set to MASK_BIAS; (2) tf.softmax; (3) the weighted sum of the
// in-map values [G*h*w, T]. Three ops per call instead of the reference's GatherV2 copies of
// G*h*w*M*L*L key and value rows. Sizes are baked into the GLSL (tfjs caches one binary per source).
import * as tf from '@tensorflow/tfjs-core';
import type { GPGPUProgram } from '@tensorflow/tfjs-backend-webgl';
import { runWebGlProgram } from '../backendInternals';
import { type IlaDims, validateIlaInputs } from './validate';
import { MASK_BIAS } from './windowIndex';

function constants(dims: IlaDims): string {
  const { memory: M, height: H, width: W, keyChannels: D, window: L } = dims;
  return [
    `const int H = ${H};`, `const int W = ${W};`, `const int HW = ${H * W};`, `const int M = ${M};`,
    `const int L = ${L};`, `const int LL = ${L * L};`, `const int R = ${(L - 1) / 2};`, `const int D = ${D};`,
  ].join('\n');
}

/** Both programs' output rows are (group, position): decoded once here, in GLSL. */
const DECODE_ROW = `  int gp = coords.x;
  int g = gp / HW;
  int p = gp - g * HW;
  int y = p / W;
  int x = p - y * W;
`;

/** One program pair per ILA shape: built once, not per frame (the GLSL source is the tfjs cache key). */
const programs = new Map<string, { scores: GPGPUProgram; weightedSum: GPGPUProgram }>();

function programsFor(dims: IlaDims): { scores: GPGPUProgram; weightedSum: GPGPUProgram } {
  const key = JSON.stringify(dims);
  let pair = programs.get(key);
  if (!pair) {
    pair = { scores: scoresProgram(dims), weightedSum: weightedSumProgram(dims) };
    programs.set(key, pair);
  }
  return pair;
}

/** Scores of every (group, position) x (slot, window offset); out-of-map candidates get MASK_BIAS. */
function scoresProgram(dims: IlaDims): GPGPUProgram {
  const n = dims.memory * dims.window * dims.window;
  return {
    variableNames: ['Query', 'Keys'], // [G*HW, D], [G*M*HW, D]
    outputShape: [dims.groups * dims.height * dims.width, n],
    userCode: `
${constants(dims)}
void main() {
  ivec2 coords = getOutputCoords();
  int j = coords.y;
${DECODE_ROW}  int m = j / LL;
  int o = j - m * LL;
  int oy = o / L;
  int ky = y + oy - R;
  int kx = x + (o - oy * L) - R;
  if (ky < 0 || ky >= H || kx < 0 || kx >= W) {
    setOutput(${MASK_BIAS.toExponential()});
    return;
  }
  int row = (g * M + m) * HW + ky * W + kx;
  float s = 0.0;
  for (int c = 0; c < D; c++) {
    s += getQuery(gp, c) * getKeys(row, c);
  }
  setOutput(s * ${(1 / Math.sqrt(dims.keyChannels)).toPrecision(9)});
}`,
  };
}

/** Softmax-weighted sum of the in-map candidates' values (masked weights are exactly 0: skipped). */
function weightedSumProgram(dims: IlaDims): GPGPUProgram {
  return {
    variableNames: ['Weights', 'Values'], // [G*HW, M*LL], [G*M*HW, T]
    outputShape: [dims.groups * dims.height * dims.width, dims.valueChannels],
    userCode: `
${constants(dims)}
void main() {
  ivec2 coords = getOutputCoords();
  int t = coords.y;
${DECODE_ROW}  float acc = 0.0;
  for (int m = 0; m < M; m++) {
    for (int dy = 0; dy < L; dy++) {
      int ky = y + dy - R;
      if (ky < 0 || ky >= H) continue;
      for (int dx = 0; dx < L; dx++) {
        int kx = x + dx - R;
        if (kx < 0 || kx >= W) continue;
        acc += getWeights(gp, m * LL + dy * L + dx) * getValues((g * M + m) * HW + ky * W + kx, t);
      }
    }
  }
  setOutput(acc);
}`,
  };
}

function run(program: GPGPUProgram, inputs: tf.Tensor[]): tf.Tensor2D {
  return tf.engine().makeTensorFromTensorInfo(runWebGlProgram(tf.backend(), program, inputs, 'float32')) as tf.Tensor2D;
}

/** Why the webgl ILA cannot run on the active backend, or null when it can. */
export function ilaWebglUnavailableReason(): string | null {
  const backend = tf.getBackend();
  return backend === 'webgl' ? null : `active tfjs backend is '${backend}', not 'webgl'`;
}

/**
 * Grouped ILA on the webgl backend: query [G,h,w,d], keys [G*M,h,w,d], values [G*M,h,w,T] ->
 * [G,h,w,T]. Throws on any other backend.
 */
export function ilaWebglGrouped(
  query: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D, window: number,
): tf.Tensor4D {
  const dims = validateIlaInputs(query, keys, values, window);
  const reason = ilaWebglUnavailableReason();
  if (reason) throw new Error(`WebGL ILA unavailable: ${reason}`);
  const { groups: G, memory: M, height: h, width: w, keyChannels: d, valueChannels: T } = dims;
  const program = programsFor(dims);
  return tf.tidy(() => {
    const scores = run(program.scores, [tf.reshape(query, [G * h * w, d]), tf.reshape(keys, [G * M * h * w, d])]);
    const weights = tf.softmax(scores);
    const out = run(program.weightedSum, [weights, tf.reshape(values, [G * M * h * w, T])]);
    return tf.reshape(out, [G, h, w, T]);
  });
}
