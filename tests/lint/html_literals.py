#!/usr/bin/env python3
"""html_literals.py — finds markup and entities handed to an escaping formatter.

Usage: html_literals.py SRC_DIR [FILE...]

html_printf escapes every %s (html.h); raw markup comes only from its
format and from html_lit. A string literal that holds markup or an HTML
entity and reaches an escaping place anyway comes out escaped twice
(`&amp;amp;year=` in a link, `class=&quot;num&quot;` in a tag): a broken
link or attribute. The compiler cannot tell a literal argument from any
other pointer, so this test reads the code. For every .c and .h under
SRC_DIR (or the FILEs) it reports:

  1. a string literal, or a macro whose body is one, holding markup (a tag
     `<x` `</x` `<!`, an entity `&name;` `&#N;`, an attribute `name="`) in
     an argument of an escaping function (ESCAPING) that it escapes, e.g.
        html_printf(b, "<th%s>", num ? " class=\\"num\\"" : "");
  2. in the layers that build pages (src/web, src/report), a string literal
     holding markup that stands outside every call (an assignment, an
     initializer, a return): as a value it can only reach an escaping %s,
     e.g. sep = "&amp;"; ... html_printf(b, "%ssort=", sep);
     Literals given to other functions (strstr, buf_puts in an encoder) are
     the callee's business.

Prints FILE:LINE: what, per finding; exit status 1 when there is one.
"""
import os
import re
import sys

# Escaping functions: name -> index of their format argument; arguments
# after it are escaped. None: every argument after the first is text that
# gets escaped (there is no format).
ESCAPING = {
    "html_printf": 1, "html_printf_": 1, "http_error": 3, "form_problem": 3,
    "html_text": None, "html_text_n": None, "html_attr": None, "html_url_param": None,
    "form_field": None, "form_select": None, "form_end": None,
    "heading": 3, "text_block": 2, "cell": 4,  # src/report/report_build.c: text, escaped later
}
PAGE_LAYERS = ("web", "report")
TAG_OR_ENTITY = r'<[A-Za-z/!]|&(#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);'
MARKUP = re.compile(TAG_OR_ENTITY + r'|[A-Za-z-]+="')
# Outside a call, only an HTML attribute counts (filename="a.csv" is a header).
VALUE_MARKUP = re.compile(TAG_OR_ENTITY + r'|(?<![A-Za-z-])(class|id|href|src|style|title|role|'
                          r'scope|name|value|type|for|alt|lang|datetime|colspan|rowspan|width|'
                          r'height|viewBox|fill|stroke|transform|aria-[a-z]+|data-[a-z-]+)="')

TOKEN = re.compile(r'''
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[(),;{}])
  | (?P<cont>\\\n)
  | (?P<newline>\n)
  | (?P<hash>\#)
  | (?P<other>.)
''', re.S | re.X)


def unescape(lit):
    """The text of a C string literal (enough for the patterns above)."""
    body = lit[lit.index('"') + 1:-1]
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def tokens(text):
    """[kind, value, line, define]: define is the name of the #define the
    token is in the body of (else None). Comments and blanks are dropped."""
    line, out, bol, directive, define = 1, [], True, False, None
    for m in TOKEN.finditer(text):
        kind, val = m.lastgroup, m.group()
        if kind in ("newline", "cont"):
            line += 1
            if kind == "newline":
                bol, directive, define = True, False, None
            continue
        if kind == "comment":
            line += val.count("\n")
            continue
        if kind == "other" and val.isspace():
            continue
        if kind == "hash" and bol:
            directive = True
        elif directive and define is None and kind == "ident" and out and \
                out[-1][1] == "define":
            define = val
            bol = False
            out.append([kind, val, line, None])
            continue
        bol = False
        out.append([kind, val, line, define])
    return out


def scan(path, findings, macros):
    text = open(path, encoding="utf-8", errors="replace").read()
    layer = any(("%s%s%s" % (os.sep, d, os.sep)) in path for d in PAGE_LAYERS)
    stack = []   # the calls around a token: [name, argument index]
    prev = None
    for kind, val, line, define in tokens(text):
        if define:
            # A macro's body: a literal in it is checked where the macro is used.
            if kind == "string" and MARKUP.search(unescape(val)):
                macros[define] = unescape(val)
            continue
        if kind == "punct" and val == "(":
            stack.append([prev[1] if prev and prev[0] == "ident" else None, 0])
        elif kind == "punct" and val == ")":
            if stack:
                stack.pop()
        elif kind == "punct" and val == ",":
            if stack:
                stack[-1][1] += 1
        elif kind == "punct" and val in ";{}":
            stack = []  # a statement ends: whatever was open was not a call
        elif kind in ("string", "ident"):
            s = unescape(val) if kind == "string" else macros.get(val)
            if s is not None and MARKUP.search(s):
                check(path, line, s, val if kind == "ident" else None, stack, layer, findings)
        prev = (kind, val)


def check(path, line, s, macro, stack, layer, findings):
    what = ("the macro %s (%r)" % (macro, s[:50])) if macro else repr(s[:60])
    calls = [c for c in stack if c[0]]
    if calls:  # the outermost call decides where the value lands
        name, arg = calls[0]
        fmt = ESCAPING.get(name, -1)
        if name in ESCAPING and (arg >= 1 if fmt is None else arg > fmt):
            findings.append("%s:%d: %s holds markup and is an argument of %s, which escapes "
                            "it: write the markup in the format, or with html_lit"
                            % (path, line, what, name))
    elif layer and not macro and VALUE_MARKUP.search(s):
        findings.append("%s:%d: %s holds markup outside html_printf's format and html_lit: as a "
                        "value it can only reach an escaping %%s" % (path, line, what))


def main():
    src = sys.argv[1]
    files = sys.argv[2:]
    if not files:
        for root, _, names in os.walk(src):
            files += [os.path.join(root, n) for n in sorted(names) if n.endswith((".c", ".h"))]
    findings, macros = [], {}
    # Headers first, so that their macros are known in every .c file.
    for f in sorted(files, key=lambda f: (not f.endswith(".h"), f)):
        scan(f, findings, macros)
    for x in findings:
        print(x)
    print("html_literals.py: %d files, %d findings" % (len(files), len(findings)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
