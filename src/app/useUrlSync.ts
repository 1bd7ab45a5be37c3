// Mirrors the settings into the address bar (replaceState: no history spam), so any state is a link.
import { useEffect } from 'react';
import type { AppSettings } from '../engine/settings';
import { serializeSettings } from './urlState';

export function useUrlSync(settings: AppSettings): void {
  useEffect(() => {
    const query = serializeSettings(settings);
    if (query !== window.location.search) history.replaceState(null, '', `${window.location.pathname}${query}${window.location.hash}`);
  }, [settings]);
}

/** Reloads the page with some settings changed (model or backend changes start a new session). */
export function reloadWith(settings: AppSettings, patch: Partial<AppSettings>): void {
  window.location.search = serializeSettings({ ...settings, ...patch }) || '?';
}
