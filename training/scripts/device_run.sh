#!/usr/bin/env bash
# The planned GPU run for the shipped default model (issue: train the default D101/D18 model).
# One command on the lent H100, under the 10-minute command limit: render the street video on the
# GPU on the fly, pre-train D101-MultiTask and D18-MultiTask, train MILA (ILA TS + MF, adversarial
# alignment, equal weighting), evaluate on the held-out bundled clips, export, and pack the export
# as float16 parts of at most 15 MiB into $OUT (the device returns at most 8 files, 16 MiB each).
#
#   device:    bash training/scripts/device_run.sh                      (OUT is set by the device tool)
#   rehearsal: OUT=/tmp/rehearsal REHEARSE=1 bash training/scripts/device_run.sh   (tiny, CPU, ~2 min)
#
# $OUT afterwards (8 files): model-0000N-of-0000M.safetensors (float16 parts), config.json, eval.md,
# eval.json, train.log. Then, here: bash scripts/ship-model.sh <those files' folder>.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set OUT to the folder that receives the results}"
PYTHON=${PYTHON:-python3}
"$PYTHON" -c "import torch" 2>/dev/null || PYTHON=/usr/bin/python3
mkdir -p "$OUT"
run_dir=$(mktemp -d)

# Every hyper-parameter lives in the recipe (training/recipes/); this script only moves files.
if [ "${REHEARSE:-0}" = 1 ]; then
  recipe=training/recipes/tiny-rehearsal.json   # same command, tiny sizes, CPU, ~2 min
else
  recipe=${RECIPE:-training/recipes/mila-street-gpu_d101w32-d18w32_os16_256x512_street-live_h100-6m.json}
fi

"$PYTHON" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')" | tee "$OUT/torch.txt"
start=$SECONDS
cat "$OUT/torch.txt" > "$OUT/train.log" && rm "$OUT/torch.txt"
"$PYTHON" training/scripts/run_recipe.py "$recipe" --out "$run_dir" --no-ship 2>&1 | tee -a "$OUT/train.log"
echo "train.py finished in $((SECONDS - start)) s" | tee -a "$OUT/train.log"

"$PYTHON" training/scripts/pack_export.py "$run_dir/export" "$OUT"
cp "$run_dir/eval.md" "$run_dir/eval.json" "$run_dir/recipe.json" "$OUT/"
ls -l "$OUT"
[ "$(find "$OUT" -type f | wc -l)" -le 8 ] || { echo "device_run: more than 8 files in OUT" >&2; exit 1; }
