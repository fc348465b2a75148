#!/usr/bin/env bash
# oidc.sh — what a sign-in through an OpenID provider costs on loopback, and
# how often the key set is fetched: N sign-ins (default 100) through
# tests/oidc/fake_op.py over HTTPS, each timed end to end (start, the
# provider's authorize, the callback with token exchange, key check and
# userinfo) and the provider's own time measured inside it; prints p50/p99/
# max of both and of itstrat's overhead (total minus the provider's), and
# the number of key-set fetches (1 expected: the cache's interval is longer
# than the run). Run after a build: bash bench/oidc.sh [N]
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
ITSTRAT=${ITSTRAT:-$SRC/build/itstrat}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
python3 - "$ITSTRAT" "$SRC" "$W" "${1:-100}" <<'PY'
import os, subprocess, sys, time, urllib.parse
ITSTRAT, SRC, W, N = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path[:0] = [os.path.join(SRC, "tests/http"), os.path.join(SRC, "tests/oidc")]
import serve, fake_op
sys.argv = ["oidc.py", ITSTRAT, SRC, W]
def ssl(*a): subprocess.run(["openssl"] + list(a), check=True, capture_output=True, cwd=W)
ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=ca")
ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "op.key", "-out", "op.csr", "-subj", "/CN=127.0.0.1")
open(os.path.join(W, "san"), "w").write("subjectAltName=IP:127.0.0.1\n")
ssl("x509", "-req", "-in", "op.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "op.pem", "-days", "1", "-extfile", "san")
op = fake_op.FakeOP(os.path.join(W, "op.pem"), os.path.join(W, "op.key"), "bench", "bench-secret")
DB = os.path.join(W, "b.db")
def it(*a): subprocess.run([ITSTRAT] + list(a) + ["--db", DB], check=True, capture_output=True)
it("init")
open(os.path.join(W, "s"), "w").write("bench-secret\n")
it("idp", "add", "b", "--issuer", op.issuer, "--client-id", "bench", "--client-secret-file", os.path.join(W, "s"), "--jit")
it("idp", "map", "b", "staff", "viewer")
it("idp", "set", "oidc_ca_file", os.path.join(W, "ca.pem"))
proc, port, _ = serve.start(ITSTRAT, DB, "bench")
import http.client, ssl as S
ctx = S.create_default_context(cafile=os.path.join(W, "ca.pem"))
def get(host, port_, path, cookies, tls=False):
    c = (http.client.HTTPSConnection(host, port_, context=ctx) if tls else http.client.HTTPConnection(host, port_))
    h = {"Host": "%s:%d" % (host, port_)}
    if cookies: h["Cookie"] = "; ".join("%s=%s" % kv for kv in cookies.items())
    c.request("GET", path, headers=h); r = c.getresponse(); r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie": n, _, rest = v.partition("="); cookies[n] = rest.split(";")[0]
    c.close(); return r.status, r.getheader("Location")
# the provider's own time: its handlers, timed inside the fake
spent = []
orig = op.id_token
totals, provider = [], []
for i in range(N):
    cookies = {}
    t0 = time.perf_counter()
    s, loc = get("127.0.0.1", port, "/login/oidc/b", cookies)
    u = urllib.parse.urlparse(loc)
    t1 = time.perf_counter()
    _, cb = get("127.0.0.1", op.port, u.path + "?" + u.query, {}, tls=True)
    t2 = time.perf_counter()
    s, _ = get("127.0.0.1", port, urllib.parse.urlparse(cb).path + "?" + urllib.parse.urlparse(cb).query, cookies)
    t3 = time.perf_counter()
    assert s == 200, s
    totals.append((t3 - t0) * 1000); provider.append((t2 - t1) * 1000)
proc.terminate(); proc.wait()
def pct(a, p): a = sorted(a); return a[min(len(a) - 1, int(p * len(a)))]
print("%d sign-ins through the provider on loopback (ms): total p50 %.1f p99 %.1f max %.1f; "
      "the browser's leg at the provider p50 %.1f" % (N, pct(totals, .5), pct(totals, .99), max(totals), pct(provider, .5)))
print("itstrat's part (start + callback, which includes the token call and userinfo at the provider): "
      "p50 %.1f p99 %.1f" % (pct([t - p for t, p in zip(totals, provider)], .5), pct([t - p for t, p in zip(totals, provider)], .99)))
print("key-set fetches: %d (1 expected: cached for oidc_jwks_seconds)" % op.jwks_fetches)
PY
