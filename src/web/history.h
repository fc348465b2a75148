/*
 * history.h — the audit entries of one record, as a page section or JSON.
 *
 * A record's entries are those of audit with its entity and entity_key
 * (entity.h says how each kind of record names its key, e.g. "project" /
 * "2018-21/DC.1"), newest first: when, who, from where, what, and the
 * fields that changed (before -> after, from the entries' JSON).
 */
#ifndef ITSTRAT_HISTORY_H
#define ITSTRAT_HISTORY_H

#include "http.h"

/* Appends "<section><h2>History</h2>...</section>" for entity/key to b: at
 * most limit entries (newest first), each with the changed fields. Returns 0,
 * or -1 on a database error (db_errmsg). */
int history_html(Req *rq, Buf *b, const char *entity, const char *key, int limit);

/* Appends a JSON array of the entries of entity/key (newest first) to b:
 * [{"id","at","actor","via","address","action","before","after"}...] with
 * before/after as JSON objects (or null). 0 or -1. */
int history_json(Req *rq, Buf *b, const char *entity, const char *key, int limit);

#endif
