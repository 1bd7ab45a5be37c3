// The video on screen: opening a source (the newest request wins, a failed open leaves the old
// one playing), mounting its element, playing, pausing, looping and frame-exact seeking, and a
// video that fails in use (damaged data): Play and Step go off with the reason.
import { fitWithin } from '../source/displaySize';
import { seekVideo } from '../source/seek';
import { playbackDamagedText } from '../source/sourceText';
import type { FrameSource } from '../source/types';
import { CancelScope } from './cancelScope';
import type { SourceSummary } from './engineState';
import type { MessageBoard } from './messageBoard';
import { END_OF_CLIP, errorText, playbackDamagedMessage, playbackFailedMessage, scaledSourceMessage, sourceNoticeMessage, sourceProblemMessage } from './messages';
import type { Store } from './store';

export const DEFAULT_FPS = 30;

interface SourceFields {
  opening: string | null;
  source: SourceSummary | null;
  playing: boolean;
}

export interface SourceControllerDeps {
  store: Store<SourceFields>;
  board: MessageBoard;
  /** Puts the video element on the stage (first child, under the overlay canvas). */
  mount: (video: HTMLVideoElement) => void;
  /** Called when the video on screen reports a media error (after the message is posted). */
  onMediaError: () => void;
}

export class SourceController {
  private currentSource: FrameSource | null = null;
  private readonly opens = new CancelScope();
  private requests = 0;
  loop = true; // the user's loop setting; applies to seekable sources

  constructor(private readonly deps: SourceControllerDeps) {}

  get current(): FrameSource | null {
    return this.currentSource;
  }

  /** The video on screen failed in use (damaged data): it cannot play or step any more. */
  get broken(): boolean {
    return this.currentSource?.video.error != null;
  }

  /** Sources asked for so far (a source chosen during start-up wins over the URL's). */
  get requested(): number {
    return this.requests;
  }

  /**
   * Opens a source fully before anything is replaced; resolves with it, or with null when the open
   * failed (said on screen) or a newer request superseded it (then the source is disposed).
   */
  async open(what: string, opener: () => Promise<FrameSource>): Promise<FrameSource | null> {
    const signal = this.opens.renew();
    this.requests++;
    const { store, board } = this.deps;
    store.set({ opening: what });
    let source: FrameSource;
    try {
      source = await opener();
    } catch (e) {
      if (signal.aborted) return null; // superseded: its problem no longer matters
      store.set({ opening: null });
      board.fail(errorText(e), sourceProblemMessage(e));
      return null;
    }
    if (signal.aborted) {
      source.dispose();
      return null;
    }
    store.set({ opening: null });
    board.clear('source');
    return source;
  }

  /** Makes `source` the one on screen (the old one is removed and disposed); returns its summary. */
  use(source: FrameSource, id: string): SourceSummary {
    const old = this.currentSource;
    old?.video.remove();
    old?.dispose();
    this.currentSource = source;
    const v = source.video;
    v.loop = this.loop && source.canSeek;
    v.className = 'stage-video';
    this.deps.mount(v);
    v.addEventListener('ended', () => this.deps.store.set({ playing: false }));
    const size = fitWithin(v.videoWidth, v.videoHeight); // what FrameCapturer will capture
    const summary: SourceSummary = {
      kind: source.kind,
      id,
      label: source.label,
      width: source.width,
      height: source.height,
      displayWidth: size.width,
      displayHeight: size.height,
      scaled: size.scaled,
      broken: null,
    };
    this.deps.store.set({ source: summary });
    if (source.notice) this.deps.board.post(sourceNoticeMessage(source.notice));
    v.addEventListener('error', () => {
      if (this.currentSource !== source) return; // a replaced source's late error is not news
      const text = playbackDamagedText(source.label, v.currentTime, v.error?.message);
      this.deps.board.fail(text, playbackDamagedMessage(text));
      this.deps.onMediaError();
      this.deps.store.set({ source: { ...summary, broken: text } });
    });
    if (size.scaled) this.deps.board.post(scaledSourceMessage(source.label, source.width, source.height, size.width, size.height));
    else this.deps.board.clear('scaled');
    return summary;
  }

  setLoop(loop: boolean): void {
    this.loop = loop;
    if (this.currentSource?.canSeek) this.currentSource.video.loop = loop;
  }

  /** Starts the video (from the start when it had ended); false, said on screen, when the browser refuses. */
  async play(): Promise<boolean> {
    const src = this.currentSource;
    if (!src || src.video.error) return false;
    if (src.canSeek && src.video.ended) src.video.currentTime = 0;
    try {
      await src.video.play();
      this.deps.store.set({ playing: true });
      return true;
    } catch (e) {
      this.deps.board.post(playbackFailedMessage(e));
      return false;
    }
  }

  pause(): void {
    this.currentSource?.video.pause();
    this.deps.store.set({ playing: false });
  }

  /**
   * Seeks to the middle of the next frame; false at the end of a clip that does not loop (said on
   * screen), or when the video fails or never answers (the seek always settles).
   */
  async seekToNextFrame(): Promise<boolean> {
    const src = this.currentSource;
    if (!src) return false;
    const v = src.video;
    const fps = src.fps ?? DEFAULT_FPS;
    const index = Math.floor(v.currentTime * fps + 1e-3);
    // Mid-frame times land on the wanted frame whatever the decoder's rounding.
    let target = (index + 1.5) / fps;
    const end = src.playableEnd ?? v.duration; // a truncated file's frames end before its duration
    if (Number.isFinite(end) && target >= end) {
      if (!this.loop) {
        this.deps.board.post(END_OF_CLIP);
        return false;
      }
      target = 0.5 / fps;
    }
    return seekVideo(v, target); // false on a media error: the caller stops stepping
  }

  dispose(): void {
    this.opens.cancel();
    this.currentSource?.dispose();
    this.currentSource = null;
  }
}
