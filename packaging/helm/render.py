#!/usr/bin/env python3
"""Offline renderer for the Strata Helm chart, for machines without helm (this repository's CI).

Renders templates/*.yaml with values.yaml (+ -f files, + --set a.b=c) the way `helm template` does, for the
subset of Go-template syntax the chart uses, and refuses anything else (so the chart cannot silently drift out of
what is checked here):
  {{ .Values.a.b }} {{ .Release.Name }} {{ .Release.Namespace }} {{ .Chart.Name/Version/AppVersion }}
  pipelines with | and parentheses; {{- -}} whitespace trimming; {{/* comments */}}
  {{ if X }} / {{ else if X }} / {{ else }} / {{ end }}
  functions: quote default required fail toYaml indent nindent b64enc sha256sum int not and or eq ne printf trunc trimSuffix
With helm installed, `helm lint` and `helm template` are the real check (tests/packaging/check_helm.py runs them too).

    render.py CHART_DIR [-f values.yaml ...] [--set key=value ...] [--name RELEASE] [--namespace NS] [-o out.yaml]
"""
import argparse
import base64
import copy
import hashlib
import os
import re
import sys

import yaml


class TemplateError(Exception):
    pass


# ---------------------------------------------------------------- lexing
ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)


def lex(src, name):
    """Returns a list of ('text', str) and ('action', str) with Go's trim markers applied."""
    out, pos = [], 0
    for m in ACTION.finditer(src):
        text = src[pos:m.start()]
        if m.group(1):
            text = text.rstrip(" \t\r\n")
        out.append(["text", text])
        body = m.group(2).strip()
        if body.startswith("/*"):
            if not body.endswith("*/"):
                raise TemplateError(f"{name}: unterminated comment")
            out.append(["comment", ""])
        else:
            out.append(["action", body])
        pos = m.end()
        if m.group(3):
            while pos < len(src) and src[pos] in " \t\r\n":
                pos += 1
    out.append(["text", src[pos:]])
    if "{{" in "".join(t for k, t in out if k == "text"):
        raise TemplateError(f"{name}: malformed action (missing '}}}}' or trim marker without a space)")
    return out


# ---------------------------------------------------------------- parsing
def parse(tokens, name):
    """Tree: list of ('text', s) | ('expr', s) | ('if', [(cond, body), ...], else_body)."""
    pos = 0

    def block(stop):
        nonlocal pos
        items = []
        while pos < len(tokens):
            kind, val = tokens[pos]
            pos += 1
            if kind == "text":
                items.append(("text", val))
            elif kind == "comment":
                continue
            else:
                word = val.split(None, 1)[0] if val else ""
                if word in ("end", "else"):
                    if word not in stop:
                        raise TemplateError(f"{name}: unexpected '{{{{ {val} }}}}'")
                    return items, val
                if word == "if":
                    branches, else_body = [(val[2:].strip(), None)], []
                    body, ended = block(("else", "end"))
                    branches[-1] = (branches[-1][0], body)
                    while ended != "end":
                        rest = ended[4:].strip()
                        if rest.startswith("if "):
                            branches.append((rest[3:].strip(), None))
                            body, ended = block(("else", "end"))
                            branches[-1] = (branches[-1][0], body)
                        elif rest == "":
                            else_body, ended = block(("end",))
                        else:
                            raise TemplateError(f"{name}: unsupported '{{{{ {ended} }}}}'")
                    items.append(("if", branches, else_body))
                elif word in ("range", "with", "define", "template", "block", "include", "define", "tpl") or ":=" in val:
                    raise TemplateError(f"{name}: '{word}' is outside the renderer's subset (see render.py)")
                else:
                    items.append(("expr", val))
        if stop:
            raise TemplateError(f"{name}: missing {{{{ end }}}}")
        return items, None

    tree, _ = block(())
    return tree


TOKEN = re.compile(r'\s*(?:(\()|(\))|(\|)|("(?:[^"\\]|\\.)*")|(`[^`]*`)|(-?\d+(?:\.\d+)?)|(\.[A-Za-z0-9_.]*)|([A-Za-z_][A-Za-z0-9_]*))')


