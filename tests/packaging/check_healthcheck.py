#!/usr/bin/env python3
"""Runs packaging/docker/strata-healthcheck against a stand-in for strata-server's /api/v1/health on loopback:
200 {"status":"ok"} with the right token passes, a 200 without "ok" fails, 401 (no token, refused token) passes as
"alive" (no restart loop after a token is revoked), 500 and nothing listening fail; the admin token file is the
fallback for an empty probe token file; the token never appears on curl's command line."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

SCRIPT = os.path.join(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")),
                      "packaging", "docker", "strata-healthcheck")
TOKEN = "strata_test_token"
mode = {"status": 200}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok_token = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        if self.path != "/api/v1/health":
            code, body = 404, {"error": {"code": "not_found"}}
        elif mode["status"] == "degraded" and ok_token:
            code, body = 200, {"status": "degraded"}
        elif mode["status"] not in (200, "degraded"):
            code, body = mode["status"], {"error": {"code": "internal"}}
        elif not ok_token:
            code, body = 401, {"error": {"code": "unauthorized"}}
        else:
            code, body = 200, {"status": "ok", "queued": 0, "running": 0, "workers": 1}
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    failures = []
    with tempfile.TemporaryDirectory() as d:
        good, bad, empty = (os.path.join(d, n) for n in ("good", "bad", "empty"))
        for p, t in ((good, TOKEN + "\n"), (bad, "wrong\n"), (empty, "")):
            with open(p, "w") as f:
                f.write(t)

        def run(token_file=None, status=200, port_=port, admin_file=None):
            mode["status"] = status
            env = {k: v for k, v in os.environ.items() if not k.startswith("STRATA_")}
            env["STRATA_SERVER_PORT"] = str(port_)
            env["STRATA_HEALTH_TIMEOUT"] = "3"
            if token_file:
                env["STRATA_HEALTH_TOKEN_FILE"] = token_file
            if admin_file:
                env["STRATA_SERVER_ADMIN_TOKEN_FILE"] = admin_file
            return subprocess.run([SCRIPT], env=env, capture_output=True, text=True).returncode

        cases = [("no token, server answers 401", run(), 0),
                 ("empty token file, 401", run(empty), 0),
                 ("no token, server error 500", run(status=500), 1),
                 ("valid token, 200 ok", run(good), 0),
                 ("refused token, 401: alive", run(bad), 0),
                 ("valid token, 200 without ok", run(good, status="degraded"), 1),
                 ("empty probe token, admin token file, 200 without ok", run(empty, "degraded", admin_file=good), 1),
                 ("admin token file only, 200 ok", run(admin_file=good), 0),
                 ("valid token, 500", run(good, status=500), 1)]
        srv.shutdown()
        srv.server_close()
        cases.append(("nothing listening", run(port_=port), 1))
        for what, got, want in cases:
            if got != want:
                failures.append(f"{what}: exit {got}, want {want}")
    with open(SCRIPT) as f:
        script = f.read()
    if "--config -" not in script or "Bearer" in script.split("--config -")[1].split("\n")[0]:
        failures.append("the token must reach curl through --config on stdin")
    if failures:
        print("healthcheck check FAILED:\n  " + "\n  ".join(failures))
        return 1
    print(f"healthcheck check OK ({len(cases)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
