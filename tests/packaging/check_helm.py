#!/usr/bin/env python3
"""Checks the Helm chart packaging/helm/strata offline (no cluster, no helm needed).

1. The offline renderer (packaging/helm/render.py) against small templates with known Helm output.
2. The chart rendered for four value sets (defaults; workers; CPU-only with existing claim/secret and no ingress;
   one that must fail), each document checked: valid YAML, apiVersion/kind/name, DNS-1123 names, Deployment
   selectors match pod labels, probes, non-root pod and container security contexts, nvidia.com/gpu limits,
   volumes and mounts resolve, Secret keys behind every secretKeyRef exist, Service -> pod port, Ingress TLS ->
   host and backend, PVC access mode (ReadWriteMany once workers share it).
3. With helm installed, `helm lint` and `helm template` (the real check), and the same structural checks on
   helm's output.

    check_helm.py [REPO_ROOT]
"""
import os
import re
import shutil
import subprocess
import sys

import yaml

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
CHART = os.path.join(ROOT, "packaging", "helm", "strata")
sys.path.insert(0, os.path.join(ROOT, "packaging", "helm"))
import render  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


# ---------------------------------------------------------------- 1. renderer
def render_string(src, values):
    ev = render.Evaluator({"Values": values, "Release": {"Name": "r"}, "Chart": {}}, "t")
    return render.execute(render.parse(render.lex(src, "t"), "t"), ev)


def renderer_selftest():
    cases = [
        ("a: {{ .Values.x }}", {"x": 3}, "a: 3"),
        ("a: {{ .Values.s | quote }}", {"s": 'say "hi"'}, 'a: "say \\"hi\\""'),
        ("a: {{ .Values.m | default \"d\" }}", {}, "a: d"),
        ("a: {{ .Values.m | default (printf \"%s-x\" .Release.Name) }}", {}, "a: r-x"),
        ("x:\n  {{- if .Values.on }}\n  y: 1\n  {{- else }}\n  y: 2\n  {{- end }}\n", {"on": False}, "x:\n  y: 2\n"),
        ("{{- if .Values.a }}A{{ else if .Values.b }}B{{ else }}C{{ end }}", {"b": 1}, "B"),
        ("k:\n  {{- toYaml .Values.d | nindent 2 }}", {"d": {"b": 1, "a": [1, 2]}}, "k:\n  a:\n  - 1\n  - 2\n  b: 1"),
        ("{{ .Values.t | b64enc }}", {"t": "abc"}, "YWJj"),
        ("{{ if not .Values.e }}empty{{ end }}", {"e": ""}, "empty"),
        ("{{/* note */}}ok", {}, "ok"),
        ("{{ .Values.n }}", {"n": 0}, "0"),
    ]
    for src, values, want in cases:
        try:
            got = render_string(src, values)
        except render.TemplateError as e:
            got = f"error: {e}"
        check(got == want, f"renderer: {src!r} gave {got!r}, want {want!r}")
    for bad in ("{{ range .Values.l }}x{{ end }}", "{{ include \"x\" . }}", "{{ $x := 1 }}", "{{ lower .Values.a }}",
                "{{ if .Values.a }}x", "{{ required \"need a\" .Values.a }}", "{{ .Values.m }}"):
        try:
            render_string(bad, {"m": {"k": 1}})
            check(False, f"renderer: {bad!r} should be refused")
        except render.TemplateError:
            pass


# ---------------------------------------------------------------- 2. chart
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def docs_of(stream):
    return [d for d in yaml.safe_load_all(stream) if d]


def by_kind(docs):
    out = {}
    for d in docs:
        out.setdefault(d["kind"], []).append(d)
    return out


