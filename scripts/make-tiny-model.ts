// Writes public/models/tiny/: the tiny random-weights model used by unit tests and e2e.
// Usage: npm run make-tiny [-- --out DIR --seed N --quantize float32|float16|uint8]
import { resolve } from 'node:path';
import { writeModelDir } from '../src/node/modelWriter';
import { tinyConfig } from '../src/runtime/presets';
import { randomWeights } from '../tests/support/randomWeights';
import type { QuantizeDtype } from '../src/node/quantize';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const outDir = resolve(arg('out', 'public/models/tiny'));
const seed = Number(arg('seed', '20260101'));
const quantize = arg('quantize', 'float32') as QuantizeDtype;
if (!['float32', 'float16', 'uint8'].includes(quantize)) throw new Error(`--quantize must be float32, float16 or uint8 (got ${quantize})`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got ${arg('seed', '')})`);

const config = tinyConfig();
const weights = randomWeights(config, seed);
const json = writeModelDir(outDir, config, weights, { quantize });
const bytes = weights.reduce((a, w) => a + w.data.length * 4, 0);
const paths = (json.weightsManifest as { paths: string[] }[])[0].paths;
console.log(`wrote ${outDir}: ${weights.length} weights, ${(bytes / 1024).toFixed(1)} KiB float32, ${paths.length} shard(s), ${quantize}`);
