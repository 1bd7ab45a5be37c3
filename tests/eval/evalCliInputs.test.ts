import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localisePaths } from '../../src/eval/node/mountPaths';
import { readModelConfig } from '../../src/eval/node/modelJson';

describe('eval CLI inputs', () => {
  it('an invalid model.json is reported with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mila-evalcli-'));
    try {
      writeFileSync(join(dir, 'model.json'), '{"name": "broken",');
      expect(() => readModelConfig(dir)).toThrow(`${join(dir, 'model.json')} is not valid JSON`);
      writeFileSync(join(dir, 'model.json'), '{"name": 3}');
      expect(() => readModelConfig(dir)).toThrow(join(dir, 'model.json'));
      expect(() => readModelConfig(join(dir, 'nope'), 'nope')).toThrow(/^no model at nope: .*model\.json does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('page errors name local files, not the internal URLs they were served under', () => {
    const mounts = [{ url: '/__eval/model/', dir: '/home/me/models/v1' }, { url: '/__eval/clip/', dir: 'clips/a' }];
    expect(localisePaths('weight shard http://127.0.0.1:41234/__eval/model/group1-shard2of3.bin: HTTP 404', mounts))
      .toBe('weight shard /home/me/models/v1/group1-shard2of3.bin: HTTP 404');
    expect(localisePaths('failed to fetch /__eval/clip/labels/000003.png (HTTP 404), and /__eval/model/model.json', mounts))
      .toBe('failed to fetch clips/a/labels/000003.png (HTTP 404), and /home/me/models/v1/model.json');
    expect(localisePaths('no URL here', mounts)).toBe('no URL here');
  });
});
