// Geometry of the overlay views, shared by both renderers and the pointer handling of the divider.
import type { ViewMode } from './types';

export type PanelContent = 'video' | 'seg' | 'depth';

/** Canvas size for a frame of w x h: side by side doubles the width. */
export function canvasSize(view: ViewMode, w: number, h: number): { width: number; height: number } {
  return view === 'side' ? { width: 2 * w, height: h } : { width: w, height: h };
}

/** Numeric view ids used by the WGSL uniform block (overlay.wgsl, `Params.view`). */
export const VIEW_IDS: Record<ViewMode, number> = { video: 0, seg: 1, depth: 2, side: 3, split: 4 };

/** What a canvas pixel column shows and where it samples the frame (u in 0..1 across the frame). */
export function panelAt(view: ViewMode, x: number, canvasWidth: number, split: number): { content: PanelContent; u: number } {
  if (view === 'side') {
    const half = canvasWidth / 2;
    return x < half ? { content: 'seg', u: x / half } : { content: 'depth', u: (x - half) / half };
  }
  const u = x / canvasWidth;
  if (view === 'split') return { content: u < split ? 'seg' : 'depth', u };
  return { content: view === 'seg' ? 'seg' : view === 'depth' ? 'depth' : 'video', u };
}

/** Height in canvas pixels of the slow/fast marker band along the top edge of a drawn frame. */
export function markerBandHeight(canvasHeight: number): number {
  return Math.max(3, Math.round(canvasHeight / 60));
}

/** Marker colours: keyframes (slow net) amber, fast frames cyan. 0..255 RGB. */
export const MARKER_SLOW: [number, number, number] = [255, 176, 0];
export const MARKER_FAST: [number, number, number] = [0, 200, 255];
