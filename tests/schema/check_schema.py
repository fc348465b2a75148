#!/usr/bin/env python3
"""Validates itstrat strategy documents against a JSON Schema (draft 2020-12).

usage: check_schema.py SCHEMA FILE...

Prints one line per problem, "FILE: PATH: message", where PATH is written the
way `itstrat import` writes it (projects[12].locations[0].status), and exits 1
when any file has a problem, 2 on a usage error or a missing dependency.
Duplicate member names and NaN/Infinity, which a schema cannot see, are
reported too, as `itstrat import` refuses them.

Needs python3-jsonschema (Debian 12: 4.10; any version with
Draft202012Validator works). scripts/install-deps.sh installs it.
"""
import json
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    sys.stderr.write("check_schema.py: the Python module jsonschema (draft 2020-12) is missing: "
                     "run scripts/install-deps.sh (Debian package python3-jsonschema)\n")
    sys.exit(2)


class DocumentError(Exception):
    pass


def no_duplicates(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise DocumentError('"%s" appears twice in one object' % key)
        obj[key] = value
    return obj


def no_constant(name):
    raise DocumentError("%s is not JSON" % name)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates,
                      parse_constant=no_constant)


def json_path(parts):
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        else:
            out += ("." if out else "") + str(p)
    return out or "(document)"


def message(error):
    """The validator's message, shortened for big instances, with the
    description of the failing rule where the message alone says little."""
    text = error.message
    if len(text) > 300:
        text = text[:200] + " ... " + text[-80:]
    desc = error.schema.get("description") if isinstance(error.schema, dict) else None
    if desc and error.validator in ("oneOf", "anyOf", "not"):
        text = "%s (%s)" % (desc, error.validator)
    elif desc and error.validator == "pattern":
        shown = repr(error.instance)
        if len(shown) > 80:
            shown = shown[:60] + "..." + shown[-10:]
        text = "%s does not match the pattern of: %s" % (shown, desc)
    return text


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        schema = load(argv[1])
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, DocumentError) as e:
        sys.stderr.write("%s: cannot read the schema: %s\n" % (argv[1], e))
        return 2
    except jsonschema.exceptions.SchemaError as e:
        sys.stderr.write("%s: not a valid draft 2020-12 schema: %s at %s\n"
                         % (argv[1], e.message, json_path(e.absolute_path)))
        return 2
    validator = Draft202012Validator(schema)
    failed = False
    for path in argv[2:]:
        try:
            doc = load(path)
        except (OSError, UnicodeDecodeError, ValueError, DocumentError) as e:
            print("%s: %s" % (path, e))
            failed = True
            continue
        errors = sorted(validator.iter_errors(doc),
                        key=lambda e: ([(0, p, "") if isinstance(p, int) else (1, 0, p)
                                        for p in e.absolute_path], e.message))
        for e in errors:
            print("%s: %s: %s" % (path, json_path(e.absolute_path), message(e)))
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
