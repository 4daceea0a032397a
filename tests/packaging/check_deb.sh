#!/usr/bin/env bash
# Builds the workstation's .deb with CPack from a build tree (strata and strata-cli built) and checks it:
# control fields (Depends from dpkg-shlibdeps with Qt 6), the files (programs, models, desktop entry, icon),
# the desktop entry (desktop-file-validate), stripped programs, and that the packaged model is the one its card
# describes (sha256), at the path the programs search (<exe>/../share/strata/models).
#
#   check_deb.sh BUILD_DIR            (ctest label "slow": it needs the GUI built)
set -euo pipefail
build=$(cd "${1:?usage: check_deb.sh BUILD_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "check_deb: $*"; fail=1; }

if ! (cd "$build" && cpack -G DEB -B "$work/out") > "$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "check_deb: cpack failed"
    exit 1
fi
debs=("$work"/out/strata_*.deb)
[[ -f ${debs[0]} ]] || { cat "$work/cpack.log"; echo "check_deb: no strata_*.deb produced"; exit 1; }
deb=${debs[0]}
echo "check_deb: $(basename "$deb") $(du -h "$deb" | cut -f1)"

dpkg-deb -I "$deb" > "$work/info"
field() { sed -n "s/^ $1: //p" "$work/info"; }
[[ $(field Package) == strata ]] || bad "Package is '$(field Package)'"
[[ -n $(field Version) ]] || bad "no Version"
[[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || bad "Architecture is '$(field Architecture)'"
depends=$(field Depends)
for d in libc6 libqt6widgets6 libgl1-mesa-dri tesseract-ocr-eng; do
    [[ $depends == *"$d"* ]] || bad "Depends lacks $d: $depends"
done
[[ $(field Section) == science ]] || bad "Section is '$(field Section)'"

dpkg-deb -c "$deb" | awk '{print $6}' > "$work/files"
for f in ./usr/bin/strata ./usr/bin/strata-cli ./usr/bin/strata-cli-full ./usr/bin/strata-media-decode \
         ./usr/share/applications/strata.desktop \
         ./usr/share/icons/hicolor/scalable/apps/strata.svg ./usr/share/strata/models/knee/model.pt \
         ./usr/share/strata/models/knee/model.json; do
    grep -qxF "$f" "$work/files" || bad "missing $f"
done
if grep -E '\.py$|train_gpu\.sh$' "$work/files"; then bad "training scripts must not be packaged"; fi

dpkg-deb -x "$deb" "$work/root"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$work/root/usr/share/applications/strata.desktop" || bad "desktop-file-validate failed"
else
    bad "desktop-file-validate missing (apt package desktop-file-utils)"
fi
grep -q '^Exec=strata ' "$work/root/usr/share/applications/strata.desktop" || bad "desktop entry does not run strata"
grep -q '^Icon=strata$' "$work/root/usr/share/applications/strata.desktop" || bad "desktop entry icon is not strata"
for p in strata strata-cli strata-cli-full strata-media-decode; do
    if readelf -S "$work/root/usr/bin/$p" | grep -q '\.debug_info'; then bad "$p is not stripped"; fi
done
python3 - "$work/root/usr/share/strata/models/knee" <<'PY' || bad "packaged model does not match its card"
import hashlib, json, sys
d = sys.argv[1]
card = json.load(open(f"{d}/model.json"))
want = card.get("sha256") or card.get("checksum", {}).get("sha256")
got = hashlib.sha256(open(f"{d}/model.pt", "rb").read()).hexdigest()
sys.exit(0 if want == got else 1)
PY
"$work/root/usr/bin/strata-cli" --help > /dev/null || bad "packaged strata-cli --help failed"
"$work/root/usr/bin/strata-cli" pipelines > /dev/null || bad "packaged strata-cli pipelines (run by strata-cli-full) failed"

if [[ $fail -ne 0 ]]; then
    echo "deb check FAILED"
    exit 1
fi
echo "deb check OK"
