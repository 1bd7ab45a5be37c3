// Size at which frames are captured, shown and fed to the model: big videos (e.g. 4K) are scaled
// down so capture, upload and compositing stay cheap; the model then resizes to its input size.

export const MAX_DISPLAY = { width: 1280, height: 720 };

export function fitWithin(width: number, height: number, max = MAX_DISPLAY): { width: number; height: number; scaled: boolean } {
  if (width <= 0 || height <= 0) throw new RangeError(`invalid video size ${width}x${height}`);
  // Compare orientation-free so portrait videos get the same pixel budget as landscape ones.
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  const scale = Math.min(1, max.width / long, max.height / short);
  if (scale === 1) return { width, height, scaled: false };
  // Even sizes keep encoders (recording) happy.
  const even = (v: number) => Math.max(2, 2 * Math.round((v * scale) / 2));
  return { width: even(width), height: even(height), scaled: true };
}
