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

  const bad: [string, (j: any) => void, RegExp][] = [
    ['format', (j) => (j.format = 'other'), /m\.json: field "format"/],
    ['slow.depth 34', (j) => (j.slow.depth = 34), /field "slow\.depth" must be one of 18, 50, 101 \(got 34\)/],
    ['outputStride', (j) => (j.outputStride = 32), /field "outputStride"/],
    ['even window', (j) => (j.ila.window = 4), /field "ila\.window" must be an odd integer/],
    ['missing input', (j) => delete j.input, /field "input" must be an object \(got missing\)/],
    ['negative std', (j) => (j.input.std[1] = 0), /field "input\.std\[1\]"/],
    ['colour count', (j) => j.segmentation.colors.pop(), /field "segmentation\.colors" must be an array of 19/],
    ['colour value', (j) => (j.segmentation.colors[3] = [0, 0, 300]), /field "segmentation\.colors\[3\]"/],
    ['maxDepth', (j) => (j.depth.maxDepth = -1), /field "depth\.maxDepth"/],
    ['aspp rates', (j) => (j.slow.aspp.rates = [6, 12]), /field "slow\.aspp\.rates"/],
    ['taskSpecific', (j) => (j.ila.taskSpecific = 'yes'), /field "ila\.taskSpecific" must be a boolean/],
  ];
  for (const [what, mutate, message] of bad) {
    it(`rejects a bad ${what} with a message naming the file and field`, () => {
      const j = clone(tinyConfig());
      mutate(j);
      expect(() => parseModelConfig(j, 'm.json')).toThrow(ModelFormatError);
      expect(() => parseModelConfig(j, 'm.json')).toThrow(message);
    });
  }

  it('rejects non-objects', () => {
    expect(() => parseModelConfig([1], 'a.json')).toThrow(/a\.json: field "\(root\)" must be a JSON object/);
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
