// Words for what is wrong with a video file: container names with their article, the browser's media
// error codes in plain language, and the notes for truncated files. No raw browser text reaches the user.
import type { ContainerFacts } from './containerFacts';
import type { Container } from './fileSniff';

/** How each container is named on screen, with the article its spoken name takes ("an MP4"). */
const CONTAINER_NAMES: Record<Container, string> = {
  'webm/matroska': 'a WebM/Matroska',
  'mp4/quicktime': 'an MP4/QuickTime',
  ogg: 'an Ogg',
  avi: 'an AVI',
  'mpeg-ps': 'an MPEG program stream',
  'mpeg-ts': 'an MPEG transport stream',
  flv: 'an FLV',
  'asf/wmv': 'an ASF/WMV',
};

export function containerWithArticle(c: Container): string {
  return CONTAINER_NAMES[c];
}

/** "a video/mp4", "an image/png", "an audio/x-wav": the article follows the first letter's sound. */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * Chromium's MediaError.message is "PipelineStatus::CODE: detail" or "CODE: detail"; the codes are
 * internal. Known ones become a plain phrase; unknown ones are left out rather than shown raw.
 */
const BROWSER_CODES: [RegExp, string][] = [
  [/DEMUXER_ERROR_COULD_NOT_OPEN|DEMUXER_ERROR_COULD_NOT_PARSE/, 'the browser could not read the file structure'],
  [/DEMUXER_ERROR_NO_SUPPORTED_STREAMS/, 'the browser found no stream it can decode'],
  [/PIPELINE_ERROR_DECODE|DECODER_ERROR/, 'the video data could not be decoded'],
  [/PIPELINE_ERROR_READ|NETWORK/, 'the file could not be read to the end'],
  [/MEDIA_ELEMENT_ERROR: Format error/, 'the browser does not recognise the format'],
];

export function plainBrowserReason(message: string | undefined | null): string | null {
  if (!message) return null;
  for (const [pattern, text] of BROWSER_CODES) if (pattern.test(message)) return text;
  return null;
}

const seconds = (s: number) => `${s.toFixed(1)} s`;

/** A file whose index is gone cannot be opened at all. */
export function indexMissingText(label: string): string {
  return `"${label}" is truncated: the file ends inside its video data, before the index (the "moov" box) that an MP4 needs to be played. It was probably cut off while downloading or recording; download or export it again.`;
}

/** A cut-off file the browser refused to open. */
export function truncatedUnopenableText(label: string, facts: ContainerFacts): string {
  const { playableSeconds: p, declaredSeconds: d } = facts;
  const extent = p !== null && d !== null && d > 0 ? ` (only the first ${seconds(p)} of ${seconds(d)} are there)` : '';
  return `"${label}" is damaged or truncated: the file ends early${extent} and the browser could not open it.`;
}

/** Shown when a cut-off file opens: how much of it can play. */
export function truncatedNote(label: string, facts: ContainerFacts): string | null {
  if (!facts.truncated) return null;
  const { playableSeconds: p, declaredSeconds: d } = facts;
  if (p !== null && d !== null && d > 0) {
    return `"${label}" is truncated: only the first ${seconds(p)} of its ${seconds(d)} can play (the file ends early; frames after that are missing).`;
  }
  return `"${label}" is truncated: the file ends inside its video data, so playback stops early.`;
}

/** A decode or read failure while the source was in use: where, and why the controls are off. */
export function playbackDamagedText(label: string, atSeconds: number, browserMessage: string | null | undefined): string {
  const why = plainBrowserReason(browserMessage) ?? 'the video data is damaged or missing';
  return `"${label}" stopped at ${seconds(atSeconds)}: ${why}. It is damaged or truncated there; the frames before it were shown. Play and Step are off for this video: open it again to replay, or choose another.`;
}
