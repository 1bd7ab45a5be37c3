// The allowed layer graph of src/ and a checker that parses every import of every file under src/
// (static `import ... from`, `export ... from`, side-effect `import '...'`, dynamic `import('...')`).
// tests/architecture/layers.test.ts runs it on the tree; docs/ARCHITECTURE.md "Layers" shows it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * Layer of a file = its first directory under src/ (main.tsx: the page entry). Each layer may import
 * itself and the layers listed; repository folders outside src/ other than `contract` (the shared
 * schema) are never importable from src/: tests/, e2e/, bench/, scripts/, training/.
 */
export const ALLOWED: Record<string, readonly string[]> = {
  runtime: ['contract'],
  render: ['runtime'],
  source: ['runtime'],
  engine: ['runtime', 'render', 'source'],
  eval: ['runtime', 'render', 'source', 'node'], // node: the Node-side evaluation CLI (src/eval/node/)
  node: ['runtime'],
  convert: ['runtime', 'node'],
  app: ['runtime', 'render', 'source', 'engine', 'eval'],
  'main.tsx': ['app', 'engine', 'runtime', 'render', 'source'],
};

export interface SourceFile {
  path: string; // relative to the repository root, '/'-separated: src/engine/engine.ts
  text: string;
}

export interface Violation {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from '...', export { y } from '...'
  /\bimport\s*['"]([^'"]+)['"]/g, // import '...'
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('...')
];

/** Relative specifiers imported by `text` (package imports such as '@tensorflow/tfjs-core' are skipped). */
export function relativeImports(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const re of IMPORT_PATTERNS) for (const m of withoutComments.matchAll(re)) if (m[1].startsWith('.')) found.push(m[1]);
  return found;
}

/** Layer of a repository path: the first folder under src/, or the top folder outside src/. */
export function layerOf(repoPath: string): string {
  const parts = repoPath.split('/');
  return parts[0] === 'src' ? parts[1] : parts[0]; // src/main.tsx: 'main.tsx'
}

export function checkLayers(files: SourceFile[], allowed: Record<string, readonly string[]> = ALLOWED): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const from = layerOf(f.path);
    const permitted = allowed[from];
    for (const specifier of relativeImports(f.text)) {
      const target = normalize(join(dirname(f.path), specifier)).split(sep).join('/');
      const to = layerOf(target);
      if (to === from) continue;
      if (!permitted || !permitted.includes(to)) out.push({ file: f.path, specifier, from, to });
    }
  }
  return out;
}

/** Every .ts/.tsx file under `dir` (a repository folder), read. */
export function readSourceTree(repoRoot: string, dir = 'src'): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.tsx?$/.test(name)) files.push({ path: relative(repoRoot, p).split(sep).join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(repoRoot, dir));
  return files;
}
