// Seeking that always settles: a video in error state (or one that never answers) fires no 'seeked',
// and a caller waiting for it (the step button, `__mila.step`) would wait forever.

const SEEK_TIMEOUT_MS = 10_000;

/** Seeks to `time`; resolves true once there, false on a media error or after a timeout. */
export function seekVideo(video: HTMLVideoElement, time: number, timeoutMs = SEEK_TIMEOUT_MS): Promise<boolean> {
  if (video.error) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      video.removeEventListener('seeked', onSeeked);
      video.removeEventListener('error', onError);
      resolve(ok);
    };
    const onSeeked = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    video.addEventListener('seeked', onSeeked);
    video.addEventListener('error', onError);
    video.currentTime = time;
  });
}
