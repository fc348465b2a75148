/*
 * test_import.c — the JSON importer against a real database: a valid
 * document, one broken copy per class of problem (each message must name
 * the JSON path, and the database must stay exactly as it was), re-imports,
 * replacement, the demo strategy, the file reader, and allocation failures
 * in the middle of an import (the allocator aborts by design, so the failure
 * runs in a child process and the parent checks the database it left).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "export.h"
#include "import.h"
#include "mem.h"
#include "model.h"
#include "store.h"

#define assert_contains(hay, needle)                                                         \
    do {                                                                                     \
        if (!strstr((hay), (needle))) fail_msg("\"%s\" not in \"%s\"", (needle), (hay));     \
    } while (0)

/* A small document that uses every top-level member. */
static const char valid_doc[] =
    "{\n"
    "  \"format\": \"itstrat/1\",\n"
    "  \"strategy\": {\n"
    "    \"code\": \"T-1\",\n"
    "    \"title\": \"Test strategy\",\n"
    "    \"first_year\": 2020,\n"
    "    \"last_year\": 2023,\n"
    "    \"categories\": [{\"code\": \"new\", \"name\": \"New\", \"new_or_major\": true}]\n"
    "  },\n"
    "  \"locations\": [\n"
    "    {\"code\": \"HQ\", \"name\": \"Headquarters\", \"kind\": \"headquarters\"},\n"
    "    {\"code\": \"RO\", \"name\": \"Region\", \"kind\": \"region\", \"parent\": \"HQ\"}\n"
    "  ],\n"
    "  \"outcomes\": [\n"
    "    {\"number\": 1, \"title\": \"Efficient\", \"outputs\": [\n"
    "      {\"code\": \"1.1\", \"title\": \"Output one\", \"deliverables\": [\"A thing\"]}\n"
    "    ]}\n"
    "  ],\n"
    "  \"drivers\": [{\"code\": \"security\", \"title\": \"Security\"}],\n"
    "  \"indicators\": [\n"
    "    {\"code\": \"K1\", \"kind\": \"kri\", \"title\": \"Incidents\", \"driver\": \"security\",\n"
    "     \"milestones\": [{\"period\": \"2020-21\", \"value\": 3}],\n"
    "     \"measurements\": [{\"date\": \"2021-06-30\", \"value\": 2}]}\n"
    "  ],\n"
    "  \"projects\": [\n"
    "    {\"code\": \"P1\", \"title\": \"Project one\", \"output\": \"1.1\", \"category\": \"new\",\n"
    "     \"years\": [2020, 2021], \"status\": \"in_progress\", \"budget\": 1000.5,\n"
    "     \"planned_start\": \"2020-01-01\", \"planned_end\": \"2021-12-31\",\n"
    "     \"locations\": [{\"location\": \"HQ\", \"status\": \"completed\", \"date\": \"2021-02-28\"}],\n"
    "     \"updates\": [{\"date\": \"2021-03-01\", \"text\": \"Going well\", \"report_year\": 2021,\n"
    "                  \"footnotes\": [\"A note\"]}],\n"
    "     \"tags\": [\"erp\"]},\n"
    "    {\"code\": \"P2\", \"title\": \"Project two\", \"outcome\": 1, \"status\": \"proposed\",\n"
    "     \"depends_on\": [\"P1\"]}\n"
    "  ],\n"
    "  \"risks\": [\n"
    "    {\"code\": \"R1\", \"title\": \"Risk\", \"inherent\": {\"probability\": 3, \"impact\": 4},\n"
    "     \"actions\": [{\"title\": \"Fix\", \"status\": \"planned\"}], \"indicators\": [\"K1\"]}\n"
    "  ],\n"
    "  \"services\": [\n"
    "    {\"code\": \"S1\", \"name\": \"Mail\", \"availability_target\": 99.5,\n"
    "     \"measurements\": [{\"period\": \"2021-01\", \"availability\": 99.9}]}\n"
    "  ],\n"
    "  \"expenditure\": [\n"
    "    {\"year\": 2021, \"category\": \"Infrastructure\", \"amount\": 12.34, \"project\": \"P1\"}\n"
    "  ],\n"
    "  \"committees\": [\n"
    "    {\"code\": \"ITGC\", \"name\": \"Committee\", \"meetings\": [\n"
    "      {\"date\": \"2021-05-05\", \"decisions\": [{\"text\": \"Approved\", \"kind\": \"approve\",\n"
    "                                      \"projects\": [\"P1\"]}]}\n"
    "    ]}\n"
    "  ],\n"
    "  \"reports\": [{\"year\": 2021, \"final\": true, \"symbol\": \"GB.1/2\"}]\n"
    "}\n";

