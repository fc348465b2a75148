/* record_web.c — shared by the record pages and the records API (record_web.h). */
#include "record_web.h"

#include <stdio.h>
#include <string.h>

#include "json_w.h"
#include "store_record.h"

int record_req_open(Req *rq, Resp *rs, RecordReq *r, int with_id)
{
    memset(r, 0, sizeof *r);
    r->def = record_def(rq->args[1]);
    if (!r->def) {
        http_error(rq, rs, 404, "There is no kind of record called \"%s\". The list is at "
                                "/s/%s/records.", rq->args[1], rq->strategy->code);
        return 1;
    }
    const ReqStrategy *s = rq->strategy;
    r->ctx = (RecordCtx){rq->store, s->id, s->code, s->first_year, s->last_year, s->odd,
                         &r->actor};
    snprintf(r->actor.login, sizeof r->actor.login, "%s", rq->user ? rq->user->login : "?");
    r->actor.via = http_is_api(rq) ? "api" : "web";
    snprintf(r->actor.address, sizeof r->actor.address, "%s", rq->client ? rq->client : "");
    if (!with_id) return 0;
    r->id = http_parse_id(rq->args[2]);
    int got = r->id ? store_record_get(rq->db, r->def, r->id, &r->row) : 0;
    if (got < 0) return -1;
    if (got && r->row.strategy_id != s->id) {
        store_record_free(&r->row);
        got = 0;
    }
    if (!got) {
        http_error(rq, rs, 404, "There is no %s with id %s in strategy %s (it may have been "
                                "deleted).", r->def->label, rq->args[2], s->code);
        return 1;
    }
    r->loaded = 1;
    return 0;
}

void record_req_close(RecordReq *r)
{
    if (r->loaded) store_record_free(&r->row);
    r->loaded = 0;
}

int record_may_edit(Req *rq, const RecordDef *d, int64_t scope_project, int64_t scope_indicator)
{
    if (!rq->user) return 0;
    if (rq->user->rank >= ROLE_MANAGER) return 1;
    if (rq->user->rank != ROLE_CONTRIBUTOR || !d->contributor) return 0;
    if (!scope_project && !scope_indicator) return 0;
    return store_record_assigned(rq->db, rq->user->id, scope_project, scope_indicator);
}

int record_parent_scope(Req *rq, const RecordDef *d, int64_t parent, int64_t *scope_project,
                        int64_t *scope_indicator)
{
    *scope_project = *scope_indicator = 0;
    if (!d->parent) return parent == 0;
    const RecordDef *pd = record_def(d->parent);
    RecordRow pr;
    int got = pd && parent > 0 ? store_record_get(rq->db, pd, parent, &pr) : 0;
    if (got <= 0) return got;
    int ok = pr.strategy_id == rq->strategy->id;
    *scope_project = pr.scope_project;
    *scope_indicator = pr.scope_indicator;
    store_record_free(&pr);
    return ok;
}

const char *record_field_text(Req *rq, json_t *fields, const char *name)
{
    json_t *v = json_object_get(fields, name);
    if (!v || json_is_null(v)) return "";
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_true(v)) return "1";
    if (json_is_false(v)) return "";
    char num[64];
    if (json_is_integer(v)) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return arena_strdup(&rq->arena, num);
    }
    Buf b = BUF_INIT;
    json_number(&b, json_number_value(v));
    const char *out = arena_strdup(&rq->arena, buf_str(&b));
    buf_free(&b);
    return out;
}