def tokenize_expr(s, name):
    toks, pos = [], 0
    s = s.strip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise TemplateError(f"{name}: cannot parse '{s[pos:]}' in '{{{{ {s} }}}}'")
        pos = m.end()
        lp, rp, bar, dq, bq, num, field, ident = m.groups()
        if lp:
            toks.append(("(", None))
        elif rp:
            toks.append((")", None))
        elif bar:
            toks.append(("|", None))
        elif dq is not None:
            toks.append(("lit", bytes(dq[1:-1], "utf-8").decode("unicode_escape")))
        elif bq is not None:
            toks.append(("lit", bq[1:-1]))
        elif num is not None:
            toks.append(("lit", float(num) if "." in num else int(num)))
        elif field is not None:
            toks.append(("field", field))
        elif ident in ("true", "false"):
            toks.append(("lit", ident == "true"))
        elif ident == "nil":
            toks.append(("lit", None))
        else:
            toks.append(("ident", ident))
    return toks


# ---------------------------------------------------------------- evaluation
def truthy(v):
    return not (v is None or v is False or v == 0 and not isinstance(v, bool) or v in ("", [], {}))


def to_yaml(v):
    if v is None:
        return "null"
    return yaml.safe_dump(v, default_flow_style=False, sort_keys=True).rstrip("\n").removesuffix("\n...")


def indent(n, s):
    pad = " " * int(n)
    return "\n".join(pad + line if line else line for line in str(s).split("\n"))