def pod_checks(label, dep, docs, gpu):
    name = dep["metadata"]["name"]
    spec = dep["spec"]
    tpl = spec["template"]
    sel = spec["selector"]["matchLabels"]
    labels = tpl["metadata"]["labels"]
    check(all(labels.get(k) == v for k, v in sel.items()), f"{label}: {name}: selector does not match pod labels")
    ps = tpl["spec"].get("securityContext", {})
    check(ps.get("runAsNonRoot") is True, f"{label}: {name}: pod runAsNonRoot must be true")
    check(isinstance(ps.get("runAsUser"), int) and ps["runAsUser"] != 0, f"{label}: {name}: runAsUser must be non-zero")
    check(ps.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{label}: {name}: seccomp RuntimeDefault")
    volumes = {v["name"]: v for v in tpl["spec"].get("volumes", [])}
    kinds = by_kind(docs)
    for c in tpl["spec"]["containers"]:
        cn = f"{name}/{c['name']}"
        check(bool(c.get("image")) and ":" in c["image"], f"{label}: {cn}: image with a tag")
        sc = c.get("securityContext", {})
        check(sc.get("allowPrivilegeEscalation") is False, f"{label}: {cn}: allowPrivilegeEscalation false")
        check("ALL" in sc.get("capabilities", {}).get("drop", []), f"{label}: {cn}: drop ALL capabilities")
        limits = c.get("resources", {}).get("limits", {})
        if gpu:
            check(limits.get("nvidia.com/gpu") == gpu, f"{label}: {cn}: nvidia.com/gpu limit {limits.get('nvidia.com/gpu')} != {gpu}")
        else:
            check("nvidia.com/gpu" not in limits, f"{label}: {cn}: GPU limit on a CPU-only deployment")
        check("memory" in limits, f"{label}: {cn}: memory limit")
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, f"{label}: {cn}: mount {m['name']} has no volume")
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                secrets = {s["metadata"]["name"]: s for s in kinds.get("Secret", [])}
                if ref["name"] in secrets:
                    s = secrets[ref["name"]]
                    check(ref["key"] in {**s.get("data", {}), **s.get("stringData", {})},
                          f"{label}: {cn}: secret {ref['name']} has no key {ref['key']}")
                else:
                    check(ref["name"] == EXISTING.get(label, {}).get("secret"),
                          f"{label}: {cn}: secretKeyRef to unknown secret {ref['name']}")
    for vname, v in volumes.items():
        if "persistentVolumeClaim" in v:
            claim = v["persistentVolumeClaim"]["claimName"]
            claims = [p["metadata"]["name"] for p in kinds.get("PersistentVolumeClaim", [])]
            check(claim in claims or claim == EXISTING.get(label, {}).get("claim"),
                  f"{label}: {name}: volume {vname} claims unknown PVC {claim}")
        if "configMap" in v:
            check(v["configMap"]["name"] in [c["metadata"]["name"] for c in kinds.get("ConfigMap", [])],
                  f"{label}: {name}: unknown ConfigMap {v['configMap']['name']}")
        if "secret" in v:
            sn = v["secret"]["secretName"]
            check(sn in [s["metadata"]["name"] for s in kinds.get("Secret", [])]
                  or sn == EXISTING.get(label, {}).get("secret"), f"{label}: {name}: unknown Secret {sn}")
    return tpl


EXISTING = {"cpu": {"claim": "my-claim", "secret": "my-secret"}}


