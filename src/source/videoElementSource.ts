// Opens a video URL or an uploaded File in an HTMLVideoElement and checks it is playable before
// anyone uses it, turning media errors into messages that say what is wrong with the file.
import { blobReader } from './byteReader';
import { NO_FACTS, type ContainerFacts } from './containerFacts';
import { containerFacts } from './fileFacts';
import { formatBytes, sniffContainer, type Container } from './fileSniff';
import { limitPlayback } from './playableLimit';
import { containerWithArticle, indexMissingText, plainBrowserReason, truncatedNote, truncatedUnopenableText, withArticle } from './sourceText';
import { SourceError, type FrameSource, type SourceKind } from './types';

const OPEN_TIMEOUT_MS = 20_000;

export function createVideoElement(): HTMLVideoElement {
  const v = document.createElement('video');
  v.muted = true; // autoplay without a gesture needs muted video
  v.playsInline = true;
  v.crossOrigin = 'anonymous';
  v.preload = 'auto';
  return v;
}

/** Waits for the first decodable frame; rejects with a SourceError naming the problem. */
function waitForFirstFrame(video: HTMLVideoElement, label: string, container: Container | null, facts: ContainerFacts): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      video.removeEventListener('loadeddata', onData);
      video.removeEventListener('error', onError);
    };
    const onData = () => {
      cleanup();
      resolve();
    };
    const onError = () => {
      cleanup();
      reject(describeMediaError(video.error, label, container, facts));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new SourceError('corrupt', `"${label}" could not be opened: no frame decoded within ${OPEN_TIMEOUT_MS / 1000} s. The file may be truncated or damaged.`));
    }, OPEN_TIMEOUT_MS);
    video.addEventListener('loadeddata', onData);
    video.addEventListener('error', onError);
  });
}

/**
 * Turns a media error into a message. The container's own structure (`facts`) decides between damage and
 * codec: a file that ends early is truncated whatever the browser says; only a readable container whose
 * data the browser still refuses is a codec problem. Raw browser text is never shown (sourceText.ts).
 */
export function describeMediaError(error: MediaError | null, label: string, container: Container | null, facts: ContainerFacts = NO_FACTS): SourceError {
  const reason = plainBrowserReason(error?.message);
  const detail = reason ? ` (${reason})` : '';
  const code = error?.code;
  if (facts.truncated) {
    if (facts.indexMissing) return new SourceError('corrupt', indexMissingText(label));
    return new SourceError('corrupt', truncatedUnopenableText(label, facts));
  }
  if (code === MediaError.MEDIA_ERR_DECODE) {
    return new SourceError('corrupt', `"${label}" is damaged or truncated: the video data could not be decoded.`);
  }
  if (code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED) {
    // A recognised container that still fails is a codec problem; unknown bytes are not a video.
    if (container) {
      const opened = facts.codec !== null || /NO_SUPPORTED_STREAMS|codec|decoder/i.test(error?.message ?? '');
      const what = `${containerWithArticle(container)} file${facts.codec ? ` with ${facts.codec} video` : ''}`;
      return new SourceError(
        opened || container !== 'webm/matroska' ? 'codec' : 'corrupt',
        opened || container !== 'webm/matroska'
          ? `"${label}" is ${what}, but its video codec is not supported by this browser${detail}. Convert it to VP9/WebM or H.264/MP4.`
          : `"${label}" looks like ${what} but could not be opened: it is probably damaged or truncated${detail}.`,
      );
    }
    return new SourceError('not-video', `"${label}" is not a video this browser can play${detail}.`);
  }
  return new SourceError('corrupt', `"${label}" could not be read${detail}.`);
}

/** Checks the element holds at least one frame of real video. */
function checkHasFrames(video: HTMLVideoElement, label: string): void {
  if (video.videoWidth === 0 || video.videoHeight === 0) {
    throw new SourceError('no-frames', `"${label}" has no video track (audio only or empty).`);
  }
  const d = video.duration;
  if (Number.isFinite(d) && d <= 0) {
    throw new SourceError('no-frames', `"${label}" is a zero-length clip: it contains no frames.`);
  }
}

class VideoElementSource implements FrameSource {
  readonly width: number;
  readonly height: number;
  readonly canSeek = true;
  readonly playableEnd: number | null;
  readonly notice: string | null;
  private readonly unlimit: () => void;

  constructor(
    readonly kind: SourceKind,
    readonly label: string,
    readonly video: HTMLVideoElement,
    readonly fps: number | null,
    private readonly objectUrl: string | null,
    facts: ContainerFacts,
  ) {
    this.width = video.videoWidth;
    this.height = video.videoHeight;
    const d = video.duration;
    const p = facts.playableSeconds;
    // Only a real shortfall: the browser's duration already ends where the frames do otherwise.
    this.playableEnd = p !== null && Number.isFinite(d) && p < d - 0.05 ? p : null;
    this.notice = truncatedNote(label, facts);
    this.unlimit = this.playableEnd !== null ? limitPlayback(video, this.playableEnd) : () => {};
  }

  dispose(): void {
    this.unlimit();
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
  }
}

async function openUrl(kind: SourceKind, url: string, label: string, fps: number | null, container: Container | null, objectUrl: string | null, facts = NO_FACTS): Promise<FrameSource> {
  const video = createVideoElement();
  video.src = url;
  try {
    await waitForFirstFrame(video, label, container, facts);
    checkHasFrames(video, label);
  } catch (e) {
    video.removeAttribute('src');
    video.load();
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    throw e;
  }
  return new VideoElementSource(kind, label, video, fps, objectUrl, facts);
}

/** Opens an uploaded file; rejects with a SourceError for empty, non-video, undecodable files. */
export async function openVideoFile(file: File): Promise<FrameSource> {
  if (file.size === 0) throw new SourceError('empty', `"${file.name}" is empty (0 bytes): there is no video in it.`);
  const container = sniffContainer(new Uint8Array(await file.slice(0, 256).arrayBuffer()));
  if (!container && !file.type.startsWith('video/')) {
    const what = file.type ? `${withArticle(file.type)} file` : 'not a recognised video format';
    throw new SourceError('not-video', `"${file.name}" (${formatBytes(file.size)}) is not a video: it is ${what}. Choose a WebM, MP4 or Ogg video.`);
  }
  const facts = await containerFacts(blobReader(file), container);
  if (facts.truncated && facts.indexMissing) throw new SourceError('corrupt', indexMissingText(file.name));
  const url = URL.createObjectURL(file);
  return openUrl('file', url, file.name, null, container, url, facts);
}

/** Opens a bundled sample clip by URL. */
export async function openSampleVideo(url: string, label: string, fps: number | null): Promise<FrameSource> {
  return openUrl('sample', url, label, fps, 'webm/matroska', null);
}