static char tmpdir[64];
static char dbpath[96];

/* valid_doc with the first `from` replaced by `to` (caller frees). */
static char *edit(const char *doc, const char *from, const char *to)
{
    const char *at = strstr(doc, from);
    if (!at) fail_msg("\"%s\" is not in the document", from);
    size_t head = (size_t)(at - doc), nfrom = strlen(from), nto = strlen(to);
    char *out = malloc(strlen(doc) - nfrom + nto + 1);
    memcpy(out, doc, head);
    memcpy(out + head, to, nto);
    strcpy(out + head + nto, at + nfrom);
    return out;
}

/* Line (1-based) of the first occurrence of needle in doc. */
static long line_of(const char *doc, const char *needle)
{
    const char *at = strstr(doc, needle);
    assert_non_null(at);
    long line = 1;
    for (const char *p = doc; p < at; p++) line += *p == '\n';
    return line;
}

static Db *open_db(void)
{
    Db *db = NULL;
    Buf err = BUF_INIT;
    if (db_open(dbpath, DB_OPEN_CREATE, &db, &err)) fail_msg("%s", buf_str(&err));
    buf_free(&err);
    return db;
}

/* Imports len bytes of data (copied to an exact-size block so that reading
 * past the end shows under ASan). Returns the result; messages go to msgs. */
static int import(Db *db, const char *data, size_t len, Buf *msgs, ImportStats *st)
{
    char *copy = malloc(len ? len : 1);
    memcpy(copy, data, len);
    int rc = import_json(db, copy, len, msgs, st);
    free(copy);
    return rc;
}

/* Digest of the export of strategy code; all zero when there is none. */
static void digest(Db *db, const char *code, unsigned char out[32])
{
    Store s;
    store_init(&s, db);
    int64_t sid = store_strategy_id(&s, code);
    store_done(&s);
    assert_true(sid >= 0);
    memset(out, 0, 32);
    if (sid) assert_int_equal(export_json_digest(db, sid, out), 0);
}

/* Export of strategy code as text (caller frees the Buf). */
static void export_text(Db *db, const char *code, Buf *b)
{
    Store s;
    store_init(&s, db);
    int64_t sid = store_strategy_id(&s, code);
    store_done(&s);
    assert_true(sid > 0);
    JsonW w;
    jw_init(&w, b, NULL, NULL);
    assert_int_equal(export_json(db, sid, &w), 0);
}

static int64_t count(Db *db, const char *sql)
{
    DbStmt *st;
    assert_int_equal(db_prepare_(db, &st, sql), 0);
    assert_int_equal(db_step(st), DB_ROW);
    int64_t n = db_column_int(st, 0);
    db_finalize(st);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/itstrat-test-import-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", tmpdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Starts each test from a database holding valid_doc only. */
static int fresh_db(void **state)
{
    (void)state;
    char p[128];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath), unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath), unlink(p);
    Db *db = open_db();
    Buf msgs = BUF_INIT;
    int rc = import(db, valid_doc, strlen(valid_doc), &msgs, NULL);
    if (rc != IMPORT_DONE) fail_msg("%s", buf_str(&msgs));
    buf_free(&msgs);
    db_close(db);
    return 0;
}

