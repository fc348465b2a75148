/* record.c — one record's change, checked, versioned and audited (record.h). */
#include "record.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "mem.h"

/* Trims spaces at both ends of a one-line text, into a new string. */
static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *out = xmalloc(n + 1);
    memcpy(out, s, n);
    out[n] = 0;
    return out;
}

json_t *record_text_json(const RecordField *f, const char *text, RecordProblems *p)
{
    if (f->type == RF_BOOL)
        return json_boolean(text && (strcmp(text, "1") == 0 || strcmp(text, "on") == 0 ||
                                     strcmp(text, "true") == 0));
    if (!text) return json_null();
    if (f->type == RF_MARKDOWN) {
        /* Browsers send CR LF line ends; keep LF. */
        size_t n = strlen(text);
        char *s = xmalloc(n + 1), *o = s;
        for (const char *q = text; *q; q++)
            if (!(q[0] == '\r' && q[1] == '\n')) *o++ = *q;
        *o = 0;
        while (o > s && (o[-1] == '\n' || o[-1] == ' ')) *--o = 0;
        json_t *v = *s ? json_string(s) : json_null();
        free(s);
        return v ? v : json_null();
    }
    char *t = trimmed(text);
    json_t *v = NULL;
    if (!*t) {
        v = json_null();
    } else if (f->type == RF_INT || f->type == RF_YEAR) {
        char *end;
        errno = 0;
        long long x = strtoll(t, &end, 10);
        if (*end || errno) record_problem(p, f->name, "write a whole number, e.g. 2021");
        else v = json_integer(x);
    } else if (f->type == RF_REAL || f->type == RF_MONEY) {
        char *end;
        errno = 0;
        double x = strtod(t, &end);
        if (*end || errno || !isfinite(x) || strpbrk(t, "xXpPnN"))
            record_problem(p, f->name, "write a number with a dot for decimals, e.g. 1250.50");
        else v = json_real(x);
    } else {
        v = json_string(t);
        if (!v) record_problem(p, f->name, "the text is not valid UTF-8");
    }
    free(t);
    return v;
}

/* Moves what the importer's readers wrote into msgs since mark (messages
 * about field name, "name: what is wrong") into one problem of that field.
 * Values quoted in a message may hold line breaks: they become spaces. */
static void collect(Buf *msgs, size_t mark, const char *name, RecordProblems *p)
{
    if (msgs->n <= mark) return;
    char *s = msgs->a + mark;
    size_t n = strlen(name);
    if (strncmp(s, name, n) == 0 && s[n] == ':' && s[n + 1] == ' ') s += n + 2;
    size_t len = strlen(s);
    while (len && s[len - 1] == '\n') s[--len] = 0;
    for (char *q = s; *q; q++)
        if (*q == '\n' || *q == '\r') *q = ' ';
    record_problem(p, name, "%s", s);
    buf_truncate(msgs, mark);
}

static size_t enum_count(const char *const *values)
{
    size_t n = 0;
    while (values[n]) n++;
    return n;
}

