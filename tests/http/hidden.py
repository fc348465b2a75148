#!/usr/bin/env python3
"""hidden.py — a strategy the asker may not see answers exactly as a code
that does not exist, on every strategy route, and never shows its name.

Usage: hidden.py ITSTRAT DB

DB holds the demo (strategy 2018-21, public), a generated strategy GEN-P
that is not public (title TITLE, organization ORG below), and the accounts
viewer and admin with PASSWORD % their number (tests/cli/test_web_hidden.sh
makes it). UNKNOWN is a code of the same length that does not exist.

For two servers, one without options (anyone who signs in reads every
strategy; without an account a private strategy is refused as an unknown
code is), one with --public-only (nobody sees GEN-P), every route of the
route table (`itstrat test-routes`) that has {s} is asked with every method
it takes, once with GEN-P and once with UNKNOWN, the rest of the path the
same (GEN-P's real project code, indicator code, report year, record id),
by everyone who may not see GEN-P there: no account (without cookies, and
with the sign-in form's cookie and CSRF token), and under --public-only a
viewer and an admin signed in (session cookie, form token) and their API
tokens (read, write). Writes are asked with and without the form token.

The two answers must be the same bytes: status line, every header in order
and the body, after the code itself (which the answer may echo: the 404
message, /login?next=...) is replaced by "{s}" in both. Only the Date header
is left out (it may tick between the two). Nor may any answer of the test,
or the list of strategies (/ and /api/v1/strategies), hold GEN-P's title or
organization. Exit status 1 with a line per difference.
"""
import http.client
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve  # noqa: E402  (tests/http/serve.py)

ITSTRAT, DB = sys.argv[1], sys.argv[2]
SLOW = float(os.environ.get("ITSTRAT_TIME_FACTOR", "1"))
HIDDEN, UNKNOWN = "GEN-P", "ZZZ-9"
TITLE, ORG = "Secret Zebra Programme", "Ministry of Hidden Things"
PASSWORD = "Hidden-Test-Password-%d-xyz"
ACCOUNTS = ("viewer", "admin")
problems = []
nchecks = 0


class Client:
    """One browser or program: cookies, form token, bearer token."""

    def __init__(self, port, name, bearer=None):
        self.port, self.name, self.bearer = port, name, bearer
        self.cookies, self.csrf = {}, None

    def request(self, method, path, form=None, body=None, keep=True):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in sorted(self.cookies.items()))
        if self.bearer:
            headers["Authorization"] = "Bearer " + self.bearer
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = body.encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60 * SLOW)
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            raw = b"" if method == "HEAD" else r.read()
            hdrs = r.getheaders()
            if keep:
                for k, v in hdrs:
                    if k.lower() == "set-cookie":
                        name, _, value = v.split(";", 1)[0].partition("=")
                        if value and "Max-Age=0" not in v:
                            self.cookies[name.strip()] = value.strip()
                        else:
                            self.cookies.pop(name.strip(), None)
            return r.status, r.reason, hdrs, raw
        finally:
            conn.close()