static void test_valid_document(void **state)
{
    (void)state;
    Db *db = open_db();
    assert_int_equal(count(db, "SELECT count(*) FROM strategy"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM project"), 2);
    assert_int_equal(count(db, "SELECT budget FROM project WHERE code = 'P1'"), 100050);
    assert_int_equal(count(db, "SELECT count(*) FROM project_dependency"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM location WHERE parent_id IS NOT NULL"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM risk_indicator"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM decision_project"), 1);
    Buf out = BUF_INIT;
    export_text(db, "T-1", &out);
    assert_contains(buf_str(&out), "\"budget\": 1000.5,\n");
    assert_contains(buf_str(&out), "\"amount\": 12.34,\n");
    assert_contains(buf_str(&out), "\"depends_on\": [\n        \"P1\"\n      ]");
    /* Its own export is the same strategy: unchanged. */
    Buf msgs = BUF_INIT;
    ImportStats st;
    assert_int_equal(import(db, out.a, out.n, &msgs, &st), IMPORT_UNCHANGED);
    assert_string_equal(buf_str(&msgs), "");
    assert_string_equal(st.code, "T-1");
    assert_int_equal(st.nprojects, 2);
    buf_free(&out);
    buf_free(&msgs);
    db_close(db);
}

static void test_reimport_is_unchanged(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    int64_t id = count(db, "SELECT id FROM strategy");
    Buf msgs = BUF_INIT;
    ImportStats st;
    assert_int_equal(import(db, valid_doc, strlen(valid_doc), &msgs, &st), IMPORT_UNCHANGED);
    assert_string_equal(buf_str(&msgs), "");
    assert_int_equal(st.replaced, 0);
    digest(db, "T-1", after);
    assert_memory_equal(before, after, 32);
    assert_int_equal(count(db, "SELECT id FROM strategy"), id); /* not even renumbered */
    buf_free(&msgs);
    db_close(db);
}

static void test_replace_and_add(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    char *doc = edit(valid_doc, "\"Test strategy\"", "\"Test strategy, revised\"");
    Buf msgs = BUF_INIT;
    ImportStats st;
    assert_int_equal(import(db, doc, strlen(doc), &msgs, &st), IMPORT_DONE);
    assert_int_equal(st.replaced, 1);
    digest(db, "T-1", after);
    assert_memory_not_equal(before, after, 32);
    assert_int_equal(count(db, "SELECT count(*) FROM strategy"), 1);
    assert_int_equal(count(db, "SELECT count(*) FROM project"), 2); /* old rows gone */
    free(doc);
    /* Another code: a second strategy beside the first. */
    doc = edit(valid_doc, "\"T-1\"", "\"T-2\"");
    assert_int_equal(import(db, doc, strlen(doc), &msgs, &st), IMPORT_DONE);
    assert_int_equal(st.replaced, 0);
    assert_string_equal(st.code, "T-2");
    assert_int_equal(count(db, "SELECT count(*) FROM strategy"), 2);
    assert_int_equal(count(db, "SELECT count(*) FROM project"), 4);
    digest(db, "T-1", before);
    assert_memory_equal(before, after, 32); /* T-1 untouched */
    free(doc);
    buf_free(&msgs);
    db_close(db);
}

/* One broken document: what to change, and what the message must say. */
typedef struct BadCase {
    const char *from, *to;   /* replace the first `from` of valid_doc with `to` */
    const char *message;     /* must appear in the messages */
    const char *line_anchor; /* when set, the message ends with "(line N)" of it */
} BadCase;

static const BadCase bad_cases[] = {
    /* unknown members, with a suggestion */
    {"\"title\": \"Project two\"", "\"titel\": \"Project two\"",
     "projects[1].titel: unknown member; did you mean \"title\"?", "{\"code\": \"P2\""},
    {"\"format\": \"itstrat/1\",", "\"format\": \"itstrat/1\", \"extra\": 1,",
     "extra: unknown member of an itstrat document", NULL},
    {"\"new_or_major\": true", "\"new_or_majr\": true",
     "strategy.categories[0].new_or_majr: unknown member; did you mean \"new_or_major\"?", NULL},
    /* wrong types */
    {"\"first_year\": 2020", "\"first_year\": \"2020\"",
     "strategy.first_year: must be a whole number, not a text in quotes", "\"strategy\""},
    {"\"tags\": [\"erp\"]", "\"tags\": \"erp\"", "projects[0].tags: must be an array, not a text in quotes",
     "{\"code\": \"P1\""},
    {"\"projects\": [\n", "\"projects\": [7,\n", "projects[0]: must be an object (a project)", NULL},
    {"\"final\": true", "\"final\": 1", "reports[0].final: must be true or false, not a whole number",
     NULL},
    {"\"outcome\": 1,", "\"outcome\": 1.5,", "projects[1].outcome: must be a whole number", NULL},
    /* dangling references */
    {"\"output\": \"1.1\", \"category\"", "\"output\": \"4.2\", \"category\"",
     "projects[0].output: no output \"4.2\" in strategy T-1", "{\"code\": \"P1\""},
    {"\"depends_on\": [\"P1\"]", "\"depends_on\": [\"P9\"]",
     "projects[1].depends_on[0]: no project \"P9\" in strategy T-1", "{\"code\": \"P2\""},
    {"\"parent\": \"HQ\"", "\"parent\": \"XX\"", "locations[1].parent: no location \"XX\"", NULL},
    {"\"location\": \"HQ\"", "\"location\": \"NOPE\"",
     "projects[0].locations[0].location: no location \"NOPE\"", NULL},
    {"\"category\": \"new\"", "\"category\": \"old\"", "projects[0].category: no category \"old\"",
     NULL},
    {"\"project\": \"P1\"", "\"project\": \"P7\"", "expenditure[0].project: no project \"P7\"",
     NULL},
    {"\"projects\": [\"P1\"]", "\"projects\": [\"P8\"]",
     "committees[0].meetings[0].decisions[0].projects[0]: no project \"P8\"", NULL},
    {"\"outcome\": 1,", "\"outcome\": 3,", "projects[1].outcome: no outcome 3 in strategy T-1",
     NULL},
    {"\"kind\": \"kri\"", "\"kind\": \"kpi\"",
     "risks[0].indicators[0]: indicator \"K1\" is not a key risk indicator", NULL},
    /* duplicates */
    {"\"code\": \"P2\"", "\"code\": \"P1\"", "projects[1].code: project \"P1\" appears more than once",
     "{\"code\": \"P1\", \"title\": \"Project two\""},
    {"\"code\": \"RO\"", "\"code\": \"HQ\"", "locations[1].code: location \"HQ\" appears more than once",
     NULL},
    {"\"tags\": [\"erp\"]", "\"tags\": [\"erp\", \"erp\"]",
     "projects[0].tags[1]: \"erp\" appears more than once", NULL},
    {"\"format\": \"itstrat/1\",", "\"format\": \"itstrat/1\", \"format\": \"itstrat/1\",",
     "\"format\" appears twice at the top level", NULL},
    {"\"code\": \"new\", \"name\": \"New\"", "\"code\": \"new\", \"code\": \"x\", \"name\": \"New\"",
     "a member name appears twice in the same object", NULL},
    /* cycles */
    {"\"status\": \"in_progress\",", "\"status\": \"in_progress\", \"depends_on\": [\"P2\"],",
     "dependency cycle through", NULL},
    {"\"depends_on\": [\"P1\"]", "\"depends_on\": [\"P2\"]",
     "projects[1].depends_on[0]: a project cannot depend on itself (\"P2\")", NULL},
    {"\"kind\": \"headquarters\"}", "\"kind\": \"headquarters\", \"parent\": \"RO\"}",
     "makes a cycle in the hierarchy", NULL},
    /* text that is not UTF-8, or holds control characters */
    {"Going well", "Going \xff well", "projects[0]: line 30, column 49: byte 0xff is not UTF-8 text: save the file as UTF-8", NULL},
    {"Going well", "Going\\u0001well",
     "projects[0].updates[0].text: contains the control character U+0001", NULL},
    /* numbers out of range */
    {"\"budget\": 1000.5", "\"budget\": 1e14",
     "projects[0].budget: 1e+14 is out of range (0 to 1e+13)", "{\"code\": \"P1\""},
    {"\"budget\": 1000.5", "\"budget\": -1", "projects[0].budget: -1 is out of range", NULL},
    {"\"budget\": 1000.5", "\"budget\": 1000.555", "projects[0].budget: 1000.555 has more than two "
     "decimals", NULL},
    {"\"number\": 1,", "\"number\": 100,", "outcomes[0].number: 100 is out of range (1 to 99)", NULL},
    {"\"probability\": 3", "\"probability\": 6", "risks[0].inherent.probability: 6 is out of range",
     NULL},
    {"\"availability\": 99.9", "\"availability\": 100.1",
     "services[0].measurements[0].availability: 100.1 is out of range (0 to 100)", NULL},
    {"\"years\": [2020, 2021]", "\"years\": [2020, 2030]",
     "projects[0].years[1]: 2030 is outside the strategy period 2020-2023", NULL},
    {"\"years\": [2020, 2021]", "\"years\": [2021, 2020]",
     "projects[0].years[1]: years must be ascending and distinct", NULL},
    {"\"first_year\": 2020", "\"first_year\": 99999999999999999999",
     "strategy: line 6, column 19: the whole number is too large to be stored", NULL},
    {"\"budget\": 1000.5", "\"budget\": 1E400", "projects[0]: line 27, column 64: the number is too large to be stored",
     NULL},
    /* dates and periods that do not exist */
    {"\"2021-02-28\"", "\"2021-02-29\"",
     "projects[0].locations[0].date: \"2021-02-29\" is not a date that exists", NULL},
    {"\"2021-06-30\"", "\"2021-06-31\"", "indicators[0].measurements[0].date: \"2021-06-31\" is not",
     NULL},
    {"\"planned_end\": \"2021-12-31\"", "\"planned_end\": \"2019-12-31\"",
     "projects[0].planned_end: 2019-12-31 is before planned_start 2020-01-01", NULL},
    {"\"period\": \"2020-21\"", "\"period\": \"2021-22\"",
     "indicators[0].milestones[0].period: \"2021-22\" does not follow the strategy's bienniums",
     NULL},
    {"\"period\": \"2021-01\"", "\"period\": \"2021-13\"",
     "services[0].measurements[0].period: \"2021-13\" is not a month", NULL},
    /* enumerations, codes, format */
    {"\"status\": \"proposed\"", "\"status\": \"done\"",
     "projects[1].status: \"done\" is not one of proposed, approved", NULL},
    {"\"code\": \"P1\"", "\"code\": \"P 1\"", "projects[0].code: \"P 1\" is not a code", NULL},
    {"\"itstrat/1\"", "\"itstrat/2\"", "format: must be \"itstrat/1\"", NULL},
    {"\"title\": \"Test strategy\",", "", "strategy.title: required", NULL},
    /* broken JSON */
    {"\"title\": \"Risk\",", "\"title\": \"Risk\",,", "risks[0]: line 37, column 36: expected a member name in double quotes or '}'",
     NULL},
    {"\"reports\": [{", "\"reports\": [{]",
     "']' closes an object '{' in the value of \"reports\"", NULL},
    {"\"budget\": 1000.5", "\"budget\": 1e-400",
     "line 27, column 64: the number 1e-400 in the value of \"projects\" is too close to zero to "
     "be stored (it would be read as 0); write 0 if zero is meant", NULL},
    {"\"budget\": 1000.5", "\"budget\": -25E-999", "the number -25E-999 in the value", NULL},
    {"\"first_year\": 2020", "\"first_year\": 2020.5",
     "strategy.first_year: must be a whole number, not 2020.5: write it without a fraction", NULL},
    {"\"budget\": 1000.5", "\"budget\": NaN", "projects[0]: line 27, column 64: this is not JSON", NULL},
};

static void test_each_bad_class_names_the_place(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    int64_t nrows = count(db, "SELECT (SELECT count(*) FROM project) + (SELECT count(*) FROM "
                              "location) + (SELECT count(*) FROM indicator)");
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const BadCase *c = &bad_cases[i];
        char *doc = edit(valid_doc, c->from, c->to);
        Buf msgs = BUF_INIT;
        int rc = import(db, doc, strlen(doc), &msgs, NULL);
        if (rc != IMPORT_FAILED) fail_msg("case %zu (%s) was accepted", i, c->to);
        if (!strstr(buf_str(&msgs), c->message))
            fail_msg("case %zu: \"%s\" not in:\n%s", i, c->message, buf_str(&msgs));
        if (c->line_anchor) {
            const char *at = strstr(buf_str(&msgs), c->message);
            const char *eol = strchr(at, '\n');
            char tail[32];
            snprintf(tail, sizeof tail, "(line %ld)", line_of(doc, c->line_anchor));
            if (!eol || (size_t)(eol - at) < strlen(tail) ||
                strncmp(eol - strlen(tail), tail, strlen(tail)) != 0)
                fail_msg("case %zu: message does not end with %s:\n%s", i, tail, buf_str(&msgs));
        }
        /* Nothing changed, and no transaction was left open. */
        digest(db, "T-1", after);
        if (memcmp(before, after, 32) != 0) fail_msg("case %zu changed the database", i);
        assert_int_equal(count(db, "SELECT count(*) FROM strategy"), 1);
        assert_int_equal(count(db, "SELECT (SELECT count(*) FROM project) + (SELECT count(*) "
                                   "FROM location) + (SELECT count(*) FROM indicator)"), nrows);
        assert_int_equal(db_begin(db), 0);
        assert_int_equal(db_rollback(db), 0);
        buf_free(&msgs);
        free(doc);
    }
    db_close(db);
}

/* valid_doc with P1's tags replaced by n distinct tags, the last one a
 * repeat of the first when dup (caller frees). */
static char *with_tags(const char *key, size_t n, int dup)
{
    Buf list = BUF_INIT;
    buf_printf(&list, "\"%s\": [", key);
    for (size_t i = 0; i < n; i++)
        buf_printf(&list, "%s\"t%zu\"", i ? ", " : "", dup && i == n - 1 ? (size_t)0 : i);
    buf_puts(&list, "]}");
    char *doc = edit(valid_doc, "\"tags\": [\"erp\"]}", buf_str(&list));
    buf_free(&list);
    return doc;
}

/* A project holds at most MODEL_MAX_TAGS tags, the limit of the forms and
 * the API: the import refuses more (100,000 without checking each against
 * each), and repeats are still caught by the hash set. */
static void test_tags_limit_and_repeats(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    static const struct { size_t n; int dup; const char *message; } cases[] = {
        {MODEL_MAX_TAGS + 1, 0, "projects[0].tags: has 101 tags; at most 100 are allowed"},
        {100000, 0, "projects[0].tags: has 100000 tags; at most 100 are allowed"},
        {MODEL_MAX_TAGS, 1, "projects[0].tags[99]: \"t0\" appears more than once"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *doc = with_tags("tags", cases[i].n, cases[i].dup);
        Buf msgs = BUF_INIT;
        assert_int_equal(import(db, doc, strlen(doc), &msgs, NULL), IMPORT_FAILED);
        assert_contains(buf_str(&msgs), cases[i].message);
        digest(db, "T-1", after);
        assert_memory_equal(before, after, 32);
        buf_free(&msgs);
        free(doc);
    }
    /* Exactly the limit is imported, every tag kept. */
    char *doc = with_tags("tags", MODEL_MAX_TAGS, 0);
    Buf msgs = BUF_INIT;
    assert_int_equal(import(db, doc, strlen(doc), &msgs, NULL), IMPORT_DONE);
    assert_int_equal(count(db, "SELECT count(*) FROM project_tag"), MODEL_MAX_TAGS);
    buf_free(&msgs);
    free(doc);
    /* A long list without a limit (dependencies) is checked for repeats by
     * the hash set: a repeat at the end of 100,000 is still found. */
    doc = with_tags("depends_on", 100000, 1);
    assert_int_equal(import(db, doc, strlen(doc), &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "projects[0].depends_on[99999]: \"t0\" appears more than once");
    buf_free(&msgs);
    free(doc);
    db_close(db);
}

/* A syntax error is reported alone: not with the problems found before it,
 * nor with the references it leaves dangling (the expenditure line, the
 * decision and the risk name projects and indicators that could not be read). */
static void test_syntax_error_alone(void **state)
{
    (void)state;
    Db *db = open_db();
    char *doc = edit(valid_doc, "\"title\": \"Project two\",", "\"title\": \"Project two\", \"x\": NaN,");
    char *doc2 = edit(doc, "\"kind\": \"headquarters\"", "\"kind\": \"castle\"");
    Buf msgs = BUF_INIT;
    assert_int_equal(import(db, doc2, strlen(doc2), &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "projects[1]: line 33, column 49");
    assert_contains(buf_str(&msgs), "this is not JSON");
    size_t lines = 0;
    for (const char *p = msgs.a; *p; p++) lines += *p == '\n';
    if (lines != 1) fail_msg("not alone:\n%s", buf_str(&msgs));
    buf_free(&msgs);
    free(doc);
    free(doc2);
    db_close(db);
}

static void test_problems_past_the_hundredth_are_counted(void **state)
{
    (void)state;
    Db *db = open_db();
    Buf doc = BUF_INIT, msgs = BUF_INIT;
    buf_puts(&doc, "{\"format\": \"itstrat/1\", \"strategy\": {\"code\": \"T-1\", \"title\": "
                   "\"t\", \"first_year\": 2020, \"last_year\": 2021}, \"drivers\": [\n");
    for (int i = 0; i < 150; i++)
        buf_printf(&doc, "%s{\"code\": \"d%d\", \"title\": \"D\", \"colour\": 1}\n", i ? "," : "", i);
    buf_puts(&doc, "]}");
    assert_int_equal(import(db, doc.a, doc.n, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "drivers[0].colour: unknown member (see docs/format.md for "
                                    "what this object holds) (line 2)\n");
    assert_contains(buf_str(&msgs), "drivers[99].colour: unknown member");
    assert_null(strstr(buf_str(&msgs), "drivers[100]"));
    assert_contains(buf_str(&msgs), "... and 50 more problems\n");
    size_t lines = 0;
    for (const char *p = msgs.a; *p; p++) lines += *p == '\n';
    assert_int_equal(lines, 101);
    buf_free(&doc);
    buf_free(&msgs);
    db_close(db);
}

static void test_not_json_and_truncated(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    Buf msgs = BUF_INIT;
    assert_int_equal(import(db, png, sizeof png - 1, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "line 1, column 1: not a JSON object");
    buf_reset(&msgs);
    assert_int_equal(import(db, "", 0, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "the file is empty");
    /* Every prefix of the document is refused, each with a message. */
    size_t len = strlen(valid_doc);
    for (size_t n = 1; n < len - 2; n += 7) {
        buf_reset(&msgs);
        if (import(db, valid_doc, n, &msgs, NULL) != IMPORT_FAILED)
            fail_msg("the first %zu bytes were accepted", n);
        assert_true(msgs.n > 0);
    }
    buf_reset(&msgs);
    assert_int_equal(import(db, valid_doc, 700, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "the file ends inside the value of \"indicators\" that starts on "
                                    "line 20");
    digest(db, "T-1", after);
    assert_memory_equal(before, after, 32);
    buf_free(&msgs);
    db_close(db);
}

static void test_import_file_errors(void **state)
{
    (void)state;
    Db *db = open_db();
    Buf msgs = BUF_INIT;
    char path[128];
    snprintf(path, sizeof path, "%s/missing.json", tmpdir);
    assert_int_equal(import_json_file(db, path, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "missing.json: cannot open: No such file or directory");
    buf_reset(&msgs);
    assert_int_equal(import_json_file(db, tmpdir, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), ": not a regular file");
    buf_reset(&msgs);
    snprintf(path, sizeof path, "%s/bad.json", tmpdir);
    FILE *f = fopen(path, "wb");
    char *doc = edit(valid_doc, "\"code\": \"P2\"", "\"code\": \"P1\"");
    fputs(doc, f);
    fclose(f);
    free(doc);
    assert_int_equal(import_json_file(db, path, &msgs, NULL), IMPORT_FAILED);
    /* Each problem is prefixed with the file name, as compilers do. */
    char want[200];
    snprintf(want, sizeof want, "%s: projects[1].code: project \"P1\" appears more than once",
             path);
    assert_contains(buf_str(&msgs), want);
    buf_reset(&msgs);
    f = fopen(path, "wb");
    fclose(f);
    assert_int_equal(import_json_file(db, path, &msgs, NULL), IMPORT_FAILED);
    assert_contains(buf_str(&msgs), "bad.json: the file is empty");
    buf_free(&msgs);
    db_close(db);
}

static void test_demo_strategy_round_trips(void **state)
{
    (void)state;
    const char *src = getenv("ITSTRAT_SRC");
    if (!src) src = ".";
    char path[512];
    snprintf(path, sizeof path, "%s/data/demo/ilo-it-strategy-2018-21.json", src);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s (set ITSTRAT_SRC to the source tree)", path);
    Buf file = BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&file, chunk, n);
    fclose(f);
    Db *db = open_db();
    Buf msgs = BUF_INIT;
    ImportStats st;
    int rc = import_json_file(db, path, &msgs, &st);
    if (rc != IMPORT_DONE) fail_msg("%s", buf_str(&msgs));
    assert_string_equal(st.code, "2018-21");
    assert_int_equal(st.nprojects, 45);
    Buf out = BUF_INIT;
    export_text(db, "2018-21", &out);
    /* The demo file is canonical: export gives it back byte for byte. */
    assert_int_equal(out.n, file.n);
    assert_memory_equal(out.a, file.a, file.n);
    assert_int_equal(import_json_file(db, path, &msgs, &st), IMPORT_UNCHANGED);
    buf_free(&out);
    buf_free(&file);
    buf_free(&msgs);
    db_close(db);
}

/* Runs an import of doc in a child whose n-th allocation fails (the
 * allocator then aborts). Returns 1 when the child died, 0 when it finished. */
static int import_failing_at(const char *doc, long n)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGABRT, SIG_DFL);
        if (!freopen("/dev/null", "w", stderr)) _exit(99); /* "out of memory" lines */
        Db *db = NULL;
        Buf err = BUF_INIT, msgs = BUF_INIT;
        if (db_open(dbpath, DB_OPEN_EXISTING, &db, &err)) _exit(98);
        mem_fail_after(n);
        int rc = import_json(db, doc, strlen(doc), &msgs, NULL);
        mem_fail_after(0);
        db_close(db);
        _exit(rc == IMPORT_DONE ? 0 : 97);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        assert_int_equal(WTERMSIG(status), SIGABRT);
        return 1;
    }
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) fail_msg("child exited with %d", WEXITSTATUS(status));
    return 0;
}

static void test_allocation_failure_leaves_database_unchanged(void **state)
{
    (void)state;
    Db *db = open_db();
    unsigned char before[32], after[32];
    digest(db, "T-1", before);
    db_close(db);
    /* A changed document: a finished import would replace the strategy. */
    char *doc = edit(valid_doc, "\"Project two\"", "\"Project two, renamed\"");
    long n = 1, died = 0;
    for (; import_failing_at(doc, n); n += n / 3 + 1) {
        died++;
        db = open_db();
        digest(db, "T-1", after);
        if (memcmp(before, after, 32) != 0) fail_msg("failing allocation %ld changed T-1", n);
        assert_int_equal(count(db, "SELECT count(*) FROM strategy"), 1);
        DbStmt *st;
        assert_int_equal(db_prepare(db, &st, "PRAGMA integrity_check"), 0);
        assert_int_equal(db_step(st), DB_ROW);
        assert_string_equal(db_column_text(st, 0), "ok");
        db_finalize(st);
        db_close(db);
    }
    assert_true(died >= 10); /* failures were injected all along the import */
    /* Past the last allocation the import finishes and replaces T-1. */
    db = open_db();
    digest(db, "T-1", after);
    assert_memory_not_equal(before, after, 32);
    db_close(db);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_valid_document, fresh_db),
        cmocka_unit_test_setup(test_reimport_is_unchanged, fresh_db),
        cmocka_unit_test_setup(test_replace_and_add, fresh_db),
        cmocka_unit_test_setup(test_each_bad_class_names_the_place, fresh_db),
        cmocka_unit_test_setup(test_tags_limit_and_repeats, fresh_db),
        cmocka_unit_test_setup(test_syntax_error_alone, fresh_db),
        cmocka_unit_test_setup(test_problems_past_the_hundredth_are_counted, fresh_db),
        cmocka_unit_test_setup(test_not_json_and_truncated, fresh_db),
        cmocka_unit_test_setup(test_import_file_errors, fresh_db),
        cmocka_unit_test_setup(test_demo_strategy_round_trips, fresh_db),
        cmocka_unit_test_setup(test_allocation_failure_leaves_database_unchanged, fresh_db),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
