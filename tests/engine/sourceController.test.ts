// SourceController in Node with fake video elements: the newest open wins, a failed open keeps the
// old source, mounting and replacing, loop, playback errors, frame-exact seeking (inside a truncated
// file's playable end), media errors (the source goes broken), notices.
import { describe, expect, it, vi } from 'vitest';
import { SourceController } from '../../src/engine/sourceController';
import { SourceError, type FrameSource } from '../../src/source/types';
import { fakeSource, messageIds, storeAndBoard } from './fakes';

function setup() {
  const { store, board } = storeAndBoard();
  const mounted: unknown[] = [];
  const onMediaError = vi.fn();
  const sources = new SourceController({ store, board, mount: (v) => mounted.push(v), onMediaError });
  return { store, board, sources, mounted, onMediaError };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('SourceController', () => {
  it('lets the newest request win: an older open that finishes later is disposed', async () => {
    const t = setup();
    const slow = deferred<FrameSource>();
    const a = fakeSource('a');
    const b = fakeSource('b');
    const first = t.sources.open('"a"', () => slow.promise);
    expect(t.store.get().opening).toBe('"a"');
    const second = t.sources.open('"b"', async () => b.source);
    expect(await second).toBe(b.source);
    slow.resolve(a.source);
    expect(await first).toBeNull();
    expect(a.source.disposed).toBe(true);
    expect(t.sources.requested).toBe(2);
    expect(t.store.get().opening).toBeNull();
  });

  it('says a failed open on screen and keeps the source that plays', async () => {
    const t = setup();
    const old = fakeSource('old');
    t.sources.use(old.source, 'upload');
    const got = await t.sources.open('"bad.mp4"', async () => {
      throw new SourceError('codec', 'This browser cannot decode "bad.mp4".');
    });
    expect(got).toBeNull();
    expect(t.sources.current).toBe(old.source);
    expect(t.store.get().messages).toContainEqual({ id: 'source', level: 'error', text: 'This browser cannot decode "bad.mp4".', action: 'dismiss' });
    expect(t.board.lastError).toBe('This browser cannot decode "bad.mp4".');
  });

  it('ignores the failure of a superseded open', async () => {
    const t = setup();
    const slow = deferred<FrameSource>();
    const first = t.sources.open('"a"', () => slow.promise);
    await t.sources.open('"b"', async () => fakeSource('b').source);
    slow.reject(new Error('late failure'));
    expect(await first).toBeNull();
    expect(messageIds(t.store)).not.toContain('source');
  });

  it('mounts a new source, replaces and disposes the old one, and loops seekable sources only', () => {
    const t = setup();
    const a = fakeSource('a');
    const cam = fakeSource('cam', { canSeek: false });
    t.sources.use(a.source, 'sample-1');
    expect([a.video.loop, a.video.className, t.mounted]).toEqual([true, 'stage-video', [a.video]]);
    expect(t.store.get().source).toMatchObject({ id: 'sample-1', label: 'a', scaled: false });
    t.sources.use(cam.source, 'webcam');
    expect([a.video.removed, a.source.disposed, cam.video.loop]).toEqual([true, true, false]);
    t.sources.setLoop(false);
    expect(cam.video.loop).toBe(false);
  });

  it('says when a large video is scaled for display', () => {
    const t = setup();
    t.sources.use(fakeSource('4k', { width: 3840, height: 2160 }).source, 'upload');
    expect(t.store.get().messages.find((m) => m.id === 'scaled')?.text).toBe(
      '"4k" is 3840x2160: frames are scaled to 1280x720 for display and then to the model\'s input size.',
    );
    t.sources.use(fakeSource('small').source, 'upload');
    expect(messageIds(t.store)).not.toContain('scaled');
  });

  it('plays from the start after the end, and says when the browser refuses to play', async () => {
    const t = setup();
    const a = fakeSource('a');
    t.sources.use(a.source, 'x');
    a.video.ended = true;
    a.video.currentTime = 9.9;
    expect(await t.sources.play()).toBe(true);
    expect([a.video.currentTime, t.store.get().playing]).toEqual([0, true]);
    a.video.playError = new Error('NotAllowedError');
    t.sources.pause();
    expect(await t.sources.play()).toBe(false);
    expect(t.store.get().messages).toContainEqual({ id: 'playback', level: 'error', text: 'Playback could not start: NotAllowedError' });
    expect(t.store.get().playing).toBe(false);
  });

  it('seeks to the middle of the next frame, wraps when looping, stops at the end otherwise', async () => {
    const t = setup();
    const a = fakeSource('a', { fps: 10 });
    a.video.duration = 1;
    t.sources.use(a.source, 'x');
    a.video.currentTime = 0.05; // frame 0
    expect(await t.sources.seekToNextFrame()).toBe(true);
    expect(a.video.currentTime).toBeCloseTo(0.15, 12);
    a.video.currentTime = 0.95; // the last frame
    expect(await t.sources.seekToNextFrame()).toBe(true);
    expect(a.video.currentTime).toBeCloseTo(0.05, 12); // looped to frame 0
    t.sources.setLoop(false);
    a.video.currentTime = 0.95;
    expect(await t.sources.seekToNextFrame()).toBe(false);
    expect(t.store.get().messages).toContainEqual({ id: 'playback', level: 'info', text: 'End of the clip.' });
  });

  it('stops stepping at a truncated file\'s playable end, not its declared duration', async () => {
    const t = setup();
    const a = fakeSource('cut.webm', { fps: 10, playableEnd: 0.5 });
    a.video.duration = 1;
    t.sources.use(a.source, 'upload');
    a.video.currentTime = 0.45; // the last frame that exists
    expect(await t.sources.seekToNextFrame()).toBe(true);
    expect(a.video.currentTime).toBeCloseTo(0.05, 12); // looped to frame 0, not into the missing part
    t.sources.setLoop(false);
    a.video.currentTime = 0.45;
    expect(await t.sources.seekToNextFrame()).toBe(false);
  });

  it('says what a source that opened needs known (a truncated file)', () => {
    const t = setup();
    t.sources.use(fakeSource('cut.webm', { notice: '"cut.webm" is truncated: only the first 0.5 s of its 1.0 s can play.' }).source, 'upload');
    expect(t.store.get().messages).toContainEqual({ id: 'source', level: 'warning', text: '"cut.webm" is truncated: only the first 0.5 s of its 1.0 s can play.', action: 'dismiss' });
  });

  it('a media error of the video on screen: said with where it stopped, the source broken, the engine told', async () => {
    const t = setup();
    const a = fakeSource('clip.webm');
    t.sources.use(a.source, 'upload');
    a.video.currentTime = 2.25;
    a.video.error = { code: 3, message: 'PIPELINE_ERROR_DECODE: bad frame' } as MediaError;
    a.video.dispatchEvent(new Event('error'));
    const text = t.store.get().messages.find((m) => m.id === 'source')?.text;
    expect(text).toMatch(/^"clip\.webm" stopped at 2\.3 s: the video data could not be decoded\./); // no raw browser code
    expect(text).not.toMatch(/PIPELINE_ERROR/);
    expect(t.store.get().source?.broken).toBe(text);
    expect(t.board.lastError).toBe(text);
    expect(t.sources.broken).toBe(true);
    expect(t.onMediaError).toHaveBeenCalledTimes(1);
    expect(await t.sources.play()).toBe(false);
    expect(await t.sources.seekToNextFrame()).toBe(false); // settles at once instead of waiting for 'seeked'
  });

  it('ignores a late media error of a source that was replaced', () => {
    const t = setup();
    const a = fakeSource('a');
    t.sources.use(a.source, 'x');
    t.sources.use(fakeSource('b').source, 'y');
    a.video.error = { code: 3, message: '' } as MediaError;
    a.video.dispatchEvent(new Event('error'));
    expect(t.store.get().source?.broken).toBeNull();
    expect(t.onMediaError).not.toHaveBeenCalled();
  });
});
