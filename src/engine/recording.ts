// Recording the annotated canvas from the page's controls: start, stop and download, with what
// went wrong said on screen.
import type { MessageBoard } from './messageBoard';
import { NOTHING_RECORDED, recordingFailedMessage } from './messages';
import { CanvasRecorder, downloadBlob } from './recorder';
import type { Store } from './store';

export interface RecordingDeps {
  store: Store<{ recording: boolean }>;
  board: MessageBoard;
  recorder?: Pick<CanvasRecorder, 'start' | 'stop'>;
  download?: (blob: Blob, filename: string) => void;
  now?: () => Date;
}

export class Recording {
  private readonly recorder: Pick<CanvasRecorder, 'start' | 'stop'>;
  private readonly download: (blob: Blob, filename: string) => void;
  private readonly now: () => Date;

  constructor(private readonly deps: RecordingDeps) {
    this.recorder = deps.recorder ?? new CanvasRecorder();
    this.download = deps.download ?? downloadBlob;
    this.now = deps.now ?? (() => new Date());
  }

  /** Records `canvas` (nothing happens without one: no model, no overlay canvas). */
  start(canvas: HTMLCanvasElement | null, fps: number): void {
    if (!canvas) return;
    try {
      this.recorder.start(canvas, fps);
      this.deps.store.set({ recording: true });
      this.deps.board.clear('recording');
    } catch (e) {
      this.deps.board.post(recordingFailedMessage(e));
    }
  }

  /** Stops and downloads the WebM; resolves with it (null when nothing was recorded). */
  async stop(): Promise<Blob | null> {
    const blob = await this.recorder.stop();
    this.deps.store.set({ recording: false });
    if (blob.size === 0) {
      this.deps.board.post(NOTHING_RECORDED);
      return null;
    }
    const stamp = this.now().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    this.download(blob, `mila-web-${stamp}.webm`);
    return blob;
  }
}
