#!/usr/bin/env python3
"""permissions.py — every route answers each kind of account as the table of
docs/security.md ("Who may do what: every route") says.

Usage: permissions.py ITSTRAT DB SRC

DB holds the demo (strategy 2018-21, public), a generated strategy GEN-P
that is not public, and the accounts viewer, contributor, contributor2,
manager and admin (password PASSWORD below); the contributor is assigned
project A and indicator IA of GEN-P, contributor2 project B and indicator
IB (the runner, tests/cli/test_permissions.sh, makes it). Passwords: PASSWORD
with the account's number (1 to 5 in the order of ACCOUNTS).

1. The route table (`itstrat test-routes`) and the documented table must
   list the same routes with the same methods and permissions.
2. `itstrat serve` (without --open-read) is asked every route with every
   method it takes, as: anon (no account), anon:pub (no account, the public
   strategy), viewer, contrib:own (the contributor, on what is assigned to
   them), contrib:other (the contributor, on contributor2's project),
   contrib2 (contributor2, on the contributor's project), manager, admin.
   Pages use the session cookie of a browser sign-in; /api/v1 writes use an
   API token of scope write. The expected outcome comes from the documented
   permission (plus, for "edit", the record rule: contributors change only
   updates, roll-outs and measurements of what is assigned to them).
   Allowed: not 401/403 nor a redirect to /login?next=, and the status a
   harmless request gets from the handler (422 for an empty form...); any
   5xx fails. Refused:
   303 to /login?next= for a page asked anonymously, 401 for the API or a
   write without an account, 403 for an account whose role is too low.
3. Every POST of a page without or with a wrong _csrf is 403; an API write
   with only the session cookie, or with a read-only token, is refused.

Prints the matrix (route x identity -> status, "!" marks a mismatch), then
every mismatch; exit status 1 when there is one.
"""
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve  # noqa: E402  (tests/http/serve.py)

ITSTRAT, DB, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
SLOW = float(os.environ.get("ITSTRAT_TIME_FACTOR", "1"))
PASSWORD = "Matrix-Test-Password-%d-xyz"  # % the account's number in ACCOUNTS
PRIVATE, PUBLIC = "GEN-P", "2018-21"
ACCOUNTS = {"viewer": "viewer", "contributor": "contributor", "contributor2": "contributor",
            "manager": "manager", "admin": "admin"}
RANK = {None: 0, "viewer": 1, "contributor": 2, "manager": 3, "admin": 4}
CONTRIBUTOR_KINDS = ("update", "rollout", "measurement")
KINDS = ("update", "rollout", "measurement", "project")  # the kinds the record routes are asked with
COLUMNS = ["anon", "anon:pub", "viewer", "contrib:own", "contrib:other", "contrib2", "manager",
           "admin"]
WRITES = ("POST", "PATCH", "DELETE", "PUT")
problems = []
nchecks = 0


def problem(what):
    problems.append(what)


# ---- 1. the documented table against the route table ----------------------

