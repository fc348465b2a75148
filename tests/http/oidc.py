"""oidc.py — signing in through an OpenID provider, and every refusal of
issue 17's "Bad input" list, against `itstrat serve` and the fake provider
of tests/oidc/fake_op.py over HTTPS (a throwaway CA made here with openssl,
given to itstrat as the oidc_ca_file setting).

Each refusal must: answer with a plain sentence on the sign-in page, open no
session, and leave one login_refused entry with its reason in the audit
trail, without the client secret or a token in it.

usage: oidc.py ITSTRAT SRC WORKDIR"""
import http.client
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oidc"))
import serve  # noqa: E402
import fake_op  # noqa: E402

ITSTRAT, SRC, WORK = sys.argv[1:4]
DB = os.path.join(WORK, "oidc.db")
SECRET = "client-secret-" + os.urandom(8).hex()
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL oidc: " + what, file=sys.stderr)


def it(*args, stdin=None):
    r = subprocess.run([ITSTRAT] + list(args) + ["--db", DB], input=stdin, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit("itstrat %s failed: %s" % (" ".join(args), r.stderr))
    return r.stdout


def make_ca(work):
    """A throwaway CA and a certificate for 127.0.0.1 signed by it."""
    def ssl(*a):
        subprocess.run(["openssl"] + list(a), check=True, capture_output=True)
    ca_key, ca, key, csr, crt = (os.path.join(work, n) for n in
                                 ("ca.key", "ca.pem", "op.key", "op.csr", "op.pem"))
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca,
        "-days", "2", "-subj", "/CN=itstrat test CA")
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj",
        "/CN=127.0.0.1")
    ext = os.path.join(work, "san.ext")
    open(ext, "w").write("subjectAltName=IP:127.0.0.1\n")
    ssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", crt,
        "-days", "2", "-extfile", ext)
    return ca, crt, key


