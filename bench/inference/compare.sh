#!/usr/bin/env bash
# C++ vs python3-torch inference on the same TorchScript model and the same input, measured in one run.
#   bench/inference/compare.sh [MODEL_DIR] [X Y Z]     (default: models/knee, 256 160 ... see below)
# Prints both timings, the ratio python/C++ (>= 1.0: C++ is not slower) and whether the labels agree.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
model=${1:-$root/models/knee}
size=(${2:-256} ${3:-256} ${4:-160})
bench=${STRATA_INFER_BENCH:-$root/build/bench/inference/strata_infer_bench}
threads=${THREADS:-$(nproc)}
tile_voxels=${TILE_VOXELS:-16000000}
raw=$(mktemp --suffix=.f32)
trap 'rm -f "$raw"' EXIT
cpp=$("$bench" "$model" --size "${size[@]}" --write-input "$raw" --device cpu --threads "$threads" --tile-voxels "$tile_voxels" --tile-batch 1 --repeat 3)
py=$(/usr/bin/python3 "$root/bench/inference/python_infer_bench.py" "$model" "$raw" "${size[@]}" --threads "$threads" --tile-voxels "$tile_voxels" --repeat 3)
/usr/bin/python3 - "$cpp" "$py" <<'PY'
import json, sys
c, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
same = c["label_counts"] == p["label_counts"]
print(f"C++    : best {c['best_seconds']:.2f} s  ({c['device']})")
print(f"python : best {p['best_seconds']:.2f} s  ({p['threads']} threads)")
print(f"ratio python/C++ = {p['best_seconds'] / c['best_seconds']:.2f}   label histograms identical: {same}")
PY
