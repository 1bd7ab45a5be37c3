#!/usr/bin/env bash
# Ships a training run as a browser model: converts RUN_DIR/export to float32 (a temporary directory)
# and float16 (MODEL_DIR), refuses float16 shards over 15 MB, evaluates both in the browser evaluator
# on every bundled rendered clip and on the real-footage clip (public/samples/real-photos: its result is
# kept as docs/real-footage/<MODEL_DIR name>.json), and writes the model card MODEL_DIR/README.md and
# MODEL_DIR/about.json (scripts/write-model-card.sh: the card compares with every docs/real-footage/*.json
# and embeds docs/real-footage/<name>.md, the notes on the overlays, if there is one).
#
#   bash scripts/ship-model.sh RUN_DIR [MODEL_DIR]        (MODEL_DIR: public/models/<the recipe's model>)
#
# RUN_DIR: a training/scripts/train.py --out folder (train_log.jsonl, summary.json, eval.md, eval.json,
# export/ = config.json + model.safetensors or float16 parts) plus recipe.json; optional candidates.md, ablation.md,
# bench.md are copied into the card (from the nearest run it continues through "init" when RUN_DIR lacks
# one, named as such), and bench-wasm.md / bench-webgpu.md as the model's own benchmarks. The browser evaluations are kept
# in RUN_DIR/browser-eval/.
# Environment:
#   EVAL_BACKEND  backend of both evaluations (default wasm: ms/frame on this machine's CPU)
#   F32_FRAMES    evaluate float32 on the first N frames only (default: as float16); float16 is then
#                 also evaluated on those N frames for the comparison, and the card says so
#   EVAL_FRAMES   evaluate on the first N frames only (default: all 300; for trial runs)
# MODEL_DIR is replaced only at the end, after every step succeeded, and only if it holds nothing but
# a converted model (model.json, shards, README.md, about.json). Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: bash scripts/ship-model.sh RUN_DIR [MODEL_DIR]"
run=${1:?$usage}
model_dir=${2:-public/models/$(node -p "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).model" "$run/recipe.json")}
backend=${EVAL_BACKEND:-wasm}
max_bytes=15000000
ks=1,2,5,10,20
baseline_ks=5,10 # reuse rows at K = 5 and 10 (fast-only has no K)
f32_frames=${F32_FRAMES:-${EVAL_FRAMES:-}}

say() { echo "ship-model: $*" >&2; }
die() { say "error: $*"; exit 1; }

for f in recipe.json train_log.jsonl summary.json eval.md eval.json export/config.json; do
  [ -s "$run/$f" ] || die "$run/$f is missing"
done
# model.safetensors, or the float16 parts a lent GPU returns for a wider model (training/scripts/device_run.sh)
compgen -G "$run/export/*.safetensors" > /dev/null || die "$run/export holds no .safetensors weights"
if [ -e "$model_dir" ]; then
  extra=$(find "$model_dir" -mindepth 1 ! -name model.json ! -name '*.bin' ! -name README.md ! -name about.json | head -n 3)
  [ -z "$extra" ] || die "$model_dir holds other files than a converted model (e.g. $extra): not replacing it"
fi

id=$(basename "$model_dir")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f32="$tmp/float32"
f16="$tmp/$id" # named like MODEL_DIR: the card is written here, then the directory moves into place

say "converting $run/export to float32 and float16"
npm run -s convert -- "$run/export" "$f32" --quantize float32 >&2
npm run -s convert -- "$run/export" "$f16" --quantize float16 >&2
size=$(cat "$f16"/*.bin | wc -c)
[ "$size" -le "$max_bytes" ] || die "the float16 shards are $size bytes, over the $max_bytes-byte (15 MB) download budget"
say "float16 shards: $size bytes"

evals="$run/browser-eval"
rm -rf "$evals"
mkdir -p "$evals"
sweep() { # model_dir clip_dir out_json [extra eval args...]
  local model=$1 clip=$2 out=$3
  shift 3
  say "npm run eval -- --model $model --clip $clip --k $ks --baseline-k $baseline_ks --backend $backend $* -> $out"
  npm run -s eval -- --model "$model" --clip "$clip" --k "$ks" --baseline-k "$baseline_ks" --backend "$backend" --json "$@" > "$out.partial"
  mv "$out.partial" "$out"
}
clips=0
for clip_dir in public/samples/*/; do
  [ -f "$clip_dir/manifest.json" ] || continue
  grep -q '"depth"' "$clip_dir/manifest.json" || continue # real footage (no depth gt): evaluated below
  clip=$(basename "$clip_dir")
  clips=$((clips + 1))
  sweep "$f16" "$clip_dir" "$evals/$clip.float16.json" ${EVAL_FRAMES:+--frames "$EVAL_FRAMES"}
  sweep "$f32" "$clip_dir" "$evals/$clip.float32.json" ${f32_frames:+--frames "$f32_frames"}
  if [ "$f32_frames" != "${EVAL_FRAMES:-}" ]; then
    sweep "$f16" "$clip_dir" "$evals/$clip.float16-check.json" --frames "$F32_FRAMES"
  fi
done
[ "$clips" -gt 0 ] || die "no bundled clip (public/samples/*/manifest.json)"

real_clip=public/samples/real-photos
if [ -f "$real_clip/manifest.json" ]; then
  say "npm run eval -- --model $f16 --clip $real_clip --k 1,5 --backend $backend -> docs/real-footage/$id.json"
  npm run -s eval -- --model "$f16" --clip "$real_clip" --k 1,5 --backend "$backend" --json > "$evals/real-footage.json"
  mkdir -p docs/real-footage
  cp "$evals/real-footage.json" "docs/real-footage/$id.json"
fi
bash scripts/write-model-card.sh "$run" "$f16" # $f16 is named like MODEL_DIR, so the card finds its notes
rm -rf "$model_dir"
mkdir -p "$(dirname "$model_dir")"
cp -r "$f16" "$model_dir"
say "wrote $model_dir ($size bytes of float16 shards) and $model_dir/README.md; evaluations in $evals"