def routes_table():
    out = subprocess.run([ITSTRAT, "test-routes"], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit("permissions: itstrat test-routes failed: " + out.stderr)
    table = {}
    for line in out.stdout.splitlines():
        pattern, methods, perm, wperm = line.split("\t")
        table[pattern] = (tuple(methods.split(",")), perm, wperm)
    return table


def docs_table():
    text = open(os.path.join(SRC, "docs/security.md"), encoding="utf-8").read()
    m = re.search(r"^## Who may do what: every route\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    if not m:
        problem("docs/security.md has no section \"Who may do what: every route\"")
        return {}
    table, header = {}, None
    for line in m.group(1).splitlines():
        if not line.startswith("|"):
            if header:
                break  # the first table of the section ends
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
            continue
        if set(cells[0]) <= set("-: "):
            continue
        if len(cells) != 4 or not re.fullmatch(r"`[^`]+`", cells[0]):
            problem("docs/security.md: a row of the route table is not | `route` | methods | read "
                    "| write |: %s" % line)
            continue
        perm = lambda c: "-" if c in ("—", "-", "") else c
        route = cells[0].strip("`")
        if route in table:
            problem("docs/security.md lists %s twice" % route)
        table[route] = (tuple(x.strip() for x in cells[1].split(",")), perm(cells[2]), perm(cells[3]))
    if header != ["Route", "Methods", "Read (GET/HEAD)", "Write (POST/PATCH/DELETE)"]:
        problem("docs/security.md: the route table's header is %s" % header)
    return table


def compare_tables(code, doc):
    for route in code:
        if route not in doc:
            problem("the route %s is not in the table of docs/security.md" % route)
        elif code[route] != doc[route]:
            problem("docs/security.md says %s takes %s with read %s, write %s; routes.c: %s, read "
                    "%s, write %s" % ((route,) + (",".join(doc[route][0]),) + doc[route][1:] +
                                      (",".join(code[route][0]),) + code[route][1:]))
    for route in doc:
        if route not in code:
            problem("docs/security.md lists %s, which the server does not have" % route)


# ---- the server and HTTP ---------------------------------------------------

def start():
    return serve.start(ITSTRAT, DB, "permissions", (), SLOW)


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self):
        return self.headers.get("location", "")

    def text(self):
        return self.body.decode("utf-8", "replace")


class Client:
    """One browser or program: its cookies, its form token, its bearer token."""

    def __init__(self, port, name, bearer=None):
        self.port, self.name, self.bearer = port, name, bearer
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, form=None, body=None, ctype=None, cookies=True, bearer=None,
                extra=None):
        headers = {}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        tok = bearer if bearer is not None else self.bearer
        if tok:
            headers["Authorization"] = "Bearer " + tok
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = body.encode() if isinstance(body, str) else body
            headers["Content-Type"] = ctype or "application/json"
        if extra:
            headers.update(extra)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60 * SLOW)
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            raw = r.read()
            hdrs = {}
            for k, v in r.getheaders():
                k = k.lower()
                if k == "set-cookie" and cookies:
                    self._cookie(v)
                hdrs[k] = v if k not in hdrs else hdrs[k] + ", " + v
            return Answer(r.status, hdrs, raw)
        finally:
            conn.close()

    def _cookie(self, header):
        nv = header.split(";", 1)[0]
        name, _, value = nv.partition("=")
        gone = not value or re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", header)
        if gone:
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()