def chart_checks(label, docs, workers, gpu, ingress, own_claim=True, own_secret=True):
    for d in docs:
        ok = check(all(k in d for k in ("apiVersion", "kind", "metadata")) and "name" in d["metadata"],
                   f"{label}: a document lacks apiVersion/kind/metadata.name")
        if ok:
            n = d["metadata"]["name"]
            check(DNS1123.match(n) is not None and len(n) <= 63, f"{label}: name {n!r} is not DNS-1123 (<= 63)")
    kinds = by_kind(docs)
    want = {"ConfigMap": 1, "Service": 1 + workers, "Deployment": 1 + workers, "Ingress": int(ingress),
            "Secret": int(own_secret), "PersistentVolumeClaim": int(own_claim), "StatefulSet": int(workers)}
    for k, n in want.items():
        check(len(kinds.get(k, [])) == n, f"{label}: expected {n} {k}, got {len(kinds.get(k, []))}")
    if failures:
        return
    deps = {d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in kinds["Deployment"]}
    server = deps["server"]
    check(server["spec"]["replicas"] == 1 and server["spec"]["strategy"]["type"] == "Recreate",
          f"{label}: server must be a single Recreate replica (SQLite)")
    tpl = pod_checks(label, server, docs, gpu)
    c = tpl["spec"]["containers"][0]
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        check(probe in c, f"{label}: server has no {probe}")
    check(c["readinessProbe"].get("exec", {}).get("command") == ["strata-healthcheck"], f"{label}: readiness probe")
    check(c["securityContext"].get("readOnlyRootFilesystem") is True, f"{label}: server root filesystem read-only")
    mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
    check("/data" in mounts and "/etc/strata" in mounts and mounts["/etc/strata"].get("readOnly"),
          f"{label}: server mounts /data and a read-only /etc/strata")
    check(c["args"] == ["--config", "/etc/strata/server.toml"], f"{label}: server --config")
    cm = kinds["ConfigMap"][0]
    check("server.toml" in cm["data"], f"{label}: ConfigMap has no server.toml")
    port = next(p for p in c["ports"] if p["name"] == "http")
    env = {e["name"]: e.get("value") for e in c["env"]}
    check(env.get("STRATA_SERVER_PORT") == str(port["containerPort"]), f"{label}: STRATA_SERVER_PORT != containerPort")
    check(env.get("STRATA_SERVER_HOST") == "0.0.0.0", f"{label}: server must listen on 0.0.0.0 in the pod")

    svc = next(s for s in kinds["Service"] if s["metadata"]["labels"]["app.kubernetes.io/component"] == "server")
    plabels = tpl["metadata"]["labels"]
    check(all(plabels.get(k) == v for k, v in svc["spec"]["selector"].items()), f"{label}: Service selects no server pod")
    check(svc["spec"]["ports"][0]["targetPort"] in ("http", port["containerPort"]), f"{label}: Service targetPort")

    if ingress:
        ing = kinds["Ingress"][0]
        tls = ing["spec"].get("tls", [])
        rule = ing["spec"]["rules"][0]
        check(len(tls) == 1 and rule["host"] in tls[0]["hosts"] and tls[0].get("secretName"),
              f"{label}: Ingress TLS must cover the rule's host with a secretName")
        backend = rule["http"]["paths"][0]["backend"]["service"]
        check(backend["name"] == svc["metadata"]["name"], f"{label}: Ingress backend is not the server Service")
        check(backend["port"].get("name") in [p["name"] for p in svc["spec"]["ports"]]
              or backend["port"].get("number") in [p["port"] for p in svc["spec"]["ports"]], f"{label}: Ingress port")

    if own_claim:
        pvc = kinds["PersistentVolumeClaim"][0]
        check(pvc["spec"]["accessModes"] == (["ReadWriteMany"] if workers else ["ReadWriteOnce"]),
              f"{label}: PVC access mode {pvc['spec']['accessModes']}")
        check("storage" in pvc["spec"]["resources"]["requests"], f"{label}: PVC storage request")
    if own_secret:
        sec = kinds["Secret"][0]
        check("health-token" in sec.get("data", {}), f"{label}: Secret has no health-token")
        check(("redis-password" in sec.get("data", {})) == bool(workers), f"{label}: Secret redis-password iff workers")

    if workers:
        w = deps["worker"]
        wt = pod_checks(label, w, docs, 1)
        wc = wt["spec"]["containers"][0]
        check(wc["command"] == ["strata-worker"], f"{label}: worker runs strata-worker")
        args = wc["args"]
        check(args[args.index("--queue") + 1].startswith("redis://") and "--data" in args, f"{label}: worker args")
        redis_svc = next(s for s in kinds["Service"] if s["metadata"]["labels"]["app.kubernetes.io/component"] == "redis")
        check(f"redis://{redis_svc['metadata']['name']}:6379" == args[args.index("--queue") + 1],
              f"{label}: worker queue URL does not name the Redis Service")
        wclaim = next(v for v in wt["spec"]["volumes"] if v["name"] == "data")["persistentVolumeClaim"]["claimName"]
        sclaim = next(v for v in tpl["spec"]["volumes"] if v["name"] == "data")["persistentVolumeClaim"]["claimName"]
        check(wclaim == sclaim, f"{label}: worker and server must share the data claim")
        sts = kinds["StatefulSet"][0]
        rc = sts["spec"]["template"]["spec"]["containers"][0]
        check("--appendonly" in rc["args"] and rc["args"][rc["args"].index("--appendonly") + 1] == "yes",
              f"{label}: Redis append-only persistence")
        check(sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] in [m["name"] for m in rc["volumeMounts"]],
              f"{label}: Redis data volume not mounted")
        check(sts["spec"]["template"]["spec"]["securityContext"].get("runAsNonRoot") is True, f"{label}: Redis non-root")


