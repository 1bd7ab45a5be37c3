// WebM / Matroska structure (EBML): the Segment's declared size tells whether the file is cut short, Info
// gives the declared duration, Tracks the video codec, and the clusters' block times how far frames go.
import type { ByteReader } from './byteReader';
import { NO_FACTS, NotParseable, type ContainerFacts } from './containerFacts';

const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackType: 0x83,
  codecId: 0x86,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
};
const TOP_LEVEL = new Set([ID.info, ID.tracks, ID.cluster, 0x1c53bb6b /* Cues */, 0x114d9b74 /* SeekHead */, 0x1254c367 /* Tags */, 0x1043a770 /* Chapters */, 0x1941a469 /* Attachments */]);
const MAX_ELEMENTS = 200_000;
const MAX_HEADER_BYTES = 1024 * 1024; // Info and Tracks are small; anything larger is not a real header

interface Element {
  id: number;
  dataStart: number;
  size: number | null; // null: unknown size (live streams, MediaRecorder)
}

/** Reads an element header at `o` of `b`; null when the bytes end inside it. */
function header(b: Uint8Array, o: number, base: number): Element | null {
  if (o >= b.length) return null;
  const idLen = Math.clz32(b[o]) - 23; // leading zeros of the first byte, + 1
  if (idLen < 1 || idLen > 4) throw new NotParseable(`bad EBML id at ${base + o}`);
  if (o + idLen >= b.length) return null;
  let id = 0;
  for (let i = 0; i < idLen; i++) id = id * 256 + b[o + i];
  const s = o + idLen;
  const sizeLen = Math.clz32(b[s]) - 23;
  if (sizeLen < 1 || sizeLen > 8) throw new NotParseable(`bad EBML size at ${base + s}`);
  if (s + sizeLen > b.length) return null;
  let size = b[s] & (0xff >> sizeLen);
  let allOnes = size === 0xff >> sizeLen;
  for (let i = 1; i < sizeLen; i++) {
    size = size * 256 + b[s + i];
    allOnes &&= b[s + i] === 0xff;
  }
  return { id, dataStart: base + s + sizeLen, size: allOnes ? null : size };
}

async function readHeader(r: ByteReader, o: number): Promise<Element | null> {
  return header(await r.read(o, o + 12), 0, o);
}

function uint(b: Uint8Array): number {
  return b.reduce((v, x) => v * 256 + x, 0);
}

function float(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return b.length === 4 ? dv.getFloat32(0) : b.length === 8 ? dv.getFloat64(0) : NaN;
}

/** Children of a fully read master element's data. */
function children(b: Uint8Array): { id: number; data: Uint8Array }[] {
  const out: { id: number; data: Uint8Array }[] = [];
  for (let o = 0; o < b.length; ) {
    const h = header(b, o, 0);
    if (!h || h.size === null || h.dataStart + h.size > b.length) throw new NotParseable('element overruns its parent');
    out.push({ id: h.id, data: b.subarray(h.dataStart, h.dataStart + h.size) });
    o = h.dataStart + h.size;
  }
  return out;
}

function videoCodec(tracks: Uint8Array): string | null {
  for (const entry of children(tracks).filter((c) => c.id === ID.trackEntry)) {
    const fields = children(entry.data);
    const type = fields.find((f) => f.id === ID.trackType);
    const codec = fields.find((f) => f.id === ID.codecId);
    if (type && uint(type.data) === 1 && codec) return new TextDecoder().decode(codec.data).replace(/\0+$/, '');
  }
  return null;
}

export async function webmFacts(r: ByteReader): Promise<ContainerFacts> {
  try {
    return await walk(r);
  } catch (e) {
    if (e instanceof NotParseable || e instanceof RangeError) return NO_FACTS;
    throw e;
  }
}

