import { describe, expect, it } from 'vitest';
import { fitWithin } from '../../src/source/displaySize';
import { sniffContainer } from '../../src/source/fileSniff';
import { sampleIdsFromIndex } from '../../src/source/samples';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)));

describe('source helpers', () => {
  it('recognises containers from their first bytes', () => {
    expect(sniffContainer(bytes([0x1a, 0x45, 0xdf, 0xa3, 0x01]))).toBe('webm/matroska');
    expect(sniffContainer(bytes([0, 0, 0, 0x20], 'ftypisom'))).toBe('mp4/quicktime');
    expect(sniffContainer(bytes('OggS', [0]))).toBe('ogg');
    expect(sniffContainer(bytes('RIFF', [0, 0, 0, 0], 'AVI '))).toBe('avi');
    expect(sniffContainer(bytes('hello, this is text'))).toBeNull();
    expect(sniffContainer(new Uint8Array(0))).toBeNull();
  });

  it('scales large videos into the display budget, never small ones', () => {
    expect(fitWithin(3840, 2160)).toEqual({ width: 1280, height: 720, scaled: true });
    expect(fitWithin(2160, 3840)).toEqual({ width: 720, height: 1280, scaled: true });
    expect(fitWithin(320, 180)).toEqual({ width: 320, height: 180, scaled: false });
    expect(() => fitWithin(0, 100)).toThrow(RangeError);
  });

  it('reads the sample index in its known shapes and rejects path-like ids', () => {
    expect(sampleIdsFromIndex({ clips: [{ id: 'street-seed2' }, { id: '../x' }] })).toEqual(['street-seed2']);
    expect(sampleIdsFromIndex(['a', 'b'])).toEqual(['a', 'b']);
    expect(sampleIdsFromIndex({ nothing: true })).toEqual([]);
  });
});
