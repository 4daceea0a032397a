#!/bin/sh
# Prints the Debian packages whose shared libraries the given ELF programs load (one per line, sorted), so the
# runtime image installs exactly those (packaging/docker/Dockerfile). Libraries that no package owns (a CUDA
# LibTorch unpacked into the build context) are copied into the folder given with --copy-unowned instead.
#
#   runtime-deps.sh [--copy-unowned DIR] PROGRAM...
set -eu

copy_dir=""
if [ "${1:-}" = "--copy-unowned" ]; then
    copy_dir=$2
    shift 2
    mkdir -p "$copy_dir"
fi
[ $# -gt 0 ] || { echo "usage: runtime-deps.sh [--copy-unowned DIR] PROGRAM..." >&2; exit 2; }

owner() {
    # usrmerge: a library may be registered under /lib or /usr/lib whichever path ldd printed.
    for p in "$1" "$(readlink -f "$1")"; do
        for q in "$p" "${p#/usr}" "/usr$p"; do
            pkg=$(dpkg-query -S "$q" 2>/dev/null | head -n1 | cut -d: -f1) || true
            if [ -n "$pkg" ]; then echo "$pkg"; return 0; fi
        done
    done
    return 1
}

libs=$(for prog in "$@"; do
    out=$(ldd "$prog") || { echo "runtime-deps.sh: ldd failed on $prog" >&2; exit 1; }
    # The NVIDIA container runtime injects the driver's libraries (libcuda, libnvidia-*) at run time.
    missing=$(echo "$out" | grep 'not found' | grep -v -E '^\s*lib(cuda|nvidia-[a-z-]+)\.so' || true)
    if [ -n "$missing" ]; then
        echo "runtime-deps.sh: $prog has unresolved libraries:" >&2
        echo "$missing" >&2
        exit 1
    fi
    echo "$out" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | sort -u)

for lib in $libs; do
    if ! owner "$lib"; then
        if [ -n "$copy_dir" ]; then
            cp -L "$lib" "$copy_dir/"
        else
            echo "runtime-deps.sh: no Debian package owns $lib (use --copy-unowned DIR)" >&2
            exit 1
        fi
    fi
done | sort -u
