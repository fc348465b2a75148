/*
 * api_records.c — records through the API (/api/v1/strategies/{s}/records):
 * list, read, create (POST), change (PATCH) and delete (DELETE) any kind of
 * record of record_def.h, with the same checks, versions and audit trail as
 * the forms (record.h). Writes need an API token that may write (the route
 * table checks it); the JSON body is an object of the kind's fields.
 *
 *   POST   .../records/{kind}          {"parent": ID?, field: value...}  -> 201
 *   PATCH  .../records/{kind}/{id}     {"version": N, field: value...}   -> 200
 *   DELETE .../records/{kind}/{id}?version=N                              -> 204
 *
 * A PATCH changes only the members it names. 422 lists every problem by
 * field; 409 (the record has moved on since version N) carries the record
 * as it is now; neither changes anything.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "history.h"
#include "pages.h"
#include "record_web.h"

/* ?version=N of a DELETE. */
typedef struct VersionQuery {
    long long version;
    int has;
} VersionQuery;

/* Answers with the JSON value o (stolen). */
static int send_json(Resp *rs, int status, json_t *o)
{
    rs->status = status;
    rs->content_type = "application/json";
    char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(o);
    buf_reset(&rs->body);
    if (s) {
        buf_puts(&rs->body, s);
        buf_putc(&rs->body, '\n');
    }
    free(s);
    return 0;
}

static json_t *record_object(const RecordDef *d, const RecordRow *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(d->name));
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "version", json_integer(r->version));
    json_object_set_new(o, "key", json_string(r->key));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "parent", r->parent_id ? json_integer(r->parent_id) : json_null());
    json_object_set(o, "fields", r->fields);
    return o;
}

/* The 422 answer: {"error": {status, reason, message, problems: [...]}}. */
static int problems_answer(Resp *rs, const RecordDef *d, const RecordProblems *p)
{
    json_t *list = json_array();
    for (int k = 0; k < p->n; k++)
        json_array_append_new(list, json_pack("{s:s?,s:s}", "field",
                                              p->a[k].field[0] ? p->a[k].field : NULL,
                                              "message", p->a[k].msg));
    char msg[200];
    snprintf(msg, sizeof msg, "The %s was not saved: %d problem%s, listed by field.", d->label,
             p->n, p->n == 1 ? "" : "s");
    json_t *e = json_pack("{s:i,s:s,s:s,s:o}", "status", 422, "reason", "Unprocessable Content",
                          "message", msg, "problems", list);
    return send_json(rs, 422, json_pack("{s:o}", "error", e));
}

/* The body as a JSON object, or an answer (400/415) and NULL. */
static json_t *body_object(Req *rq, Resp *rs)
{
    if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
        http_error(rq, rs, 415, "Send the record as JSON with \"Content-Type: application/json\".");
        return NULL;
    }
    json_error_t err;
    json_t *o = rq->body ? json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err) : NULL;
    if (!rq->body) {
        http_error(rq, rs, 400, "The request has no body; send a JSON object of the fields.");
        return NULL;
    }
    if (!o) {
        http_error(rq, rs, 400, "The body is not valid JSON: %s (line %d, column %d).", err.text,
                   err.line, err.column);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        http_error(rq, rs, 400, "The body must be a JSON object of the record's fields.");
        return NULL;
    }
    return o;
}

typedef struct ListCtx {
    json_t *a;
} ListCtx;

static int list_row(void *ctx, int64_t id, const char *title, int64_t version)
{
    ListCtx *l = ctx;
    json_array_append_new(l->a, json_pack("{s:I,s:s?,s:I}", "id", (json_int_t)id, "title", title,
                                          "version", (json_int_t)version));
    return 0;
}

