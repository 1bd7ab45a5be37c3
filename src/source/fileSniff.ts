// Recognises video containers from their first bytes, so a rejected file can be reported as
// "not a video" (unknown bytes) or "unsupported codec" (a known container the browser cannot decode).

export type Container = 'webm/matroska' | 'mp4/quicktime' | 'ogg' | 'avi' | 'mpeg-ps' | 'mpeg-ts' | 'flv' | 'asf/wmv';

export function sniffContainer(head: Uint8Array): Container | null {
  const at = (o: number, ...bytes: number[]) => bytes.every((b, i) => head[o + i] === b);
  const ascii = (o: number, s: string) => at(o, ...Array.from(s, (c) => c.charCodeAt(0)));
  if (at(0, 0x1a, 0x45, 0xdf, 0xa3)) return 'webm/matroska';
  if (ascii(4, 'ftyp') || ascii(4, 'moov') || ascii(4, 'mdat') || ascii(4, 'wide') || ascii(4, 'free')) return 'mp4/quicktime';
  if (ascii(0, 'OggS')) return 'ogg';
  if (ascii(0, 'RIFF') && ascii(8, 'AVI ')) return 'avi';
  if (at(0, 0x00, 0x00, 0x01, 0xba)) return 'mpeg-ps';
  if (head[0] === 0x47 && head.length > 188 && head[188] === 0x47) return 'mpeg-ts';
  if (ascii(0, 'FLV')) return 'flv';
  if (at(0, 0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11)) return 'asf/wmv';
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
