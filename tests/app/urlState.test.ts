import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, parseSettings, serializeSettings } from '../../src/app/urlState';

describe('URL settings', () => {
  it('reads every control from the query', () => {
    const { settings, problems } = parseSettings('?model=tiny&k=7&view=depth&opacity=0.3&split=0.25&src=webcam&backend=wasm&loop=0&play=0&mode=fast-only');
    expect(problems).toEqual([]);
    expect(settings).toEqual({ model: 'tiny', k: 7, view: 'depth', opacity: 0.3, split: 0.25, src: 'webcam', backend: 'wasm', loop: false, play: false, mode: 'fast-only' });
  });

  it('falls back to defaults and lists what it ignored', () => {
    const { settings, problems } = parseSettings('?k=99&view=xray&model=../../etc&backend=metal&opacity=7');
    expect(settings.k).toBe(30); // clamped
    expect(settings.view).toBe(DEFAULT_SETTINGS.view);
    expect(settings.model).toBe(DEFAULT_SETTINGS.model); // never a path
    expect(settings.backend).toBeNull();
    expect(settings.opacity).toBe(1);
    for (const key of ['k=', 'view=', 'backend=']) expect(problems.join(' ')).toContain(key);
    expect(problems.join(' ')).toContain('not a model directory name');
  });

  it('round-trips through the query string and keeps links short', () => {
    expect(serializeSettings(DEFAULT_SETTINGS)).toBe('');
    const s = { ...DEFAULT_SETTINGS, k: 12, view: 'side' as const, model: 'tiny', loop: false };
    const q = serializeSettings(s);
    expect(q).toBe('?model=tiny&k=12&view=side&loop=0');
    expect(parseSettings(q).settings).toEqual(s);
  });
});