class Browser:
    """Cookies and raw requests to itstrat, as a browser would send them."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def req(self, method, path, form=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = {"Host": "127.0.0.1:%d" % self.port}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            h["Content-Type"] = "application/x-www-form-urlencoded"
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read().decode("utf-8", "replace")
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        c.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def follow_op(url):
    """GETs the provider's authorize URL (the fake answers 302 at once) and
    returns the callback path it sends the browser to."""
    u = urllib.parse.urlparse(url)
    import ssl as _ssl
    ctx = _ssl.create_default_context(cafile=CA)
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=30)
    c.request("GET", u.path + "?" + u.query)
    r = c.getresponse()
    r.read()
    loc = r.getheader("Location")
    c.close()
    return loc


def audit_tail(n=1):
    out = it("audit", "list", "--csv")
    return out.strip().splitlines()[-n:]


def sign_in(b, provider="test", tamper_state=None, drop_cookie=False, replay=False):
    """One sign-in through provider; returns (status, body) of the callback."""
    s, h, _ = b.req("GET", "/login/oidc/" + provider)
    if s != 303:
        return s, _
    cb = follow_op(h["location"])
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(cb).query))
    if tamper_state:
        q["state"] = tamper_state
    if drop_cookie:
        b.cookies.pop("itstrat_oidc", None)
    path = "/login/oidc/callback?" + urllib.parse.urlencode(q)
    s, _, body = b.req("GET", path)
    if replay:  # the first use signed in; the second must open nothing
        first = b.cookies.pop("itstrat_session", None)
        s, _, body = b.req("GET", path)
        check(first is not None, "the first use of a state did not sign in")
    return s, body


def refused(name, reason, sentence, status=None, **kw):
    """A sign-in made as kw says is refused with reason and sentence."""
    b = Browser(PORT)
    before = len(it("audit", "list", "--csv").splitlines())
    s, body = sign_in(b, **kw)
    check(s >= 400 and (status is None or s == status),
          "%s: answered %s, expected a refusal %s" % (name, s, status or ""))
    check(sentence in body, "%s: the page does not say \"%s\": %s" % (name, sentence,
                                                                     re.sub(r"\s+", " ", body)[-400:]))
    check("itstrat_session" not in b.cookies, "%s: a session cookie was set" % name)
    rows = it("audit", "list", "--csv").splitlines()[before:]
    mine = [r for r in rows if "login_refused" in r]
    check(len(mine) >= 1 and reason in mine[-1],
          "%s: no login_refused entry with reason %s in the audit trail: %s" % (name, reason, rows))
    check(not any(SECRET in r or "eyJ" in r for r in rows),
          "%s: the audit trail holds a secret or a token" % name)


CA, CERT, KEY = make_ca(WORK)
op = fake_op.FakeOP(CERT, KEY, "itstrat-test", SECRET)
subprocess.run([ITSTRAT, "init", "--db", DB], check=True, capture_output=True)
secret_file = os.path.join(WORK, "secret.txt")
open(secret_file, "w").write(SECRET + "\n")
it("idp", "add", "test", "--issuer", op.issuer, "--client-id", "itstrat-test",
   "--client-secret-file", secret_file, "--label", "Sign in with Test ID", "--jit",
   "--mfa-values", "mfa")
it("idp", "map", "test", "it-strategy-editors", "manager")
it("idp", "map", "test", "staff", "viewer")
it("idp", "set", "oidc_ca_file", CA)
it("idp", "set", "oidc_refetch_seconds", "0")
# A provider nobody listens for: "down".
dead = serve.free_port()
it("idp", "add", "down", "--issuer", "https://127.0.0.1:%d" % dead, "--client-id", "x")
it("user", "add", "bob", "--role", "viewer", "--password-stdin", stdin="Bob-Password-123-xyz\n")
it("idp", "email", "bob", "bob@example.org")
dbtext = open(DB, "rb").read()
check(SECRET.encode() not in dbtext, "the client secret is stored in clear in the database")

proc, PORT, err = serve.start(ITSTRAT, DB, "oidc")
try:
    # The sign-in page shows the providers' buttons.
    b = Browser(PORT)
    s, _, body = b.req("GET", "/login")
    check('href="/login/oidc/test"' in body and "Sign in with Test ID" in body,
          "the sign-in page has no button for the provider")
    # The start: PKCE S256, state, nonce, the Lax cookie.
    s, h, _ = b.req("GET", "/login/oidc/test")
    loc = h.get("location", "")
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(loc).query))
    check(s == 303 and loc.startswith(op.issuer + "/authorize?"), "the start does not redirect "
          "to the provider: %s %s" % (s, loc))
    check(q.get("code_challenge_method") == "S256" and len(q.get("code_challenge", "")) == 43 and
          q.get("state") and q.get("nonce") and q.get("response_type") == "code",
          "the authorization request lacks PKCE S256, state or nonce: %s" % q)
    check("itstrat_oidc" in b.cookies, "no pre-sign-in cookie")

    # The happy path: a new account (jit) with the mapped role, MFA from amr.
    b = Browser(PORT)
    s, body = sign_in(b)
    check(s == 200 and "signed in as <code>alice</code>" in body, "alice cannot sign in: %s %s"
          % (s, body[-300:]))
    s, _, body = b.req("GET", "/account")
    check(s == 200 and "alice" in body, "alice's session does not work: %s" % s)
    # A provider-made account is an ordinary one of its role (docs/security.md's matrix):
    # a manager, not an admin.
    s, _, _ = b.req("GET", "/admin/users")
    check(s == 403, "a provider-made manager opens /admin/users: %s" % s)
    users = it("user", "list")
    check(re.search(r"alice\s.*manager", users) is not None,
          "alice was not created as a manager (groups): %s" % users)
    # Roles are re-evaluated at each sign-in: the group goes, the role too.
    op.user["groups"] = ["staff"]
    s, body = sign_in(Browser(PORT))
    check(s == 200 and re.search(r"alice\s.*viewer", it("user", "list")) is not None,
          "alice's role did not follow her groups")
    op.user["groups"] = ["it-strategy-editors", "staff"]
    # Linking by verified e-mail: bob's account is found by his address.
    op.user.update(sub="bob-sub", email="bob@example.org", preferred_username="bobby")
    s, body = sign_in(Browser(PORT))
    check(s == 200 and "signed in as <code>bob</code>" in body,
          "bob's identity was not linked by e-mail: %s" % body[-300:])
    op.user.update(sub="alice-sub", email="alice@example.org", preferred_username="alice")
    # Signing out ends the session and goes to the provider's end_session_endpoint.
    b = Browser(PORT)
    sign_in(b)
    s, _, body = b.req("GET", "/account")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', body)
    s, h, body = b.req("POST", "/logout", form={"_csrf": csrf.group(1) if csrf else ""})
    check(s == 200 and ('content="0;url=%s/logout?' % op.issuer) in body,
          "sign-out does not go on to the provider's end-session endpoint: %s %s" % (s, body[-300:]))
    s, h, _ = b.req("GET", "/account")
    check(s == 303, "the session still works after sign-out: %s" % s)

    # Key rotation: a key the cached set does not have is fetched once.
    op.keys.append(fake_op.Key("rsa-2"))
    n = op.jwks_fetches
    op.mode = {"key": op.keys[-1]}
    s, body = sign_in(Browser(PORT))
    check(s == 200, "a token signed with a new key (rotation) is refused: %s" % body[-300:])
    check(op.jwks_fetches == n + 1, "rotation made %d key-set fetches, not 1" % (op.jwks_fetches - n))
    op.mode = {"alg": "PS256"}
    check(sign_in(Browser(PORT))[0] == 200, "a PS256 token is refused")
    op.mode = {"alg": "ES256"}
    check(sign_in(Browser(PORT))[0] == 200, "an ES256 token is refused")

    # The refusals.
    op.mode = {}
    refused("wrong state", "state_unknown", "This sign-in is not known", tamper_state="x" * 43)
    refused("replayed state", "state_unknown", "was used already", replay=True)
    refused("state from another browser", "browser_mismatch", "started in another browser",
            drop_cookie=True)
    op.mode = {"drop": ["nonce"]}
    refused("missing nonce", "nonce", "does not belong to this attempt")
    op.mode = {"claims": {"nonce": "not-the-one"}}
    refused("wrong nonce", "nonce", "does not belong to this attempt")
    op.mode = {"claims": {"aud": "another-client"}}
    refused("another audience", "audience", "meant for another application")
    op.mode = {"claims": {"aud": ["itstrat-test", "other"], "azp": "other"}}
    refused("azp of another client", "audience", "meant for another application")
    op.mode = {"claims": {"iss": "https://evil.example"}}
    refused("another issuer", "issuer", "another identity provider")
    op.mode = {"claims": {"exp": 1000000000, "iat": 999999000}}
    refused("expired", "expired", "has expired")
    import time as _t
    op.mode = {"claims": {"iat": int(_t.time()) + 3600, "exp": int(_t.time()) + 7200}}
    refused("not yet valid (iat)", "not_yet", "dated in the future")
    op.mode = {"claims": {"nbf": int(_t.time()) + 3600}}
    refused("not yet valid (nbf)", "not_yet", "dated in the future")
    op.mode = {"alg": "none"}
    refused("alg none", "alg", "a method itstrat does not accept")
    op.mode = {"alg": "HS256"}
    refused("HS256 with the public key", "alg", "a method itstrat does not accept")
    n = op.jwks_fetches
    op.mode = {"key": op.outside, "kid": "unknown-kid"}
    refused("unknown kid after the refetch", "kid_unknown", "a key itstrat does not know")
    check(op.jwks_fetches == n + 1, "an unknown kid made %d fetches, not one refetch"
          % (op.jwks_fetches - n))
    # The refetch is rate-limited: with a long interval, a second unknown
    # kid fetches nothing.
    it("idp", "set", "oidc_refetch_seconds", "3600")
    n = op.jwks_fetches
    refused("unknown kid, refetch limited", "kid_unknown", "a key itstrat does not know")
    refused("unknown kid, refetch limited again", "kid_unknown", "a key itstrat does not know")
    check(op.jwks_fetches - n <= 1, "two unknown kids within the interval made %d fetches"
          % (op.jwks_fetches - n))
    it("idp", "set", "oidc_refetch_seconds", "0")
    op.mode = {"tamper": True}
    refused("tampered signature", "signature", "signature is not the identity provider")
    op.mode = {}
    op.user["email_verified"] = False
    op.user.update(sub="carol-sub", email="carol@example.org", preferred_username="carol")
    refused("e-mail not verified", "email_unverified", "has not verified your e-mail")
    op.user.update(email_verified=True, groups=["nobody"])
    refused("no group with a role", "no_role", "no group that has a role")
    op.user.update(sub="alice-sub", email="alice@example.org", preferred_username="alice",
                   groups=["it-strategy-editors", "staff"])
    # Provider down: nothing listens on its port.
    refused("provider down", "provider_down", "cannot be reached", provider="down")
    # Provider slow: the token endpoint answers after the time-out.
    it("idp", "set", "oidc_timeout_ms", "1000")
    op.mode = {"token_delay": 3}
    refused("provider slow", "provider_slow", "did not answer in time")
    # ... and the request that gave up left the server answering. (Not
    # "meanwhile": a call in progress holds its worker's other connections,
    # docs/security.md, "A slow provider".)
    op.mode = {}
    it("idp", "set", "oidc_timeout_ms", "")
    s, _, _ = Browser(PORT).req("GET", "/login")
    check(s == 200, "the server does not answer after a slow provider")
    # Local passwords off: only the break-glass admin keeps one.
    it("idp", "set", "local_passwords", "off")
    it("idp", "set", "break_glass_login", "admin")
    b = Browser(PORT)
    b.req("GET", "/login")
    s, _, body = b.req("POST", "/login", form={"login": "bob", "password": "Bob-Password-123-xyz",
                                                "_csrf": b.cookies.get("itstrat_login", "")})
    check(s == 403 and "turned off" in body, "bob signed in with a password while they are off: %s"
          % s)
    it("idp", "set", "local_passwords", "on")
finally:
    proc.terminate()
    proc.wait()
    op.stop()

if failures:
    print("%d of %d checks failed" % (len(failures), checks), file=sys.stderr)
    sys.exit(1)
print("ok oidc.py: %d checks" % checks)
