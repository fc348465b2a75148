/*
 * test_routes.c — the route table (routes.c) says what exists, and the
 * documentation says the same:
 *  - the table is sorted by pattern, every route has a handler, methods and
 *    help, patterns are well formed, {s} routes need PERM_READ, and no route
 *    hides a later one from the dispatcher;
 *  - the route table of docs/api.md lists exactly the same routes with the
 *    same methods and permissions, in order, and every /api/v1 route has its
 *    own section there;
 *  - docs/openapi.json is OpenAPI 3.0 JSON whose paths are exactly the
 *    /api/v1 routes, each GET with a 200 answer and its path parameters;
 *  - the dispatcher answers 404, 405 (with Allow), the canonical-address
 *    redirect and unknown strategies without reaching a handler.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "routes.h"

/* The text of a file of the source tree (caller frees). */
static char *read_src(const char *rel)
{
    const char *src = getenv("ITSTRAT_SRC");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s (set ITSTRAT_SRC to the source tree)", path);
    Buf b = BUF_INIT;
    char chunk[8192];
    for (size_t n; (n = fread(chunk, 1, sizeof chunk, f)) > 0;) buf_append(&b, chunk, n);
    fclose(f);
    buf_str(&b);
    return b.a ? buf_detach(&b) : calloc(1, 1);
}

static int is_api(const Route *r)
{
    return strncmp(r->pattern, "/api/v1/", 8) == 0;
}

/* "GET, HEAD" for a method set, as docs/api.md writes it. */
static const char *methods_text(unsigned m, char *out, size_t n)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {M_GET, "GET"}, {M_HEAD, "HEAD"}, {M_POST, "POST"}, {M_PUT, "PUT"},
        {M_PATCH, "PATCH"}, {M_DELETE, "DELETE"}};
    out[0] = 0;
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (m & names[k].bit) {
            if (out[0]) strncat(out, ", ", n - strlen(out) - 1);
            strncat(out, names[k].name, n - strlen(out) - 1);
        }
    return out;
}

static void test_table_sorted_and_complete(void **state)
{
    (void)state;
    assert_true(nroutes >= 28);
    for (int k = 0; k < nroutes; k++) {
        const Route *r = &routes[k];
        if (k && strcmp(routes[k - 1].pattern, r->pattern) >= 0)
            fail_msg("routes not sorted by pattern: \"%s\" before \"%s\"", routes[k - 1].pattern,
                     r->pattern);
        if (!r->handler) fail_msg("%s has no handler", r->pattern);
        if (!r->help || strlen(r->help) < 10) fail_msg("%s has no help text", r->pattern);
        if (strlen(r->help) > 100) fail_msg("%s: the help is longer than one line", r->pattern);
        if (!r->methods) fail_msg("%s takes no method", r->pattern);
        if ((r->methods & M_GET) && !(r->methods & M_HEAD))
            fail_msg("%s takes GET but not HEAD", r->pattern);
    }
}

static void test_patterns_well_formed(void **state)
{
    (void)state;
    for (int k = 0; k < nroutes; k++) {
        const char *p = routes[k].pattern;
        if (p[0] != '/') fail_msg("\"%s\" does not start with /", p);
        if (strcmp(p, "/") && p[strlen(p) - 1] == '/') fail_msg("\"%s\" ends with /", p);
        if (strstr(p, "//")) fail_msg("\"%s\" has an empty segment", p);
        int nargs = 0, has_s = 0;
        for (const char *seg = p + 1; *seg;) {
            size_t len = strcspn(seg, "/");
            if (seg[0] == '{') {
                if (len < 3 || seg[len - 1] != '}') fail_msg("\"%s\": a bad {name}", p);
                for (size_t i = 1; i < len - 1; i++)
                    if (seg[i] < 'a' || seg[i] > 'z') fail_msg("\"%s\": {name} not in a-z", p);
                if (len == 3 && seg[1] == 's') {
                    if (nargs != 0) fail_msg("\"%s\": {s} is not the first argument", p);
                    has_s = 1;
                }
                nargs++;
            } else {
                for (size_t i = 0; i < len; i++)
                    if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789._-", seg[i]))
                        fail_msg("\"%s\": '%c' in a literal segment", p, seg[i]);
            }
            seg += len;
            if (*seg == '/') seg++;
        }
        if (nargs > 4) fail_msg("\"%s\": more than four arguments", p);
        if (has_s && strncmp(p, "/s/{s}", 6) && strncmp(p, "/api/v1/strategies/{s}", 22))
            fail_msg("\"%s\": {s} outside /s/{s} and /api/v1/strategies/{s}", p);
        if (has_s && routes[k].perm == PERM_ANY)
            fail_msg("\"%s\": a strategy's route needs at least PERM_READ", p);
        if (!has_s && routes[k].perm == PERM_READ)
            fail_msg("\"%s\": PERM_READ is about a strategy; this route has none", p);
        if (strncmp(p, "/api/", 5) == 0 && !is_api(&routes[k]))
            fail_msg("\"%s\": the API lives under /api/v1/", p);
    }
}

