// The engine's observable state: everything the UI shows, as plain data.
import type { AppSettings } from './settings';
import type { BackendInfo } from '../runtime';
import type { FrameNet } from '../runtime/modes';
import type { KeyframeCause } from '../runtime/scheduler';
import type { DepthRange } from '../render/colormaps';
import type { SampleInfo } from '../source/samples';
import type { SourceKind } from '../source/types';
import type { EngineMessage } from './messages';
import type { ModelAbout } from './modelAbout';
import type { StatsSnapshot } from './stats';

import type { EnginePhase } from './phase';

export type { EnginePhase };

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
  about: ModelAbout | null; // the model's about.json line (null until read, or when it has none)
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
  net: FrameNet;
  keyframeCause: KeyframeCause | null; // why the slow net ran: interval, seek, source, start, k-change
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

/** Before start(): no model, no source, no messages. */
export function initialEngineState(settings: AppSettings, stats: StatsSnapshot): EngineState {
  return {
    phase: 'starting',
    phaseDetail: '',
    progress: null,
    backend: null,
    renderer: null,
    model: null,
    samples: [],
    source: null,
    opening: null,
    playing: false,
    lastFrame: null,
    stats,
    messages: [],
    recording: false,
    settings,
  };
}
