import { describe, expect, it } from 'vitest';
import { collectTensors } from '../../src/convert/checkpoint';
import { foldBatchNorm, oihwToHwio } from '../../src/convert/fold';
import { batchNormFor, mapCheckpoint } from '../../src/convert/mapping';
import { SafetensorsFile } from '../../src/convert/safetensors';
import { expectedWeights } from '../../src/runtime/config';
import { tinyConfig } from '../../src/runtime/presets';
import { float32ToFloat16Bits } from '../../src/node/quantize';
import { encodeSafetensors, f32Tensor, type RawTensor } from './helpers/safetensorsWriter';
import { torchStateDict } from './helpers/torchCheckpoint';

const config = tinyConfig();

function mapped(edit: (sd: Record<string, RawTensor>) => void = () => {}) {
  const sd = torchStateDict(config);
  edit(sd);
  const file = SafetensorsFile.fromBytes('ckpt.safetensors', encodeSafetensors(sd));
  return { sd, file, weights: mapCheckpoint(config, collectTensors([file])) };
}

describe('batchNormFor', () => {
  it('pairs each conv with its BatchNorm per ARCHITECTURE.md', () => {
    expect(batchNormFor('slow.encoder.conv1')).toBe('slow.encoder.bn1');
    expect(batchNormFor('slow.encoder.layer3.12.conv3')).toBe('slow.encoder.layer3.12.bn3');
    expect(batchNormFor('fast.encoder.layer2.0.downsample.0')).toBe('fast.encoder.layer2.0.downsample.1');
    expect(batchNormFor('slow.aspp.branches.2.conv')).toBe('slow.aspp.branches.2.bn');
    expect(batchNormFor('ila.depth.fuse.conv')).toBe('ila.depth.fuse.bn');
    expect(batchNormFor('slow.aspp.pool.conv')).toBeNull();
    expect(batchNormFor('decoders.segmentation.head')).toBeNull();
    expect(batchNormFor('ila.shared.query')).toBeNull();
  });
});

describe('mapCheckpoint', () => {
  it('produces exactly expectedWeights, folded and transposed', () => {
    const { file, weights } = mapped();
    expect(weights.map((w) => [w.name, w.shape])).toEqual(expectedWeights(config).map((s) => [s.name, s.shape]));
    const bn = (m: string) => ({
      weight: file.float32(`${m}.weight`), bias: file.float32(`${m}.bias`),
      runningMean: file.float32(`${m}.running_mean`), runningVar: file.float32(`${m}.running_var`),
    });
    const byName = new Map(weights.map((w) => [w.name, w.data]));
    const m = 'slow.encoder.layer1.0.downsample';
    const folded = foldBatchNorm(file.float32(`${m}.0.weight`), new Float32Array(16), bn(`${m}.1`));
    expect([...byName.get(`${m}.0.kernel`)!]).toEqual([...oihwToHwio(folded.weight, [16, 4, 1, 1])]);
    expect([...byName.get(`${m}.0.bias`)!]).toEqual([...folded.bias]);
    // A conv without BN keeps its own bias.
    expect([...byName.get('decoders.depth.head.bias')!]).toEqual([...file.float32('decoders.depth.head.bias')]);
    expect([...byName.get('decoders.depth.head.kernel')!]).toEqual([...file.float32('decoders.depth.head.weight')]); // [1,8,1,1] == [1,1,8,1]
  });

  it('folds a conv bias that precedes a BatchNorm, and accepts F16 tensors', () => {
    const cout = config.featureChannels;
    const bits = Uint16Array.from({ length: cout }, (_, i) => float32ToFloat16Bits(0.25 * i));
    const { weights: plain } = mapped();
    const { weights } = mapped((sd) => {
      sd['slow.proj.conv.bias'] = { dtype: 'F16', shape: [cout], bytes: new Uint8Array(bits.buffer) };
    });
    const get = (ws: typeof weights, n: string) => ws.find((w) => w.name === n)!.data;
    const factor = get(weights, 'slow.proj.conv.bias').map((v, i) => (v - get(plain, 'slow.proj.conv.bias')[i]) / (0.25 * i));
    // (b' with conv bias) - (b' without) = b * gamma / sqrt(var + eps): non-zero for every channel.
    for (let i = 1; i < cout; i++) expect(Math.abs(factor[i])).toBeGreaterThan(0.1);
  });

  it('names a missing tensor', () => {
    expect(() => mapped((sd) => delete sd['slow.encoder.layer3.7.bn2.running_var'])).toThrow(
      'checkpoint is missing tensor "slow.encoder.layer3.7.bn2.running_var" (shape [16], BatchNorm after slow.encoder.layer3.7.conv2)',
    );
    expect(() => mapped((sd) => delete sd['slow.aspp.pool.conv.bias'])).toThrow(/missing tensor "slow.aspp.pool.conv.bias"/);
  });

  it('names a tensor with the wrong shape', () => {
    expect(() => mapped((sd) => (sd['fast.encoder.conv1.weight'] = f32Tensor([4, 3, 3, 3], new Float32Array(108))))).toThrow(
      'ckpt.safetensors: tensor "fast.encoder.conv1.weight" has shape [4,3,3,3], expected [4,3,7,7] (conv fast.encoder.conv1: 3 -> 4 channels, 7x7)',
    );
  });

  it('names tensors the architecture does not use, but ignores discriminator and num_batches_tracked', () => {
    expect(() => mapped((sd) => (sd['fast.aspp.project.conv.weight'] = f32Tensor([1], [0])))).toThrow(
      /checkpoint has 1 tensor\(s\) the architecture does not use: "fast.aspp.project.conv.weight" \(ckpt.safetensors\)/,
    );
    const { sd } = mapped();
    expect(Object.keys(sd).some((n) => n.startsWith('discriminator.'))).toBe(true);
    expect(Object.keys(sd).some((n) => n.endsWith('.num_batches_tracked'))).toBe(true);
  });

  it('rejects non-finite values, negative variances and integer weights', () => {
    expect(() => mapped((sd) => (sd['ila.depth.key.bias'] = f32Tensor([8], [0, 0, NaN, 0, 0, 0, 0, 0])))).toThrow(
      'ckpt.safetensors: tensor "ila.depth.key.bias" contains NaN at flat index 2',
    );
    expect(() => mapped((sd) => (sd['slow.proj.bn.running_var'] = f32Tensor([16], new Float32Array(16).fill(-1))))).toThrow(
      /"slow.proj.bn.running_var" is negative \(-1\) at channel 0/,
    );
    expect(() => mapped((sd) => (sd['ila.depth.key.bias'] = { dtype: 'I32', shape: [8], bytes: new Uint8Array(32) }))).toThrow(
      /tensor "ila.depth.key.bias" has dtype I32; a floating-point dtype/,
    );
  });
});
