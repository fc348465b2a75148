/*
 * record.h — creating, changing and deleting one record from a form or an
 * API body, with the importer's checks, optimistic concurrency and an audit
 * entry in the same transaction.
 *
 * Values arrive as a JSON object of the kind's fields (record_def.h): the
 * API's body as sent, a form's texts converted by record_text_json(). Each
 * field is checked by the importer's own reader for its type (import_int.h),
 * so a form, the API and a document obey one set of rules; references are
 * resolved from codes to ids within the strategy; then the kind's check()
 * looks across fields. Nothing is written unless everything passes.
 */
#ifndef ITSTRAT_RECORD_H
#define ITSTRAT_RECORD_H
#include <jansson.h>
#include <stdint.h>

#include "audit.h"
#include "record_def.h"
#include "store.h"
#include "store_record.h"

/* The strategy a change happens in, and who makes it. */
typedef struct RecordCtx {
    Store *store;              /* its db is written */
    int64_t sid;
    const char *scode;         /* strategy code */
    int64_t first_year, last_year;
    int odd;                   /* bienniums start in odd years */
    const AuditActor *actor;   /* NULL: the thread's actor */
} RecordCtx;

enum { RECORD_OK = 0, RECORD_INVALID = 1, RECORD_CONFLICT = 2, RECORD_GONE = 3 };

/* The JSON value of a form's text for field f: null for an empty text; a
 * number, boolean or string by f's type. A text that is not a number where
 * one is needed adds a problem and returns NULL. New reference. */
json_t *record_text_json(const RecordField *f, const char *text, RecordProblems *p);

/* Checks in (an object of field values) for kind d in the strategy of c,
 * for record id (0: a new one) under parent. Members not of the kind are
 * refused, except "version" and "parent". Fills vals (one per field;
 * strings borrowed from in). Returns RECORD_OK or RECORD_INVALID (problems
 * in p), or -1 on a database error. */
int record_validate(const RecordCtx *c, const RecordDef *d, json_t *in, int64_t id,
                    int64_t parent, RecordValue *vals, RecordProblems *p);

/* Creates a record of kind d under parent (0 for kinds of the strategy):
 * RECORD_OK and *id, RECORD_INVALID (p says why; also for a kind without
 * sql_insert, which cannot be created here), or -1. */
int record_create(const RecordCtx *c, const RecordDef *d, int64_t parent, json_t *in,
                  int64_t *id, RecordProblems *p);

/* Replaces the fields of record id, when it is still at version, with in
 * (every field; absent ones become empty). RECORD_OK, RECORD_INVALID,
 * RECORD_CONFLICT (someone saved it since: *current, if not NULL, gets the
 * record as it is now; caller frees), RECORD_GONE (deleted since), or -1. */
int record_update(const RecordCtx *c, const RecordDef *d, int64_t id, int64_t version,
                  json_t *in, RecordProblems *p, RecordRow *current);

/* Deletes record id at version: RECORD_OK, RECORD_CONFLICT, RECORD_GONE,
 * RECORD_INVALID (the kind cannot be deleted here: no sql_delete) or -1. */
int record_delete(const RecordCtx *c, const RecordDef *d, int64_t id, int64_t version);

/* Appends the audit entry of action ("create", "update", "delete") on record
 * id of kind d (0 when deleted) in the open transaction: before (NULL for a
 * new record) and the record as it is now. 0, or -1 on a database error. */
int record_audit(const RecordCtx *c, const RecordDef *d, const char *action,
                 const RecordRow *before, int64_t id);

/* The record's fields as the audit and the API write them (compact JSON,
 * with "version"); caller frees. */
char *record_json_text(const RecordRow *r);

#endif