SCENARIOS = [
    # label, --set values, workers, gpu, ingress, own claim, own secret
    ("default", [], 0, 1, True, True, True),
    ("workers", ["workers.enabled=true", "secrets.redisPassword=s3cret", "secrets.healthToken=strata_x"], 1, 1, True, True, True),
    ("cpu", ["server.gpu=0", "ingress.enabled=false", "persistence.existingClaim=my-claim",
             "secrets.existingSecret=my-secret"], 0, 0, False, False, False),
]
MUST_FAIL = [
    ("workers without a Redis password", ["workers.enabled=true"]),
    ("ingress without a host", ["ingress.host="]),
]


def chart_meta():
    with open(os.path.join(CHART, "Chart.yaml")) as f:
        c = yaml.safe_load(f)
    check(c.get("apiVersion") == "v2", "Chart.yaml: apiVersion v2")
    check(c.get("name") == "strata", "Chart.yaml: name")
    check(re.match(r"^\d+\.\d+\.\d+$", str(c.get("version"))) is not None, "Chart.yaml: semver version")
    check(bool(c.get("appVersion")), "Chart.yaml: appVersion")
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        m = re.search(r"project\(strata VERSION (\S+)", f.read())
    check(m and str(c.get("appVersion")) == m.group(1), "Chart.yaml: appVersion differs from the CMake project version")
    with open(os.path.join(CHART, "values.yaml")) as f:
        v = yaml.safe_load(f)
    check(str(v["image"]["tag"]) == str(c.get("appVersion")), "values.yaml: image.tag differs from appVersion")


def main():
    renderer_selftest()
    chart_meta()
    for label, sets, workers, gpu, ingress, own_claim, own_secret in SCENARIOS:
        try:
            docs = docs_of(render.to_stream(render.render(CHART, sets=sets)))
        except (render.TemplateError, yaml.YAMLError) as e:
            check(False, f"{label}: render failed: {e}")
            continue
        chart_checks(label, docs, workers, gpu, ingress, own_claim, own_secret)
    for what, sets in MUST_FAIL:
        try:
            render.render(CHART, sets=sets)
            check(False, f"rendering must fail: {what}")
        except render.TemplateError:
            pass

    helm_note = "helm not installed: offline renderer only"
    if shutil.which("helm"):
        r = subprocess.run(["helm", "lint", CHART], capture_output=True, text=True)
        check(r.returncode == 0, f"helm lint failed:\n{r.stdout}{r.stderr}")
        for label, sets, workers, gpu, ingress, own_claim, own_secret in SCENARIOS:
            args = ["helm", "template", "strata", CHART]
            for s in sets:
                args += ["--set", s]
            r = subprocess.run(args, capture_output=True, text=True)
            if check(r.returncode == 0, f"helm template ({label}) failed: {r.stderr}"):
                ours = docs_of(render.to_stream(render.render(CHART, sets=sets)))
                theirs = docs_of(r.stdout)
                chart_checks("helm-" + label, theirs, workers, gpu, ingress, own_claim, own_secret)
                key = lambda d: (d["kind"], d["metadata"]["name"])  # noqa: E731
                check(sorted(map(key, ours)) == sorted(map(key, theirs)), f"{label}: helm and render.py differ in objects")
                check(sorted(ours, key=key) == sorted(theirs, key=key), f"{label}: helm and render.py differ in content")
        helm_note = "helm lint + helm template agree"
    if failures:
        print("helm chart check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"helm chart check OK ({len(SCENARIOS)} value sets, {len(MUST_FAIL)} refused; {helm_note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
