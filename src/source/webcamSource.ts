// Webcam frames through getUserMedia, with a distinct message for each way it can fail.
import { createVideoElement } from './videoElementSource';
import { SourceError, type FrameSource } from './types';

class WebcamSource implements FrameSource {
  readonly kind = 'webcam' as const;
  readonly canSeek = false;
  readonly playableEnd = null;
  readonly notice = null;
  readonly fps: number | null;
  readonly width: number;
  readonly height: number;

  constructor(readonly video: HTMLVideoElement, private readonly stream: MediaStream, readonly label: string) {
    this.width = video.videoWidth;
    this.height = video.videoHeight;
    this.fps = stream.getVideoTracks()[0]?.getSettings().frameRate ?? null;
  }

  dispose(): void {
    for (const t of this.stream.getTracks()) t.stop();
    this.video.srcObject = null;
  }
}

export function describeWebcamError(e: unknown): SourceError {
  const name = (e as { name?: string })?.name ?? '';
  const msg = (e as Error)?.message ?? String(e);
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return new SourceError('webcam-denied', `Camera access was denied. Allow the camera for this page in the browser's site settings, or use a sample or an uploaded video.`);
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return new SourceError('webcam-absent', 'No camera was found on this device. Use a sample or an uploaded video.');
  }
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') {
    return new SourceError('webcam-busy', `The camera could not be started (${msg}); another application may be using it.`);
  }
  return new SourceError('webcam-absent', `The camera could not be opened: ${msg}`);
}

export async function openWebcam(): Promise<FrameSource> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new SourceError('webcam-unsupported', 'This browser offers no camera access here (it needs a secure context: https or localhost).');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
  } catch (e) {
    throw describeWebcamError(e);
  }
  const video = createVideoElement();
  video.srcObject = stream;
  try {
    await new Promise<void>((resolve, reject) => {
      video.onloadeddata = () => resolve();
      video.onerror = () => reject(new SourceError('webcam-busy', 'The camera stream delivered no frames.'));
      setTimeout(() => reject(new SourceError('webcam-busy', 'The camera delivered no frame within 10 s.')), 10_000);
    });
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    throw e;
  }
  const label = stream.getVideoTracks()[0]?.label || 'webcam';
  return new WebcamSource(video, stream, label);
}
