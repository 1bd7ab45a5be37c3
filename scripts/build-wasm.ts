// `npm run build:wasm`: recompiles the SIMD ILA kernel and rewrites its generated TS module.
import { writeFileSync } from 'node:fs';
import { compileIlaSimd, ilaSimdGeneratedSource, ILA_SIMD_GENERATED } from './ilaSimdCompile';

const bytes = await compileIlaSimd();
writeFileSync(ILA_SIMD_GENERATED, ilaSimdGeneratedSource(bytes));
console.log(`${ILA_SIMD_GENERATED}: ${bytes.length} wasm bytes`);
