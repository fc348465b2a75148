/*
 * store_update.h — the model's row-by-row changes of a spreadsheet import
 * (src/io/csv_import.c): update a project's fields, clear its work-plan
 * years or tags, update a measurement, delete or renumber an expenditure
 * line. Each statement is prepared on its first use and kept for the rows
 * that follow (an import may change 100,000 rows); run inside the caller's
 * transaction. Updates move the row's version, as a form's save does, so a
 * form opened before the import is refused instead of overwriting it.
 * Functions return 0, or -1 with db_errmsg() set.
 */
#ifndef ITSTRAT_STORE_UPDATE_H
#define ITSTRAT_STORE_UPDATE_H
#include <stdint.h>

#include "db.h"
#include "model.h"

typedef struct StoreUpdates {
    Db *db;
    DbStmt *project, *project_years, *project_tags, *measurement, *spend_delete, *spend_sort;
} StoreUpdates;

void store_updates_init(StoreUpdates *u, Db *db);
void store_updates_done(StoreUpdates *u); /* finalizes what was prepared */

/* Sets every field of project id (not its code, strategy or sort) from r. */
int store_update_project(StoreUpdates *u, int64_t id, const ProjectRow *r);
/* Deletes the work-plan years, or the tags, of project id. */
int store_clear_project_years(StoreUpdates *u, int64_t id);
int store_clear_project_tags(StoreUpdates *u, int64_t id);
/* Sets value, source and note of the measurement of r's indicator and date. */
int store_update_measurement(StoreUpdates *u, const MeasurementRow *r);
/* Deletes expenditure line id; sets the sort of line id. */
int store_delete_expenditure(StoreUpdates *u, int64_t id);
int store_sort_expenditure(StoreUpdates *u, int64_t id, int64_t sort);

#endif
