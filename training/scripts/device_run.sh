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
# $OUT afterwards (7 files): model-0000N-of-0000M.safetensors (float16 parts), config.json, eval.md,
# eval.json, train.log. Then, here: bash scripts/ship-model.sh <those files' folder>.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set OUT to the folder that receives the results}"
PYTHON=${PYTHON:-python3}
"$PYTHON" -c "import torch" 2>/dev/null || PYTHON=/usr/bin/python3
mkdir -p "$OUT"
run_dir=$(mktemp -d)

if [ "${REHEARSE:-0}" = 1 ]; then
  # Same flags, tiny sizes: proves the command line, the files and their sizes before device time is spent.
  args=(--config training/configs/tiny.json --device cpu --time-budget 60 --batch-size 2
        --pretrain-batch-size 2 --lr 1e-3 --pool-clips 3 --pool-refresh-every 0
        --eval-seeds 2,3 --eval-frames 10 --eval-ks 1,2,5,10 --eval-batch-size 2)
else
  # 380 s of data + training leaves time for evaluation, export and packing inside 600 s.
  args=(--config training/configs/mila-d101-d18-ship.json --device cuda --amp
        --time-budget "${TRAIN_SECONDS:-380}" --stage-split 0.4,0.2,0.4
        --batch-size 8 --pretrain-batch-size 16 --lr 3e-4 --lr-decay-at 0.8
        --k-min 2 --k-max 10 --max-fast-frames 3 --adv-weight 0.01 --weighting equal
        --pool-clips 48 --pool-refresh-every 5 --pool-refresh-clips 8
        --eval-seeds 2,3 --eval-frames 300 --eval-ks 1,2,5,10 --eval-batch-size 2)
fi

"$PYTHON" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')" | tee "$OUT/torch.txt"
start=$SECONDS
cat "$OUT/torch.txt" > "$OUT/train.log" && rm "$OUT/torch.txt"
"$PYTHON" training/scripts/train.py --out "$run_dir" "${args[@]}" 2>&1 | tee -a "$OUT/train.log"
echo "train.py finished in $((SECONDS - start)) s" | tee -a "$OUT/train.log"

"$PYTHON" training/scripts/pack_export.py "$run_dir/export" "$OUT"
cp "$run_dir/eval.md" "$run_dir/eval.json" "$OUT/"
ls -l "$OUT"
[ "$(find "$OUT" -type f | wc -l)" -le 8 ] || { echo "device_run: more than 8 files in OUT" >&2; exit 1; }
