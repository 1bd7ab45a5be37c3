// Reads contract/fixtures/ (written by contract/make_fixtures.py) and applies the config patches
// exactly as training/tests/test_contract.py does.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CONTRACT_DIR = fileURLToPath(new URL('../../contract/', import.meta.url));
export const FIXTURES_DIR = `${CONTRACT_DIR}fixtures/`;
export const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

export interface Patch {
  set?: Record<string, unknown>;
  delete?: string[];
  pop?: string[];
  replace?: unknown;
}

type Node = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, dotted: string): [Node, string] {
  const keys = dotted.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], doc) as Node;
  return [parent, last];
}

/** A deep copy of `base` with the patch applied (numeric path segments index arrays). */
export function applyPatch(base: unknown, patch: Patch): unknown {
  if ('replace' in patch) return structuredClone(patch.replace);
  const doc = structuredClone(base);
  for (const [path, value] of Object.entries(patch.set ?? {})) {
    const [parent, key] = parentOf(doc, path);
    (parent as Record<string, unknown>)[key] = structuredClone(value);
  }
  for (const path of patch.delete ?? []) {
    const [parent, key] = parentOf(doc, path);
    delete (parent as Record<string, unknown>)[key];
  }
  for (const path of patch.pop ?? []) {
    const [parent, key] = parentOf(doc, path);
    ((parent as Record<string, unknown[]>)[key]).pop();
  }
  return doc;
}

/** Value at a dotted path of a parsed config. */
export const valueAt = (doc: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], doc);

/** Every config the project ships: training/configs/*.json and public/models/* /model.json. */
export function shippedConfigPaths(): string[] {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const configs = readdirSync(`${root}training/configs`).filter((f) => f.endsWith('.json')).map((f) => `${root}training/configs/${f}`);
  const models = readdirSync(`${root}public/models`, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${root}public/models/${d.name}/model.json`);
  return [...configs, ...models];
}
