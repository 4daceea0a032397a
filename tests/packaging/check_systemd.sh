#!/usr/bin/env bash
# Checks packaging/systemd offline: `systemd-analyze verify` must print nothing (it only warns about unknown keys
# and bad values, so any output fails), `systemd-analyze security --offline` must rate each unit "OK" (exposure
# <= 2.0), the units must carry the restart policy and hardening options the deployment relies on, and
# systemd-sysusers must create the "strata" user from the sysusers file in an empty root.
# The programs are not installed here: ExecStart is pointed at a stub in a copy of the units.
#
#   check_systemd.sh [REPO_ROOT]
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
src=$root/packaging/systemd
command -v systemd-analyze >/dev/null || { echo "check_systemd: systemd-analyze missing (apt package systemd)"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { echo "check_systemd: $*"; fail=1; }

printf '#!/bin/sh\nexit 0\n' > "$work/stub"
chmod +x "$work/stub"
for unit in strata-server.service strata-worker@.service; do
    [[ -f $src/$unit ]] || { bad "$unit missing"; continue; }
    sed "s#^ExecStart=strata-[a-z]*#ExecStart=$work/stub#" "$src/$unit" > "$work/$unit"
    grep -q "^ExecStart=$work/stub " "$work/$unit" || bad "$unit: ExecStart is not strata-server/strata-worker"
done
ln -s strata-worker@.service "$work/strata-worker@0.service"

(cd "$work" && systemd-analyze verify ./strata-server.service ./strata-worker@0.service) > "$work/verify.log" 2>&1 \
    || bad "systemd-analyze verify failed"
if [[ -s $work/verify.log ]]; then
    bad "systemd-analyze verify printed:"
    cat "$work/verify.log"
fi

for unit in strata-server.service strata-worker@0.service; do
    (cd "$work" && systemd-analyze security --offline=yes --threshold=20 "./$unit") > "$work/security.log" 2>&1 \
        || { bad "$unit: exposure above 2.0"; grep -E '^✗|Overall' "$work/security.log"; }
    grep -h 'Overall exposure' "$work/security.log" || true
done

need_keys=(Restart= RestartSec= User=strata NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes
           CapabilityBoundingSet= SystemCallFilter=@system-service StateDirectory=strata DevicePolicy=closed
           "DeviceAllow=char-nvidia-frontend rw" WantedBy=multi-user.target)
for unit in strata-server.service strata-worker@.service; do
    for k in "${need_keys[@]}"; do
        grep -q "^$k" "$src/$unit" || bad "$unit: no line starting with '$k'"
    done
done
grep -q '^Restart=on-failure' "$src/strata-server.service" || bad "strata-server.service: Restart=on-failure expected"
grep -q '^Restart=always' "$src/strata-worker@.service" || bad "strata-worker@.service: Restart=always expected"
grep -q '^Environment=CUDA_VISIBLE_DEVICES=%i' "$src/strata-worker@.service" || bad "worker: one GPU per instance"
grep -q -- '--queue ${STRATA_QUEUE}' "$src/strata-worker@.service" || bad "worker: --queue"
grep -q '^ConditionPathExists=|/usr/local/bin/strata-worker' "$src/strata-worker@.service" \
    || bad "worker: must be skipped while strata-worker is not installed"

mkdir -p "$work/root/etc"
if systemd-sysusers --root="$work/root" "$src/strata.sysusers.conf" > "$work/sysusers.log" 2>&1; then
    grep -q '^strata:x:[0-9]*:[0-9]*:[^:]*:/var/lib/strata:/usr/sbin/nologin$' "$work/root/etc/passwd" \
        || bad "sysusers: no system user strata with home /var/lib/strata and nologin"
else
    bad "systemd-sysusers failed: $(cat "$work/sysusers.log")"
fi

if [[ $fail -ne 0 ]]; then
    echo "systemd check FAILED"
    exit 1
fi
echo "systemd check OK (verify clean, exposure OK, hardening keys, sysusers)"
