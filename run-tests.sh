#!/usr/bin/env bash
# Runs Strata's test suite against the build made by setup.sh.
#
#   ./run-tests.sh           the default suite (every test not labelled "slow")
#   ./run-tests.sh --slow    only the slow tests (held-out accuracy, long runs)
#   ./run-tests.sh --all     everything
# Extra arguments after "--" go to ctest (e.g. ./run-tests.sh -- -R Phantom).
set -euo pipefail
cd "$(dirname "$0")"

preset=release
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --slow) preset=slow ;;
        --all) preset=all ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "run-tests.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done

if [[ ! -f build/build.ninja ]]; then
    echo "run-tests.sh: no build found; run ./setup.sh first" >&2
    exit 2
fi
cmake --build build -j "${STRATA_JOBS:-$(nproc)}"

if [[ $preset == all ]]; then
    ctest --test-dir build --output-on-failure -j "${STRATA_JOBS:-$(nproc)}" "${extra[@]}"
else
    ctest --preset "$preset" "${extra[@]}"
fi
