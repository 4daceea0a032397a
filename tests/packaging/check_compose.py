#!/usr/bin/env python3
"""Checks packaging/compose offline: the GPU stack (docker-compose.yml) and the CPU override merged on top of it.

Merges the files with Compose's rules (mappings merged, sequences appended, command/entrypoint/healthcheck.test
replaced, !reset / !override tags), checks the keys the deployment relies on, and, when a Compose is installed,
lets it validate both against its schema: `docker compose config` (v2, reads !reset itself) or
`docker-compose config` (v1, given the merged CPU document). Needs no Docker daemon and no network.

    check_compose.py [REPO_ROOT]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
COMPOSE_DIR = os.path.join(ROOT, "packaging", "compose")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


class Reset:
    pass


class Override:
    def __init__(self, value):
        self.value = value


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!reset", lambda loader, node: Reset())
Loader.add_constructor(
    "!override",
    lambda loader, node: Override(
        loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode)
        else loader.construct_mapping(node, deep=True) if isinstance(node, yaml.MappingNode)
        else loader.construct_scalar(node)))

REPLACED = {("command",), ("entrypoint",), ("healthcheck", "test")}


def merge(base, over, path=()):
    """Compose merge of `over` into `base` for a service subtree (path relative to the service)."""
    if isinstance(over, Override):
        return strip(over.value)
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if isinstance(v, Reset):
                out.pop(k, None)
            elif k in out:
                out[k] = merge(out[k], v, path + (k,))
            else:
                out[k] = strip(v)
        return out
    if isinstance(base, list) and isinstance(over, list) and path not in REPLACED:
        return base + [x for x in strip(over) if x not in base]
    return strip(over)


def strip(v):
    """Removes tag markers from a subtree that is not merged (a reset inside a new subtree is just absent)."""
    if isinstance(v, Override):
        return strip(v.value)
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if not isinstance(x, Reset)}
    if isinstance(v, list):
        return [strip(x) for x in v if not isinstance(x, Reset)]
    return v


def interpolate(v):
    """${VAR}, ${VAR:-default}, ${VAR-default} with an empty environment (defaults), $$ -> $."""
    if isinstance(v, str):
        v = re.sub(r"\$\{(\w+)(?::?-([^}]*))?\}", lambda m: m.group(2) or "", v.replace("$$", "\0"))
        return v.replace("\0", "$")
    if isinstance(v, dict):
        return {k: interpolate(x) for k, x in v.items()}
    if isinstance(v, list):
        return [interpolate(x) for x in v]
    if isinstance(v, Override):
        return Override(interpolate(v.value))
    return v


def load(name):
    with open(os.path.join(COMPOSE_DIR, name)) as f:
        return interpolate(yaml.load(f, Loader=Loader))


def devices(svc):
    return (((svc.get("deploy") or {}).get("resources") or {}).get("reservations") or {}).get("devices") or []


def env(svc):
    e = svc.get("environment") or {}
    if isinstance(e, list):
        e = dict(x.split("=", 1) if "=" in x else (x, None) for x in e)
    return e


def volume_targets(svc):
    out = {}
    for v in svc.get("volumes") or []:
        parts = v.split(":") if isinstance(v, str) else [v["source"], v["target"]] + (["ro"] if v.get("read_only") else [])
        out[parts[1]] = (parts[0], parts[2] if len(parts) > 2 else "rw")
    return out


def check_common(doc, label, gpu):
    s = doc.get("services", {})
    if not all([check(name in s, f"{label}: service {name} missing")
                for name in ("strata-server", "caddy", "redis", "strata-worker")]):
        return
    server, caddy, redis, worker = s["strata-server"], s["caddy"], s["redis"], s["strata-worker"]

    # server: image, data volume, read-only models, health check, restart, only reachable through Caddy
    check("image" in server and "build" in server, f"{label}: strata-server needs image and build")
    check(server.get("build", {}).get("dockerfile") == "packaging/docker/Dockerfile", f"{label}: server build dockerfile")
    vt = volume_targets(server)
    check(vt.get("/data", ("", ""))[0] == "strata-data", f"{label}: server /data is not the strata-data volume")
    check(vt.get("/models", ("", ""))[1] == "ro", f"{label}: models must be mounted read-only at /models")
    e = env(server)
    check(e.get("STRATA_SERVER_DATA_DIR") == "/data", f"{label}: STRATA_SERVER_DATA_DIR != /data")
    check(e.get("STRATA_MODELS_DIR") == "/models", f"{label}: STRATA_MODELS_DIR != /models")
    check(e.get("STRATA_SERVER_HOST") == "0.0.0.0", f"{label}: server must listen on 0.0.0.0 inside its network")
    check(server.get("healthcheck", {}).get("test") == ["CMD", "strata-healthcheck"], f"{label}: server healthcheck")
    check(server.get("restart") == "unless-stopped", f"{label}: server restart policy")
    check("ports" not in server, f"{label}: server must not publish ports (Caddy does)")
    port = str(e.get("STRATA_SERVER_PORT"))

    # Caddy: HTTPS published, Caddyfile read-only, proxies to the server's port, waits for a healthy server
    ports = [str(p) for p in caddy.get("ports", [])]
    check(any(p.endswith("443:443") for p in ports), f"{label}: caddy must publish 443")
    check(volume_targets(caddy).get("/etc/caddy/Caddyfile", ("", ""))[1] == "ro", f"{label}: Caddyfile read-only")
    check(caddy.get("depends_on", {}).get("strata-server", {}).get("condition") == "service_healthy",
          f"{label}: caddy depends on a healthy server")
    with open(os.path.join(COMPOSE_DIR, "Caddyfile")) as f:
        caddyfile = f.read()
    check(re.search(r"reverse_proxy\s+strata-server:" + re.escape(port) + r"\b", caddyfile) is not None,
          f"{label}: Caddyfile must reverse_proxy strata-server:{port}")
    check("flush_interval -1" in caddyfile, f"{label}: Caddyfile must flush SSE at once")
    check(caddyfile.count("{") == caddyfile.count("}"), f"{label}: Caddyfile braces unbalanced")

    # Redis: persistence in a volume, profile workers
    cmd = " ".join(map(str, redis.get("command", [])))
    check("--appendonly yes" in cmd, f"{label}: redis without append-only persistence")
    check(volume_targets(redis).get("/data", ("", ""))[0] == "redis-data", f"{label}: redis data volume")
    check(redis.get("profiles") == ["workers"], f"{label}: redis belongs to the workers profile")

    # workers: same image, shared data volume, Redis queue, profile workers
    check(worker.get("profiles") == ["workers"], f"{label}: strata-worker belongs to the workers profile")
    check(worker.get("entrypoint") == ["strata-worker"], f"{label}: worker entrypoint strata-worker")
    wcmd = worker.get("command", [])
    check("--queue" in wcmd and wcmd[wcmd.index("--queue") + 1] == "redis://redis:6379", f"{label}: worker queue")
    check(volume_targets(worker).get("/data", ("", ""))[0] == "strata-data", f"{label}: worker shares strata-data")
    check(volume_targets(worker).get("/models", ("", ""))[1] == "ro", f"{label}: worker models read-only")
    check(worker.get("image") == server.get("image"), f"{label}: worker and server use one image")
    check("replicas" in worker.get("deploy", {}), f"{label}: worker replicas (N workers)")
    check(wcmd[wcmd.index("--device") + 1] == ("cuda" if gpu else "cpu"), f"{label}: worker --device")

    for name in ("strata-server", "strata-worker"):
        d = devices(s[name])
        if gpu:
            check(len(d) == 1 and d[0].get("driver") == "nvidia" and "gpu" in d[0].get("capabilities", []),
                  f"{label}: {name} must reserve an NVIDIA GPU (deploy.resources.reservations.devices)")
        else:
            check(d == [], f"{label}: {name} still reserves devices: {d}")
    check(doc.get("networks", {}).get("backend", {}).get("internal") is True, f"{label}: backend network internal")
    for v in ("strata-data", "redis-data", "caddy-data"):
        check(v in doc.get("volumes", {}), f"{label}: volume {v} missing")


def typed(v):
    """Numbers that interpolation left as strings where Compose's schema wants integers (deploy.replicas)."""
    if isinstance(v, dict):
        return {k: (int(x) if k == "replicas" and isinstance(x, str) and x.isdigit() else typed(x)) for k, x in v.items()}
    if isinstance(v, list):
        return [typed(x) for x in v]
    return v.replace("$", "$$") if isinstance(v, str) else v


