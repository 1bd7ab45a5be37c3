// A synthetic PyTorch-style checkpoint for a config: the inverse of the converter's name mapping,
// with random conv weights and non-trivial BatchNorm statistics, written as config.json +
// model.safetensors. Lets the converter be tested without Python.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchNormFor } from '../../../src/convert/mapping';
import { expectedWeights, type ModelConfig } from '../../../src/runtime/config';
import { seededRandom } from '../../support/randomWeights';
import { encodeSafetensors, f32Tensor, type RawTensor } from './safetensorsWriter';

export function torchStateDict(config: ModelConfig, seed = 7): Record<string, RawTensor> {
  const rand = seededRandom(seed);
  const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * rand());
  const sd: Record<string, RawTensor> = {};
  for (const spec of expectedWeights(config)) {
    if (!spec.name.endsWith('.kernel')) continue;
    const module = spec.name.slice(0, -'.kernel'.length);
    const [kh, kw, cin, cout] = spec.shape;
    const bound = Math.sqrt(3 / (kh * kw * cin));
    sd[`${module}.weight`] = f32Tensor([cout, cin, kh, kw], uniform(cout * cin * kh * kw, -bound, bound));
    const bn = batchNormFor(module);
    if (bn === null) {
      sd[`${module}.bias`] = f32Tensor([cout], uniform(cout, -0.1, 0.1));
    } else {
      sd[`${bn}.weight`] = f32Tensor([cout], uniform(cout, 0.5, 1.5));
      sd[`${bn}.bias`] = f32Tensor([cout], uniform(cout, -0.2, 0.2));
      sd[`${bn}.running_mean`] = f32Tensor([cout], uniform(cout, -0.3, 0.3));
      sd[`${bn}.running_var`] = f32Tensor([cout], uniform(cout, 0.5, 2));
      const tracked = new BigInt64Array([100n]);
      sd[`${bn}.num_batches_tracked`] = { dtype: 'I64', shape: [], bytes: new Uint8Array(tracked.buffer) };
    }
  }
  const C = config.featureChannels;
  sd['discriminator.convs.0.weight'] = f32Tensor([C / 2, C, 3, 3], uniform((C / 2) * C * 9, -0.1, 0.1));
  return sd;
}

/** Writes `dir/config.json` + `dir/model.safetensors`; `edit` may change the state dict first. */
export function writeTorchCheckpoint(
  dir: string,
  config: ModelConfig,
  edit: (sd: Record<string, RawTensor>) => void = () => {},
): void {
  const sd = torchStateDict(config);
  edit(sd);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 1));
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(sd));
}
