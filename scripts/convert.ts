// CLI: PyTorch safetensors checkpoint -> TF.js model directory (see docs/ARCHITECTURE.md "Converter").
// Usage: npm run convert -- <checkpoint dir | files...> <out dir> [--quantize float32|float16|uint8]
import { convertCheckpoint } from '../src/convert/convert';
import { QUANTIZE_DTYPES, type QuantizeDtype } from '../src/node/quantize';

const USAGE = 'usage: npm run convert -- <checkpoint dir | model.safetensors... config.json> <out dir> [--quantize float32|float16|uint8]';

function parseArgs(argv: string[]): { inputs: string[]; outDir: string; quantize: QuantizeDtype } {
  const positional: string[] = [];
  let quantize: QuantizeDtype = 'float32';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quantize' || a.startsWith('--quantize=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!QUANTIZE_DTYPES.includes(v as QuantizeDtype)) throw new Error(`--quantize must be one of ${QUANTIZE_DTYPES.join(', ')} (got ${v ?? 'nothing'})`);
      quantize = v as QuantizeDtype;
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  if (positional.length < 2) throw new Error(`need a checkpoint and an output directory\n${USAGE}`);
  return { inputs: positional.slice(0, -1), outDir: positional[positional.length - 1], quantize };
}

const size = (n: number) => (n >= 10 * 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`);

try {
  const { inputs, outDir, quantize } = parseArgs(process.argv.slice(2));
  const s = convertCheckpoint(inputs, outDir, { quantize });
  const storage = Object.entries(s.storage).map(([d, n]) => `${n} ${d}`).join(', ');
  console.log(`converted ${s.files.join(', ')} (+ ${s.configPath})`);
  console.log(`  ${s.weights} weights (${storage}) -> ${s.outDir}: model.json + ${s.shards} shard(s)`);
  console.log(`  size before: ${size(s.checkpointBytes)} safetensors, ${size(s.float32Bytes)} folded float32`);
  const percent = ((100 * s.shardBytes) / s.float32Bytes).toFixed(1);
  console.log(`  size after:  ${size(s.shardBytes)} shards (${quantize}, ${percent}% of float32) + ${size(s.manifestBytes)} model.json`);
} catch (e) {
  console.error(`convert: error: ${(e as Error).message}`);
  process.exit(1);
}
