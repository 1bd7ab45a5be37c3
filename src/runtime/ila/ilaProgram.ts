// The tfjs-backend-webgpu program object for the fused ILA kernel: shape-specialised constants
// prepended to ila.wgsl, one workgroup per output position, one dispatch per call (layout: ila.wgsl header).
// Implements tfjs's WebGPUProgram interface (a type-only import: the app loads the webgpu backend
// package only when WebGPU is chosen).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { IlaDims } from './validate';
import { ilaWgslSource } from './wgslSource';

/**
 * Threads per workgroup (a power of two: the max reduction halves it). 64 = two warps on NVIDIA:
 * production (162 candidates, T/4 = 32 channel vectors) runs 3 score rounds and 2 x 32 (partition,
 * lane) threads for the weighted sum. Measured on SwiftShader at 8x16, d 64, T 128, L 9, M 2:
 * 64 -> ~0.3-0.6 s, 128 -> ~0.9-1.1 s, 256 -> ~2.1-2.3 s per call (bigger groups cost barriers there).
 */
export const ILA_WORKGROUP = 64;

/** WebGPU's guaranteed minimum maxComputeWorkgroupStorageSize. */
const WORKGROUP_STORAGE_LIMIT = 16384;

export interface IlaKernelLayout {
  keyVec: 1 | 4; // KVec width: 4 when d % 4 == 0
  valueVec: 1 | 4; // VVec width: 4 when T % 4 == 0
  dVec: number; // d / keyVec
  tVec: number; // T / valueVec
  workgroup: number; // threads per workgroup
  lanes: number; // channel vectors handled in parallel
  parts: number; // candidate partitions per lane
  workgroupBytes: number;
}

export function ilaKernelLayout(dims: IlaDims): IlaKernelLayout {
  const keyVec = dims.keyChannels % 4 === 0 ? 4 : 1;
  const valueVec = dims.valueChannels % 4 === 0 ? 4 : 1;
  const dVec = dims.keyChannels / keyVec;
  const tVec = dims.valueChannels / valueVec;
  const candidates = dims.memory * dims.window * dims.window;
  const workgroup = ILA_WORKGROUP;
  const lanes = Math.min(tVec, workgroup);
  const parts = Math.floor(workgroup / lanes);
  // qRow + scores + rows + reduceBuf + partial + partialSum (ila.wgsl)
  const workgroupBytes = 4 * (dVec * keyVec + 2 * candidates + workgroup * (2 + valueVec));
  return { keyVec, valueVec, dVec, tVec, workgroup, lanes, parts, workgroupBytes };
}

/** Why the fused kernel cannot take these sizes, or null when it can. */
export function ilaFusedUnsupportedReason(dims: IlaDims): string | null {
  const { workgroupBytes } = ilaKernelLayout(dims);
  if (workgroupBytes > WORKGROUP_STORAGE_LIMIT) {
    return `needs ${workgroupBytes} B of workgroup memory (limit ${WORKGROUP_STORAGE_LIMIT}): window or memory too large`;
  }
  return null;
}

function vecType(n: 1 | 4): string {
  return n === 4 ? 'vec4<f32>' : 'f32';
}

function constantsPrelude(dims: IlaDims, layout: IlaKernelLayout): string {
  const { groups, memory, height, width, window, keyChannels } = dims;
  const i = (name: string, v: number) => `const ${name}: i32 = ${v};`;
  return [
    i('H', height), i('W', width), i('POSITIONS', height * width),
    i('M', memory), i('L', window), i('R', (window - 1) / 2),
    i('LL', window * window), i('NC', memory * window * window),
    i('D_VEC', layout.dVec), i('T_VEC', layout.tVec), i('WG', layout.workgroup),
    i('LANES', layout.lanes), i('PARTS', layout.parts),
    `const SPLIT: bool = ${layout.parts > 1};`,
    `const SCALE: f32 = ${(1 / Math.sqrt(keyChannels)).toPrecision(9)};`,
    `alias KVec = ${vecType(layout.keyVec)};`,
    `alias VVec = ${vecType(layout.valueVec)};`,
    `fn kdot(a: KVec, b: KVec) -> f32 { return ${layout.keyVec === 4 ? 'dot(a, b)' : 'a * b'}; }`,
  ].join('\n');
}

/** Identifies one compiled specialisation: every constant baked into the shader follows from it. */
export function ilaShaderKey(dims: IlaDims): string {
  return `milaIla_${dims.groups}_${dims.memory}_${dims.height}_${dims.width}_` +
    `${dims.keyChannels}_${dims.valueChannels}_${dims.window}`;
}

/** The fused kernel's tfjs-backend-webgpu program. */
export class IlaProgram implements WebGPUProgram {
  readonly variableNames = ['ilaQuery', 'ilaKeys', 'ilaValues'];
  readonly variableComponents: number[];
  readonly outputComponent: number;
  readonly outputShape: number[];
  readonly dispatchLayout = { x: [0, 1, 2, 3] };
  readonly workgroupSize: [number, number, number];
  dispatch: [number, number, number];
  // tfjs appends input ranks/dtypes to this key; every baked constant must be in it.
  shaderKey: string;
  private readonly prelude: string;

  /**
   * @param rowLimit most workgroups along x (WebGPU's guaranteed maxComputeWorkgroupsPerDimension);
   *   more positions wrap into y, and surplus workgroups of the last row only skip their write.
   *   Tests pass a small value to exercise the wrap on small maps.
   */
  constructor(dims: IlaDims, rowLimit = 65535) {
    const layout = ilaKernelLayout(dims);
    this.variableComponents = [layout.keyVec, layout.keyVec, layout.valueVec];
    this.outputComponent = layout.valueVec;
    this.workgroupSize = [layout.workgroup, 1, 1];
    this.outputShape = [dims.groups, dims.height, dims.width, dims.valueChannels];
    const workgroups = dims.groups * dims.height * dims.width;
    const rows = Math.ceil(workgroups / rowLimit);
    this.dispatch = [Math.ceil(workgroups / rows), rows, 1];
    this.shaderKey = ilaShaderKey(dims);
    this.prelude = constantsPrelude(dims, layout);
  }

  getUserCode(): string {
    return `${this.prelude}\n${ilaWgslSource()}`;
  }
}
