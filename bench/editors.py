#!/usr/bin/env python3
"""bench/editors.py — the load and the checks of bench/editors.sh.

  editors.py BASE_URL DB STRATEGY PASSWORD

BASE_URL is a running `itstrat serve` on DB (no --open-read needed), STRATEGY
the code of a generated strategy in it, PASSWORD the password of the
accounts ed000 .. ed(N-1) (N = EDITORS). Environment: EDITORS (100),
DURATION (60, seconds), SHARED (10: progress updates every editor may pick),
SHARE (0.1: the chance that an editor picks a shared update rather than one
of its own OWN (20)), PROCS (2: processes, each running EDITORS/PROCS
threads, so that Python's lock does not throttle the clients), SESSION_FILE
(where the session cookie of ed000 is written, for wrk).

1. Signs every account in through /login (2 at a time: Argon2id costs
   0.25 s each), keeps each session cookie.
2. For DURATION seconds each editor, in its own thread with one keep-alive
   connection, loops: GET the edit form of an update (the form's version,
   CSRF token and fields), POST the fields with a new text and the version
   read. 303 = saved; 409 = conflict, genuine only when the version the 409
   page's form starts from is newer than the one read (someone else saved in
   between) and the update is a shared one; anything else (another status,
   a failed connection, a 409 without a newer version) is an error.
3. Checks the database: for every update saved, version = 1 + its saves,
   the saves started from versions 1, 2, ... each once (no two saves from
   one version: that would be a lost write), the text is that of the last
   save, and the audit trail holds one "update" entry per save whose "after"
   texts are exactly the texts saved.
Prints the figures; exits 1 on any error or lost write, else 0.
"""
import http.client
import json
import multiprocessing
import os
import random
import re
import sqlite3
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

BASE, DB, STRATEGY, PASSWORD = sys.argv[1:5]
U = urllib.parse.urlsplit(BASE)
HOST, PORT = U.hostname, U.port
EDITORS = int(os.environ.get("EDITORS", 100))
DURATION = float(os.environ.get("DURATION", 60))
SHARED = int(os.environ.get("SHARED", 10))
OWN = int(os.environ.get("OWN", 20))
SHARE = float(os.environ.get("SHARE", 0.1))
PROCS = max(1, int(os.environ.get("PROCS", 2)))
SESSION_FILE = os.environ.get("SESSION_FILE")


