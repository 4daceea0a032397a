#!/usr/bin/env bash
# End-to-end knee pipeline on a 256x256x160 phantom through strata-cli: total time, per-stage breakdown and
# peak memory, read back from the bundle's provenance.json.
#   bench/knee_end_to_end.sh [--device auto|cpu|cuda] [--threads N] [--seed S]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${STRATA_CLI:-$root/build/app/strata-cli}
device=auto threads=0 seed=4242
while [[ $# -gt 0 ]]; do
    case "$1" in
        --device) device=$2; shift ;;
        --threads) threads=$2; shift ;;
        --seed) seed=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" phantom --seed "$seed" --out "$work/case" >/dev/null
start=$(date +%s.%N)
"$cli" run knee "$work/case/image.nii.gz" --out "$work/result" --device "$device" --threads "$threads" --quiet >/dev/null
end=$(date +%s.%N)
/usr/bin/python3 - "$work/result/provenance.json" "$start" "$end" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
print(f"device: {p.get('device', '?')}   threads: {p['threads']}")
for s in p["stage_timings"]:
    print(f"  {s['stage']:<12} {s['seconds']:7.2f} s")
print(f"pipeline total {p['total_seconds']:.1f} s, process wall time {wall:.1f} s (target <= 60 s on 2 cores), "
      f"peak RSS {p['peak_rss_mib']:.0f} MiB")
PY
