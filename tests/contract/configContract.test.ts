// contract/fixtures/configs.json against src/runtime/config.ts (training/tests/test_contract.py runs
// the same cases against training/mila/config.py): one message, one parsed value, on both sides.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError, parseModelConfig } from '../../src/runtime/config';
import { applyPatch, FIXTURES_DIR, readJson, shippedConfigPaths, valueAt, type Patch } from './contractFixtures';
import { DEFAULT_MODEL_ID } from '../../src/runtime/presets';

interface Cases {
  base: unknown;
  invalid: { name: string; patch: Patch; error: string }[];
  valid: { name: string; patch: Patch; expect: Record<string, unknown> }[];
}
const cases: Cases = readJson(`${FIXTURES_DIR}configs.json`);

describe('config contract: invalid configs', () => {
  it('has cases', () => expect(cases.invalid.length).toBeGreaterThan(10));
  for (const c of cases.invalid) {
    it(`rejects: ${c.name}`, () => {
      const doc = applyPatch(cases.base, c.patch);
      let message = '';
      try {
        parseModelConfig(doc, 'case.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFormatError);
        message = (e as Error).message;
      }
      expect(message.startsWith(`case.json: ${c.error}`), message || '(accepted)').toBe(true);
    });
  }
});

describe('config contract: valid configs', () => {
  for (const c of cases.valid) {
    it(`accepts: ${c.name}`, () => {
      const parsed = parseModelConfig(applyPatch(cases.base, c.patch), 'case.json');
      for (const [path, value] of Object.entries(c.expect)) expect(valueAt(parsed, path), path).toEqual(value);
    });
  }
});

describe('config contract: every shipped config', () => {
  const paths = shippedConfigPaths();
  it('finds the training configs and the public models (the default model included)', () => {
    expect(paths.some((p) => p.endsWith('training/configs/mila-street-v1.json'))).toBe(true);
    expect(paths.some((p) => p.endsWith(`public/models/${DEFAULT_MODEL_ID}/model.json`))).toBe(true);
  });
  for (const path of paths.filter(existsSync)) {
    it(`validates ${path.split('/').slice(-2).join('/')}`, () => {
      expect(() => parseModelConfig(readJson(path), path)).not.toThrow();
    });
  }
});