class EditForm(HTMLParser):
    """The fields of the form whose action ends with /edit: inputs,
    textareas and selected options, name -> value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields = {}
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("action") or "").endswith("/edit"):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") != "submit":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value") or "1"
            else:
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self.textarea = a.get("name")
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.select = a.get("name")
            self.fields.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data


def form_of(body):
    p = EditForm()
    p.feed(body)
    return p.fields


def cookies_of(resp):
    out = {}
    for h in resp.msg.get_all("Set-Cookie") or []:
        k, _, v = h.split(";", 1)[0].partition("=")
        out[k.strip()] = v.strip()
    return out


def sign_in(login):
    """The session cookie value of login, signed in through /login."""
    c = http.client.HTTPConnection(HOST, PORT, timeout=60)
    c.request("GET", "/login")
    r = c.getresponse()
    body = r.read().decode()
    lc = cookies_of(r).get("itstrat_login")
    m = re.search(r'name="_csrf" value="([^"]+)"', body)
    if r.status != 200 or not lc or not m:
        raise RuntimeError("GET /login for %s: %d, no login cookie or token" % (login, r.status))
    form = urllib.parse.urlencode({"_csrf": m.group(1), "next": "/", "login": login,
                                   "password": PASSWORD})
    c.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded",
                                       "Cookie": "itstrat_login=" + lc, "Origin": BASE})
    r = c.getresponse()
    r.read()
    s = cookies_of(r).get("itstrat_session")
    c.close()
    if r.status != 303 or not s:
        raise RuntimeError("POST /login for %s: %d, no session cookie" % (login, r.status))
    return s


def editor(k, session, own, shared, deadline, out):
    """One editor's loop until deadline; appends its events to out."""
    rnd = random.Random(k)
    login = "ed%03d" % k
    hdr = {"Cookie": "itstrat_session=" + session}
    c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    n = 0
    while time.time() < deadline:
        shared_pick = rnd.random() < SHARE
        uid = rnd.choice(shared if shared_pick else own)
        path = "/s/%s/records/update/%d/edit" % (STRATEGY, uid)
        try:
            t0 = time.perf_counter()
            c.request("GET", path, headers=hdr)
            r = c.getresponse()
            body = r.read().decode()
            tg = time.perf_counter() - t0
            if r.status != 200:
                out.append(("error", uid, 0, "GET %s: %d" % (path, r.status), tg, ""))
                continue
            f = form_of(body)
            version = int(f.get("version", "0"))
            if not version or "_csrf" not in f or "text" not in f:
                out.append(("error", uid, 0, "GET %s: the form lacks version, _csrf or text" % path,
                            tg, ""))
                continue
            n += 1
            text = "Progress as seen by %s, edit %d (read version %d)." % (login, n, version)
            f["text"] = text
            t0 = time.perf_counter()
            c.request("POST", path, urllib.parse.urlencode(f),
                      dict(hdr, **{"Content-Type": "application/x-www-form-urlencoded",
                                   "Origin": BASE}))
            r = c.getresponse()
            body = r.read().decode()
            tp = time.perf_counter() - t0
            if r.status == 303:
                out.append(("saved", uid, version, text, tp, ""))
            elif r.status == 409:
                now = int(form_of(body).get("version", "0"))
                if now > version and shared_pick:
                    out.append(("conflict", uid, version, text, tp, now))
                else:
                    out.append(("error", uid, version,
                                "409 on %s read at version %d, the form now at %d%s" %
                                (path, version, now, "" if shared_pick else " (an editor's own update)"),
                                tp, ""))
            else:
                out.append(("error", uid, version, "POST %s: %d %s" % (path, r.status, body[:200]),
                            tp, ""))
        except (OSError, http.client.HTTPException) as e:
            out.append(("error", uid, 0, "%s: %r" % (path, e), 0.0, ""))
            c.close()
            c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    c.close()


