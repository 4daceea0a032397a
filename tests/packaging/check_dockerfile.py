#!/usr/bin/env python3
"""Static check of packaging/docker/Dockerfile (no Docker daemon, no network): parses the instructions (line
continuations, comments, JSON and shell forms) and checks the properties the deployment relies on: multi-stage
Debian 12 build with setup.sh, a runtime stage copying only /opt/strata from the builder, a non-root USER, a
HEALTHCHECK running strata-healthcheck, the /data volume, exec-form ENTRYPOINT, every COPY/--from naming a stage,
every path the build copies or runs present in the repository; and the helper scripts parse (sh -n).

    check_dockerfile.py [REPO_ROOT]
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
DOCKERFILE = os.path.join(ROOT, "packaging", "docker", "Dockerfile")
KNOWN = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR",
         "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def instructions(text):
    out, cur, start = [], "", 0
    for n, line in enumerate(text.split("\n"), 1):
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if cur and s.startswith("#"):
            continue  # comment lines inside a continuation are dropped by Docker
        if not cur:
            start = n
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        cur += s
        word, _, rest = cur.partition(" ")
        out.append((start, word.upper(), rest.strip()))
        cur = ""
    check(cur == "", "Dockerfile ends inside a line continuation")
    return out


def main():
    with open(DOCKERFILE) as f:
        text = f.read()
    check(text.startswith("# syntax=docker/dockerfile:1"), "first line must be the BuildKit syntax directive")
    ins = instructions(text)
    stages, cur_stage, per_stage = [], None, {}
    for line, word, rest in ins:
        check(word in KNOWN, f"line {line}: unknown instruction {word}")
        if word == "FROM":
            m = re.match(r"^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", rest, re.I)
            if check(m is not None, f"line {line}: bad FROM"):
                cur_stage = (m.group(2) or str(len(stages))).lower()
                stages.append((cur_stage, m.group(1)))
                per_stage[cur_stage] = []
            continue
        check(cur_stage is not None or word == "ARG", f"line {line}: {word} before FROM")
        if cur_stage:
            per_stage[cur_stage].append((line, word, rest))
        if word in ("CMD", "ENTRYPOINT", "HEALTHCHECK", "VOLUME") and "[" in rest:
            js = rest[rest.index("["):]
            try:
                json.loads(js)
            except ValueError:
                check(False, f"line {line}: {word} JSON form does not parse: {js}")
        if word in ("COPY", "ADD"):
            opts = re.findall(r"--(\w+)=(\S+)", rest)
            for k, v in opts:
                if k == "from":
                    check(v.lower() in [s for s, _ in stages[:-1]], f"line {line}: COPY --from={v} names no earlier stage")
            paths = [p for p in rest.split() if not p.startswith("--")]
            if not any(k == "from" for k, _ in opts):
                for p in paths[:-1]:
                    check(p == "." or os.path.exists(os.path.join(ROOT, p)), f"line {line}: {p} not in the repository")

    names = [s for s, _ in stages]
    check(names[:1] == ["builder"] and names[-1] == "runtime", f"stages must be builder ... runtime, got {names}")
    args = dict(re.findall(r"^ARG (\w+)=(\S+)", text, re.M))
    for _, base in stages:
        resolved = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), base)
        check(resolved.startswith("debian:12") or resolved.startswith("debian:bookworm"), f"base image {resolved} is not Debian 12")
    builder = " ".join(r for _, w, r in per_stage.get("builder", []) if w == "RUN")
    check("./setup.sh" in builder, "the builder must build with ./setup.sh")
    check("runtime-deps.sh" in builder, "the builder must derive the runtime packages (runtime-deps.sh)")
    runtime = per_stage.get("runtime", [])
    words = [w for _, w, _ in runtime]
    copies = [r for _, w, r in runtime if w == "COPY"]
    check(copies == ["--from=builder /opt/strata /opt/strata"], f"runtime must copy only /opt/strata: {copies}")
    users = [r for _, w, r in runtime if w == "USER"]
    check(users and users[-1].split(":")[0] not in ("0", "root"), "runtime USER must be non-root")
    check("useradd" in " ".join(r for _, w, r in runtime if w == "RUN"), "runtime must create the strata user")
    hc = [r for _, w, r in runtime if w == "HEALTHCHECK"]
    check(hc and "strata-healthcheck" in hc[-1], "runtime HEALTHCHECK must run strata-healthcheck")
    check(any(w == "VOLUME" and "/data" in r for _, w, r in runtime), "runtime VOLUME /data")
    ep = [r for _, w, r in runtime if w == "ENTRYPOINT"]
    check(ep and ep[-1].startswith("[") and json.loads(ep[-1])[0] == "strata-server", "exec-form ENTRYPOINT strata-server")
    check(words.index("USER") > max(i for i, w in enumerate(words) if w == "RUN"), "USER must come after the last RUN")
    env = " ".join(r for _, w, r in runtime if w == "ENV")
    for k in ("STRATA_SERVER_HOST=0.0.0.0", "STRATA_SERVER_DATA_DIR=/data", "STRATA_MODELS_DIR="):
        check(k in env, f"runtime ENV lacks {k}")

    for script in ("runtime-deps.sh", "strata-healthcheck"):
        p = os.path.join(ROOT, "packaging", "docker", script)
        check(os.access(p, os.X_OK), f"{script} is not executable")
        check(subprocess.run(["sh", "-n", p]).returncode == 0, f"{script}: sh -n failed")
    with open(os.path.join(ROOT, ".dockerignore")) as f:
        ignored = f.read().split()
    check(".git" in ignored and "build*/" in ignored, ".dockerignore must keep .git and build trees out of the context")
    # setup.sh must honour the variables the builder passes
    with open(os.path.join(ROOT, "setup.sh")) as f:
        setup = f.read()
    for v in ("STRATA_CMAKE_ARGS", "STRATA_BUILD_TARGETS", "STRATA_JOBS"):
        check(v in setup, f"setup.sh ignores {v}")

    if failures:
        print("Dockerfile check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"Dockerfile check OK ({len(ins)} instructions, stages {' -> '.join(names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
