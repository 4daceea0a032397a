#!/bin/bash
# Trains knee model candidates on a rented CUDA box that has python3 + torch (numpy) but none of Strata's other
# dependencies: phantoms (with their tissue maps) come from the self-contained tools/strata-knee-phantom-raw binary
# built here. Weights come back as OUT/*.npz and are exported to TorchScript with the workstation's torch:
#   models/knee/train.py --from-npz OUT/synthft8.npz --cli build/app/strata-cli --data /tmp/knee --out DIR
#
# SYNTH=on (default; issue 17, models/knee/synth.py): two domain-randomised candidates train side by side, each for
# BUDGET seconds, while the committed model.pt is evaluated on the same held-out sets as the baseline. Both are
# fine-tunes of models/knee/model.pt (cross-entropy, lr 5e-4, 30 % phantom batches) with rotations of at most 15
# degrees: the CPU cycles ft1/ft2 (45 degrees, 80x112x112 patches) lost the lateral tibial plate (README):
#   synthft8  positional labels, no mirroring                                  -> OUT/synthft8.npz, OUT/synthft8.log
#   synthkeep half the samples mirrored with anatomical labels (issue 16's
#             side=auto lead: medial/lateral by shape)                          -> OUT/synthkeep.npz, OUT/synthkeep.log
#   baseline  model 1.3 on the held-out phantoms and synthetic contrasts       -> OUT/baseline.log
# Each log ends with the held-out Dice on the own-family phantoms and on the held-out synthetic contrasts (T1, T2-FS,
# thick slices). About 8 minutes of device time with the default BUDGET of 300 s (phantoms ~15 s, smoke ~40 s,
# loading + evaluation ~60 s).
# SYNTH=off: the classic run (base 8 and 12 at once; TISSUE_CONTRAST, default 0.2), as before issue 17.
# Usage (repository root): [SYNTH=on|off] models/knee/train_gpu.sh PHANTOM_RAW OUT_DIR [BUDGET_S] [TRAIN_SEEDS]
set -uo pipefail
RAW=$1 OUT=$2 BUDGET=${3:-300} SEEDS=${4:-48}
DATA=/tmp/knee-gpu
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
chmod +x "$RAW"
T=(python3 models/knee/train.py --phantom-raw "$RAW" --jobs 16 --data "$DATA" --device cuda --threads 5)
start=$SECONDS
"${T[@]}" --train-seeds "$SEEDS" --generate-only --out /tmp/unused || exit 1
echo "phantoms: $((SECONDS - start)) s"
if [[ ${SYNTH:-on} == on ]]; then
    # Smoke test of every step (init from model.pt, synthesis, train, both evaluations, export) before the long runs.
    "${T[@]}" --train-seeds 2 --iterations 20 --patch 48 64 64 --batch 2 --synth on --init-npz models/knee/model.pt \
        --eval-max 1 --out /tmp/smoke --export-npz /tmp/smoke.npz >"$OUT/smoke.log" 2>&1 || { tail -40 "$OUT/smoke.log"; exit 1; }
    tail -3 "$OUT/smoke.log"; echo "smoke: $((SECONDS - start)) s"
    "${T[@]}" --from-npz models/knee/model.pt --out /tmp/baseline >"$OUT/baseline.log" 2>&1 &
    for variant in synthft8:off synthkeep:keep; do
        "${T[@]}" --train-seeds "$SEEDS" --time-budget "$BUDGET" --patch 112 144 144 --batch 4 --synth on \
            --synth-rot 15 --synth-real 0.3 --synth-mirror "${variant#*:}" --init-npz models/knee/model.pt --loss ce \
            --lr 5e-4 --seed 20261209 --out "/tmp/${variant%%:*}" --export-npz "$OUT/${variant%%:*}.npz" \
            >"$OUT/${variant%%:*}.log" 2>&1 &
    done
    wait
    echo "total: $((SECONDS - start)) s"
    grep -H "time budget\|Error\|error\|mean held-out" "$OUT"/baseline.log "$OUT"/synth*.log
    exit 0
fi
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
