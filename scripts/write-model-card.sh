#!/usr/bin/env bash
# Writes MODEL_DIR/README.md and MODEL_DIR/about.json from a shipped run: scripts/model-card.ts with every
# docs/real-footage/*.json for comparison and docs/real-footage/<MODEL_DIR name>.md (the notes on the
# overlays) if there is one. scripts/ship-model.sh ends with it; run it alone to refresh a card after
# adding the notes, screenshots or RUN_DIR/bench-wasm.md or bench-webgpu.md (npm run bench --out),
# without converting or evaluating again.
#
#   bash scripts/write-model-card.sh RUN_DIR MODEL_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: bash scripts/write-model-card.sh RUN_DIR MODEL_DIR"
run=${1:?$usage}
model_dir=${2:?$usage}
id=$(basename "$model_dir")
card_args=()
for f in docs/real-footage/*.json; do
  [ -f "$f" ] && card_args+=(--real-footage "$f")
done
[ -f "docs/real-footage/$id.md" ] && card_args+=(--real-footage-notes "docs/real-footage/$id.md")
npx tsx scripts/model-card.ts "$run" "$model_dir" "${card_args[@]}"