def form_token(html):
    m = re.search(r'name="_csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


def signin(port, login):
    """A browser signed in as login through /login; its csrf is the session's."""
    c = Client(port, login)
    a = c.request("GET", "/login")
    tok = form_token(a.text())
    if a.status != 200 or not tok or "itstrat_login" not in c.cookies:
        raise SystemExit("permissions: GET /login gave %d, no form token or no itstrat_login "
                         "cookie" % a.status)
    a = c.request("POST", "/login", form={"_csrf": tok, "login": login,
                                          "password": PASSWORD % (list(ACCOUNTS).index(login) + 1), "next": "/"})
    if a.status != 303 or "itstrat_session" not in c.cookies:
        raise SystemExit("permissions: signing in as %s answered %d: %s" % (login, a.status,
                                                                           a.text()[:300]))
    a = c.request("GET", "/")
    c.csrf = form_token(a.text())
    if not c.csrf:
        raise SystemExit("permissions: the page of %s has no sign-out form with _csrf" % login)
    return c


def anonymous(port):
    """A browser that has opened /login: its csrf is the itstrat_login cookie's."""
    c = Client(port, "anon")
    a = c.request("GET", "/login")
    c.csrf = form_token(a.text())
    return c


def token(login, scope):
    out = subprocess.run([ITSTRAT, "token", "add", login, "--name", "perm-" + scope, "--scope",
                          scope, "--db", DB], capture_output=True, text=True, check=False)
    m = re.search(r"(itst_[A-Za-z0-9_-]+)", out.stdout)
    n = re.search(r"token (\d+) created", out.stdout)
    if out.returncode != 0 or not m or not n:
        raise SystemExit("permissions: itstrat token add %s failed: %s" % (login, out.stderr))
    return m.group(1), int(n.group(1))


# ---- what the database holds -----------------------------------------------

def facts():
    db = sqlite3.connect(DB)
    one = lambda sql, *a: db.execute(sql, a).fetchone()
    f = {}
    for code in (PRIVATE, PUBLIC):
        sid, public, first = one("SELECT id, public, first_year FROM strategy WHERE code = ?", code)
        f[code] = {"sid": sid, "public": public, "year": first}
    if f[PRIVATE]["public"] or not f[PUBLIC]["public"]:
        raise SystemExit("permissions: %s must not be public and %s must be" % (PRIVATE, PUBLIC))
    users = dict(db.execute("SELECT login, id FROM app_user"))
    f["users"] = users

    def assigned(login):
        p = one("SELECT project_id FROM assignment WHERE user_id = ? AND project_id IS NOT NULL",
                users[login])
        i = one("SELECT indicator_id FROM assignment WHERE user_id = ? AND indicator_id IS NOT "
                "NULL", users[login])
        if not p or not i:
            raise SystemExit("permissions: %s needs a project and an indicator assigned" % login)
        return p[0], i[0]

    def target(project, indicator):
        """The records of one project and one indicator, by kind."""
        t = {"project": project, "indicator": indicator}
        t["code"] = one("SELECT code FROM project WHERE id = ?", project)[0]
        t["icode"] = one("SELECT code FROM indicator WHERE id = ?", indicator)[0] if indicator else None
        u = one("SELECT id FROM project_update WHERE project_id = ? ORDER BY id", project)
        r = one("SELECT id FROM project_location WHERE project_id = ? ORDER BY id", project)
        m = one("SELECT rowid FROM measurement WHERE indicator_id = ? ORDER BY rowid",
                indicator) if indicator else None
        if not u or not r or (indicator and not m):
            raise SystemExit("permissions: project %d needs an update and a roll-out, indicator "
                             "%s a measurement" % (project, indicator))
        t["ids"] = {"project": project, "update": u[0], "rollout": r[0],
                    "measurement": m[0] if m else None}
        t["parent"] = {"project": None, "update": project, "rollout": project,
                       "measurement": indicator}
        return t

    f["own"] = target(*assigned("contributor"))
    f["other"] = target(*assigned("contributor2"))
    sid = f[PUBLIC]["sid"]
    pp = one("SELECT p.id FROM project p WHERE p.strategy_id = ? AND EXISTS (SELECT 1 FROM "
             "project_update u WHERE u.project_id = p.id) AND EXISTS (SELECT 1 FROM "
             "project_location l WHERE l.project_id = p.id) ORDER BY p.id", sid)[0]
    pi = one("SELECT i.id FROM indicator i WHERE i.strategy_id = ? AND EXISTS (SELECT 1 FROM "
             "measurement m WHERE m.indicator_id = i.id)", sid)
    f["pub"] = target(pp, pi[0] if pi else None)
    y = one("SELECT year FROM report WHERE strategy_id = ? ORDER BY year", f[PRIVATE]["sid"])
    f[PRIVATE]["year"] = y[0] if y else f[PRIVATE]["year"]
    y = one("SELECT year FROM report WHERE strategy_id = ? ORDER BY year", sid)
    f[PUBLIC]["year"] = y[0] if y else f[PUBLIC]["year"]
    db.close()
    return f


# ---- the expected outcome ---------------------------------------------------

def allowed_by(perm, role, public, kind, own):
    """Whether the documented permission lets role (None: no account) through
    on a strategy (public or not), for a record of kind on an assigned (own)
    project or indicator."""
    if perm == "any":
        return True
    if perm == "read":
        return bool(public) or role is not None
    if perm == "signed":
        return role is not None
    if perm == "edit":
        if RANK[role] >= RANK["manager"]:
            return True
        return role == "contributor" and kind in CONTRIBUTOR_KINDS and own
    if perm == "admin":
        return role == "admin"
    raise SystemExit("permissions: unknown permission %s" % perm)


def main():
    code_table = routes_table()
    doc_table = docs_table()
    compare_tables(code_table, doc_table)
    f = facts()
    write_tokens = {login: token(login, "write")[0] for login in ACCOUNTS}
    read_tokens = {login: token(login, "read")[0] for login in ("manager", "contributor")}
    spare = {login: token(login, "read")[1] for login in ACCOUNTS}  # revoked through the page
    proc, port, err = start()
    rows = {}         # row label -> {column: cell}
    row_order = []
    covered = set()   # (pattern, method) asked at least once

    def cell(row, col, text):
        if row not in rows:
            rows[row] = {}
            row_order.append(row)
        rows[row][col] = text

    def judge(row, col, who, method, path, a, allow, want, refusal):
        """Records the answer a of a request in the matrix and checks it."""
        global nchecks
        nchecks += 1
        to_login = a.status == 303 and a.location.startswith("/login?next=")
        refused = a.status in (401, 403) or to_login
        bad = None
        if a.status >= 500:
            bad = "server error %d" % a.status
        elif allow and refused:
            bad = "refused (%d%s) but the table allows %s" % (
                a.status, " to " + a.location if to_login else "", who)
        elif allow and want is not None and a.status not in want:
            bad = "answered %d, expected %s" % (a.status, "/".join(map(str, sorted(want))))
        elif not allow and not refused:
            bad = "ALLOWED (%d) but the table refuses %s" % (a.status, who)
        elif not allow and refusal is not None and a.status != refusal:
            bad = "refused with %d, expected %d" % (a.status, refusal)
        if bad:
            problem("%s %s as %s: %s: %s" % (method, path, col, bad, a.text()[:160].replace("\n", " ")))
        cell(row, col, "%d%s" % (a.status, "!" if bad else ""))

    anon = anonymous(port)
    clients = {login: signin(port, login) for login in ACCOUNTS}
    for login, c in clients.items():
        c.role = ACCOUNTS[login]
    anon.role = None

    # Who each column is, and what it is pointed at.
    columns = {
        "anon": (anon, PRIVATE, "own", False),
        "anon:pub": (anon, PUBLIC, "pub", False),
        "viewer": (clients["viewer"], PRIVATE, "own", False),
        "contrib:own": (clients["contributor"], PRIVATE, "own", True),
        "contrib:other": (clients["contributor"], PRIVATE, "other", False),
        "contrib2": (clients["contributor2"], PRIVATE, "own", False),
        "manager": (clients["manager"], PRIVATE, "own", False),
        "admin": (clients["admin"], PRIVATE, "own", False),
    }

    def fill(pattern, col, kind):
        """The concrete path of pattern for column col (None: not asked)."""
        c, s, tgt, _ = columns[col]
        t = f[tgt]
        if "{s}" not in pattern and col == "anon:pub":
            return None
        p = pattern.replace("{s}", s)
        if "{entity}" in p:
            if t["ids"].get(kind) is None:
                return None
            p = p.replace("{entity}", kind).replace("{id}", str(t["ids"][kind]))
        if "/indicators/{code}" in p:
            if not t["icode"]:
                return None
            p = p.replace("{code}", urllib.parse.quote(t["icode"]))
        p = p.replace("{code}", urllib.parse.quote(t["code"]))
        p = p.replace("{year}", str(f[s]["year"]))
        p = p.replace("/sheets/{file}", "/sheets/risks.csv")
        p = p.replace("{file}", "site.css")
        p = p.replace("{provider}", "none")  # no provider here: the handler answers 404
        if p.startswith("/account/tokens/{id}"):
            p = p.replace("{id}", str(spare[c.name] if c.name in spare else spare["manager"]))
        if p.startswith("/admin/users/{id}"):
            p = p.replace("{id}", str(f["users"]["viewer"]))
        if "{" in p:
            problem("the test cannot fill in %s: teach fill() its new {...} part" % pattern)
            return None
        return p

    def harmless(pattern, method, col, kind, path):
        """(form, json body, query, expected statuses when allowed) of a write
        that changes nothing."""
        c, s, tgt, _ = columns[col]
        parent = f[tgt]["parent"].get(kind) if kind else None
        if pattern.startswith("/api/"):
            if method == "POST":
                return None, json.dumps({"parent": parent} if parent else {}), "", {422}
            if method == "PATCH":
                return None, "{}", "", {422}
            if method == "DELETE":
                return None, None, "", {400}
        forms = {
            "/account/mfa": ({}, {303}), "/account/password": ({}, {422}),
            "/account/recovery": ({}, {409}), "/account/tokens": ({"name": ""}, {422}),
            "/account/tokens/{id}/revoke": ({}, {303, 404}),  # 404: revoked already
            "/admin/settings": ({"require_mfa": "bogus"}, {422}), "/admin/users": ({}, {422}),
            "/admin/users/{id}": ({}, {422}), "/login": ({}, {422}), "/login/code": ({}, {303}),
            "/s/{s}/records/{entity}/new": ({"parent": parent} if parent else {}, {422}),
            "/s/{s}/records/{entity}/{id}/edit": ({}, {422}),
            "/s/{s}/records/{entity}/{id}/delete": ({}, {409}),
        }
        if pattern not in forms:
            return None
        form, want = forms[pattern]
        return dict(form), None, "", want

    def get_want(pattern, col, kind):
        """Statuses an allowed GET may answer."""
        c = columns[col][0]
        if pattern == "/login":
            return {303} if c.role else {200}
        if pattern == "/login/code":
            return {303}
        if pattern == "/login/oidc/{provider}":
            return {404}  # reached the handler: there is no provider "none"
        if pattern == "/login/oidc/callback":
            return {400}  # reached the handler: a callback without state is refused
        if pattern == "/":
            return {200, 303}  # 303: to the only strategy the asker may read
        return {200}

    def refusal_of(pattern, method, c):
        if c.role:
            return 403
        if method in ("GET", "HEAD") and not pattern.startswith("/api/"):
            return 303
        return 401

    def ask(pattern, method, col, kind, perm):
        c, s, tgt, own = columns[col]
        path = fill(pattern, col, kind)
        if path is None:
            return
        covered.add((pattern, method))
        public = f[s]["public"]
        allow = allowed_by(perm, c.role, public, kind, own)
        row = "%-6s %s%s" % (method, pattern, " [%s]" % kind if kind else "")
        who = "%s (%s)" % (col, c.role or "no account")
        if method in ("GET", "HEAD"):
            q = ""
            if pattern == "/s/{s}/records/{entity}/new" and f[tgt]["parent"].get(kind):
                q = "?parent=%d" % f[tgt]["parent"][kind]
            a = c.request(method, path + q, bearer="")
            judge(row, col, who, method, path + q, a, allow, get_want(pattern, col, kind),
                  refusal_of(pattern, method, c))
            return
        h = harmless(pattern, method, col, kind, path)
        if h is None:
            return  # asked in the last phase (sign-out) below
        form, body, q, want = h
        if pattern.startswith("/api/"):
            # A program: the account's write token, no cookie.
            tok = write_tokens.get(c.name, "")
            a = c.request(method, path + q, body=body, cookies=False, bearer=tok)
        else:
            form["_csrf"] = c.csrf
            a = c.request(method, path + q, form=form, bearer="")
        judge(row, col, who, method, path + q, a, allow, want, refusal_of(pattern, method, c))

    # ---- 2. every route, every method, every identity ------------------------
    last = ("/logout", "/account/logout-everywhere")
    try:
        for pattern, (methods, perm, wperm) in code_table.items():
            kinds = KINDS if "{entity}" in pattern else (None,)
            for method in methods:
                p = perm if method in ("GET", "HEAD") else wperm
                for kind in kinds:
                    for col in COLUMNS:
                        if pattern in last:
                            continue
                        ask(pattern, method, col, kind, p)

        # Real changes: the contributor adds, changes and removes a progress
        # update of their project; the same on another's project is refused.
        for col, ok in (("contrib:own", True), ("contrib:other", False), ("contrib2", False)):
            c, s, tgt, _ = columns[col]
            t = f[tgt]
            form = {"_csrf": c.csrf, "parent": t["project"], "date": "2023-05-31",
                    "text": "Permission test: rolled out to two more offices."}
            path = "/s/%s/records/update/new" % s
            a = c.request("POST", path, form=form, bearer="")
            judge("POST   /s/{s}/records/update/new (valid form)", col, col, "POST", path, a, ok,
                  {303}, 403)
            api = "/api/v1/strategies/%s/records/update" % s
            body = json.dumps({"parent": t["project"], "date": "2023-06-30",
                               "text": "Permission test through the API."})
            a = c.request("POST", api, body=body, cookies=False, bearer=write_tokens[c.name])
            judge("POST   /api/v1/.../records/update (valid)", col, col, "POST", api, a, ok, {201},
                  403)
            if ok and a.status == 201:
                rec = json.loads(a.body)
                url = "%s/%d" % (api, rec["id"])
                a = c.request("PATCH", url, body=json.dumps({"version": rec["version"],
                                                             "text": "Changed by the test."}),
                              cookies=False, bearer=write_tokens[c.name])
                judge("PATCH  /api/v1/.../records/update/{id} (valid)", col, col, "PATCH", url, a,
                      True, {200}, 403)
                v = json.loads(a.body).get("version", rec["version"]) if a.status == 200 else 0
                a = c.request("DELETE", "%s?version=%d" % (url, v), cookies=False,
                              bearer=write_tokens[c.name])
                judge("DELETE /api/v1/.../records/update/{id} (valid)", col, col, "DELETE", url, a,
                      True, {204}, 403)
            else:
                uid = t["ids"]["update"]
                url = "%s/%d" % (api, uid)
                a = c.request("PATCH", url, body=json.dumps({"version": 1, "text": "x"}),
                              cookies=False, bearer=write_tokens[c.name])
                judge("PATCH  /api/v1/.../records/update/{id} (valid)", col, col, "PATCH", url, a,
                      False, None, 403)
                a = c.request("DELETE", url + "?version=1", cookies=False,
                              bearer=write_tokens[c.name])
                judge("DELETE /api/v1/.../records/update/{id} (valid)", col, col, "DELETE", url, a,
                      False, None, 403)

        # What the open lists show: the private strategy only to accounts.
        for col in ("anon", "viewer"):
            c = columns[col][0]
            a = c.request("GET", "/api/v1/strategies", bearer="")
            codes = sorted(x["code"] for x in json.loads(a.body)["strategies"])
            want = sorted([PUBLIC] + ([PRIVATE] if c.role else []))
            if codes != want:
                problem("GET /api/v1/strategies as %s lists %s, not %s" % (col, codes, want))
            a = c.request("GET", "/", bearer="")
            where = a.location if a.status == 303 else a.text()
            if (PRIVATE in where) != (c.role is not None) or PUBLIC not in where:
                problem("GET / as %s: %s %s" % (col, "shows" if PRIVATE in where else "lacks",
                                                PRIVATE))

        # ---- 3. forms without their token, API writes without a write token ----
        admin = clients["admin"]
        own = f["own"]
        n_updates = lambda: sqlite3.connect(DB).execute("SELECT count(*) FROM project_update").fetchone()[0]
        before = n_updates()
        for pattern, (methods, perm, wperm) in code_table.items():
            for method in methods:
                if method not in WRITES:
                    continue
                kind = "update" if "{entity}" in pattern else None
                path = fill(pattern, "admin", kind)
                if pattern.startswith("/api/"):
                    h = harmless(pattern, method, "admin", kind, path)
                    body = h[1] if h else None
                    for label, kw, want in (
                            ("session cookie, no token", {"cookies": True, "bearer": ""}, 403),
                            ("no cookie, no token", {"cookies": False, "bearer": ""}, 401),
                            ("read token of manager", {"cookies": False,
                                                       "bearer": read_tokens["manager"]}, 403),
                            ("read token of contributor", {"cookies": False,
                                                           "bearer": read_tokens["contributor"]},
                             403)):
                        a = admin.request(method, path, body=body, **kw)
                        covered.add((pattern, method))
                        judge("%-6s %s (%s)" % (method, pattern, label), "admin", label, method,
                              path, a, False, None, want)
                    continue
                form = {"parent": own["project"], "date": "2023-07-31", "text": "forged"} \
                    if pattern == "/s/{s}/records/{entity}/new" else {}
                wrong = ("y" if admin.csrf[0] == "x" else "x") + admin.csrf[1:]
                for label, tok in (("no _csrf", None), ("wrong _csrf", wrong),
                                   ("a sign-in form's _csrf", anon.csrf)):
                    fm = dict(form)
                    if tok is not None:
                        fm["_csrf"] = tok
                    a = admin.request(method, path, form=fm, bearer="")
                    judge("%-6s %s (%s)" % (method, pattern, label), "admin", "admin with " + label,
                          method, path, a, False, None, 403)
        if n_updates() != before:
            problem("a form without its _csrf changed the progress updates")
        # The session survived the forged sign-outs.
        a = admin.request("GET", "/account", bearer="")
        if a.status != 200:
            problem("after forged sign-outs /account answers %d to admin" % a.status)

        # A read token reads.
        for login, tok in read_tokens.items():
            path = "/api/v1/strategies/%s/records/update" % PRIVATE
            a = anon.request("GET", path, cookies=False, bearer=tok)
            col = {"contributor": "contrib:own"}.get(login, login)
            judge("GET    %s (read token)" % "/api/v1/strategies/{s}/records/{entity}", col, login,
                  "GET", path, a, True, {200}, 403)

        # ---- last: signing out, then signing out everywhere ---------------------
        a = anon.request("POST", "/account/logout-everywhere", form={"_csrf": anon.csrf}, bearer="")
        covered.add(("/account/logout-everywhere", "POST"))
        judge("POST   /account/logout-everywhere", "anon", "anon", "POST",
              "/account/logout-everywhere", a, False, None, 401)
        for col in ("anon", "viewer", "contrib:own", "contrib2", "manager", "admin"):
            c = columns[col][0]
            a = c.request("POST", "/logout", form={"_csrf": c.csrf}, bearer="")
            covered.add(("/logout", "POST"))
            judge("POST   /logout", col, col, "POST", "/logout", a, True, {303}, None)
            if c.role:
                a = c.request("GET", "/account", bearer="")
                if not (a.status == 303 and a.location.startswith("/login?next=")):
                    problem("after POST /logout, /account answers %d to %s" % (a.status, col))
        for login in ACCOUNTS:
            c = signin(port, login)
            c.role = ACCOUNTS[login]
            col = {"contributor": "contrib:own", "contributor2": "contrib2"}.get(login, login)
            a = c.request("POST", "/account/logout-everywhere", form={"_csrf": c.csrf}, bearer="")
            judge("POST   /account/logout-everywhere", col, col, "POST",
                  "/account/logout-everywhere", a, True, {303}, None)
            a = c.request("GET", "/account", bearer="")
            if not (a.status == 303 and a.location.startswith("/login?next=")):
                problem("after sign out everywhere, /account answers %d to %s" % (a.status, login))

        for pattern, (methods, _, _) in code_table.items():
            for method in methods:
                if (pattern, method) not in covered:
                    problem("%s %s was never asked: teach the test how" % (method, pattern))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=20 * SLOW)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        err.close()
        if rc != 0:
            problem("the server exited %s" % rc)

    # ---- the matrix -------------------------------------------------------------
    width = max(len(r) for r in row_order)
    cols = COLUMNS + sorted({c for r in rows.values() for c in r} - set(COLUMNS))
    cols = [c for c in cols if any(c in rows[r] for r in row_order)]
    print("%-*s %s" % (width, "route (method, kind)", " ".join("%-13s" % c for c in cols)))
    for r in row_order:
        print("%-*s %s" % (width, r, " ".join("%-13s" % rows[r].get(c, ".") for c in cols)))
    print("(! marks a mismatch; . not asked)")
    for p in problems:
        print("FAIL permissions: " + p)
    print("permissions: %d requests checked, %d mismatches" % (nchecks, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
