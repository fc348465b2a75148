#!/usr/bin/env python3
"""api_schema.py — the JSON API answers what docs/openapi.json says.

Usage: api_schema.py ITSTRAT DB SRC

Starts `itstrat serve` on DB (the demo, a generated strategy and the hostile
one), asks every /api/v1 path of docs/openapi.json for each strategy with and
without its documented parameters, and checks each answer against the
document: the status, the content type, and the body against the path's
schema — types, required members, enums, ranges, and no member the document
does not name (a new member must be documented). Error answers (400, 404)
must match the Error schema. Every path must have been answered 200 at least
once. Prints "N passed, N failed"; exit status 1 when anything failed.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve  # noqa: E402  (tests/http/serve.py)

ITSTRAT, DB, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
SLOW = float(os.environ.get("ITSTRAT_TIME_FACTOR", "1"))
DOC = json.load(open(os.path.join(SRC, "docs/openapi.json"), encoding="utf-8"))
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL api_schema: " + what, flush=True)
    return ok


def deref(node):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = DOC
        for p in parts:
            node = node[p]
    return node


def validate(value, schema, where, errors):
    """Appends to errors every way value differs from schema (OpenAPI 3.0
    subset: type, nullable, properties, required, items, enum, minimum, maximum,
    maxLength, pattern). Objects with properties admit no other member."""
    schema = deref(schema)
    if value is None and schema.get("nullable"):
        return
    t = schema.get("type")
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
             "array": list, "object": dict}
    if t:
        ok = isinstance(value, types[t]) and not (t in ("integer", "number") and isinstance(value, bool))
        if t == "integer" and isinstance(value, float):
            ok = False
        if not ok:
            errors.append("%s: %r is not of type %s" % (where, value, t))
            return
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r is not one of %s" % (where, value, schema["enum"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append("%s: %r < %s" % (where, value, schema["minimum"]))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append("%s: %r > %s" % (where, value, schema["maximum"]))
    if isinstance(value, str):
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append("%s: longer than %d" % (where, schema["maxLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append("%s: %r does not match %s" % (where, value, schema["pattern"]))
        if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            errors.append("%s: %r is not a date" % (where, value))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value[:200]):
            validate(v, schema["items"], "%s[%d]" % (where, i), errors)
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        for r in schema.get("required", []):
            if r not in value:
                errors.append("%s: the required member %s is missing" % (where, r))
        for k, v in value.items():
            if k not in props:
                errors.append("%s: the member %s is not documented" % (where, k))
            else:
                validate(v, props[k], where + "." + k, errors)


def start():
    return serve.start(ITSTRAT, DB, "api-schema", ("--open-read",), SLOW)


TOKEN = os.environ.get("ITSTRAT_TOKEN")  # a read token: the records paths need an account


def get(port, url):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, url))
    if TOKEN:
        req.add_header("Authorization", "Bearer " + TOKEN)
    try:
        with urllib.request.urlopen(req, timeout=30 * SLOW) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def main():
    proc, port, err = start()
    answered = set()
    try:
        _, _, body = get(port, "/api/v1/strategies")
        codes = [s["code"] for s in json.loads(body)["strategies"]]
        check(len(codes) == 3, "expected 3 strategies, got %s" % codes)
        for code in codes:
            strat = json.loads(get(port, "/api/v1/strategies/" + code)[2])
            # Codes of each kind of object, for {code} paths and filters.
            ind = json.loads(get(port, "/api/v1/strategies/%s/indicators" % code)[2] or b"{}")
            prj = json.loads(get(port, "/api/v1/strategies/%s/projects?limit=3" % code)[2] or b"{}")
            first_year = strat.get("first_year", 2020)
            output = (strat.get("outcomes") or [{}])[0].get("outputs", [{}])
            output = output[0].get("code") if output else None
            cat = (strat.get("categories") or [{}])[0].get("code")
            urls = []
            recs = json.loads(get(port, "/api/v1/strategies/%s/records/project" % code)[2] or b"{}")
            rec_id = (recs.get("records") or [{}])[0].get("id")
            for path, item in DOC["paths"].items():
                base = path.replace("{s}", code).replace("{entity}", "project")
                if "{id}" in path:
                    if not rec_id:
                        continue
                    urls.append((path, base.replace("{id}", "999999999"), 404))
                    base = base.replace("{id}", str(rec_id))
                if "{code}" in path:
                    objs = ind.get("indicators") if "/indicators/" in path else prj.get("projects")
                    if not objs:
                        continue
                    for o in objs[1:3]:  # a few more objects, plainly
                        urls.append((path, base.replace("{code}", o["code"]), 200))
                    urls.append((path, base.replace("{code}", "nothing-here"), 404))
                    base = base.replace("{code}", objs[0]["code"])
                urls.append((path, base, 200))
                # Each documented query parameter once, with a plausible value.
                for prm in item["get"].get("parameters", []):
                    prm = deref(prm)
                    if prm["in"] != "query":
                        continue
                    sch = deref(prm["schema"])
                    name = prm["name"]
                    value = {"year": first_year, "outcome": 1, "output": output, "category": cat,
                             "q": "system", "limit": 2, "offset": 1, "date": "%d-06-30" % first_year,
                             "unit": "INFOTEC", "level": "high"}.get(name)
                    if "enum" in sch:
                        value = sch["enum"][-1]
                    if value is None or (name == "category" and "/projects" not in path and
                                         "/stats" not in path):
                        continue
                    urls.append((path, "%s?%s=%s" % (base, name, value), {200, 400}))
                    # A bad value of a typed parameter is a 400 naming it.
                    if sch.get("type") == "integer" or "enum" in sch:
                        urls.append((path, "%s?%s=zz%%3Cx%%3E" % (base, name), 400))
                urls.append((path, base + "?no_such_parameter=1", 400))
            for path, url, want in urls:
                status, ctype, body = get(port, url)
                wants = want if isinstance(want, set) else {want}
                if not check(status in wants, "%s answered %d, expected %s: %s" %
                             (url, status, sorted(wants), body[:300])):
                    continue
                check(ctype.startswith("application/json"), "%s: content type %s" % (url, ctype))
                try:
                    value = json.loads(body)
                except ValueError as e:
                    check(False, "%s: not JSON: %s" % (url, e))
                    continue
                op = DOC["paths"][path]["get"]
                resp = op["responses"].get(str(status))
                if not check(resp is not None, "%s: status %d is not documented" % (url, status)):
                    continue
                schema = resp["content"]["application/json"]["schema"]
                errors = []
                validate(value, schema, url, errors)
                for e in errors[:10]:
                    check(False, e)
                check(not errors, "%s: %d differences from docs/openapi.json" % (url, len(errors)))
                if status == 400:
                    m = re.match(r"[?&]?([a-z_]+)=", url.split("?", 1)[1])
                    check(m and ("parameter " + m.group(1)) in value["error"]["message"],
                          "%s: the 400 does not name the parameter: %s" % (url, value["error"]["message"]))
                if status == 200:
                    answered.add(path)
        for path in DOC["paths"]:
            check(path in answered, "%s was never answered 200" % path)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=20 * SLOW)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        err.close()
        check(rc == 0, "the server exited %s" % rc)
    print("api_schema: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
