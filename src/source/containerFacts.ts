// What a video file's own structure says about it, read before the browser tries to decode it: whether it
// is cut short (and how much of it can still play) and which codec it names. It lets a truncated file be
// told apart from an unsupported codec, and a cut-off clip be played only as far as its data goes.

export interface ContainerFacts {
  /** The file ends inside an element (box, cluster, block) that its structure declares. */
  truncated: boolean;
  /** MP4 only: no complete 'moov' box, the index without which nothing can be played. */
  indexMissing: boolean;
  /** Video codec the container names ('avc1', 'V_VP9', ...), when the header is readable. */
  codec: string | null;
  /** Duration the header declares, seconds. */
  declaredSeconds: number | null;
  /** Truncated files: presentation time up to which complete frames exist, seconds. */
  playableSeconds: number | null;
}

export const NO_FACTS: ContainerFacts = { truncated: false, indexMissing: false, codec: null, declaredSeconds: null, playableSeconds: null };

/** Thrown inside the parsers when the bytes are not the structure they claim; callers fall back to NO_FACTS. */
export class NotParseable extends Error {}
