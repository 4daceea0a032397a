#!/bin/bash
# Fine-tunes the committed knee model on a rented CUDA box (python3 + torch only; phantoms come from the
# self-contained tools/strata-knee-phantom-raw binary). Several candidates train at once on the one GPU, each
# from INIT with cross-entropy (calibrated at boundaries), per-tissue contrast augmentation of sigma SIGMA, learning
# rate LR and a fraction CENTRED of patches centred on structures (0 = uniform: the classes' true prior);
# weights come back as OUT/ftSIGMA_LR_CENTRED.npz (the log prints held-out Dice and volume ratios) and are
# exported and measured here with
#   models/knee/train.py --from-npz OUT/ft0_5e-4_0.npz --cli build/app/strata-cli --data /tmp/knee-eval --out DIR
# Usage (repository root):
#   models/knee/finetune_gpu.sh PHANTOM_RAW INIT_NPZ OUT_DIR BUDGET_S "SIGMA:LR:CENTRED ..." [TRAIN_SEEDS]
set -uo pipefail
RAW=$1 INIT=$2 OUT=$3 BUDGET=$4 CANDIDATES=$5 SEEDS=${6:-48}
DATA=/tmp/knee-gpu
export PYTHONUNBUFFERED=1
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
chmod +x "$RAW"
T=(python3 models/knee/train.py --phantom-raw "$RAW" --jobs 16 --data "$DATA" --device cuda --threads 4)
start=$SECONDS
"${T[@]}" --train-seeds "$SEEDS" --generate-only --out /tmp/unused || exit 1
echo "phantoms: $((SECONDS - start)) s"
for c in $CANDIDATES; do
    IFS=: read -r sigma lr centred <<<"$c"
    name=ft${sigma}_${lr}_${centred}
    "${T[@]}" --train-seeds "$SEEDS" --init-npz "$INIT" --loss ce --lr "$lr" --seed 20261127 \
        --time-budget "$BUDGET" --patch 112 144 144 --batch 4 --tissue-contrast "$sigma" --centred "$centred" \
        --out "/tmp/$name" --export-npz "$OUT/$name.npz" >"$OUT/$name.log" 2>&1 &
done
wait
echo "total: $((SECONDS - start)) s"
grep -H "time budget\|Error\|error\|volume:\|mean held-out" "$OUT"/ft*.log