/* A concrete path of pattern: each {name} becomes "x-NAME" (so "{s}" -> "x-s"). */
static void concrete(const char *pattern, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = pattern; *p && o + 8 < n;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            o += (size_t)snprintf(out + o, n - o, "x-%.*s", (int)(e - p - 1), p + 1);
            p = e + 1;
        } else out[o++] = *p++;
    }
    out[o] = 0;
}

/* Whether pattern matches path, segment by segment ({x}: any non-empty). */
static int matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        size_t pl = strcspn(pattern, "/"), ul = strcspn(path, "/");
        if (pattern[0] == '{') {
            if (!ul) return 0;
        } else if (pl != ul || memcmp(pattern, path, pl)) return 0;
        pattern += pl, path += ul;
        if (*pattern != *path) return 0;
        if (*pattern) pattern++, path++;
    }
    return !*pattern && !*path;
}

static void test_no_route_hides_another(void **state)
{
    (void)state;
    char path[512];
    for (int k = 0; k < nroutes; k++) {
        concrete(routes[k].pattern, path, sizeof path);
        if (!matches(routes[k].pattern, path)) fail_msg("test bug: %s", path);
        for (int j = 0; j < k; j++)
            if (matches(routes[j].pattern, path))
                fail_msg("%s (for %s) is taken by the earlier %s", path, routes[k].pattern,
                         routes[j].pattern);
    }
}

/* The cells of a Markdown table row "| a | b | c |" (trimmed, `code` kept). */
static int row_cells(const char *line, char cells[][200], int max)
{
    int n = 0;
    const char *p = strchr(line, '|');
    while (p && n < max) {
        const char *q = strchr(p + 1, '|');
        if (!q) break;
        const char *a = p + 1, *b = q;
        while (a < b && *a == ' ') a++;
        while (b > a && b[-1] == ' ') b--;
        snprintf(cells[n++], 200, "%.*s", (int)(b - a), a);
        p = q;
    }
    return n;
}

/* docs/api.md's route table, between "<!-- routes -->" and "<!-- /routes -->":
 * | `PATTERN` | METHODS | PERMISSION | what |  — exactly the table of routes.c. */
static void test_docs_route_table(void **state)
{
    (void)state;
    char *md = read_src("docs/api.md");
    const char *begin = strstr(md, "<!-- routes -->"), *end = strstr(md, "<!-- /routes -->");
    if (!begin || !end || end < begin)
        fail_msg("docs/api.md has no route table between <!-- routes --> and <!-- /routes -->");
    int k = 0;
    for (const char *line = begin; line < end; line = strchr(line, '\n') + 1) {
        if (strncmp(line, "| `", 3) != 0) continue;
        char cells[6][200], want[64], row[1024];
        const char *nl = strchr(line, '\n');
        snprintf(row, sizeof row, "%.*s", (int)(nl - line), line);
        int n = row_cells(row, cells, 6);
        if (n < 5) fail_msg("docs/api.md: a route row with %d cells: %s", n, row);
        if (k >= nroutes) fail_msg("docs/api.md lists %s, which routes.c does not have", cells[0]);
        const Route *r = &routes[k++];
        char pat[210];
        snprintf(pat, sizeof pat, "`%s`", r->pattern);
        if (strcmp(cells[0], pat))
            fail_msg("docs/api.md route %d is %s; routes.c has %s there (same order, please)", k,
                     cells[0], pat);
        if (strcmp(cells[1], methods_text(r->methods, want, sizeof want)))
            fail_msg("docs/api.md: %s takes \"%s\", routes.c says \"%s\"", pat, cells[1], want);
        const char *perm = routes_perm_name(r->perm);
        if (strcmp(cells[2], perm))
            fail_msg("docs/api.md: %s needs \"%s\", routes.c says \"%s\"", pat, cells[2], perm);
        const char *wperm = r->methods & (M_POST | M_PATCH | M_DELETE | M_PUT)
                                ? routes_perm_name(r->wperm) : "—";
        if (strcmp(cells[3], wperm))
            fail_msg("docs/api.md: %s writes need \"%s\", routes.c says \"%s\"", pat, cells[3],
                     wperm);
        if (n < 5 || !cells[4][0]) fail_msg("docs/api.md: %s says nothing about the route", pat);
    }
    if (k != nroutes)
        fail_msg("docs/api.md lists %d routes; routes.c has %d (next: %s)", k, nroutes,
                 routes[k].pattern);
    /* Every API route has its own section: "### GET /api/v1/...". */
    for (int j = 0; j < nroutes; j++) {
        if (!is_api(&routes[j])) continue;
        char head[300];
        snprintf(head, sizeof head, "\n### GET %s\n", routes[j].pattern);
        if (!strstr(md, head)) fail_msg("docs/api.md has no section \"### GET %s\"", routes[j].pattern);
    }
    free(md);
}

