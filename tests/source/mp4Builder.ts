// Builds minimal MP4 files box by box (one video track, fixed-size samples, one sample per chunk), so the
// container checks can be tested without ffmpeg: with the index ('moov') first (+faststart) or last.

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(Array.from(type, (c) => c.charCodeAt(0)), 4);
  let o = 8;
  for (const p of payload) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v));
  return out;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export interface Mp4Spec {
  frames: number;
  frameBytes: number;
  fps: number;
  moovFirst: boolean;
  codec?: string;
}

function moov(spec: Mp4Spec, firstSampleOffset: number): Uint8Array {
  const { frames, frameBytes, fps, codec = 'avc1' } = spec;
  const offsets = Array.from({ length: frames }, (_, i) => firstSampleOffset + i * frameBytes);
  const stbl = box('stbl',
    box('stsd', u32(0, 1), box(codec, new Uint8Array(78))),
    box('stts', u32(0, 1, frames, 1)),
    box('stsc', u32(0, 1, 1, 1, 1)),
    box('stsz', u32(0, frameBytes, frames)),
    box('stco', u32(0, frames, ...offsets)));
  const mdia = box('mdia',
    box('mdhd', u32(0, 0, 0, fps, frames, 0)),
    box('hdlr', u32(0, 0), ascii('vide'), new Uint8Array(13)),
    box('minf', stbl));
  return box('moov', box('mvhd', u32(0, 0, 0, fps, frames), new Uint8Array(80)), box('trak', mdia));
}

export function buildMp4(spec: Mp4Spec): Uint8Array {
  const ftyp = box('ftyp', ascii('isom'), u32(512), ascii('isomavc1'));
  const payload = new Uint8Array(spec.frames * spec.frameBytes).fill(0x42);
  // moov's size does not depend on the offsets it holds, so measure it once with dummy offsets.
  const moovSize = moov(spec, 0).length;
  const parts = spec.moovFirst
    ? [ftyp, moov(spec, ftyp.length + moovSize + 8), box('mdat', payload)]
    : [ftyp, box('mdat', payload), moov(spec, ftyp.length + 8)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
