import { describe, expect, it } from 'vitest';
import { parseEvalArgs } from '../../src/eval/cliArgs';

describe('parseEvalArgs', () => {
  it('parses the documented flags with defaults', () => {
    expect(parseEvalArgs(['--model', 'm', '--clip', 'c'])).toEqual({
      model: 'm', clip: 'c', ks: [1, 2, 5, 10, 20], json: false, backend: 'webgpu', baselines: true,
    });
    expect(parseEvalArgs(['--model=m', '--clip', 'c', '--k', '1,5,10', '--frames', '12', '--json', '--backend', 'wasm', '--baseline-k', '10', '--no-baselines'])).toEqual({
      model: 'm', clip: 'c', ks: [1, 5, 10], frames: 12, json: true, backend: 'wasm', baselines: false, baselineK: 10,
    });
    expect(parseEvalArgs(['--model', 'm', '--clip', 'c', '--baseline-k', '5,10'])?.baselineK).toEqual([5, 10]);
    expect(parseEvalArgs(['--help'])).toBeNull();
  });

  it('rejects bad arguments with a clear message', () => {
    expect(() => parseEvalArgs(['--clip', 'c'])).toThrow('--model <dir> is required');
    expect(() => parseEvalArgs(['--model', 'm'])).toThrow('--clip <dir> is required');
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--k', '1,x'])).toThrow(/comma-separated integers/);
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--k', '0'])).toThrow(/--k: K must be an integer in 1\.\.30/);
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--frames', '-3'])).toThrow(/--frames needs a positive integer/);
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--frames', '0'])).toThrow(/positive integer/);
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--backend', 'cuda'])).toThrow(/--backend must be one of/);
    expect(() => parseEvalArgs(['--model', 'm', '--clip', 'c', '--fast'])).toThrow('unknown argument "--fast"');
    expect(() => parseEvalArgs(['--model'])).toThrow('--model needs a value');
  });
});