static void test_openapi(void **state)
{
    (void)state;
    char *text = read_src("docs/openapi.json");
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    if (!doc) fail_msg("docs/openapi.json: line %d: %s", je.line, je.text);
    const char *version = json_string_value(json_object_get(doc, "openapi"));
    if (!version || strncmp(version, "3.0.", 4)) fail_msg("docs/openapi.json: openapi is not 3.0.x");
    json_t *info = json_object_get(doc, "info");
    if (!json_is_string(json_object_get(info, "title")) ||
        !json_is_string(json_object_get(info, "version")))
        fail_msg("docs/openapi.json: info needs title and version");
    json_t *paths = json_object_get(doc, "paths");
    if (!json_is_object(paths)) fail_msg("docs/openapi.json: no paths");
    size_t napi = 0;
    for (int k = 0; k < nroutes; k++) {
        const Route *r = &routes[k];
        if (!is_api(r)) continue;
        napi++;
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) fail_msg("docs/openapi.json has no path %s", r->pattern);
        json_t *get = json_object_get(item, "get");
        if (!get) fail_msg("docs/openapi.json: %s has no get", r->pattern);
        json_t *responses = json_object_get(get, "responses");
        if (!json_object_get(responses, "200"))
            fail_msg("docs/openapi.json: %s get has no 200 answer", r->pattern);
        if (!json_is_string(json_object_get(get, "summary")) &&
            !json_is_string(json_object_get(get, "description")))
            fail_msg("docs/openapi.json: %s get says nothing", r->pattern);
        /* Each {name} of the pattern is a required path parameter, here or on
         * the path item. */
        for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(strchr(p, '}') - p - 1), p + 1);
            int found = 0;
            json_t *lists[2] = {json_object_get(get, "parameters"), json_object_get(item, "parameters")};
            for (int l = 0; l < 2; l++) {
                size_t i;
                json_t *prm;
                json_array_foreach(lists[l], i, prm) {
                    json_t *ref = json_object_get(prm, "$ref");
                    if (ref) { /* #/components/parameters/NAME */
                        const char *s = json_string_value(ref);
                        const char *last = s ? strrchr(s, '/') : NULL;
                        prm = last ? json_object_get(json_object_get(json_object_get(doc,
                                         "components"), "parameters"), last + 1) : NULL;
                    }
                    const char *in = json_string_value(json_object_get(prm, "in"));
                    const char *nm = json_string_value(json_object_get(prm, "name"));
                    if (in && nm && !strcmp(in, "path") && !strcmp(nm, name) &&
                        json_is_true(json_object_get(prm, "required")))
                        found = 1;
                }
            }
            if (!found)
                fail_msg("docs/openapi.json: %s lacks the required path parameter %s", r->pattern,
                         name);
        }
    }
    if (json_object_size(paths) != napi) {
        const char *key;
        json_t *v;
        json_object_foreach(paths, key, v) {
            int known = 0;
            for (int k = 0; k < nroutes; k++) known |= !strcmp(routes[k].pattern, key);
            if (!known) fail_msg("docs/openapi.json has %s, which routes.c does not", key);
        }
    }
    json_decref(doc);
    free(text);
}