def compose_validate(files, merged_doc, label):
    """Schema validation by a real Compose when one is installed; returns a note for the log."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            args = ["docker", "compose", "--project-directory", COMPOSE_DIR]
            for f in files:
                args += ["-f", os.path.join(COMPOSE_DIR, f)]
            r = subprocess.run(args + ["--profile", "workers", "config", "-q"], capture_output=True, text=True)
            check(r.returncode == 0, f"{label}: docker compose config failed: {r.stderr.strip()}")
            return "docker compose config"
    if shutil.which("docker-compose") and len(files) == 1:
        r = subprocess.run(["docker-compose", "-f", os.path.join(COMPOSE_DIR, files[0]), "config", "-q"],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"{label}: docker-compose config failed: {r.stderr.strip()}")
        return "docker-compose (v1) config"
    if shutil.which("docker-compose"):
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as t:
            yaml.safe_dump(typed(merged_doc), t, sort_keys=False)
        try:
            r = subprocess.run(["docker-compose", "--project-directory", COMPOSE_DIR, "-f", t.name, "config", "-q"],
                               capture_output=True, text=True)
            check(r.returncode == 0, f"{label}: docker-compose config failed: {r.stderr.strip()}")
        finally:
            os.unlink(t.name)
        return "docker-compose (v1) config"
    return "no Compose installed: schema not checked"


def main():
    # Variables from a developer's .env must not change what is checked.
    for k in list(os.environ):
        if k.startswith(("STRATA_", "REDIS_", "CADDY_")):
            del os.environ[k]
    base = load("docker-compose.yml")
    gpu_doc = strip(base)
    cpu_over = load("docker-compose.cpu.yml")
    cpu_doc = dict(gpu_doc)
    cpu_doc["services"] = {name: merge(svc, cpu_over.get("services", {}).get(name, {}))
                           for name, svc in gpu_doc["services"].items()}
    check(set(cpu_over["services"]) <= set(gpu_doc["services"]), "cpu override names unknown services")

    check_common(gpu_doc, "gpu", gpu=True)
    check_common(cpu_doc, "cpu", gpu=False)
    notes = [compose_validate(["docker-compose.yml"], gpu_doc, "gpu"),
             compose_validate(["docker-compose.yml", "docker-compose.cpu.yml"], cpu_doc, "cpu")]
    if failures:
        print("compose check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"compose check OK (gpu stack + cpu override; schema: {notes[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
