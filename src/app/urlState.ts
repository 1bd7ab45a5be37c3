// Every control of the page as plain data, read from and written to the URL query, so a state
// can be shared as a link and set by tests. Framework-free: no React, no DOM beyond URLSearchParams.
// The vocabulary comes from the layers below: view modes (render), run modes, backends and model ids
// (runtime), the settings type (engine).
import { urlText } from '../engine/messages';
import type { AppSettings } from '../engine/settings';
import { VIEW_MODES } from '../render/types';
import { BACKEND_NAMES, RUN_MODES, type BackendName } from '../runtime/modes';
import { DEFAULT_MODEL_ID } from '../runtime/presets';

export const DEFAULT_SETTINGS: AppSettings = {
  model: DEFAULT_MODEL_ID,
  k: 5,
  view: 'split',
  opacity: 0.6,
  split: 0.5,
  src: '',
  backend: null,
  loop: true,
  play: true,
  mode: 'mila',
};

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/; // a directory name, never a path
const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

/**
 * Reads the query. Every value that is not used as written is said in `problems`: out of range
 * numbers are clamped ("clamped to"), non-integers where an integer is needed rounded ("rounded
 * to"), anything unreadable ignored with the default kept ("ignored ... using"). Never silently.
 */
class QueryReader {
  readonly problems: string[] = [];
  constructor(private readonly p: URLSearchParams) {}

  get(key: string): string | null {
    return this.p.get(key);
  }

  number(key: string, min: number, max: number, fallback: number, integer: boolean): number {
    const raw = this.p.get(key);
    if (raw === null) return fallback;
    const v = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(v)) {
      this.problems.push(urlText.ignored(key, raw, 'not a number', String(fallback)));
      return fallback;
    }
    const clamped = Math.min(max, Math.max(min, v));
    const value = integer ? Math.round(clamped) : clamped;
    if (clamped !== v) this.problems.push(urlText.clamped(key, raw, value, min, max));
    else if (value !== v) this.problems.push(urlText.rounded(key, raw, value));
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T, alsoDefault: string[] = []): T {
    const raw = this.p.get(key);
    if (raw === null || alsoDefault.includes(raw)) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(urlText.ignored(key, raw, `not one of ${[...alsoDefault, ...allowed].join(', ')}`, fallback));
    return fallback;
  }

  flag(key: string, fallback: boolean): boolean {
    const raw = this.p.get(key);
    if (raw === null) return fallback;
    const v = raw.trim().toLowerCase();
    if (ON.includes(v) || v === '') return true; // `?loop` alone turns it on
    if (OFF.includes(v)) return false;
    this.problems.push(urlText.ignored(key, raw, `not one of ${[...ON, ...OFF].join(', ')}`, fallback ? '1' : '0'));
    return fallback;
  }
}

/** Parses a query string; values not used as written are listed in `problems` (see QueryReader). */
export function parseSettings(query: string): { settings: AppSettings; problems: string[] } {
  const q = new QueryReader(new URLSearchParams(query));
  const d = DEFAULT_SETTINGS;
  const modelRaw = q.get('model') ?? d.model;
  const modelOk = MODEL_ID.test(modelRaw);
  if (!modelOk) q.problems.push(urlText.notModelId(modelRaw, d.model));
  const view = q.oneOf('view', VIEW_MODES, d.view);
  const backendName = q.oneOf<BackendName | 'auto'>('backend', BACKEND_NAMES, 'auto', ['auto']);
  const mode = q.oneOf('mode', RUN_MODES, d.mode);
  const k = q.number('k', 1, 30, d.k, true);
  const opacity = q.number('opacity', 0, 1, d.opacity, false);
  const split = q.number('split', 0, 1, d.split, false);
  const loop = q.flag('loop', d.loop);
  const play = q.flag('play', d.play);
  return {
    settings: {
      model: modelOk ? modelRaw : d.model,
      k,
      view,
      opacity,
      split,
      src: q.get('src') ?? d.src,
      backend: backendName === 'auto' ? null : backendName,
      loop,
      play,
      mode,
    },
    problems: q.problems,
  };
}

/** Query string holding only the settings that differ from the defaults (short shareable links). */
export function serializeSettings(s: AppSettings): string {
  const p = new URLSearchParams();
  const d = DEFAULT_SETTINGS;
  if (s.model !== d.model) p.set('model', s.model);
  if (s.k !== d.k) p.set('k', String(s.k));
  if (s.view !== d.view) p.set('view', s.view);
  if (s.opacity !== d.opacity) p.set('opacity', String(Math.round(s.opacity * 100) / 100));
  if (s.split !== d.split) p.set('split', String(Math.round(s.split * 1000) / 1000));
  if (s.src !== d.src) p.set('src', s.src);
  if (s.backend !== d.backend && s.backend !== null) p.set('backend', s.backend);
  if (s.loop !== d.loop) p.set('loop', s.loop ? '1' : '0');
  if (s.play !== d.play) p.set('play', s.play ? '1' : '0');
  if (s.mode !== d.mode) p.set('mode', s.mode);
  const q = p.toString();
  return q ? `?${q}` : '';
}