/* ---- the dispatcher, on an in-memory database ------------------------- */

static const char small_strategy[] =
    "{\"format\": \"itstrat/1\", \"strategy\": {\"code\": \"S\", \"title\": \"Small\","
    " \"first_year\": 2020, \"last_year\": 2021, \"public\": true},"
    " \"outcomes\": [{\"number\": 1, \"title\": \"One\", \"outputs\": [{\"code\": \"1.1\","
    " \"title\": \"Out\"}]}],"
    " \"projects\": [{\"code\": \"P1\", \"title\": \"A project\", \"output\": \"1.1\", \"status\": \"approved\"}]}";

typedef struct Fixture {
    Db *db;
    Store store;
} Fixture;

static int setup(void **state)
{
    Fixture *fx = calloc(1, sizeof *fx);
    Buf err = BUF_INIT;
    if (db_open(":memory:", DB_OPEN_CREATE, &fx->db, &err)) fail_msg("%s", buf_str(&err));
    if (import_json(fx->db, small_strategy, sizeof small_strategy - 1, &err, NULL) != IMPORT_DONE)
        fail_msg("%s", buf_str(&err));
    buf_free(&err);
    store_init(&fx->store, fx->db);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    store_done(&fx->store);
    db_close(fx->db);
    free(fx);
    return 0;
}

/* Dispatches method path?query; the response in *rs (caller frees body and arena). */
static void dispatch(Fixture *fx, Req *rq, Resp *rs, unsigned method, const char *path,
                     const char *query)
{
    memset(rq, 0, sizeof *rq);
    memset(rs, 0, sizeof *rs);
    rs->status = 200;
    rs->content_type = "text/html; charset=utf-8";
    rq->method = method;
    rq->path = path;
    rq->raw_query = query;
    rq->db = fx->db;
    rq->store = &fx->store;
    Buf err = BUF_INIT;
    if (query_parse(query, &rq->arena, &rq->query, &err)) fail_msg("%s", buf_str(&err));
    buf_free(&err);
    routes_dispatch(rq, rs);
}

static void done(Req *rq, Resp *rs)
{
    buf_free(&rs->body);
    arena_free(&rq->arena);
}

static void test_dispatch_errors(void **state)
{
    Fixture *fx = *state;
    Req rq;
    Resp rs;
    static const char *const missing[] = {"/nope", "/s", "/s/S/nope", "/s/S/projects",
                                          "/api/v1", "/api/v1/strategies/S/nope", "/static",
                                          "/S", "/s//portfolio"};
    for (size_t k = 0; k < sizeof missing / sizeof *missing; k++) {
        dispatch(fx, &rq, &rs, M_GET, missing[k], NULL);
        if (rs.status != 404) fail_msg("GET %s: %d, not 404", missing[k], rs.status);
        done(&rq, &rs);
    }
    /* Under /api/ the error is JSON. */
    dispatch(fx, &rq, &rs, M_GET, "/api/v1/nope", NULL);
    assert_int_equal(rs.status, 404);
    assert_string_equal(rs.content_type, "application/json");
    json_t *j = json_loads(buf_str(&rs.body), 0, NULL);
    if (!j || !json_object_get(j, "error")) fail_msg("not a JSON error: %s", buf_str(&rs.body));
    json_decref(j);
    done(&rq, &rs);
    /* Every route refuses POST with 405 and an Allow of what it takes. */
    char path[512], want[64];
    for (int k = 0; k < nroutes; k++) {
        concrete(routes[k].pattern, path, sizeof path);
        for (char *p = path; (p = strstr(p, "x-s"));) { /* the strategy S */
            memmove(p + 1, p + 3, strlen(p + 3) + 1);
            *p = 'S';
        }
        dispatch(fx, &rq, &rs, M_POST, path, NULL);
        if (routes[k].methods & M_POST) {
            /* A route that takes POST: refused before its handler without a
             * session and its form token (401 from the API, 403 a form). */
            if (rs.status != 401 && rs.status != 403)
                fail_msg("POST %s without a form token: %d, not 401/403", path, rs.status);
            done(&rq, &rs);
            continue;
        }
        if (rs.status != 405) fail_msg("POST %s: %d, not 405", path, rs.status);
        if (!rs.allow || strcmp(rs.allow, methods_text(routes[k].methods, want, sizeof want)))
            fail_msg("POST %s: Allow \"%s\", not \"%s\"", path, rs.allow ? rs.allow : "", want);
        done(&rq, &rs);
    }
    /* Anonymous: an unknown strategy is refused like a private one (sign in
     * first), so its absence tells nothing; the API says 401. */
    dispatch(fx, &rq, &rs, M_GET, "/s/NOPE/portfolio", NULL);
    assert_int_equal(rs.status, 303);
    assert_non_null(strstr(rs.location, "/login?next="));
    done(&rq, &rs);
    dispatch(fx, &rq, &rs, M_GET, "/api/v1/strategies/NOPE/risks", NULL);
    assert_int_equal(rs.status, 401);
    done(&rq, &rs);
    /* Where anyone may read everything, an unknown strategy is a 404 before
     * any handler runs. */
    web_config.open_read = 1;
    dispatch(fx, &rq, &rs, M_GET, "/s/NOPE/portfolio", NULL);
    assert_int_equal(rs.status, 404);
    assert_non_null(strstr(buf_str(&rs.body), "NOPE"));
    done(&rq, &rs);
    dispatch(fx, &rq, &rs, M_GET, "/api/v1/strategies/NOPE/risks", NULL);
    assert_int_equal(rs.status, 404);
    assert_string_equal(rs.content_type, "application/json");
    done(&rq, &rs);
    /* Markup in an unknown strategy's code is escaped in the 404 page. */
    dispatch(fx, &rq, &rs, M_GET, "/s/<b>x", NULL);
    assert_int_equal(rs.status, 404);
    assert_null(strstr(buf_str(&rs.body), "<b>x"));
    assert_non_null(strstr(buf_str(&rs.body), "&lt;b&gt;x"));
    done(&rq, &rs);
    web_config.open_read = 0;
}