def form_token(html):
    m = re.search(r'name="_csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


def with_login_cookie(port):
    c = Client(port, "anon+form")
    _, _, _, body = c.request("GET", "/login")
    c.csrf = form_token(body.decode())
    if not c.csrf or "itstrat_login" not in c.cookies:
        raise SystemExit("hidden: GET /login gave no form token or no itstrat_login cookie")
    return c


def signin(port, login):
    c = with_login_cookie(port)
    c.name = login
    st, _, _, body = c.request("POST", "/login", form={
        "_csrf": c.csrf, "login": login, "next": "/",
        "password": PASSWORD % (ACCOUNTS.index(login) + 1)})
    if st != 303 or "itstrat_session" not in c.cookies:
        raise SystemExit("hidden: signing in as %s answered %d: %s" % (login, st, body[:300]))
    _, _, _, body = c.request("GET", "/account")
    c.csrf = form_token(body.decode())
    if not c.csrf:
        raise SystemExit("hidden: /account of %s has no form token" % login)
    return c


def token(login, scope):
    out = subprocess.run([ITSTRAT, "token", "add", login, "--name", "hidden-" + scope, "--scope",
                          scope, "--db", DB], capture_output=True, text=True, check=False)
    m = re.search(r"(itst_[A-Za-z0-9_-]+)", out.stdout)
    if out.returncode != 0 or not m:
        raise SystemExit("hidden: itstrat token add %s failed: %s" % (login, out.stderr))
    return m.group(1)


def routes():
    out = subprocess.run([ITSTRAT, "test-routes"], capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        pattern, methods, _, _ = line.split("\t")
        yield pattern, methods.split(",")


def facts():
    """GEN-P's real keys, so that the hidden paths point at things that exist."""
    import sqlite3
    db = sqlite3.connect(DB)
    one = lambda sql: db.execute(sql, (HIDDEN,)).fetchone()[0]
    f = {
        "project": one("SELECT p.code FROM project p JOIN strategy s ON s.id = p.strategy_id "
                       "WHERE s.code = ? ORDER BY p.id"),
        "project_id": one("SELECT p.id FROM project p JOIN strategy s ON s.id = p.strategy_id "
                          "WHERE s.code = ? ORDER BY p.id"),
        "indicator": one("SELECT i.code FROM indicator i JOIN strategy s ON s.id = i.strategy_id "
                         "WHERE s.code = ? ORDER BY i.id"),
        "year": one("SELECT first_year FROM strategy WHERE code = ?"),
        "title": one("SELECT title FROM strategy WHERE code = ?"),
        "public": one("SELECT public FROM strategy WHERE code = ?"),
    }
    if one("SELECT count(*) FROM strategy WHERE code = ?") != 1 or f["public"]:
        raise SystemExit("hidden: %s must exist and not be public" % HIDDEN)
    if db.execute("SELECT count(*) FROM strategy WHERE code = ?", (UNKNOWN,)).fetchone()[0]:
        raise SystemExit("hidden: %s must not exist" % UNKNOWN)
    if f["title"] != TITLE:
        raise SystemExit("hidden: %s must have the title %r" % (HIDDEN, TITLE))
    db.close()
    return f


def fill(pattern, code, f):
    p = pattern.replace("{s}", code)
    p = p.replace("/indicators/{code}", "/indicators/" + urllib.parse.quote(f["indicator"]))
    p = p.replace("{code}", urllib.parse.quote(f["project"]))
    p = p.replace("{year}", str(f["year"])).replace("{entity}", "project")
    return p.replace("{id}", str(f["project_id"]))


def normal(answer, code):
    """The answer as bytes, the code replaced by {s}, without Date."""
    st, reason, hdrs, body = answer
    enc = code.encode()
    lines = [("%d %s" % (st, reason)).encode()]
    for k, v in hdrs:
        if k.lower() != "date":
            lines.append(("%s: %s" % (k, v)).encode())
    return b"\n".join(lines).replace(enc, b"{s}") + b"\n\n" + body.replace(enc, b"{s}")


def leaks(answer):
    st, reason, hdrs, body = answer
    text = (" ".join("%s: %s" % kv for kv in hdrs)).encode() + body
    return [w for w in (TITLE, ORG) if w.encode() in text or
            w.replace(" ", "%20").encode() in text]


def check_server(args, who_names):
    global nchecks
    f = facts()
    proc, port, err = serve.start(ITSTRAT, DB, "hidden" + "".join(args).replace("-", "_"), args, SLOW)
    try:
        anon = Client(port, "anon")
        who = {"anon": anon, "anon+form": with_login_cookie(port)}
        for login in ACCOUNTS:
            if "%s:session" % login in who_names:
                who["%s:session" % login] = signin(port, login)
            if "%s:token" % login in who_names:
                who["%s:token" % login] = Client(port, login + ":token",
                                                 token(login, "write" if login == "admin" else "read"))
        label = " ".join(args) or "(no options)"
        for path in ("/", "/api/v1/strategies"):
            for name, c in who.items():
                a = c.request("GET", path, keep=False)
                nchecks += 1
                if leaks(a) or HIDDEN.encode() in a[3]:
                    problems.append("%s: GET %s as %s lists the hidden strategy" % (label, path, name))
        asked = 0
        for pattern, methods in routes():
            if "{s}" not in pattern:
                continue
            asked += 1
            for method in methods:
                for name, c in who.items():
                    variants = [None]
                    if method not in ("GET", "HEAD"):
                        variants = ["csrf", "no-csrf"] if not pattern.startswith("/api/") else ["json"]
                    for v in variants:
                        form = body = None
                        if v == "csrf":
                            form = {"_csrf": c.csrf or "", "text": "x"}
                        elif v == "no-csrf":
                            form = {"text": "x"}
                        elif v == "json":
                            body = "{}" if method != "DELETE" else None
                        got = {}
                        for code in (HIDDEN, UNKNOWN):
                            a = c.request(method, fill(pattern, code, f), form=form, body=body,
                                          keep=False)
                            got[code] = a
                            nchecks += 1
                            if a[0] >= 500:
                                problems.append("%s: %s %s as %s: server error %d" %
                                                (label, method, fill(pattern, code, f), name, a[0]))
                            if leaks(a):
                                problems.append("%s: %s %s as %s names the hidden strategy (%s)" %
                                                (label, method, fill(pattern, code, f), name,
                                                 ", ".join(leaks(a))))
                        h, u = normal(got[HIDDEN], HIDDEN), normal(got[UNKNOWN], UNKNOWN)
                        nchecks += 1
                        if h != u:
                            problems.append(
                                "%s: %s %s%s as %s: hidden and unknown differ:\n  hidden:  %r\n"
                                "  unknown: %r" % (label, method, pattern,
                                                    " (%s)" % v if v else "", name, h[:400], u[:400]))
        if asked < 20:  # the route table has some 35: never compare nothing and pass
            problems.append("%s: only %d routes with {s} in `itstrat test-routes`" % (label, asked))
    finally:
        proc.terminate()
        proc.wait()
        err.close()


def main():
    # Without options a signed-in account reads every strategy: only the
    # askers without an account may not see GEN-P.
    check_server([], ())
    check_server(["--public-only"], ("viewer:session", "admin:session", "viewer:token",
                                     "admin:token"))
    for p in problems:
        print("FAIL " + p)
    print("hidden.py: %d checks, %d problems" % (nchecks, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
