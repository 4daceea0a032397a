#!/usr/bin/env python3
"""The packaging starts strata-worker and strata-server --queue with the flags and variables the programs have.

Collects every `--flag` the compose files, the Helm worker Deployment and the systemd worker unit pass to
strata-worker and checks `strata-worker --help` lists it; checks strata-server offers --queue with the
STRATA_SERVER_QUEUE variable the compose file and the chart set; checks an unreachable queue exits with code 3.

    check_worker_flags.py REPO_ROOT STRATA_WORKER STRATA_SERVER
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

root, worker, server = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
# docker-compose.cpu.yml uses Compose's !reset tag
yaml.SafeLoader.add_constructor("!reset", lambda loader, node: None)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


help_text = subprocess.run([worker, "--help"], capture_output=True, text=True).stdout
known = set(re.findall(r"(--[a-z][a-z-]*)", help_text))
used = {}
for name in ("docker-compose.yml", "docker-compose.cpu.yml"):
    doc = yaml.safe_load((root / "packaging/compose" / name).read_text())
    cmd = doc.get("services", {}).get("strata-worker", {}).get("command", [])
    for a in cmd:
        if isinstance(a, str) and a.startswith("--"):
            used.setdefault(a, []).append(name)
helm = (root / "packaging/helm/strata/templates/worker-deployment.yaml").read_text()
for a in re.findall(r"^\s*-\s+(--[a-z][a-z-]*)\s*$", helm, re.M):
    used.setdefault(a, []).append("worker-deployment.yaml")
unit = (root / "packaging/systemd/strata-worker@.service").read_text()
exec_start = re.search(r"^ExecStart=strata-worker (.*)$", unit, re.M)
check(exec_start is not None, "strata-worker@.service: ExecStart=strata-worker ...")
for a in re.findall(r"(--[a-z][a-z-]*)", exec_start.group(1) if exec_start else ""):
    used.setdefault(a, []).append("strata-worker@.service")
check({"--queue", "--data", "--device"} <= set(used), f"the packaging passes --queue, --data and --device: {sorted(used)}")
for flag, where in sorted(used.items()):
    check(flag in known, f"{', '.join(sorted(set(where)))}: strata-worker has no {flag}")
check("STRATA_REDIS_PASSWORD" in help_text, "strata-worker --help names STRATA_REDIS_PASSWORD")

server_help = subprocess.run([server, "--help"], capture_output=True, text=True).stdout
check("--queue" in server_help and "STRATA_SERVER_QUEUE" in server_help, "strata-server: --queue (env STRATA_SERVER_QUEUE)")
compose = yaml.safe_load((root / "packaging/compose/docker-compose.yml").read_text())
check("STRATA_SERVER_QUEUE" in compose["services"]["strata-server"].get("environment", {}),
      "compose: the server takes STRATA_SERVER_QUEUE")
check("STRATA_SERVER_QUEUE" in (root / "packaging/helm/strata/templates/server-deployment.yaml").read_text(),
      "helm: the server gets STRATA_SERVER_QUEUE with workers")

with tempfile.TemporaryDirectory() as d:
    r = subprocess.run([worker, "--queue", "redis://127.0.0.1:1", "--data", d, "--device", "cpu"],
                       capture_output=True, text=True, timeout=60)
    check(r.returncode == 3 and "Cannot reach Redis at redis://127.0.0.1:1/0" in r.stderr,
          f"strata-worker with no Redis: exit 3 and a clear message (got {r.returncode}: {r.stderr.strip()[-200:]})")

for f in failures:
    print("check_worker_flags:", f)
print(f"check_worker_flags: {len(used)} strata-worker flags used by the packaging: {' '.join(sorted(used))}")
sys.exit(1 if failures else 0)
