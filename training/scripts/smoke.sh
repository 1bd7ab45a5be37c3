#!/usr/bin/env bash
# Tiny CPU run of the whole schedule: render clips, pre-train D-slow and D18, train MILA, evaluate on
# held-out seeds, export. Finishes in under 3 minutes on a laptop CPU. Usage: scripts/smoke.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-runs/smoke}"
rm -rf "$OUT"
start=$(date +%s)
/usr/bin/python3 scripts/train.py --config configs/tiny.json --out "$OUT" --device cpu \
  --time-budget "${SMOKE_TRAIN_SECONDS:-75}" --batch-size 2 --lr 1e-3 --k-min 2 --k-max 5 \
  --max-fast-frames 2 --eval-ks 1,2,5 --eval-frames 10 --eval-seeds 1:3 --eval-batch-size 2 \
  --pool-clips 3 --pool-refresh-every 0 --log-every 20
for f in eval.md eval.json summary.json checkpoint.pt export/model.safetensors export/config.json; do
  test -s "$OUT/$f" || { echo "smoke: missing $OUT/$f" >&2; exit 1; }
done
echo "smoke: OK in $(( $(date +%s) - start )) s; table: $OUT/eval.md, export: $OUT/export"
