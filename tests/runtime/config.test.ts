import { describe, expect, it } from 'vitest';
import {
  encoderBlocks,
  expectedWeights,
  featureSize,
  ModelFormatError,
  parseModelConfig,
  type ModelConfig,
} from '../../src/runtime/config';
import { fullSizeConfig, tinyConfig } from '../../src/runtime/presets';

const clone = (c: ModelConfig) => JSON.parse(JSON.stringify(c));

describe('parseModelConfig', () => {
  it('accepts the full-size and tiny presets unchanged', () => {
    for (const c of [fullSizeConfig(), tinyConfig()]) expect(parseModelConfig(clone(c), 'x.json')).toEqual(c);
  });

  it('ignores extra keys such as weightsManifest', () => {
    const json = { ...clone(tinyConfig()), weightsManifest: [] };
    expect(parseModelConfig(json, 'm.json')).toEqual(tinyConfig());
  });

  // Invalid configs and their messages: contract/fixtures/configs.json (tests/contract/configContract.test.ts,
  // training/tests/test_contract.py).
  it('rejects a bad field with a ModelFormatError naming the file and the field', () => {
    const j = clone(tinyConfig());
    j.ila.window = 4;
    expect(() => parseModelConfig(j, 'm.json')).toThrow(ModelFormatError);
    expect(() => parseModelConfig(j, 'm.json')).toThrow(/^m\.json: field "ila\.window"/);
  });
});

describe('encoder structure', () => {
  it('follows torchvision replace_stride_with_dilation at OS16 and OS8', () => {
    const net = { depth: 101 as const, baseWidth: 64, aspp: null };
    const os16 = encoderBlocks(net, 16, 'e');
    expect(os16).toHaveLength(33);
    const l3 = os16.filter((b) => b.prefix.startsWith('e.layer3'));
    const l4 = os16.filter((b) => b.prefix.startsWith('e.layer4'));
    expect([l3[0].stride, l3[0].dilation, l3[1].dilation]).toEqual([2, 1, 1]);
    expect(l4.map((b) => [b.stride, b.dilation])).toEqual([[1, 1], [1, 2], [1, 2]]);
    expect(l4[0].downsample).toBe(true);
    const os8 = encoderBlocks(net, 8, 'e');
    const l3b = os8.filter((b) => b.prefix.startsWith('e.layer3'));
    const l4b = os8.filter((b) => b.prefix.startsWith('e.layer4'));
    expect([l3b[0].stride, l3b[0].dilation, l3b[1].dilation]).toEqual([1, 1, 2]);
    expect(l4b.map((b) => b.dilation)).toEqual([2, 4, 4]);
  });

  it('has the BasicBlock layout for ResNet-18 (no downsample in layer1)', () => {
    const blocks = encoderBlocks({ depth: 18, baseWidth: 64, aspp: null }, 16, 'e');
    expect(blocks.map((b) => b.downsample)).toEqual([false, false, true, false, true, false, true, false]);
    expect(blocks[7]).toMatchObject({ kind: 'basic', inChannels: 512, outChannels: 512, dilation: 2 });
  });

  it('computes the feature size with PyTorch conv arithmetic', () => {
    expect(featureSize(fullSizeConfig())).toEqual([16, 32]);
    expect(featureSize(fullSizeConfig({ outputStride: 8 }))).toEqual([32, 64]);
    expect(featureSize(tinyConfig())).toEqual([4, 8]);
    expect(featureSize(tinyConfig({ input: { ...tinyConfig().input, height: 70, width: 100 } }))).toEqual([5, 7]);
  });
});

describe('expectedWeights', () => {
  const convCount = (c: ModelConfig, prefix: string) => expectedWeights(c).filter((w) => w.name.startsWith(prefix) && w.name.endsWith('.kernel')).length;

  it('lists every conv of each backbone once (kernel + bias)', () => {
    const c = fullSizeConfig();
    expect(convCount(c, 'slow.encoder.')).toBe(1 + 33 * 3 + 4); // ResNet-101
    expect(convCount(c, 'fast.encoder.')).toBe(1 + 8 * 2 + 3); // ResNet-18
    expect(convCount(fullSizeConfig({ slow: { depth: 50, baseWidth: 64, aspp: null } }), 'slow.encoder.')).toBe(1 + 16 * 3 + 4);
    expect(convCount(c, 'slow.aspp.')).toBe(6);
    const names = expectedWeights(c).map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.endsWith('.bias'))).toHaveLength(names.length / 2);
  });

  it('uses the documented names and HWIO shapes', () => {
    const byName = new Map(expectedWeights(fullSizeConfig()).map((w) => [w.name, w.shape]));
    expect(byName.get('slow.encoder.conv1.kernel')).toEqual([7, 7, 3, 64]);
    expect(byName.get('slow.encoder.layer1.0.downsample.0.kernel')).toEqual([1, 1, 64, 256]);
    expect(byName.get('slow.encoder.layer3.22.conv2.kernel')).toEqual([3, 3, 256, 256]);
    expect(byName.get('slow.aspp.project.conv.kernel')).toEqual([1, 1, 1280, 256]);
    expect(byName.get('slow.proj.conv.kernel')).toEqual([1, 1, 256, 256]);
    expect(byName.get('fast.proj.conv.kernel')).toEqual([1, 1, 512, 256]);
    expect(byName.get('decoders.segmentation.head.kernel')).toEqual([1, 1, 128, 19]);
    expect(byName.get('decoders.depth.head.bias')).toEqual([1]);
    expect(byName.get('ila.depth.key.kernel')).toEqual([1, 1, 256, 64]);
    expect(byName.get('ila.segmentation.fuse.conv.kernel')).toEqual([1, 1, 256, 128]);
  });

  it('has one shared query/key when ILA is not task-specific', () => {
    const c = tinyConfig({ ila: { window: 5, keyChannels: 8, memory: 2, taskSpecific: false } });
    const names = expectedWeights(c).map((w) => w.name).filter((n) => n.startsWith('ila.'));
    expect(names).toContain('ila.shared.query.kernel');
    expect(names).not.toContain('ila.segmentation.query.kernel');
    expect(names).toContain('ila.depth.fuse.conv.kernel');
  });
});