def go_str(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        raise TemplateError(f"a map or list ({v!r}) printed as text: use toYaml")
    return str(v)


def fn_required(msg, v):
    if not truthy(v) and v is not False:
        raise TemplateError(f"required: {msg}")
    return v


def fn_fail(msg):
    raise TemplateError(f"fail: {msg}")


def fn_printf(fmt, *args):
    return re.sub(r"%[sdv]", "{}", fmt).format(*[go_str(a) for a in args])


FUNCS = {
    "quote": lambda *a: " ".join('"' + go_str(x).replace("\\", "\\\\").replace('"', '\\"') + '"' for x in a),
    "default": lambda d, v=None: v if truthy(v) else d,
    "required": fn_required,
    "fail": fn_fail,
    "toYaml": to_yaml,
    "indent": indent,
    "nindent": lambda n, s: "\n" + indent(n, s),
    "b64enc": lambda s: base64.b64encode(go_str(s).encode()).decode(),
    "sha256sum": lambda s: hashlib.sha256(go_str(s).encode()).hexdigest(),
    "int": lambda v: int(float(v or 0)),
    "not": lambda v: not truthy(v),
    "and": lambda *a: next((x for x in a if not truthy(x)), a[-1]),
    "or": lambda *a: next((x for x in a if truthy(x)), a[-1]),
    "eq": lambda a, *b: any(a == x for x in b),
    "ne": lambda a, b: a != b,
    "printf": fn_printf,
    "trunc": lambda n, s: go_str(s)[:int(n)],
    "trimSuffix": lambda suf, s: go_str(s).removesuffix(suf),
}


class Evaluator:
    def __init__(self, ctx, name):
        self.ctx, self.name = ctx, name

    def field(self, path):
        v = self.ctx
        for part in [p for p in path.split(".") if p]:
            if v is None:
                raise TemplateError(f"{self.name}: nil pointer evaluating {path}")
            if not isinstance(v, dict):
                raise TemplateError(f"{self.name}: {path}: cannot index {type(v).__name__}")
            v = v.get(part)
        return v

    def pipeline(self, toks, i=0, stop=None):
        value, have = None, False
        while True:
            args, i = self.command(toks, i, stop)
            if have:
                args.append(value)
            value, have = self.call(args), True
            if i < len(toks) and toks[i][0] == "|":
                i += 1
                continue
            return value, i

    def command(self, toks, i, stop):
        args = []
        while i < len(toks) and toks[i][0] not in ("|", ")"):
            kind, val = toks[i]
            if kind == "(":
                v, i = self.pipeline(toks, i + 1)
                if i >= len(toks) or toks[i][0] != ")":
                    raise TemplateError(f"{self.name}: missing ')'")
                args.append(("val", v))
            elif kind == "field":
                args.append(("val", self.field(val)))
            elif kind == "lit":
                args.append(("val", val))
            else:
                if val not in FUNCS:
                    raise TemplateError(f"{self.name}: function '{val}' is outside the renderer's subset")
                args.append(("fn", val))
            i += 1
        if not args:
            raise TemplateError(f"{self.name}: empty command")
        return args, i

    def call(self, args):
        if isinstance(args[-1], tuple) is False:  # piped value appended as a plain value
            args = args[:-1] + [("val", args[-1])]
        if args[0][0] == "fn":
            fn = FUNCS[args[0][1]]
            vals = [a[1] for a in args[1:]]
            if any(a[0] == "fn" for a in args[1:]):
                raise TemplateError(f"{self.name}: a function as an argument needs parentheses")
            try:
                return fn(*vals)
            except TypeError as e:
                raise TemplateError(f"{self.name}: {args[0][1]}: {e}") from None
        if len(args) != 1:
            raise TemplateError(f"{self.name}: '{args}' is not a function call")
        return args[0][1]

    def eval(self, expr):
        toks = tokenize_expr(expr, self.name)
        v, i = self.pipeline(toks)
        if i != len(toks):
            raise TemplateError(f"{self.name}: unexpected ')' in '{{{{ {expr} }}}}'")
        return v


def execute(tree, ev):
    out = []
    for node in tree:
        if node[0] == "text":
            out.append(node[1])
        elif node[0] == "expr":
            out.append(go_str(ev.eval(node[1])))
        else:
            for cond, body in node[1]:
                if truthy(ev.eval(cond)):
                    out.append(execute(body, ev))
                    break
            else:
                out.append(execute(node[2], ev))
    return "".join(out)


# ---------------------------------------------------------------- values
def deep_merge(base, over):
    out = copy.deepcopy(base)
    for k, v in (over or {}).items():
        if v is None:
            out.pop(k, None)  # helm: null deletes a default
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def parse_set(expr):
    key, _, raw = expr.partition("=")
    val = yaml.safe_load(raw) if raw != "" else ""
    if isinstance(val, (dict, list)):  # --set takes scalars; a.b={x} is not YAML here
        val = raw
    node = {}
    cur = node
    parts = key.split(".")
    for p in parts[:-1]:
        cur[p] = {}
        cur = cur[p]
    cur[parts[-1]] = val
    return node


def render(chart_dir, value_files=(), sets=(), release="strata", namespace="default"):
    """Returns [(template_name, rendered_text)] in file-name order, like helm template."""
    with open(os.path.join(chart_dir, "Chart.yaml")) as f:
        chart = yaml.safe_load(f)
    with open(os.path.join(chart_dir, "values.yaml")) as f:
        values = yaml.safe_load(f) or {}
    for vf in value_files:
        with open(vf) as f:
            values = deep_merge(values, yaml.safe_load(f) or {})
    for s in sets:
        values = deep_merge(values, parse_set(s))
    ctx = {
        "Values": values,
        "Release": {"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": True},
        "Chart": {"Name": chart.get("name"), "Version": chart.get("version"), "AppVersion": chart.get("appVersion")},
    }
    tdir = os.path.join(chart_dir, "templates")
    out = []
    for fname in sorted(os.listdir(tdir)):
        if not fname.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(tdir, fname)
        name = f"{chart.get('name')}/templates/{fname}"
        with open(path) as f:
            src = f.read()
        text = execute(parse(lex(src, name), name), Evaluator(ctx, name))
        out.append((name, text))
    return out


def to_stream(rendered):
    parts = []
    for name, text in rendered:
        for doc in re.split(r"(?m)^---\s*$", text):
            if doc.strip():
                parts.append(f"---\n# Source: {name}\n{doc.strip(chr(10))}\n")
    return "".join(parts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("chart")
    ap.add_argument("-f", "--values", action="append", default=[])
    ap.add_argument("--set", action="append", default=[])
    ap.add_argument("--name", default="strata")
    ap.add_argument("--namespace", default="default")
    ap.add_argument("-o", "--output")
    a = ap.parse_args(argv)
    try:
        stream = to_stream(render(a.chart, a.values, a.set, a.name, a.namespace))
        list(yaml.safe_load_all(stream))  # must be valid YAML
    except (TemplateError, yaml.YAMLError) as e:
        print(f"render.py: error: {e}", file=sys.stderr)
        return 1
    if a.output:
        with open(a.output, "w") as f:
            f.write(stream)
    else:
        sys.stdout.write(stream)
    return 0


if __name__ == "__main__":
    sys.exit(main())