static void test_dispatch_redirects(void **state)
{
    Fixture *fx = *state;
    Req rq;
    Resp rs;
    /* One address per page: a trailing slash is redirected away... */
    dispatch(fx, &rq, &rs, M_GET, "/s/S/", NULL);
    assert_int_equal(rs.status, 303);
    assert_string_equal(rs.location, "/s/S");
    done(&rq, &rs);
    dispatch(fx, &rq, &rs, M_HEAD, "/s/S/risks/", NULL);
    assert_int_equal(rs.status, 303);
    assert_string_equal(rs.location, "/s/S/risks");
    done(&rq, &rs);
    /* ...unless the path holds characters a Location should not carry. */
    static const char *const unsafe[] = {"/s/S\r\nSet-Cookie: a=b/", "/s/<x>/", "/s/a b/",
                                         "/s/a\"b/"};
    for (size_t k = 0; k < sizeof unsafe / sizeof *unsafe; k++) {
        dispatch(fx, &rq, &rs, M_GET, unsafe[k], NULL);
        if (rs.status != 404 || rs.location) fail_msg("GET %s: %d, not 404", unsafe[k], rs.status);
        done(&rq, &rs);
    }
    /* ...and only for GET and HEAD. */
    dispatch(fx, &rq, &rs, M_POST, "/s/S/", NULL);
    assert_int_equal(rs.status, 404);
    done(&rq, &rs);
}

static void test_dispatch_static(void **state)
{
    Fixture *fx = *state;
    Req rq;
    Resp rs;
    dispatch(fx, &rq, &rs, M_GET, "/static/site.css", NULL);
    assert_int_equal(rs.status, 200);
    assert_non_null(strstr(rs.content_type, "text/css"));
    assert_true(rs.body.n > 100);
    assert_non_null(rs.etag);
    done(&rq, &rs);
    dispatch(fx, &rq, &rs, M_GET, "/static/..%2f..%2fetc%2fpasswd", NULL);
    assert_int_equal(rs.status, 404);
    done(&rq, &rs);
    dispatch(fx, &rq, &rs, M_GET, "/static/nothing.js", NULL);
    assert_int_equal(rs.status, 404);
    done(&rq, &rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted_and_complete),
        cmocka_unit_test(test_patterns_well_formed),
        cmocka_unit_test(test_no_route_hides_another),
        cmocka_unit_test(test_docs_route_table),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test_setup_teardown(test_dispatch_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_redirects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dispatch_static, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
