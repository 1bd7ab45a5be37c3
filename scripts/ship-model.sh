#!/usr/bin/env bash
# Turns the device run's results (training/scripts/device_run.sh -> $OUT) into the shipped model:
# converts the float16 parts to public/models/<id>/ (float16 shards), measures float32 vs the shipped
# quantisation in the browser evaluator, and writes the model card.
# Usage: bash scripts/ship-model.sh RESULTS_DIR [MODEL_DIR] [--quantize float16|uint8]
set -euo pipefail
cd "$(dirname "$0")/.."
results=${1:?usage: ship-model.sh RESULTS_DIR [MODEL_DIR] [--quantize float16|uint8]}
model_dir=${2:-public/models/mila-d101-d18}
quantize=float16
[ "${3:-}" = "--quantize" ] && quantize=${4:?--quantize needs a value}
for f in config.json eval.md eval.json train.log; do
  [ -s "$results/$f" ] || { echo "ship-model: $results/$f is missing" >&2; exit 1; }
done

float32_dir=$(mktemp -d)/float32
npm run -s convert -- "$results" "$float32_dir" --quantize float32
npm run -s convert -- "$results" "$model_dir" --quantize "$quantize"
size=$(du -cb "$model_dir"/*.bin | tail -n 1 | cut -f1)
[ "$size" -le 60000000 ] || { echo "ship-model: $model_dir is $size bytes, over the 60 MB download budget" >&2; exit 1; }

# The browser evaluator on the bundled clips, float32 and shipped, when it is available.
browser_tables=()
if [ -f scripts/eval.ts ]; then
  for clip in public/samples/*/; do
    [ -f "$clip/manifest.json" ] || continue
    for variant in "$float32_dir" "$model_dir"; do
      out="$results/browser-eval-$(basename "$clip")-$(basename "$variant").json"
      npm run -s eval -- --model "$variant" --clip "$clip" --k 1,2,5,10 --json > "$out"
      browser_tables+=("$out")
    done
  done
fi
npx tsx scripts/model-card.ts "$results" "$model_dir" "$quantize" "${browser_tables[@]}"
echo "ship-model: wrote $model_dir ($((size / 1000000)) MB of shards) and $model_dir/README.md"
