import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesReader } from '../../src/source/byteReader';
import { mp4Facts } from '../../src/source/mp4Facts';
import { webmFacts } from '../../src/source/webmFacts';
import { buildMp4 } from './mp4Builder';

const cut = (b: Uint8Array, fraction: number) => b.subarray(0, Math.floor(b.length * fraction));

describe('MP4 structure', () => {
  const spec = { frames: 90, frameBytes: 1000, fps: 30 };

  it('a whole file: not truncated, its codec and duration', async () => {
    for (const moovFirst of [true, false]) {
      const f = await mp4Facts(bytesReader(buildMp4({ ...spec, moovFirst })));
      expect(f).toEqual({ truncated: false, indexMissing: false, codec: 'avc1', declaredSeconds: 3, playableSeconds: null });
    }
  });

  it('cut without +faststart: truncated with the index missing (damage, not a codec problem)', async () => {
    const f = await mp4Facts(bytesReader(cut(buildMp4({ ...spec, moovFirst: false }), 0.3)));
    expect(f.truncated).toBe(true);
    expect(f.indexMissing).toBe(true);
  });

  it('cut with +faststart: the codec is known and the frames end where the data does', async () => {
    const whole = buildMp4({ ...spec, moovFirst: true, codec: 'hvc1' });
    const bytes = cut(whole, 0.3);
    const f = await mp4Facts(bytesReader(bytes));
    expect(f).toMatchObject({ truncated: true, indexMissing: false, codec: 'hvc1', declaredSeconds: 3 });
    // the first incomplete frame: (bytes after the index) / frameBytes, at 30 fps
    const mdatStart = whole.length - spec.frames * spec.frameBytes;
    expect(f.playableSeconds).toBeCloseTo(Math.floor((bytes.length - mdatStart) / spec.frameBytes) / spec.fps, 9);
  });

  it('bytes that are not boxes give no verdict', async () => {
    expect((await mp4Facts(bytesReader(new Uint8Array(64).fill(0)))).truncated).toBe(false);
  });
});

describe('WebM structure', () => {
  const clip = new Uint8Array(readFileSync('public/samples/street-seed2/clip.webm'));
  const manifest = JSON.parse(readFileSync('public/samples/street-seed2/manifest.json', 'utf8')) as { frames: number; fps: number };
  const seconds = manifest.frames / manifest.fps;

  it('the bundled clip is whole: VP9, its declared duration', async () => {
    const f = await webmFacts(bytesReader(clip));
    expect(f).toMatchObject({ truncated: false, codec: 'V_VP9', playableSeconds: null });
    expect(f.declaredSeconds).toBeCloseTo(seconds, 1);
  });

  it('its first 30%: truncated, and the playable length falls short of the declared duration', async () => {
    const f = await webmFacts(bytesReader(cut(clip, 0.3)));
    expect(f.truncated).toBe(true);
    expect(f.declaredSeconds).toBeCloseTo(seconds, 1);
    // frames are spread over the file roughly evenly: about 30% of the time, well short of all of it
    expect(f.playableSeconds).toBeGreaterThan(0.15 * seconds);
    expect(f.playableSeconds).toBeLessThan(0.5 * seconds);
  });

  it('cut anywhere, even inside the header, it never throws', async () => {
    for (const n of [1, 8, 30, 200, 5000]) {
      const f = await webmFacts(bytesReader(clip.subarray(0, n)));
      expect(f.playableSeconds ?? 0).toBeLessThan(1);
    }
  });
});
