// SourceController in Node with fake video elements: the newest open wins, a failed open keeps the
// old source, mounting and replacing, loop, playback errors, frame-exact seeking, media errors.
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

  it('reports a media error of the video on screen and tells the engine', () => {
    const t = setup();
    vi.stubGlobal('MediaError', { MEDIA_ERR_ABORTED: 1, MEDIA_ERR_NETWORK: 2, MEDIA_ERR_DECODE: 3, MEDIA_ERR_SRC_NOT_SUPPORTED: 4 });
    const a = fakeSource('clip.webm');
    t.sources.use(a.source, 'upload');
    a.video.error = { code: 3, message: '' } as MediaError;
    a.video.dispatchEvent(new Event('error'));
    vi.unstubAllGlobals();
    expect(t.store.get().messages.find((m) => m.id === 'source')?.text).toMatch(/^"clip\.webm" is damaged/);
    expect(t.onMediaError).toHaveBeenCalledTimes(1);
  });
});
