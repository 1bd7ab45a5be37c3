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

export function sourceProblemMessage(e: unknown): EngineMessage {
  if (e instanceof SourceError) return { id: 'source', level: 'error', text: e.message, action: 'dismiss' };
  return { id: 'source', level: 'error', text: `The video could not be opened: ${errorText(e)}`, action: 'dismiss' };
}
