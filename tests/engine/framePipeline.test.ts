// FramePipeline in Node: one frame through fakes (capture, runner, renderer), statistics,
// cancellation by AbortSignal, errors said on screen, and ownership of the frame on screen.
import { describe, expect, it, vi } from 'vitest';
import { FramePipeline } from '../../src/engine/framePipeline';
import { FrameStats } from '../../src/engine/stats';
import { fakeCapturer, fakeSession, FakeVideo, manualLoop, messageIds, storeAndBoard } from './fakes';

function setup() {
  const { store, board } = storeAndBoard();
  const stats = new FrameStats();
  const loops = manualLoop();
  const done = vi.fn();
  let clock = 0;
  const pipeline = new FramePipeline({
    stats, board, meter: { beginFrame: () => {}, endFrame: () => 0 },
    renderOptions: () => ({ view: 'seg', opacity: 0.5, split: 0.5 }),
    onFrameDone: done, createLoop: loops.factory, now: () => (clock += 5),
  });
  const s = fakeSession(2);
  const capturer = fakeCapturer();
  pipeline.setSession(s.session, capturer);
  return { store, board, stats, loops, done, pipeline, s, capturer };
}

describe('FramePipeline', () => {
  it('runs one frame: capture, runner step, render with the view options, stats, frame done', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    expect(t.s.runner.reset).toHaveBeenCalledWith('source'); // a new video starts on a keyframe
    await t.pipeline.runOne(0);
    await t.pipeline.runOne(0.1);
    expect(t.s.runner.step).toHaveBeenCalledTimes(2);
    expect(t.s.renderer.render.mock.calls[0][1]).toEqual({ view: 'seg', opacity: 0.5, split: 0.5 });
    const snap = t.stats.snapshot(100, null);
    expect([snap.processed, snap.keyframes, snap.fastFrames]).toEqual([2, 1, 1]);
    expect(snap.gflopsPerFrame).toBe((10 + 2) / 2); // slow + fast+ila from the cost model
    expect(t.done.mock.calls.map(([f]) => [f.index, f.net, f.keyframeCause, f.mediaTime])).toEqual([[0, 'slow', 'interval', 0], [1, 'fast+ila', null, 0.1]]);
    expect(t.pipeline.positionProcessed).toBe(true);
    expect(t.s.predictions[0].disposed).toBe(true); // replaced by the second frame
    expect(t.s.predictions[1].disposed).toBe(false); // on screen, kept for redraws
  });

  it('resets the runner on a jump back in time (loop wrap, seek)', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    await t.pipeline.runOne(2);
    await t.pipeline.runOne(0.5);
    expect(t.s.runner.reset.mock.calls.map(([r]) => r)).toEqual(['source', 'seek']);
  });

  it('drops a frame cancelled during capture: no step, pixels released, nothing reported', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    t.capturer.capture = vi.fn(async () => {
      t.pipeline.cancel(); // e.g. the device is lost while the frame is captured
      const pixels = { disposed: false, dispose() { this.disposed = true; } };
      t.capturer.frames.push(pixels);
      return { pixels: pixels as never, bitmap: null };
    });
    await t.pipeline.runOne(0);
    expect(t.s.runner.step).not.toHaveBeenCalled();
    expect(t.capturer.frames[0].disposed).toBe(true);
    expect(t.done).not.toHaveBeenCalled();
    expect(t.stats.snapshot(0, null).processed).toBe(0);
  });

  it('drops a frame cancelled during render: the prediction is released, no stats', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    t.s.renderer.render.mockImplementationOnce(async () => t.pipeline.cancel());
    await t.pipeline.runOne(0);
    expect(t.s.predictions[0].disposed).toBe(true);
    expect(t.done).not.toHaveBeenCalled();
    await t.pipeline.runOne(0.1); // later frames run under the fresh signal
    expect(t.done).toHaveBeenCalledTimes(1);
  });

  it('says a failed frame on screen and keeps the last error; the next good frame clears it', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    t.s.renderer.render.mockRejectedValueOnce(new Error('out of memory'));
    await t.pipeline.runOne(0);
    expect(t.store.get().messages).toContainEqual({ id: 'frame', level: 'error', text: 'A frame could not be processed: out of memory' });
    expect(t.board.lastError).toBe('out of memory');
    expect(t.s.predictions[0].disposed).toBe(true);
    await t.pipeline.runOne(0.1);
    expect(messageIds(t.store)).not.toContain('frame');
  });

  it('processes nothing without a session, and releases the frame on screen when detached', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    await t.pipeline.runOne(0);
    await t.pipeline.detach();
    expect(t.s.predictions[0].disposed).toBe(true);
    expect(t.pipeline.hasVideo).toBe(false);
    t.pipeline.setSession(null, null);
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    await t.pipeline.runOne(0);
    expect(t.s.runner.step).toHaveBeenCalledTimes(1);
  });

  it('redraws the frame on screen with the current options, not while a frame is in flight', async () => {
    const t = setup();
    await t.pipeline.attach(new FakeVideo() as unknown as HTMLVideoElement);
    t.pipeline.redraw(); // nothing on screen yet
    expect(t.s.renderer.render).not.toHaveBeenCalled();
    await t.pipeline.runOne(0);
    t.pipeline.redraw();
    expect(t.s.renderer.render).toHaveBeenCalledTimes(2);
    expect(t.s.renderer.render.mock.calls[1][0]).toBe(t.s.renderer.render.mock.calls[0][0]); // the same frame
  });
});
