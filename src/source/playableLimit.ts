// Keeps playback of a truncated file inside the part that has frames: the browser believes the declared
// duration and, past the cut, shows a frozen last frame (WebM) until the clock reaches the end.

/** Wraps (loop) or ends playback at `end` seconds; returns a function that removes the watch. */
export function limitPlayback(video: HTMLVideoElement, end: number): () => void {
  const onTime = () => {
    if (video.currentTime < end) return;
    if (video.loop) {
      video.currentTime = 0;
      return;
    }
    video.pause();
    video.dispatchEvent(new Event('ended')); // listeners treat it as the clip's end
  };
  // Play again after that end starts over, as at a real end (the element's own `ended` stays false here).
  const onPlay = () => {
    if (video.currentTime >= end) video.currentTime = 0;
  };
  video.addEventListener('timeupdate', onTime);
  video.addEventListener('play', onPlay);
  return () => {
    video.removeEventListener('timeupdate', onTime);
    video.removeEventListener('play', onPlay);
  };
}
