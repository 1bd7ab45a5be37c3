import { describe, expect, it } from 'vitest';
import { parseSoakArgs, progressBar, soakVerdict, SoakUsageError, type SoakReading } from '../../src/node/soakReport';
import { DEFAULT_MODEL_ID } from '../../src/runtime/presets';

const MiB = 1024 * 1024;
const reading = (frame: number, over: Partial<SoakReading> = {}): SoakReading => ({
  frame, numTensors: 300, tensorBytes: 3 * MiB, gpuBytes: 40 * MiB, gpuPoolBytes: 60 * MiB, wasmHeapBytes: null, jsHeapBytes: 17 * MiB, ...over,
});

describe('soak', () => {
  it('arguments: defaults, flags, and clear errors', () => {
    expect(parseSoakArgs([])).toMatchObject({ backends: ['wasm', 'webgpu'], model: DEFAULT_MODEL_ID, frames: 1000, kEvery: 50, reportEvery: 100 });
    expect(parseSoakArgs(['--backends', 'webgpu', '--model', 'tiny', '--frames=300'])).toMatchObject({ backends: ['webgpu'], model: 'tiny', frames: 300 });
    expect(parseSoakArgs(['--help'])).toBeNull();
    expect(() => parseSoakArgs(['--backends', 'metal'])).toThrow(SoakUsageError);
    expect(() => parseSoakArgs(['--model', '../x'])).toThrow(/directory name/);
    expect(() => parseSoakArgs(['--frames', '50'])).toThrow(/no reading/);
  });

  it('flat when nothing grows, within the slack for pools and the JS heap', () => {
    const r = [reading(100), reading(500, { gpuPoolBytes: 61 * MiB, jsHeapBytes: 18 * MiB }), reading(1000, { gpuPoolBytes: 62 * MiB, jsHeapBytes: 18.5 * MiB })];
    expect(soakVerdict(r)).toEqual({ flat: true, growth: [] });
  });

  it('growing when a single tensor leaks, or GPU memory or the heap climb', () => {
    expect(soakVerdict([reading(100), reading(1000, { numTensors: 301 })]).growth).toEqual(['tensors 300 -> 301']);
    expect(soakVerdict([reading(100), reading(1000, { gpuBytes: 80 * MiB })]).flat).toBe(false);
    expect(soakVerdict([reading(100), reading(1000, { jsHeapBytes: 40 * MiB })]).growth[0]).toMatch(/^JS heap 17.0 MiB -> 40.0 MiB/);
  });

  it('progress bar with ETA', () => {
    expect(progressBar(250, 1000, 100_000, 20)).toBe('[#####---------------] 250/1000 frames  25%  2.5 fps  ETA 5m00s');
    expect(progressBar(1010, 1000, 100_000, 4)).toContain('ETA 0m00s');
  });
});
