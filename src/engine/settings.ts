// The engine's settings: every control of the page as plain data (src/app/urlState.ts reads and
// writes them as the URL query).
import type { ViewMode } from '../render/types';
import type { BackendName, RunMode } from '../runtime/modes';

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
