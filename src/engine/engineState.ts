// The engine's observable state: everything the UI shows, as plain data.
import type { AppSettings } from '../app/urlState';
import type { BackendInfo } from '../runtime';
import type { DepthRange } from '../render/colormaps';
import type { SampleInfo } from '../source/samples';
import type { SourceKind } from '../source/types';
import type { EngineMessage } from './messages';
import type { StatsSnapshot } from './stats';

export type EnginePhase = 'starting' | 'backend' | 'weights' | 'warmup' | 'ready' | 'recovering' | 'failed';

export interface ModelSummary {
  id: string;
  name: string;
  classes: string[];
  colors: [number, number, number][];
  inputWidth: number;
  inputHeight: number;
  depthRange: DepthRange;
  bytes: number;
  cachedShards: number; // shards served from the Cache Storage (0 on a first visit)
  isTiny: boolean;
}

export interface SourceSummary {
  kind: SourceKind;
  id: string; // sample id, 'upload' or 'webcam'
  label: string;
  width: number;
  height: number;
  displayWidth: number;
  displayHeight: number;
  scaled: boolean;
  broken: string | null; // why Play and Step are off: the video failed while in use (damaged data)
}

export interface LastFrame {
  index: number;
  isKeyframe: boolean;
  net: string; // 'slow' | 'fast+ila' | 'fast' | 'reuse'
  mediaTime: number;
}

export interface EngineState {
  phase: EnginePhase;
  phaseDetail: string;
  progress: { loaded: number; total: number } | null;
  backend: BackendInfo | null;
  renderer: 'webgpu' | 'canvas2d' | null;
  model: ModelSummary | null;
  samples: SampleInfo[];
  source: SourceSummary | null;
  opening: string | null; // what is being opened right now
  playing: boolean;
  lastFrame: LastFrame | null;
  stats: StatsSnapshot;
  messages: EngineMessage[];
  recording: boolean;
  settings: AppSettings;
}
