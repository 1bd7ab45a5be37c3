// Command-line arguments of `npm run eval` (scripts/eval.ts); pure, so it is unit-tested.
import { BACKEND_CHAIN, type BackendName } from '../runtime/backend';
import { checkKs, DEFAULT_SWEEP_KS } from './sweep';
import { scanFlags } from '../node/cliFlags';

export const USAGE = `usage: npm run eval -- --model <dir> --clip <dir> [options]

Evaluates a model on a ground-truth clip in headless Chromium, frame-exactly, at several
keyframe intervals K plus the baselines, and prints the table (Markdown).

  --model <dir>       model directory (model.json + shards), e.g. public/models/tiny
  --clip <dir>        ground-truth clip directory (manifest.json, video, labels/, depth/)
  --k <list>          keyframe intervals, comma-separated (default ${DEFAULT_SWEEP_KS.join(',')})
  --frames <N>        evaluate only the first N frames
  --json              print the table as JSON on stdout (progress goes to stderr)
  --backend <name>    ${BACKEND_CHAIN.join(' | ')} (default webgpu)
  --baseline-k <list> K of the "reuse" baseline, comma-separated for one row each
                      (default 5 if in --k, else the largest K)
  --no-baselines      only MILA rows, no "fast-only" / "reuse" baselines
  --help              this text`;

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export interface EvalCliArgs {
  model: string;
  clip: string;
  ks: number[];
  frames?: number;
  json: boolean;
  backend: BackendName;
  baselines: boolean;
  baselineK?: number | number[]; // one K, or several (one reuse row each)
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new CliUsageError(`${flag} needs a positive integer (got "${value}")`);
  return Number(value);
}

function kList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw new CliUsageError(`--k needs comma-separated integers like 1,5,10 (got "${value}")`);
  const ks = parts.map(Number);
  try {
    checkKs(ks);
  } catch (e) {
    throw new CliUsageError(`--k: ${(e as Error).message}`);
  }
  return ks;
}

/** Parses argv (without node and script); returns null for --help. */
export function parseEvalArgs(argv: string[]): EvalCliArgs | null {
  const out: Partial<EvalCliArgs> = { ks: [...DEFAULT_SWEEP_KS], json: false, backend: 'webgpu', baselines: true };
  const proceed = scanFlags(argv, (m) => new CliUsageError(m), (flag, value, arg) => {
    switch (flag) {
      case '--model':
        out.model = value();
        break;
      case '--clip':
        out.clip = value();
        break;
      case '--k':
        out.ks = kList(value());
        break;
      case '--frames':
        out.frames = positiveInt('--frames', value());
        break;
      case '--json':
        out.json = true;
        break;
      case '--backend': {
        const b = value();
        if (!BACKEND_CHAIN.includes(b as BackendName)) throw new CliUsageError(`--backend must be one of ${BACKEND_CHAIN.join(', ')} (got "${b}")`);
        out.backend = b as BackendName;
        break;
      }
      case '--baseline-k': {
        const ks = kList(value());
        out.baselineK = ks.length === 1 ? ks[0] : ks;
        break;
      }
      case '--no-baselines':
        out.baselines = false;
        break;
      default:
        throw new CliUsageError(`unknown argument "${arg}"`);
    }
  });
  if (!proceed) return null;
  if (!out.model) throw new CliUsageError('--model <dir> is required');
  if (!out.clip) throw new CliUsageError('--clip <dir> is required');
  return out as EvalCliArgs;
}
