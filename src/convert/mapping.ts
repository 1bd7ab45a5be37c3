// PyTorch state_dict names -> TF.js weights (ARCHITECTURE.md "Parameter names" / "TF.js weight
// names"). Driven by expectedWeights(config): every `<module>.kernel` there is one PyTorch conv
// `<module>.weight`, folded with the BatchNorm that the architecture puts after it (if any).
// Every checkpoint tensor must be used exactly once, except the training-only ones below.
import type { NamedWeight } from '../node/modelWriter';
import { expectedWeights, type ModelConfig } from '../runtime/config';
import { ConvertError } from './errors';
import { foldBatchNorm, oihwToHwio, type BatchNormParams } from './fold';

/** A checkpoint tensor as the mapping sees it (possibly spread over several files). */
export interface SourceTensor {
  shape: number[];
  dtype: string;
  /** Where it came from, for messages. */
  file: string;
  float32(): Float32Array;
}


/** Training-only tensors that the converter drops without complaint. */
export function isIgnoredTensor(name: string): boolean {
  return name.startsWith('discriminator.') || name.endsWith('.num_batches_tracked');
}

/**
 * The BatchNorm module that follows conv `module`, or null for convs that have none
 * (task heads, ILA query/key, the ASPP image-pooling conv: they carry their own bias).
 */
export function batchNormFor(module: string): string | null {
  if (/\.(head|query|key)$/.test(module) || module.endsWith('.aspp.pool.conv')) return null;
  let m: RegExpMatchArray | null;
  if ((m = module.match(/^(.*)\.conv(\d+)$/))) return `${m[1]}.bn${m[2]}`;
  if ((m = module.match(/^(.*)\.downsample\.0$/))) return `${m[1]}.downsample.1`;
  if ((m = module.match(/^(.*)\.conv$/))) return `${m[1]}.bn`;
  throw new ConvertError(`internal: no BatchNorm rule for conv module "${module}"`);
}

const BN_FIELDS = ['weight', 'bias', 'running_mean', 'running_var'] as const;

class TensorTaker {
  readonly used = new Set<string>();
  constructor(private readonly tensors: ReadonlyMap<string, SourceTensor>) {}

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** Reads a float tensor, checking shape and finiteness; marks it used. */
  take(name: string, shape: number[], why: string): Float32Array {
    const t = this.tensors.get(name);
    if (!t) throw new ConvertError(`checkpoint is missing tensor "${name}" (shape [${shape}], ${why})`);
    if (t.shape.join(',') !== shape.join(',')) {
      throw new ConvertError(`${t.file}: tensor "${name}" has shape [${t.shape}], expected [${shape}] (${why})`);
    }
    const data = t.float32();
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new ConvertError(`${t.file}: tensor "${name}" contains ${data[i]} at flat index ${i}`);
    }
    this.used.add(name);
    return data;
  }
}

/** Folded, transposed TF.js weights in expectedWeights order; throws ConvertError on any mismatch. */
export function mapCheckpoint(config: ModelConfig, tensors: ReadonlyMap<string, SourceTensor>): NamedWeight[] {
  const taker = new TensorTaker(tensors);
  const out: NamedWeight[] = [];
  const specs = expectedWeights(config);
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const spec of specs) {
    if (!spec.name.endsWith('.kernel')) continue;
    const module = spec.name.slice(0, -'.kernel'.length);
    const [kh, kw, cin, cout] = spec.shape;
    if (byName.get(`${module}.bias`)?.shape.join(',') !== String(cout)) {
      throw new ConvertError(`internal: expectedWeights has no matching bias for ${spec.name}`);
    }
    const why = `conv ${module}: ${cin} -> ${cout} channels, ${kh}x${kw}`;
    const oihw: [number, number, number, number] = [cout, cin, kh, kw];
    let weight = taker.take(`${module}.weight`, oihw, why);
    const bnModule = batchNormFor(module);
    const hasOwnBias = taker.has(`${module}.bias`) || bnModule === null;
    let bias = hasOwnBias ? taker.take(`${module}.bias`, [cout], why) : new Float32Array(cout);
    if (bnModule !== null) {
      const [weightBn, biasBn, runningMean, runningVar] = BN_FIELDS.map((f) =>
        taker.take(`${bnModule}.${f}`, [cout], `BatchNorm after ${module}`),
      );
      const negative = runningVar.findIndex((v) => v < 0);
      if (negative >= 0) {
        throw new ConvertError(`${tensors.get(`${bnModule}.running_var`)!.file}: tensor "${bnModule}.running_var" is negative (${runningVar[negative]}) at channel ${negative}`);
      }
      const bn: BatchNormParams = { weight: weightBn, bias: biasBn, runningMean, runningVar };
      ({ weight, bias } = foldBatchNorm(weight, bias, bn));
    }
    out.push({ name: spec.name, shape: spec.shape, data: oihwToHwio(weight, oihw) });
    out.push({ name: `${module}.bias`, shape: [cout], data: bias });
  }
  const leftover = [...tensors.keys()].filter((n) => !taker.used.has(n) && !isIgnoredTensor(n)).sort();
  if (leftover.length > 0) {
    const shown = leftover.slice(0, 8).map((n) => `"${n}" (${tensors.get(n)!.file})`).join(', ');
    throw new ConvertError(
      `checkpoint has ${leftover.length} tensor(s) the architecture does not use: ${shown}${leftover.length > 8 ? ', ...' : ''}` +
        ' (does config.json match the checkpoint?)',
    );
  }
  return out;
}