def process_main(ks, sessions, owns, shared, deadline, q):
    out = []
    threads = [threading.Thread(target=editor, args=(k, sessions[k], owns[k], shared, deadline, out))
               for k in ks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    q.put(out)


def pct(a, p):
    if not a:
        return float("nan")
    a = sorted(a)
    return a[min(len(a) - 1, int(round(p / 100.0 * (len(a) - 1))))]


def main():
    db = sqlite3.connect(DB)
    ids = [r[0] for r in db.execute(
        "SELECT u.id FROM project_update u JOIN project p ON p.id = u.project_id "
        "JOIN strategy s ON s.id = p.strategy_id WHERE s.code = ? ORDER BY u.id", (STRATEGY,))]
    need = SHARED + EDITORS * OWN
    if len(ids) < need:
        sys.exit("editors.py: %d progress updates, %d needed" % (len(ids), need))
    if db.execute("SELECT count(*) FROM project_update WHERE version <> 1").fetchone()[0]:
        sys.exit("editors.py: the database was edited before: import it afresh")
    start_audit = db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    db.close()
    rnd = random.Random(1)
    rnd.shuffle(ids)
    shared = ids[:SHARED]
    owns = [ids[SHARED + k * OWN: SHARED + (k + 1) * OWN] for k in range(EDITORS)]

    t0 = time.time()
    with ThreadPoolExecutor(2) as ex:
        sessions = list(ex.map(sign_in, ["ed%03d" % k for k in range(EDITORS)]))
    print("signed in %d accounts through /login in %.1f s (2 at a time)" % (EDITORS, time.time() - t0))
    if SESSION_FILE:
        with open(SESSION_FILE, "w") as f:
            f.write(sessions[0] + "\n")

    deadline = time.time() + DURATION
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=process_main,
                                     args=(list(range(p, EDITORS, PROCS)), sessions, owns, shared,
                                           deadline, q)) for p in range(PROCS)]
    t0 = time.time()
    for p in procs:
        p.start()
    events = []
    for _ in procs:
        events += q.get()
    for p in procs:
        p.join()
    elapsed = time.time() - t0

    saved = [e for e in events if e[0] == "saved"]
    conflicts = [e for e in events if e[0] == "conflict"]
    errors = [e for e in events if e[0] == "error"]
    ms = lambda v: "%.1f ms" % (v * 1000)
    lat = [e[4] for e in saved]
    print("%d editors for %.0f s (%d processes): %d saves (%.0f/s), %d genuine conflicts, %d errors"
          % (EDITORS, elapsed, PROCS, len(saved), len(saved) / elapsed, len(conflicts), len(errors)))
    print("save (POST -> 303): p50 %s, p90 %s, p99 %s, max %s" %
          (ms(pct(lat, 50)), ms(pct(lat, 90)), ms(pct(lat, 99)), ms(max(lat) if lat else 0)))
    clat = [e[4] for e in conflicts]
    if clat:
        print("conflict (POST -> 409): p50 %s, p99 %s" % (ms(pct(clat, 50)), ms(pct(clat, 99))))
    shared_saves = sum(1 for e in saved if e[1] in set(shared))
    print("shared updates (%d): %d saves, %d conflicts; own updates: %d saves"
          % (SHARED, shared_saves, len(conflicts), len(saved) - shared_saves))
    for msg, n in Counter(e[3] for e in errors).most_common(10):
        print("  error x%d: %s" % (n, msg))

    # The database: no lost write.
    lost = []
    by = defaultdict(list)
    for e in saved:
        by[e[1]].append(e)
    db = sqlite3.connect(DB)
    final = {r[0]: (r[1], r[2]) for r in db.execute(
        "SELECT id, version, text FROM project_update WHERE id IN (%s)" %
        ",".join(str(i) for i in set(shared) | {i for o in owns for i in o}))}
    audit = defaultdict(list)
    for key, after in db.execute("SELECT entity_key, after FROM audit WHERE id > ? AND "
                                 "entity = 'update' AND action = 'update' ORDER BY id",
                                 (start_audit,)):
        audit[int(key.rsplit("/update/", 1)[1])].append(json.loads(after).get("text"))
    for uid, (version, text) in final.items():
        s = by.get(uid, [])
        if version != 1 + len(s):
            lost.append("update %d: version %d after %d saves" % (uid, version, len(s)))
        froms = sorted(e[2] for e in s)
        if froms != list(range(1, len(s) + 1)):
            lost.append("update %d: saves started from versions %s" % (uid, froms[:20]))
        if s:
            last = [e for e in s if e[2] == len(s)]
            if not last or last[0][3] != text:
                lost.append("update %d: the text is not that of the last save" % uid)
        if sorted(audit.get(uid, [])) != sorted(e[3] for e in s):
            lost.append("update %d: %d audit entries for %d saves (or other texts)"
                        % (uid, len(audit.get(uid, [])), len(s)))
    extra = set(audit) - set(final)
    if extra:
        lost.append("audit entries for updates nobody saved: %s" % sorted(extra)[:10])
    print("database: %d updates touched, versions = 1 + saves, %d audit entries for %d saves: %s"
          % (len(by), sum(len(v) for v in audit.values()), len(saved),
             "no lost write" if not lost else "%d PROBLEMS" % len(lost)))
    for m in lost[:20]:
        print("  LOST: " + m)
    return 1 if errors or lost or not saved else 0


if __name__ == "__main__":
    sys.exit(main())
