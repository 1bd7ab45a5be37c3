#!/usr/bin/env bash
# GPU runs on a lent machine, as one command under its 10-minute limit (training/README.md, "GPU
# runs"): render the recipes' data caches (on the GPU where its render agrees with the CPU's,
# else on every CPU), train every recipe of RECIPES side by side on the one GPU (a 128x256 model
# leaves most of an H200 idle), each for what is left of DEVICE_SECONDS after POST_TRAIN_SECONDS
# (data loading, evaluation, export, packing; never more than its recipe's budget), then evaluate and
# export each, and pack each run folder into $OUT/<model>.tar (the device returns at most 8 files of
# at most 16 MiB; the checkpoints stay behind, the export is what later runs continue from; an export
# over 15 MiB comes back as float16 parts in $OUT/<model>-export/ instead, training/scripts/pack_export.py).
#
#   device:    RECIPES="training/recipes/<a>.json ..." bash training/scripts/device_run.sh   (OUT is set
#              by the device tool; carry the recipes' init folders that are not in git, e.g.
#              training/runs/<v9 run>/export; training/exports/<default> travels with the tree)
#   rehearsal: OUT=/tmp/rehearsal REHEARSE=1 bash training/scripts/device_run.sh   (tiny, CPU, ~20 s;
#              TRAIN_DEVICE=cpu RENDER_DEVICE=cpu with the real recipes rehearses them here)
#   here:      mkdir -p training/runs/<recipe name> && tar -xf <model>.tar -C training/runs/<recipe name>
#              (and cp -r <model>-export training/runs/<recipe name>/export, where it came back), then
#              bash scripts/ship-model.sh training/runs/<recipe name> public/models/<model>
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set OUT to the folder that receives the results}"
PYTHON=${PYTHON:-python3}
"$PYTHON" -c "import torch" 2>/dev/null || PYTHON=/usr/bin/python3
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
deadline=$((SECONDS + ${DEVICE_SECONDS:-540}))
margin=${POST_TRAIN_SECONDS:-120}
if [ "${REHEARSE:-0}" = 1 ]; then
  recipes=${RECIPES:-training/recipes/tiny-rehearsal.json}
  train_device=${TRAIN_DEVICE:-cpu}
else
  recipes=${RECIPES:?"name the recipes to train: RECIPES='training/recipes/<a>.json training/recipes/<b>.json'"}
  train_device=${TRAIN_DEVICE:-}
fi
# shellcheck disable=SC2086 # the recipe list is space-separated globs
set -- $recipes
log=$OUT/device.log
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo "no nvidia-smi"
  "$PYTHON" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
  echo "recipes: $*"; } 2>&1 | tee "$log"

# every recipe's cache before any run starts, one after the other: runs side by side must not render the
# same units at once, and recipes of the same data share one key (the second finds nothing to render)
for recipe in "$@"; do
  "$PYTHON" training/scripts/render_cache.py "$recipe" --device "${RENDER_DEVICE:-auto}" 2>&1 | tee -a "$log"
done
echo "cache ready after $SECONDS s" | tee -a "$log"

budget=$((deadline - SECONDS - margin))
[ "$budget" -ge 30 ] || { echo "device_run: only $budget s left to train; stopping" | tee -a "$log"; exit 1; }
runs=${RUNS_DIR:-$(mktemp -d)}
model_of() { "$PYTHON" -c "import sys; sys.path.insert(0, 'training'); from mila.recipe import load_recipe; r = load_recipe(sys.argv[1]); print(r['model'], r['name'], r['train'].get('time_budget') or 10**9)" "$1"; }
pids=()
for recipe in "$@"; do
  read -r model name recipe_budget < <(model_of "$recipe")
  run=$runs/$model
  mkdir -p "$run"
  seconds=$((budget < recipe_budget ? budget : recipe_budget))
  echo "$model: $seconds s of training ($name)" | tee -a "$log"
  "$PYTHON" training/scripts/run_recipe.py "$recipe" --out "$run" --no-ship --time-budget "$seconds" \
    ${train_device:+--device "$train_device"} > "$run/run.log" 2>&1 &
  pids+=($!)
done
# a run still going at the deadline (a slow evaluation, say) is stopped: what it saved still comes back
hard_deadline=$((deadline + ${KILL_GRACE_SECONDS:-25}))
any_running() { for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
while [ "$SECONDS" -lt "$hard_deadline" ] && any_running; do sleep 2; done
status=0
for pid in "${pids[@]}"; do
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; status=1; echo "device_run: stopped run $pid at the deadline" | tee -a "$log"
  fi
  wait "$pid" || status=1
done
echo "runs finished after $SECONDS s (status $status)" | tee -a "$log"

for run in "$runs"/*/; do
  model=$(basename "$run")
  tail -n 25 "$run/run.log" >> "$log"
  # whatever the run left (all of it on success, the logs on a failure) comes back
  files=$(cd "$run" && ls -d export eval.md eval.json recipe.json summary.json train_log.jsonl run.log 2>/dev/null || true)
  # no export: the last stage's checkpoint instead (both would pass the 16 MiB a returned file may have)
  [ -d "$run/export" ] || files="$files $(cd "$run" && ls checkpoint.pt 2>/dev/null || true)"
  weights=$run/export/model.safetensors
  if [ -f "$weights" ] && [ "$(stat -c %s "$weights")" -gt "${PACK_OVER_BYTES:-$((15 * 1024 * 1024))}" ]; then
    # too big for one returned file (a wider model): float16 parts of at most 15 MiB beside the tar
    "$PYTHON" training/scripts/pack_export.py "$run/export" "$OUT/$model-export" | tee -a "$log"
    files=${files/export/}
  fi
  # shellcheck disable=SC2086
  tar -cf "$OUT/$model.tar" -C "$run" $files
done
ls -l "$OUT" | tee -a "$log"
[ "$(find "$OUT" -type f | wc -l)" -le 8 ] || { echo "device_run: more than 8 files in OUT" >&2; exit 1; }
exit $status
