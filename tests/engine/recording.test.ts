// Recording from the page's controls, with a fake recorder and download.
import { describe, expect, it, vi } from 'vitest';
import { Recording } from '../../src/engine/recording';
import { storeAndBoard } from './fakes';

function setup(blob: Blob, startError: Error | null = null) {
  const { store, board } = storeAndBoard();
  const recorder = {
    start: vi.fn(() => {
      if (startError) throw startError;
    }),
    stop: vi.fn(async () => blob),
  };
  const download = vi.fn();
  const rec = new Recording({ store, board, recorder, download, now: () => new Date('2026-01-02T03:04:05.678Z') });
  return { store, rec, recorder, download };
}

const canvas = {} as HTMLCanvasElement;

describe('Recording', () => {
  it('records the canvas and downloads a time-stamped WebM', async () => {
    const t = setup(new Blob(['x'], { type: 'video/webm' }));
    t.rec.start(canvas, 25);
    expect(t.recorder.start).toHaveBeenCalledWith(canvas, 25);
    expect(t.store.get().recording).toBe(true);
    const blob = await t.rec.stop();
    expect(blob?.size).toBe(1);
    expect(t.download).toHaveBeenCalledWith(blob, 'mila-web-2026-01-02T03-04-05.webm');
    expect(t.store.get().recording).toBe(false);
  });

  it('does nothing without a canvas, and says why recording could not start or recorded nothing', async () => {
    const t = setup(new Blob([]), new Error('Recording is not supported by this browser.'));
    t.rec.start(null, 30);
    expect(t.recorder.start).not.toHaveBeenCalled();
    t.rec.start(canvas, 30);
    expect(t.store.get().messages).toContainEqual({ id: 'recording', level: 'error', text: 'Recording is not supported by this browser.' });
    expect(await t.rec.stop()).toBeNull();
    expect(t.store.get().messages).toContainEqual({ id: 'recording', level: 'warning', text: 'Nothing was recorded: no frame was drawn while recording.' });
    expect(t.download).not.toHaveBeenCalled();
  });
});
