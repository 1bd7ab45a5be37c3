// Turns errors from the runtime, the sources and the browser into on-screen messages.
import { SourceError } from '../source/types';

export type MessageLevel = 'error' | 'warning' | 'info';
export type MessageAction = 'use-tiny' | 'retry-model' | 'dismiss';

export interface EngineMessage {
  id: string; // one message per id: a repeated problem replaces, never stacks
  level: MessageLevel;
  text: string;
  action?: MessageAction;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/** Message for a model that could not be loaded; the default model's absence is said plainly. */
export function modelProblemMessage(
  e: unknown,
  modelId: string,
  defaultId: string,
  tinyId: string,
  missing: boolean,
): EngineMessage {
  const offerTiny = modelId !== tinyId ? ' You can run the tiny test model instead (random weights: its overlays are noise, but every part of the pipeline runs).' : '';
  if (missing && modelId === defaultId) {
    return {
      id: 'model',
      level: 'error',
      text: `The default model "${defaultId}" is not installed yet (public/models/${defaultId}/model.json is missing): train and convert it as the README describes.${offerTiny}`,
      action: modelId !== tinyId ? 'use-tiny' : undefined,
    };
  }
  if (missing) {
    return { id: 'model', level: 'error', text: `Model "${modelId}" was not found (public/models/${modelId}/model.json).${offerTiny}`, action: modelId !== tinyId ? 'use-tiny' : undefined };
  }
  return {
    id: 'model',
    level: 'error',
    text: `Model "${modelId}" could not be loaded: ${errorText(e)}.${offerTiny}`,
    action: modelId !== tinyId ? 'use-tiny' : 'retry-model',
  };
}

/** A reason quoted inside a sentence: browser and driver texts often end with their own full stop. */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

export function sourceProblemMessage(e: unknown): EngineMessage {
  if (e instanceof SourceError) return { id: 'source', level: 'error', text: e.message, action: 'dismiss' };
  return { id: 'source', level: 'error', text: `The video could not be opened: ${errorText(e)}`, action: 'dismiss' };
}

// ------------------------------------------------------------------ URL parameters (src/app/urlState.ts)

export const urlText = {
  notModelId: (model: string, fallback: string) => `model "${model}" is not a model directory name (using "${fallback}")`,
  ignored: (key: string, raw: string, why: string, fallback: string) => `${key}="${raw}" ignored (${why}): using ${fallback}`,
  clamped: (key: string, raw: string, value: number, min: number, max: number) => `${key}="${raw}" clamped to ${value} (allowed ${min} to ${max})`,
  rounded: (key: string, raw: string, value: number) => `${key}="${raw}" rounded to ${value} (a whole number is needed)`,
};

export function urlProblemsMessage(problems: string[]): EngineMessage {
  return { id: 'url', level: 'warning', text: `URL parameters: ${problems.join('; ')}.`, action: 'dismiss' };
}

// ------------------------------------------------------------------ sources

/** Shown while no source is chosen and the page was opened for an upload (`src=upload`). */
export const CHOOSE_SOURCE_HINT: EngineMessage = { id: 'source', level: 'info', text: 'Choose a video file, or drop one on the picture.' };

export function sampleMissingMessage(want: string): EngineMessage {
  return want
    ? { id: 'source', level: 'error', text: `Sample "${want}" does not exist. Pick another source.` }
    : { id: 'source', level: 'info', text: 'No bundled sample video: choose a file or the webcam.' };
}

/** The bundled samples could not be listed (`problem`: what the sample index reader found). */
export function samplesProblemMessage(problem: string): EngineMessage {
  return { id: 'samples', level: 'warning', text: problem };
}

export function sampleUnknownMessage(id: string): EngineMessage {
  return { id: 'source', level: 'error', text: `Sample "${id}" does not exist.` };
}

export function scaledSourceMessage(label: string, w: number, h: number, dw: number, dh: number): EngineMessage {
  return { id: 'scaled', level: 'info', text: `"${label}" is ${w}x${h}: frames are scaled to ${dw}x${dh} for display and then to the model's input size.` };
}

// ------------------------------------------------------------------ model load and backend

/** The detail line of each loading phase (src/engine/modelSession.ts reports them). */
export const loadPhaseText = {
  backend: (wanted: string | null) => (wanted ? `Starting the ${wanted} backend` : 'Looking for the fastest backend (WebGPU first)'),
  weights: (modelId: string) => `Downloading model "${modelId}"`,
  warmup: (backend: string, width: number, height: number) => `Warming up: compiling ${backend} kernels for the ${width}x${height} model input`,
};

export function modelAboutUnreadableMessage(modelId: string, reason: string): EngineMessage {
  return { id: 'about', level: 'warning', text: `The description of model "${modelId}" could not be read: ${reason}` };
}

export function backendFallbackMessage(got: string, wanted: string, reason: string): EngineMessage {
  return { id: 'backend', level: 'warning', text: `Running on ${got}, not ${wanted}: ${clause(reason)}.` };
}

export function compositingFallbackMessage(reason: string): EngineMessage {
  return {
    id: 'compositing',
    level: 'warning',
    text: `Inference runs on WebGPU, but ${clause(reason)}: overlays are composited with the 2D canvas, which reads the label and depth maps back every frame (shown under Live stats).`,
  };
}

// ------------------------------------------------------------------ playback and frames

export function playbackFailedMessage(e: unknown): EngineMessage {
  return { id: 'playback', level: 'error', text: `Playback could not start: ${errorText(e)}` };
}

/** Something to know about a source that opened (e.g. it is truncated: how much of it can play). */
export function sourceNoticeMessage(text: string): EngineMessage {
  return { id: 'source', level: 'warning', text, action: 'dismiss' };
}

/** The video failed in use (src/source/sourceText.ts playbackDamagedText says where and why). */
export function playbackDamagedMessage(text: string): EngineMessage {
  return { id: 'source', level: 'error', text, action: 'dismiss' };
}

export const END_OF_CLIP: EngineMessage = { id: 'playback', level: 'info', text: 'End of the clip.' };

export function frameFailedMessage(e: unknown): EngineMessage {
  return { id: 'frame', level: 'error', text: `A frame could not be processed: ${errorText(e)}` };
}

// ------------------------------------------------------------------ recording

export function recordingFailedMessage(e: unknown): EngineMessage {
  return { id: 'recording', level: 'error', text: errorText(e) };
}

export const NOTHING_RECORDED: EngineMessage = { id: 'recording', level: 'warning', text: 'Nothing was recorded: no frame was drawn while recording.' };

// ------------------------------------------------------------------ GPU device loss

export const deviceText = {
  recoveringDetail: (reason: string) => `GPU device lost (${reason}): re-initialising`,
  lost: (reason: string): EngineMessage => ({ id: 'device', level: 'warning', text: `The GPU device was lost (${reason}). Re-initialising the backend and reloading the model...` }),
  recovered: (reason: string, backend: string): EngineMessage => ({ id: 'device', level: 'info', text: `Recovered from a lost GPU device (${reason}); now on ${backend}.` }),
};
