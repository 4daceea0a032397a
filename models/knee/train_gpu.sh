#!/bin/bash
# Trains knee model candidates on a rented CUDA box that has python3 + torch but none of Strata's other
# dependencies: phantoms come from the self-contained tools/strata-knee-phantom-raw binary built here.
# Two candidates (base 8: the default, fast on CPUs; base 12: wider) train at once on the one GPU, each
# for BUDGET seconds; weights come back as .npz and are exported to TorchScript with the workstation's torch:
#   models/knee/train.py --from-npz base8.npz --cli build/app/strata-cli --data /tmp/knee --out models/knee
# Usage (repository root): [TISSUE_CONTRAST=0.2] models/knee/train_gpu.sh PHANTOM_RAW OUT_DIR [BUDGET_S] [TRAIN_SEEDS]
set -uo pipefail
RAW=$1 OUT=$2 BUDGET=${3:-400} SEEDS=${4:-48}
DATA=/tmp/knee-gpu
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
chmod +x "$RAW"
T=(python3 models/knee/train.py --phantom-raw "$RAW" --jobs 16 --data "$DATA" --device cuda --threads 6)
start=$SECONDS
"${T[@]}" --train-seeds "$SEEDS" --generate-only --out /tmp/unused || exit 1
echo "phantoms: $((SECONDS - start)) s"
# Smoke test of every step (train, evaluate, export) before the long runs.
"${T[@]}" --train-seeds 2 --iterations 30 --patch 48 64 64 --batch 2 --out /tmp/smoke \
    --export-npz /tmp/smoke.npz >"$OUT/smoke.log" 2>&1 || { tail -40 "$OUT/smoke.log"; exit 1; }
tail -2 "$OUT/smoke.log"; echo "smoke: $((SECONDS - start)) s"
for base in 8 12; do
    "${T[@]}" --train-seeds "$SEEDS" --time-budget "$BUDGET" --patch 112 144 144 --batch 4 --base $base --tissue-contrast "${TISSUE_CONTRAST:-0.2}" \
        --out /tmp/o$base --export-npz "$OUT/base$base.npz" >"$OUT/base$base.log" 2>&1 &
done
wait
echo "total: $((SECONDS - start)) s"
grep -h "time budget\|mean held-out\|Error\|error" "$OUT"/base*.log
tail -n 3 "$OUT"/base*.log
