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

describe('URL values out of range are never changed silently', () => {
  const said = (query: string) => parseSettings(query).problems.join(' | ');

  it('clamps opacity and says so', () => {
    const { settings, problems } = parseSettings('?opacity=-3');
    expect(settings.opacity).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/opacity="-3" clamped to 0\b/);
    expect(said('?opacity=7')).toMatch(/opacity="7" clamped to 1\b/);
    expect(said('?split=2')).toMatch(/split="2" clamped to 1\b/);
  });

  it('k out of range is clamped, and the message says clamped, not ignored', () => {
    for (const [raw, value] of [['0', 1], ['999', 30], ['-4', 1]] as const) {
      const { settings, problems } = parseSettings(`?k=${raw}`);
      expect(settings.k).toBe(value);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`k="${raw}" clamped to ${value}`);
      expect(problems[0]).not.toContain('ignored');
    }
    const { settings, problems } = parseSettings('?k=2.5');
    expect(settings.k).toBe(3);
    expect(problems[0]).toContain('k="2.5" rounded to 3');
  });

  it('a value that is not a number is ignored, the default is kept, and the message names it', () => {
    for (const key of ['k', 'opacity', 'split']) {
      const { settings, problems } = parseSettings(`?${key}=lots`);
      expect(settings[key as 'k']).toBe(DEFAULT_SETTINGS[key as 'k']);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`${key}="lots" ignored`);
      expect(problems[0]).toContain(String(DEFAULT_SETTINGS[key as 'k']));
    }
  });

  it('a flag that is neither on nor off is ignored with the default kept', () => {
    const { settings, problems } = parseSettings('?loop=maybe&play=0');
    expect(settings.loop).toBe(DEFAULT_SETTINGS.loop);
    expect(settings.play).toBe(false);
    expect(problems.join(' ')).toContain('loop="maybe" ignored');
  });

  it('values inside the range say nothing', () => {
    expect(parseSettings('?k=1&opacity=0&split=1&loop=1&play=off').problems).toEqual([]);
  });
});