static int cmp_year(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* 1 when item is a code by the importer's rule: 1-64 of A-Z a-z 0-9 . _ - */
static int code_ok(const char *item)
{
    size_t n = strlen(item);
    return n >= 1 && n <= 64 &&
           strspn(item, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* Reads the list field f of in (a text of items separated by spaces or
 * commas, or an array of them) into v: checks each item, drops repeats,
 * sorts years, and puts the normalised text back into in for v->s. */
static void read_list(const RecordCtx *c, const RecordField *f, json_t *in, RecordValue *v,
                      RecordProblems *p)
{
    v->null = 1;
    json_t *j = json_object_get(in, f->name);
    if (!j || json_is_null(j)) {
        if (f->required) record_problem(p, f->name, "required");
        return;
    }
    int texts = f->lo == 1; /* items are texts separated by commas (tags) */
    Buf text = BUF_INIT;
    if (json_is_string(j)) {
        buf_puts(&text, json_string_value(j));
    } else if (json_is_array(j)) {
        size_t k;
        json_t *e;
        json_array_foreach(j, k, e) {
            if (json_is_string(e)) buf_printf(&text, "%s%c", json_string_value(e), texts ? ',' : ' ');
            else if (json_is_integer(e)) buf_printf(&text, "%lld ", (long long)json_integer_value(e));
            else {
                record_problem(p, f->name, "item %zu must be a string or a whole number", k);
                buf_free(&text);
                return;
            }
        }
    } else {
        record_problem(p, f->name, "must be a list: a text of items separated by spaces, or an "
                                   "array");
        return;
    }
    int64_t max = f->hi > 0 ? f->hi : 100, n = 0;
    char **items = xcalloc((size_t)max + 1, sizeof *items);
    int64_t *years = xcalloc((size_t)max + 1, sizeof *years);
    int bad = 0;
    for (char *s = text.a; s && *s && !bad;) {
        size_t len = texts ? strcspn(s, ",") : strcspn(s, " ,\t\r\n");
        char item[512];
        size_t from = 0, to = len;
        while (texts && from < to && s[from] == ' ') from++;
        while (texts && to > from && s[to - 1] == ' ') to--;
        if (to == from) {
            s += len + (s[len] != 0);
            continue;
        }
        if (to - from >= (texts ? sizeof item : 80)) {
            record_problem(p, f->name, "an item is longer than %d characters",
                           texts ? MODEL_MAX_TAG_CHARS : 64);
            bad = 1;
            break;
        }
        memcpy(item, s + from, to - from);
        item[to - from] = 0;
        s += len;
        if (texts) {
            size_t chars = 0;
            int control = 0;
            for (const char *q = item; *q; q++) {
                if (((unsigned char)*q & 0xC0) != 0x80) chars++;
                if ((unsigned char)*q < 0x20 || *q == 0x7f) control = 1;
            }
            if (chars > MODEL_MAX_TAG_CHARS || control) {
                record_problem(p, f->name, "\"%.40s\" is not a %s: at most %d characters, no "
                               "control characters", item, f->values[3] ? f->values[3] : "item",
                               MODEL_MAX_TAG_CHARS);
                bad = 1;
                break;
            }
            int seen = 0;
            for (int64_t k = 0; k < n; k++) seen |= strcmp(items[k], item) == 0;
            if (seen) continue;
            if (n == max) {
                record_problem(p, f->name, "more than %lld items", (long long)max);
                bad = 1;
                break;
            }
            items[n++] = xstrdup(item);
            continue;
        }
        if (!f->values[2]) { /* years of the strategy's period */
            char *end;
            long long y = strtoll(item, &end, 10);
            if (*end || y < c->first_year || y > c->last_year) {
                record_problem(p, f->name, "\"%s\" is not a year of the strategy period "
                               "%lld-%lld", item, (long long)c->first_year,
                               (long long)c->last_year);
                bad = 1;
                break;
            }
            int seen = 0;
            for (int64_t k = 0; k < n; k++) seen |= years[k] == y;
            if (seen) continue;
            if (n == max) {
                record_problem(p, f->name, "more than %lld items", (long long)max);
                bad = 1;
                break;
            }
            years[n++] = y;
            continue;
        }
        if (!code_ok(item)) {
            record_problem(p, f->name, "\"%s\" is not a code (1-64 of A-Z a-z 0-9 . _ -)", item);
            bad = 1;
            break;
        }
        int seen = 0;
        for (int64_t k = 0; k < n; k++) seen |= strcmp(items[k], item) == 0;
        if (seen) continue;
        DbStmt *st = NULL;
        int found = 0;
        if (db_prepare_(c->store->db, &st, f->values[2]) == 0) {
            db_bind_int(st, ":sid", c->sid);
            db_bind_text(st, ":item", item);
            found = db_step(st);
        } else {
            found = DB_ERROR;
        }
        db_finalize(st);
        if (found != DB_ROW) {
            if (found == DB_ERROR)
                record_problem(p, "", "the database could not be read; the server log says why");
            else
                record_problem(p, f->name, "there is no %s \"%s\" in strategy %s",
                               f->values[3] ? f->values[3] : "item", item, c->scode);
            bad = 1;
            break;
        }
        if (n == max) {
            record_problem(p, f->name, "more than %lld items", (long long)max);
            bad = 1;
            break;
        }
        items[n++] = xstrdup(item);
    }
    if (!bad) {
        Buf out = BUF_INIT;
        if (!f->values[2] && !texts) {
            qsort(years, (size_t)n, sizeof *years, cmp_year);
            for (int64_t k = 0; k < n; k++) buf_printf(&out, "%s%lld", k ? " " : "", (long long)years[k]);
        } else {
            for (int64_t k = 0; k < n; k++)
                buf_printf(&out, "%s%s", k ? (texts ? ", " : " ") : "", items[k]);
        }
        if (n) {
            json_object_set_new(in, f->name, json_string(buf_str(&out)));
            v->s = json_string_value(json_object_get(in, f->name));
            v->null = 0;
        } else {
            json_object_set_new(in, f->name, json_null());
        }
        buf_free(&out);
    }
    for (int64_t k = 0; k < n; k++) free(items[k]);
    free(items);
    free(years);
    buf_free(&text);
}

/* Reads field f of in into v with the importer's reader. */
static void read_field(Imp *m, const RecordCtx *c, const RecordField *f, json_t *in,
                       RecordValue *v, RecordProblems *p)
{
    int req = f->required ? REQ : OPT, rc = IMP_ABSENT;
    memset(v, 0, sizeof *v);
    if (f->type == RF_LIST) {
        read_list(c, f, in, v, p);
        return;
    }
    switch (f->type) {
    case RF_TEXT: case RF_MARKDOWN:
        rc = imp_text(m, in, f->name, req, (size_t)f->hi, &v->s);
        break;
    case RF_CODE: rc = imp_code(m, in, f->name, req, &v->s); break;
    case RF_LIST: break; /* read_list() */
    case RF_INT: rc = imp_int(m, in, f->name, req, f->lo, f->hi, &v->i); break;
    case RF_YEAR: rc = imp_year(m, in, f->name, req, f->lo != 0, &v->i); break;
    case RF_REAL: rc = imp_real(m, in, f->name, req, (double)f->lo, (double)f->hi, &v->d); break;
    case RF_MONEY:
        rc = imp_money(m, in, f->name, &v->i);
        if (rc == IMP_ABSENT && req) imp_err(m, f->name, "required"), rc = IMP_BAD;
        break;
    case RF_CURRENCY:
        rc = imp_currency(m, in, f->name, &v->s);
        if (rc == IMP_ABSENT && req) imp_err(m, f->name, "required"), rc = IMP_BAD;
        break;
    case RF_DATE: rc = imp_date(m, in, f->name, req, &v->s); break;
    case RF_MONTH: rc = imp_month(m, in, f->name, req, &v->s); break;
    case RF_PERIOD: rc = imp_period(m, in, f->name, req, &v->s); break;
    case RF_BOOL: rc = imp_bool(m, in, f->name, &v->i); if (rc == IMP_ABSENT) rc = IMP_OK; break;
    case RF_ENUM:
        rc = imp_enum(m, in, f->name, req, f->values, enum_count(f->values), &v->s);
        break;
    case RF_REF: {
        json_t *j = json_object_get(in, f->name);
        char num[32];
        const char *code = NULL;
        if (json_is_integer(j)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(j));
            code = num;
            rc = IMP_OK;
        } else {
            rc = imp_code(m, in, f->name, req, &code);
        }
        if (rc != IMP_OK) break;
        const RecordDef *target = record_def(f->ref);
        int64_t id = target ? store_record_find(c->store->db, target, c->sid, code) : 0;
        if (id < 0) {
            record_problem(p, "", "the database could not be read; the server log says why");
            rc = IMP_BAD;
        } else if (id == 0) {
            imp_err(m, f->name, "there is no %s \"%s\" in strategy %s", target ? target->label : f->ref,
                    code, c->scode);
            rc = IMP_BAD;
        } else {
            v->i = id;
        }
        break;
    }
    }
    /* A reader answers IMP_OK only with a value (an absent boolean is false). */
    v->null = rc != IMP_OK;
}

int record_validate(const RecordCtx *c, const RecordDef *d, json_t *in, int64_t id,
                    int64_t parent, RecordValue *vals, RecordProblems *p)
{
    Buf msgs = BUF_INIT;
    Imp m;
    memset(&m, 0, sizeof m);
    m.s = c->store;
    m.msgs = &msgs;
    m.sid = c->sid;
    m.scode = (char *)c->scode;
    m.first_year = c->first_year;
    m.last_year = c->last_year;
    m.odd = c->odd;
    int start = p->n;
    if (!json_is_object(in)) {
        record_problem(p, "", "the record must be a JSON object of its fields");
        buf_free(&msgs);
        return RECORD_INVALID;
    }
    const char *allowed[64];
    size_t n = 0;
    for (const RecordField *f = d->fields; f->name && n < 60; f++) allowed[n++] = f->name;
    allowed[n++] = "version";
    allowed[n++] = "parent";
    allowed[n] = NULL;
    const char *key;
    json_t *member;
    json_object_foreach(in, key, member) {
        if (record_field(d, key) || strcmp(key, "version") == 0 || strcmp(key, "parent") == 0)
            continue;
        const char *best = imp_suggest(key, allowed);
        if (best) record_problem(p, key, "unknown member; did you mean \"%s\"?", best);
        else record_problem(p, key, "not a field of a %s", d->label);
    }
    size_t k = 0;
    for (const RecordField *f = d->fields; f->name; f++, k++) {
        size_t mark = msgs.n;
        read_field(&m, c, f, in, &vals[k], p);
        collect(&msgs, mark, f->name, p);
    }
    buf_free(&m.path);
    buf_free(&msgs);
    if (p->n == start && d->check) {
        RecordCheck chk = {d, vals, c->store->db, c->sid, id, parent, p};
        d->check(&chk);
    }
    return p->n > start ? RECORD_INVALID : RECORD_OK;
}

char *record_json_text(const RecordRow *r)
{
    json_t *o = json_deep_copy(r->fields);
    json_object_set_new(o, "version", json_integer(r->version));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s ? s : xstrdup("{}");
}

/* A failed write's message for people: a taken code names its field. */
static int write_failed(const RecordCtx *c, const RecordDef *d, RecordProblems *p)
{
    const char *e = db_errmsg(c->store->db);
    const char *u = strstr(e, "UNIQUE constraint failed: ");
    if (!u) return -1;
    /* "...: table.a, table.b" -> the last column, without "_id". */
    const char *last = strrchr(u, '.');
    char col[64] = "";
    if (last) snprintf(col, sizeof col, "%.*s", (int)strcspn(last + 1, " ,[\n"), last + 1);
    size_t cl = strlen(col);
    if (cl > 3 && strcmp(col + cl - 3, "_id") == 0) col[cl - 3] = 0;
    if (strcmp(col, "depends_on") == 0 || record_field(d, col))
        record_problem(p, col, "another %s already has this %s here; choose another", d->label,
                       record_field(d, col)->label);
    else
        record_problem(p, "", "another %s with the same values exists already", d->label);
    return RECORD_INVALID;
}

int record_audit(const RecordCtx *c, const RecordDef *d, const char *action,
                 const RecordRow *before, int64_t id)
{
    RecordRow after;
    char *b = before ? record_json_text(before) : NULL, *a = NULL;
    int rc = -1;
    const char *key = before ? before->key : NULL;
    int got = 0;
    if (id) {
        got = store_record_get(c->store->db, d, id, &after);
        if (got < 0) goto out;
        if (got) {
            a = record_json_text(&after);
            key = after.key;
        }
    }
    rc = audit_append(c->store->db, c->actor, action, d->name, key, b, a);
out:
    if (got > 0) store_record_free(&after);
    free(b);
    free(a);
    return rc;
}

int record_create(const RecordCtx *c, const RecordDef *d, int64_t parent, json_t *in,
                  int64_t *id, RecordProblems *p)
{
    RecordValue vals[64];
    if (!d->sql_insert) {
        record_problem(p, "", "a %s cannot be created here", d->label);
        return RECORD_INVALID;
    }
    int rc = record_validate(c, d, in, 0, parent, vals, p);
    if (rc) return rc;
    Db *db = c->store->db;
    if (db_begin(db)) return -1;
    if (store_record_insert(db, d, c->sid, parent, vals, id)) {
        rc = write_failed(c, d, p);
        db_rollback(db);
        return rc;
    }
    if (record_audit(c, d, "create", NULL, *id) || db_commit(db)) {
        db_rollback(db);
        return -1;
    }
    return RECORD_OK;
}

int record_update(const RecordCtx *c, const RecordDef *d, int64_t id, int64_t version,
                  json_t *in, RecordProblems *p, RecordRow *current)
{
    Db *db = c->store->db;
    RecordRow before;
    int got = store_record_get(db, d, id, &before);
    if (got <= 0) return got < 0 ? -1 : RECORD_GONE;
    RecordValue vals[64];
    int rc = record_validate(c, d, in, id, before.parent_id, vals, p);
    if (rc) goto out;
    if (before.version != version) {
        rc = RECORD_CONFLICT;
        goto out;
    }
    if (db_begin(db)) {
        rc = -1;
        goto out;
    }
    int w = store_record_update(db, d, c->sid, id, version, vals);
    if (w != 0) {
        rc = w == 1 ? RECORD_CONFLICT : write_failed(c, d, p);
        db_rollback(db);
        goto out;
    }
    if (record_audit(c, d, "update", &before, id) || db_commit(db)) {
        db_rollback(db);
        rc = -1;
        goto out;
    }
    rc = RECORD_OK;
out:
    if (rc == RECORD_CONFLICT && current) {
        /* What it is now (read again: it may have moved since before). */
        int g = store_record_get(db, d, id, current);
        if (g <= 0) rc = g < 0 ? -1 : RECORD_GONE;
    }
    store_record_free(&before);
    return rc;
}

int record_delete(const RecordCtx *c, const RecordDef *d, int64_t id, int64_t version)
{
    Db *db = c->store->db;
    if (!d->sql_delete) return RECORD_INVALID;
    RecordRow before;
    int got = store_record_get(db, d, id, &before);
    if (got <= 0) return got < 0 ? -1 : RECORD_GONE;
    int rc;
    if (db_begin(db)) {
        rc = -1;
        goto out;
    }
    int w = store_record_delete(db, d, id, version);
    if (w != 0) {
        db_rollback(db);
        rc = w == 1 ? RECORD_CONFLICT : -1;
        goto out;
    }
    if (record_audit(c, d, "delete", &before, 0) || db_commit(db)) {
        db_rollback(db);
        rc = -1;
        goto out;
    }
    rc = RECORD_OK;
out:
    store_record_free(&before);
    return rc;
}
