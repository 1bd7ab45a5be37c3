// The committed SIMD ILA wasm (ilaSimdWasm.generated.ts) must be what `npm run build:wasm` makes from
// the committed AssemblyScript source: a source edit without a rebuild fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileIlaSimd, ilaSimdGeneratedSource, ILA_SIMD_GENERATED } from '../../scripts/ilaSimdCompile';
import { ILA_SIMD_WASM_BASE64 } from '../../src/runtime/ila/simd/ilaSimdWasm.generated';

describe('SIMD ILA wasm build', () => {
  it('the committed bytes are the compiled AssemblyScript source (run `npm run build:wasm` if not)', async () => {
    const built = await compileIlaSimd();
    expect(Buffer.from(ILA_SIMD_WASM_BASE64, 'base64').equals(Buffer.from(built))).toBe(true);
    expect(readFileSync(ILA_SIMD_GENERATED, 'utf8')).toBe(ilaSimdGeneratedSource(built));
  });

  it('stays under 4 KB (Chrome refuses larger synchronous compiles on the main thread) and imports nothing', () => {
    const bytes = Buffer.from(ILA_SIMD_WASM_BASE64, 'base64');
    expect(bytes.length).toBeLessThan(4096);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([]);
  });
});
