// Ranged reads of a file (a File/Blob in the browser, a Uint8Array in tests), so container checks can
// look at a few bytes here and there without loading a large upload into memory.

export interface ByteReader {
  readonly size: number;
  /** Bytes [start, end) clipped to the file; fewer than asked at the end of the file. */
  read(start: number, end: number): Promise<Uint8Array>;
}

export function blobReader(blob: Blob): ByteReader {
  return {
    size: blob.size,
    read: async (start, end) => new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer()),
  };
}

export function bytesReader(bytes: Uint8Array): ByteReader {
  return {
    size: bytes.length,
    read: async (start, end) => bytes.subarray(start, Math.min(end, bytes.length)),
  };
}
