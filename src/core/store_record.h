/*
 * store_record.h — reading and writing one record of any kind, by its
 * RecordDef (record_def.h): the SQL is the definition's, the binding and
 * reading are here. Writers run inside the caller's transaction (the
 * caller also appends the audit entry in it).
 */
#ifndef ITSTRAT_STORE_RECORD_H
#define ITSTRAT_STORE_RECORD_H
#include <jansson.h>
#include <stdint.h>

#include "db.h"
#include "record_def.h"

/* A record as read back. */
typedef struct RecordRow {
    int64_t id, version, strategy_id, parent_id; /* parent_id 0: the strategy */
    int64_t scope_project, scope_indicator;      /* 0: none */
    char *key;          /* audit key, e.g. "2018-21/DC.1" */
    char *title;        /* label for people */
    json_t *fields;     /* every field by name: string, integer, real, boolean or null
                         * (money as a number of currency units, references as codes) */
} RecordRow;

/* Reads record id of kind d: 1 found (free with store_record_free), 0 not
 * found, -1 database error. */
int store_record_get(Db *db, const RecordDef *d, int64_t id, RecordRow *out);
void store_record_free(RecordRow *r);

/* Calls row() for each record of kind d in strategy sid under parent (0:
 * all); a non-zero return stops and is returned. 0 or -1. */
int store_record_list(Db *db, const RecordDef *d, int64_t sid, int64_t parent,
                      int (*row)(void *ctx, int64_t id, const char *title, int64_t version),
                      void *ctx);

/* Calls opt(ctx, code, label) for each record of kind d in strategy sid
 * whose list statement gives a "code" column, in report order, at most max;
 * returns the number of records (which may be more than max), 0 when the
 * kind has no code column, or -1. For a form's choices of a reference. */
int64_t store_record_options(Db *db, const RecordDef *d, int64_t sid, int64_t max,
                             void (*opt)(void *ctx, const char *code, const char *label),
                             void *ctx);

/* Calls dep() for each record that goes with or points at record id. 0 or -1. */
int store_record_dependents(Db *db, const RecordDef *d, int64_t id,
                            int (*dep)(void *ctx, const char *what, const char *label),
                            void *ctx);

/* The id of the record of kind d with code in strategy sid: >0, 0 none, -1. */
int64_t store_record_find(Db *db, const RecordDef *d, int64_t sid, const char *code);

/* Inserts a record with vals (one per field; its lists too) under parent
 * (0: none) in strategy sid. 0 and *id, or -1 (db_errmsg; a UNIQUE failure says so). */
int store_record_insert(Db *db, const RecordDef *d, int64_t sid, int64_t parent,
                        const RecordValue *vals, int64_t *id);

/* Updates record id of strategy sid when it is still at version: 0 done, 1
 * it has moved on (or is gone), -1 error. Lists (RF_LIST) are replaced. */
int store_record_update(Db *db, const RecordDef *d, int64_t sid, int64_t id, int64_t version,
                        const RecordValue *vals);

/* Deletes record id when it is still at version: 0, 1 (moved on or gone), -1. */
int store_record_delete(Db *db, const RecordDef *d, int64_t id, int64_t version);

/* 1 when account user_id is assigned project_id (or indicator_id; pass 0
 * for the other), 0 when not, -1 on error. */
int store_record_assigned(Db *db, int64_t user_id, int64_t project_id, int64_t indicator_id);

#endif
