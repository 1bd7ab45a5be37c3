// The committed parity fixture is what training/scripts/make_parity_fixture.py produces (Debian's
// python3 + torch), so it can be regenerated and reviewed rather than trusted. Compared tensor by
// tensor with a small tolerance, so another torch build's last-bit differences do not fail it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../src/convert/checkpoint';

const FIXTURE = join(__dirname, '..', 'fixtures', 'parity');

function expectSameTensors(a: string, b: string, tolerance: number): void {
  const fa = readSafetensors(a);
  const fb = readSafetensors(b);
  expect([...fb.tensors.keys()]).toEqual([...fa.tensors.keys()]);
  expect(fb.metadata).toEqual(fa.metadata);
  for (const [name, info] of fa.tensors) {
    expect(fb.tensors.get(name)!.shape, name).toEqual(info.shape);
    expect(fb.tensors.get(name)!.dtype, name).toEqual(info.dtype);
    if (info.dtype === 'U8') {
      expect(Buffer.from(fb.bytes(name)).equals(Buffer.from(fa.bytes(name))), name).toBe(true);
      continue;
    }
    const x = fa.float32(name);
    const y = fb.float32(name);
    let diff = 0;
    for (let i = 0; i < x.length; i++) diff = Math.max(diff, Math.abs(x[i] - y[i]));
    expect(diff, name).toBeLessThanOrEqual(tolerance);
  }
}

const json = (path: string) => {
  const { torch: _version, ...rest } = JSON.parse(readFileSync(path, 'utf8'));
  return rest;
};

describe('parity fixture', () => {
  it('is reproduced by make_parity_fixture.py', () => {
    const out = mkdtempSync(join(tmpdir(), 'mila-parity-fixture-'));
    try {
      const r = spawnSync('/usr/bin/python3', ['training/scripts/make_parity_fixture.py', '--out', out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/frame 4 fast +memory=2/);
      expectSameTensors(join(FIXTURE, 'checkpoint', 'model.safetensors'), join(out, 'checkpoint', 'model.safetensors'), 1e-6);
      expectSameTensors(join(FIXTURE, 'frames.safetensors'), join(out, 'frames.safetensors'), 1e-5);
      expect(json(join(out, 'checkpoint', 'config.json'))).toEqual(json(join(FIXTURE, 'checkpoint', 'config.json')));
      expect(json(join(out, 'index.json'))).toEqual(json(join(FIXTURE, 'index.json')));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