async function walk(r: ByteReader): Promise<ContainerFacts> {
  const ebml = await readHeader(r, 0);
  if (!ebml || ebml.id !== ID.ebml || ebml.size === null) return NO_FACTS;
  const seg = await readHeader(r, ebml.dataStart + ebml.size);
  if (!seg || seg.id !== ID.segment) return { ...NO_FACTS, truncated: seg === null };
  const segEnd = seg.size === null ? r.size : seg.dataStart + seg.size;
  let truncated = segEnd > r.size;
  let timecodeScale = 1_000_000; // ns per tick (the Matroska default)
  let durationTicks: number | null = null;
  let codec: string | null = null;
  let clusterTime = 0;
  let lastFrameTicks: number | null = null; // time of the last block that is complete in the file
  const end = Math.min(segEnd, r.size);
  let o = seg.dataStart;
  let inCluster = false; // walking an unknown-size or cut-off cluster's children
  for (let n = 0; o < end; n++) {
    if (n > MAX_ELEMENTS) return { ...NO_FACTS, truncated, codec };
    const h = await readHeader(r, o);
    if (!h) {
      truncated = true;
      break;
    }
    const dataEnd = h.size === null ? null : h.dataStart + h.size;
    if (h.id === ID.cluster) {
      inCluster = true;
      if (dataEnd !== null && dataEnd <= r.size) {
        // A complete cluster: its own time is enough unless it is the last one.
        const t = await r.read(h.dataStart, Math.min(h.dataStart + 16, dataEnd));
        const first = header(t, 0, h.dataStart);
        if (first?.id === ID.timecode && first.size !== null) {
          clusterTime = uint(t.subarray(first.dataStart - h.dataStart, first.dataStart - h.dataStart + first.size));
          lastFrameTicks = clusterTime;
        }
        if (dataEnd < end) {
          o = dataEnd;
          inCluster = false;
          continue;
        }
      }
      o = h.dataStart; // walk into it: its blocks tell how far frames go
      continue;
    }
    if (dataEnd !== null && dataEnd > r.size) {
      truncated = true; // the file ends inside this element
      break;
    }
    if (inCluster && !TOP_LEVEL.has(h.id)) {
      if (h.id === ID.timecode && dataEnd !== null) clusterTime = uint(await r.read(h.dataStart, dataEnd));
      if ((h.id === ID.simpleBlock || h.id === ID.blockGroup) && dataEnd !== null) {
        // Block layout: track number (EBML varint), int16 time relative to the cluster, flags, frame data.
        const b = await r.read(h.dataStart, Math.min(dataEnd, h.dataStart + 32));
        const inner = h.id === ID.blockGroup ? header(b, 0, h.dataStart) : null;
        const at = h.id === ID.blockGroup ? (inner?.id === ID.block ? inner.dataStart - h.dataStart : -1) : 0;
        if (at >= 0 && at < b.length) {
          const trackLen = Math.clz32(b[at]) - 23;
          if (at + trackLen + 2 <= b.length) {
            const rel = new DataView(b.buffer, b.byteOffset + at + trackLen, 2).getInt16(0);
            lastFrameTicks = Math.max(lastFrameTicks ?? 0, clusterTime + rel);
          }
        }
      }
      if (dataEnd === null) throw new NotParseable('unknown-size element inside a cluster');
      o = dataEnd;
      continue;
    }
    inCluster = false;
    if (dataEnd === null) break; // an unknown-size element we cannot skip
    if ((h.id === ID.info || h.id === ID.tracks) && h.size !== null && h.size <= MAX_HEADER_BYTES) {
      const fields = children(await r.read(h.dataStart, dataEnd));
      if (h.id === ID.info) {
        const scale = fields.find((f) => f.id === ID.timecodeScale);
        const duration = fields.find((f) => f.id === ID.duration);
        if (scale) timecodeScale = uint(scale.data);
        if (duration) durationTicks = float(duration.data);
      } else {
        codec = videoCodec(await r.read(h.dataStart, dataEnd));
      }
    }
    o = dataEnd;
  }
  const seconds = (ticks: number | null) => (ticks === null || !Number.isFinite(ticks) ? null : (ticks * timecodeScale) / 1e9);
  return {
    truncated,
    indexMissing: false,
    codec,
    declaredSeconds: seconds(durationTicks),
    playableSeconds: truncated ? seconds(lastFrameTicks) : null,
  };
}
