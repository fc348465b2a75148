/*
 * export.h — writing a strategy as a document of format itstrat/1.
 */
#ifndef ITSTRAT_EXPORT_H
#define ITSTRAT_EXPORT_H
#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "json_w.h"
#include "model.h"

/* Writes strategy sid through w in the canonical layout (docs/format.md)
 * and finishes w. Returns 0, or -1 (database error: db_errmsg; or the
 * writer's sink failed: w->io_error). */
int export_json(Db *db, int64_t sid, JsonW *w);

/* Writes the strategy's own members into the open object of w, in the
 * order of docs/format.md: code, title, organization, first_year, last_year,
 * biennium_start, approved_by, approved_on, summary, currency (optional ones
 * only when set). Not "public" nor "risk_matrix": the document and the API
 * write those differently. Nothing fails (errors stay in w). */
void export_json_strategy_fields(JsonW *w, const StrategyRow *r);

/* Exports strategy sid to the stream out. Returns 0 or -1 with err set. */
int export_json_file(Db *db, int64_t sid, FILE *out, Buf *err);

/* BLAKE2b-256 digest of the export of strategy sid: two strategies export
 * the same bytes exactly when their digests are equal. Returns 0 or -1. */
int export_json_digest(Db *db, int64_t sid, unsigned char out[32]);

#endif
