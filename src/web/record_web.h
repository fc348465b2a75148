/*
 * record_web.h — what the record pages and the records API share: finding
 * the kind and the record a path names, checking that the person may change
 * it, and the context a change runs in (record.h).
 */
#ifndef ITSTRAT_RECORD_WEB_H
#define ITSTRAT_RECORD_WEB_H
#include "audit.h"
#include "http.h"
#include "record.h"

typedef struct RecordReq {
    const RecordDef *def;   /* the kind named by {entity} */
    int64_t id;             /* the record named by {id}; 0 when none */
    RecordRow row;          /* that record, when id */
    int loaded;             /* row holds it */
    RecordCtx ctx;          /* the strategy, for record.h */
    AuditActor actor;       /* rq's person, via web or api */
} RecordReq;

/* Fills r from rq: the kind (args[1]) and, when with_id, the record
 * (args[2]), which must belong to rq's strategy. Answers 404 (no such kind
 * or record) and returns 1; -1 on a database error; 0 to go on. */
int record_req_open(Req *rq, Resp *rs, RecordReq *r, int with_id);
void record_req_close(RecordReq *r);

/* 1 when rq's person may create, change or delete records of kind d whose
 * scope (the project or indicator they belong to; 0 when none) is given:
 * managers and admins always; contributors on kinds open to them within
 * their assignments. 0 when not, -1 on a database error. */
int record_may_edit(Req *rq, const RecordDef *d, int64_t scope_project, int64_t scope_indicator);

/* For a new record of kind d under parent id (0: the strategy): checks that
 * the parent exists in rq's strategy and loads its scope. 1 ok, 0 no such
 * parent, -1 database error. */
int record_parent_scope(Req *rq, const RecordDef *d, int64_t parent, int64_t *scope_project,
                        int64_t *scope_indicator);

/* The text a form shows for field name of fields (a JSON object): "" for
 * null. In rq's arena. */
const char *record_field_text(Req *rq, json_t *fields, const char *name);

#endif
