// Loads ila.wgsl. Under Vite (browser bundles, dev server, Vitest) import.meta.glob inlines the file
// at build time. Plain Node (tsx, esbuild bundles) has no such transform: the call throws and the
// file is read from disk next to this module (or next to the bundle: copy ila.wgsl beside it).
let cached: string | undefined;

function fromVite(): string | undefined {
  try {
    const files = import.meta.glob('./ila.wgsl', { query: '?raw', import: 'default', eager: true });
    const text = Object.values(files)[0];
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined; // not transformed by Vite
  }
}

function fromDisk(): string {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') {
    throw new Error('ila.wgsl: not bundled by Vite and no Node fs available to read it');
  }
  const fs = getBuiltin('node:fs') as typeof import('node:fs');
  const url = new URL('./ila.wgsl', import.meta.url);
  try {
    return fs.readFileSync(url, 'utf8');
  } catch (e) {
    throw new Error(`ila.wgsl: cannot read ${url.href} (in an esbuild bundle, copy src/runtime/ila/ila.wgsl next to the bundle): ${(e as Error).message}`);
  }
}

/** The WGSL body of the fused ILA kernel (constants and bindings are prepended by ilaProgram.ts). */
export function ilaWgslSource(): string {
  cached ??= fromVite() ?? fromDisk();
  return cached;
}
