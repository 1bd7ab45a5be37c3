// MP4 / QuickTime structure (ISO 14496-12): the top-level boxes tell whether the file is cut short and
// whether its index ('moov') is there; the video track's sample table tells how far complete frames go.
import type { ByteReader } from './byteReader';
import { NO_FACTS, NotParseable, type ContainerFacts } from './containerFacts';

const MAX_TOP_LEVEL_BOXES = 10_000;
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
const CONTAINER_BOXES = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts']);

interface Box {
  type: string;
  start: number; // of the payload
  end: number; // declared end (may lie beyond the data)
}

const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);

/** Boxes in bytes[from, to) (a parsed parent's payload); boxes that overrun `to` are malformed. */
function childBoxes(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let o = from; o + 8 <= to; ) {
    let size = dv.getUint32(o);
    let header = 8;
    if (size === 1) {
      size = Number(dv.getBigUint64(o + 8));
      header = 16;
    } else if (size === 0) {
      size = to - o;
    }
    if (size < header || o + size > to) throw new NotParseable(`box ${fourcc(b, o + 4)} overruns its parent`);
    out.push({ type: fourcc(b, o + 4), start: o + header, end: o + size });
    o += size;
  }
  return out;
}

interface Track {
  handler: string;
  codec: string | null;
  timescale: number;
  /** Sample (frame) byte ranges and decode times in decode order. */
  samples: () => { offset: number; size: number; time: number }[];
}

function parseTrack(b: Uint8Array, trak: Box): Track {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const boxes = new Map<string, Box>();
  const walk = (from: number, to: number) => {
    for (const box of childBoxes(b, from, to)) {
      if (!boxes.has(box.type)) boxes.set(box.type, box);
      if (CONTAINER_BOXES.has(box.type)) walk(box.start, box.end);
    }
  };
  walk(trak.start, trak.end);
  const hdlr = boxes.get('hdlr');
  const mdhd = boxes.get('mdhd');
  const stsd = boxes.get('stsd');
  const timescale = mdhd ? dv.getUint32(mdhd.start + (b[mdhd.start] === 1 ? 20 : 12)) : 0;
  const table = (type: string) => {
    const box = boxes.get(type);
    return box ? { box, count: dv.getUint32(box.start + 4) } : null;
  };
  return {
    handler: hdlr ? fourcc(b, hdlr.start + 8) : '',
    codec: stsd && dv.getUint32(stsd.start + 4) > 0 ? fourcc(b, stsd.start + 12) : null,
    timescale,
    samples: () => {
      const stts = table('stts');
      const stsz = table('stsz');
      const stsc = table('stsc');
      const stco = table('stco') ?? table('co64');
      if (!stts || !stsz || !stsc || !stco) throw new NotParseable('incomplete sample table');
      const wide = boxes.has('co64') && !boxes.has('stco');
      const fixedSize = dv.getUint32(stsz.box.start + 4);
      const sampleCount = dv.getUint32(stsz.box.start + 8);
      const sizeOf = (i: number) => (fixedSize !== 0 ? fixedSize : dv.getUint32(stsz.box.start + 12 + 4 * i));
      const times: number[] = [];
      for (let e = 0, t = 0; e < stts.count && times.length < sampleCount; e++) {
        const n = dv.getUint32(stts.box.start + 8 + 8 * e);
        const delta = dv.getUint32(stts.box.start + 12 + 8 * e);
        for (let i = 0; i < n && times.length < sampleCount; i++, t += delta) times.push(t);
      }
      const chunkOffset = (c: number) => (wide ? Number(dv.getBigUint64(stco.box.start + 8 + 8 * c)) : dv.getUint32(stco.box.start + 8 + 4 * c));
      const out: { offset: number; size: number; time: number }[] = [];
      let sample = 0;
      for (let e = 0; e < stsc.count; e++) {
        const firstChunk = dv.getUint32(stsc.box.start + 8 + 12 * e) - 1;
        const perChunk = dv.getUint32(stsc.box.start + 12 + 12 * e);
        const nextFirst = e + 1 < stsc.count ? dv.getUint32(stsc.box.start + 8 + 12 * (e + 1)) - 1 : stco.count;
        for (let c = firstChunk; c < nextFirst && sample < sampleCount; c++) {
          let offset = chunkOffset(c);
          for (let i = 0; i < perChunk && sample < sampleCount; i++, sample++) {
            const size = sizeOf(sample);
            out.push({ offset, size, time: times[sample] ?? times[times.length - 1] ?? 0 });
            offset += size;
          }
        }
      }
      return out;
    },
  };
}

/** Reads the top-level boxes, then (when the index is complete) the video track's sample table. */
export async function mp4Facts(r: ByteReader): Promise<ContainerFacts> {
  let truncated = false;
  let moov: { start: number; end: number } | null = null;
  let o = 0;
  for (let n = 0; o < r.size && n < MAX_TOP_LEVEL_BOXES; n++) {
    const h = await r.read(o, o + 16);
    if (h.length < 8) {
      truncated = true;
      break;
    }
    const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = dv.getUint32(0);
    let header = 8;
    if (size === 1) {
      if (h.length < 16) {
        truncated = true;
        break;
      }
      size = Number(dv.getBigUint64(8));
      header = 16;
    } else if (size === 0) {
      size = r.size - o; // "to the end of the file"
    }
    if (size < header) return NO_FACTS; // not box structure: leave the verdict to the browser
    if (o + size > r.size) truncated = true;
    else if (fourcc(h, 4) === 'moov') moov = { start: o, end: o + size };
    o += size;
  }
  if (!moov) return { ...NO_FACTS, truncated, indexMissing: true };
  if (moov.end - moov.start > MAX_MOOV_BYTES) return { ...NO_FACTS, truncated };
  const b = await r.read(moov.start, moov.end);
  try {
    const [root] = childBoxes(b, 0, b.length);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const top = childBoxes(b, root.start, root.end);
    const mvhd = top.find((x) => x.type === 'mvhd');
    let declaredSeconds: number | null = null;
    if (mvhd) {
      const v1 = b[mvhd.start] === 1;
      const timescale = dv.getUint32(mvhd.start + (v1 ? 20 : 12));
      const duration = v1 ? Number(dv.getBigUint64(mvhd.start + 24)) : dv.getUint32(mvhd.start + 16);
      declaredSeconds = timescale > 0 ? duration / timescale : null;
    }
    const video = top.filter((x) => x.type === 'trak').map((t) => parseTrack(b, t)).find((t) => t.handler === 'vide') ?? null;
    const facts: ContainerFacts = { truncated, indexMissing: false, codec: video?.codec ?? null, declaredSeconds, playableSeconds: null };
    if (truncated && video && video.timescale > 0) {
      const cut = video.samples().find((s) => s.offset + s.size > r.size);
      if (cut) facts.playableSeconds = cut.time / video.timescale;
    }
    return facts;
  } catch (e) {
    if (e instanceof NotParseable || e instanceof RangeError) return { ...NO_FACTS, truncated };
    throw e;
  }
}
