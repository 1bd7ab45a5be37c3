// The enforced layers: no file under src/ imports upward (e.g. engine -> app) or from tests/, e2e/,
// bench/, scripts/, training/. The checker itself is tested on planted violations.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALLOWED, checkLayers, layerOf, readSourceTree, relativeImports } from './layerRules';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('layer checker', () => {
  it('finds every kind of relative import and skips packages and comments', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs-core';",
      "import type { A } from '../app/urlState';",
      "import {\n  b,\n  c,\n} from './b';",
      "export { d } from '../d';",
      "import './side-effect';",
      "const m = await import('../../tests/x');",
      "// import { no } from '../commented';",
      "/* import { no2 } from '../block'; */",
    ].join('\n');
    expect(relativeImports(text).sort()).toEqual(['../../tests/x', '../app/urlState', '../d', './b', './side-effect']);
  });

  it('names the layer of a path', () => {
    expect(layerOf('src/engine/engine.ts')).toBe('engine');
    expect(layerOf('src/main.tsx')).toBe('main.tsx');
    expect(layerOf('tests/runtime/helpers.ts')).toBe('tests');
  });

  it('reports planted violations: upward, into tests/ and e2e/', () => {
    const planted = [
      { path: 'src/engine/x.ts', text: "import type { AppSettings } from '../app/urlState';" },
      { path: 'src/runtime/y.ts', text: "import { helper } from '../../tests/runtime/helpers';" },
      { path: 'src/render/z.ts', text: "export { s } from '../../e2e/helpers';" },
      { path: 'src/runtime/ok.ts', text: "import { c } from './config';\nimport s from '../../contract/model-config.schema.json';" },
      { path: 'src/app/ok.ts', text: "import { MilaEngine } from '../engine/engine';" },
    ];
    expect(checkLayers(planted).map((v) => `${v.from}->${v.to}`)).toEqual(['engine->app', 'runtime->tests', 'render->e2e']);
  });

  it('knows every layer it finds under src/', () => {
    const layers = new Set(readSourceTree(repoRoot).map((f) => layerOf(f.path)));
    expect([...layers].filter((l) => !(l in ALLOWED))).toEqual([]);
  });
});

describe('src/ layers', () => {
  it('has no import against the allowed layer graph', () => {
    const files = readSourceTree(repoRoot);
    expect(files.length).toBeGreaterThan(100);
    expect(checkLayers(files)).toEqual([]);
  });
});
