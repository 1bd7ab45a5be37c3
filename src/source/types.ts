// Frame sources: every source is an HTMLVideoElement the frame loop reads frames from.

export type SourceKind = 'sample' | 'file' | 'webcam';

export interface FrameSource {
  readonly kind: SourceKind;
  readonly label: string; // shown on screen: sample name, file name, camera label
  readonly video: HTMLVideoElement;
  readonly width: number; // native video size
  readonly height: number;
  readonly fps: number | null; // known frame rate (sample manifests), else null
  readonly canSeek: boolean; // files and samples; not the webcam
  readonly playableEnd: number | null; // truncated files: seconds up to which frames exist; else null
  readonly notice: string | null; // something to tell about a source that opened (e.g. it is truncated)
  dispose(): void;
}

export type SourceErrorCode =
  | 'empty'
  | 'not-video'
  | 'codec'
  | 'corrupt'
  | 'no-frames'
  | 'sample-missing'
  | 'webcam-denied'
  | 'webcam-absent'
  | 'webcam-busy'
  | 'webcam-unsupported';

/** A source that cannot be used; `message` is written for the person in front of the page. */
export class SourceError extends Error {
  constructor(readonly code: SourceErrorCode, message: string) {
    super(message);
    this.name = 'SourceError';
  }
}
