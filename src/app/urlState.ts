// Every control of the page as plain data, read from and written to the URL query, so a state
// can be shared as a link and set by tests. Framework-free: no React, no DOM beyond URLSearchParams.
import { DEFAULT_MODEL_ID } from '../runtime/presets';

export const VIEW_MODES = ['seg', 'depth', 'side', 'split', 'video'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const RUN_MODES = ['mila', 'fast-only', 'reuse'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export { DEFAULT_MODEL_ID }; // the shipped model, public/models/mila-street-v1/ (src/runtime/presets.ts)
export const TINY_MODEL_ID = 'tiny';

export interface AppSettings {
  model: string; // directory name under public/models/
  k: number; // keyframe interval 1..30
  view: ViewMode;
  opacity: number; // overlay opacity 0..1
  split: number; // divider position 0..1 (view=split)
  src: string; // sample id, 'upload' or 'webcam'; '' = first bundled sample
  backend: BackendName | null; // null = best available
  loop: boolean;
  play: boolean; // start playing once ready (false: wait, e.g. for stepping in tests)
  mode: RunMode;
}

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

function clampNumber(raw: string | null, min: number, max: number, fallback: number, integer: boolean): number {
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) return fallback;
  const c = Math.min(max, Math.max(min, v));
  return integer ? Math.round(c) : c;
}

function oneOf<T extends string>(raw: string | null, allowed: readonly T[], fallback: T): T {
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

function flag(raw: string | null, fallback: boolean): boolean {
  if (raw === null) return fallback;
  return !['0', 'false', 'no', 'off'].includes(raw.toLowerCase());
}

/** Parses a query string; invalid values fall back to defaults (listed in `problems`). */
export function parseSettings(query: string): { settings: AppSettings; problems: string[] } {
  const p = new URLSearchParams(query);
  const d = DEFAULT_SETTINGS;
  const problems: string[] = [];
  const model = p.get('model') ?? d.model;
  if (!MODEL_ID.test(model)) problems.push(`model "${model}" is not a model directory name`);
  const check = (key: string, ok: boolean) => {
    if (p.has(key) && !ok) problems.push(`${key}="${p.get(key)}" ignored`);
  };
  const view = oneOf(p.get('view'), VIEW_MODES, d.view);
  check('view', view === p.get('view'));
  const backendRaw = p.get('backend');
  const backend = backendRaw !== null && (BACKENDS as readonly string[]).includes(backendRaw) ? (backendRaw as BackendName) : null;
  check('backend', backendRaw === null || backendRaw === 'auto' || backend !== null);
  const mode = oneOf(p.get('mode'), RUN_MODES, d.mode);
  check('mode', mode === p.get('mode'));
  const kRaw = p.get('k');
  const k = clampNumber(kRaw, 1, 30, d.k, true);
  check('k', kRaw === null || String(k) === kRaw.trim());
  return {
    settings: {
      model: MODEL_ID.test(model) ? model : d.model,
      k,
      view,
      opacity: clampNumber(p.get('opacity'), 0, 1, d.opacity, false),
      split: clampNumber(p.get('split'), 0, 1, d.split, false),
      src: p.get('src') ?? d.src,
      backend,
      loop: flag(p.get('loop'), d.loop),
      play: flag(p.get('play'), d.play),
      mode,
    },
    problems,
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