int api_records(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 0);
    if (rc) return rc < 0 ? -1 : 0;
    const RecordDef *d = r.def;
    if (rq->method != M_POST) {
        struct { long long parent; } q = {0};
        static const QueryField fields[] = {
            {"parent", QT_INT, 0, QUERY_NO_HAS, 1, INT64_MAX / 2, NULL, 0},
        {NULL, 0, 0, 0, 0, 0, NULL, 0}};
        if (http_query(rq, rs, fields, &q)) return 0;
        ListCtx l = {json_array()};
        if (store_record_list(rq->db, d, rq->strategy->id, q.parent, list_row, &l) < 0) {
            json_decref(l.a);
            return -1;
        }
        return send_json(rs, 200, json_pack("{s:s,s:o}", "kind", d->name, "records", l.a));
    }
    json_t *in = body_object(rq, rs);
    if (!in) return 0;
    rc = -1;
    json_t *pj = json_object_get(in, "parent");
    int64_t parent = json_is_integer(pj) ? json_integer_value(pj) : 0;
    RecordProblems p = {.n = 0};
    if (d->parent && parent <= 0) {
        record_problem(&p, "parent", "a %s belongs to a %s: give its id as \"parent\"", d->label,
                       d->parent);
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    if (!d->parent && pj) {
        record_problem(&p, "parent", "a %s belongs to the strategy itself: leave \"parent\" out",
                       d->label);
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    int64_t sp, si;
    int ok = record_parent_scope(rq, d, parent, &sp, &si);
    if (ok < 0) goto out;
    if (!ok) {
        rc = http_error(rq, rs, 404, "There is no %s %lld in strategy %s.", d->parent,
                        (long long)parent, rq->strategy->code);
        goto out;
    }
    int may = record_may_edit(rq, d, sp, si);
    if (may <= 0) {
        if (may == 0)
            rc = http_error(rq, rs, 403, "Your role (%s) may not add a %s here.", rq->user->role,
                            d->label);
        goto out;
    }
    json_object_del(in, "parent");
    int64_t id = 0;
    int w = record_create(&r.ctx, d, parent, in, &id, &p);
    if (w < 0) goto out;
    if (w != RECORD_OK) {
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    cache_changed();
    RecordRow row;
    int got = store_record_get(rq->db, d, id, &row);
    if (got <= 0) goto out;
    char loc[300];
    snprintf(loc, sizeof loc, "/api/v1/strategies/%s/records/%s/%lld", rq->strategy->code,
             d->name, (long long)id);
    rs->location = arena_strdup(&rq->arena, loc);
    rc = send_json(rs, 201, record_object(d, &row));
    store_record_free(&row);
out:
    json_decref(in);
    return rc;
}

int api_record(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 1);
    if (rc) return rc < 0 ? -1 : 0;
    rc = -1;
    const RecordDef *d = r.def;
    json_t *in = NULL, *merged = NULL;
    RecordRow now = {0};
    if (rq->query.n && rq->method != M_DELETE) {
        rc = http_error(rq, rs, 400, "parameter %.40s: unknown here; this address takes no "
                        "parameters", rq->query.a[0].name);
        goto out;
    }
    if (rq->method & (M_GET | M_HEAD)) {
        rc = send_json(rs, 200, record_object(d, &r.row));
        goto out;
    }
    int may = record_may_edit(rq, d, r.row.scope_project, r.row.scope_indicator);
    if (may <= 0) {
        if (may == 0)
            rc = http_error(rq, rs, 403, "Your role (%s) may not change this %s.", rq->user->role,
                            d->label);
        goto out;
    }
    if (rq->method == M_DELETE) {
        VersionQuery q = {0, 0};
        static const QueryField fields[] = {
            {"version", QT_INT, offsetof(VersionQuery, version), offsetof(VersionQuery, has), 1,
             INT64_MAX / 2, NULL, 0},
            {NULL, 0, 0, 0, 0, 0, NULL, 0}};
        if (http_query(rq, rs, fields, &q)) {
            rc = 0;
            goto out;
        }
        if (!q.has) {
            rc = http_error(rq, rs, 400, "Say which version you are deleting: ?version=%lld.",
                            (long long)r.row.version);
            goto out;
        }
        int w = d->sql_delete ? record_delete(&r.ctx, d, r.id, q.version) : RECORD_INVALID;
        if (w < 0) goto out;
        if (w == RECORD_INVALID)
            rc = http_error(rq, rs, 405, "A %s cannot be deleted through the API.", d->label);
        else if (w == RECORD_CONFLICT) {
            json_t *e = json_pack("{s:i,s:s,s:s,s:o}", "status", 409, "reason", "Conflict",
                                  "message", "The record changed since that version; nothing "
                                  "was deleted.", "current", record_object(d, &r.row));
            rc = send_json(rs, 409, json_pack("{s:o}", "error", e));
        } else {
            cache_changed();
            rs->status = 204;
            rs->content_type = "application/json";
            rc = 0;
        }
        goto out;
    }
    /* PATCH: the members sent over the record as it is. */
    in = body_object(rq, rs);
    if (!in) {
        rc = 0;
        goto out;
    }
    json_t *vj = json_object_get(in, "version");
    RecordProblems p = {.n = 0};
    if (!json_is_integer(vj)) {
        record_problem(&p, "version", "give the version you started from (an integer; it is "
                       "%lld now)", (long long)r.row.version);
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    int64_t version = json_integer_value(vj);
    if (json_object_get(in, "parent")) {
        record_problem(&p, "parent", "a record does not move to another parent; leave it out");
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    json_object_del(in, "version");
    merged = json_deep_copy(r.row.fields);
    json_object_update(merged, in);
    /* Unknown members must still be refused: check them on what was sent. */
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v) {
        if (!record_field(d, key)) record_problem(&p, key, "unknown member of a %s", d->label);
    }
    if (p.n) {
        rc = problems_answer(rs, d, &p);
        goto out;
    }
    int w = record_update(&r.ctx, d, r.id, version, merged, &p, &now);
    if (w < 0) goto out;
    if (w == RECORD_INVALID) rc = problems_answer(rs, d, &p);
    else if (w == RECORD_GONE) rc = http_error(rq, rs, 410, "The %s was deleted meanwhile.", d->label);
    else if (w == RECORD_CONFLICT) {
        json_t *e = json_pack("{s:i,s:s,s:s,s:o}", "status", 409, "reason", "Conflict", "message",
                              "The record changed since that version; nothing was saved. "
                              "Compare with \"current\" and send again with its version.",
                              "current", record_object(d, &now));
        rc = send_json(rs, 409, json_pack("{s:o}", "error", e));
    } else {
        cache_changed();
        RecordRow row;
        int got = store_record_get(rq->db, d, r.id, &row);
        if (got > 0) {
            rc = send_json(rs, 200, record_object(d, &row));
            store_record_free(&row);
        }
    }
out:
    if (now.fields) store_record_free(&now);
    json_decref(in);
    json_decref(merged);
    record_req_close(&r);
    return rc;
}

int api_record_history(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 1);
    if (rc) return rc < 0 ? -1 : 0;
    if (rq->query.n)
        rc = http_error(rq, rs, 400, "parameter %.40s: unknown here; this address takes no "
                        "parameters", rq->query.a[0].name);
    else {
        rs->content_type = "application/json";
        rc = history_json(rq, &rs->body, r.def->name, r.row.key, 1000);
    }
    record_req_close(&r);
    return rc;
}
