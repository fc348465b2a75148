/* store_update.c — the row-by-row changes of a spreadsheet import (store_update.h). */
#include "store_update.h"

#include <string.h>

void store_updates_init(StoreUpdates *u, Db *db)
{
    memset(u, 0, sizeof *u);
    u->db = db;
}

void store_updates_done(StoreUpdates *u)
{
    db_finalize(u->project), db_finalize(u->project_years), db_finalize(u->project_tags);
    db_finalize(u->measurement), db_finalize(u->spend_delete), db_finalize(u->spend_sort);
    memset(u, 0, sizeof *u);
}

/* Runs st to its end and makes it ready for the next row. */
static int run(DbStmt *st)
{
    int rc = db_step(st);
    db_reset(st);
    return rc == DB_DONE ? 0 : -1;
}

int store_update_project(StoreUpdates *u, int64_t id, const ProjectRow *r)
{
    if (!u->project &&
        db_prepare(u->db, &u->project,
                   "UPDATE project SET title = :title, summary = :summary,"
                   " outcome_id = :outcome_id, output_id = :output_id, driver_id = :driver_id,"
                   " category_id = :category_id, status = :status,"
                   " planned_start = :planned_start, planned_end = :planned_end,"
                   " actual_start = :actual_start, actual_end = :actual_end, budget = :budget,"
                   " actual_cost = :actual_cost, currency = :currency, unit = :unit,"
                   " source = :source, version = version + 1 WHERE id = :id"))
        return -1;
    DbStmt *st = u->project;
    db_bind_text(st, ":title", r->title);
    db_bind_text(st, ":summary", r->summary);
    db_bind_int(st, ":outcome_id", r->outcome_id);
    db_bind_int(st, ":output_id", r->output_id);
    db_bind_int(st, ":driver_id", r->driver_id);
    db_bind_int(st, ":category_id", r->category_id);
    db_bind_text(st, ":status", r->status);
    db_bind_text(st, ":planned_start", r->planned_start);
    db_bind_text(st, ":planned_end", r->planned_end);
    db_bind_text(st, ":actual_start", r->actual_start);
    db_bind_text(st, ":actual_end", r->actual_end);
    db_bind_int(st, ":budget", r->budget);
    db_bind_int(st, ":actual_cost", r->actual_cost);
    db_bind_text(st, ":currency", r->currency);
    db_bind_text(st, ":unit", r->unit);
    db_bind_text(st, ":source", r->source);
    db_bind_int(st, ":id", id);
    return run(st);
}

int store_clear_project_years(StoreUpdates *u, int64_t id)
{
    if (!u->project_years &&
        db_prepare(u->db, &u->project_years, "DELETE FROM project_year WHERE project_id = :id"))
        return -1;
    db_bind_int(u->project_years, ":id", id);
    return run(u->project_years);
}

int store_clear_project_tags(StoreUpdates *u, int64_t id)
{
    if (!u->project_tags &&
        db_prepare(u->db, &u->project_tags, "DELETE FROM project_tag WHERE project_id = :id"))
        return -1;
    db_bind_int(u->project_tags, ":id", id);
    return run(u->project_tags);
}

int store_update_measurement(StoreUpdates *u, const MeasurementRow *r)
{
    if (!u->measurement &&
        db_prepare(u->db, &u->measurement,
                   "UPDATE measurement SET value = :value, source = :source, note = :note,"
                   " version = version + 1 WHERE indicator_id = :indicator_id AND date = :date"))
        return -1;
    DbStmt *st = u->measurement;
    db_bind_double(st, ":value", r->value);
    db_bind_text(st, ":source", r->source);
    db_bind_text(st, ":note", r->note);
    db_bind_int(st, ":indicator_id", r->indicator_id);
    db_bind_text(st, ":date", r->date);
    return run(st);
}

int store_delete_expenditure(StoreUpdates *u, int64_t id)
{
    if (!u->spend_delete &&
        db_prepare(u->db, &u->spend_delete, "DELETE FROM expenditure WHERE id = :id"))
        return -1;
    db_bind_int(u->spend_delete, ":id", id);
    return run(u->spend_delete);
}

int store_sort_expenditure(StoreUpdates *u, int64_t id, int64_t sort)
{
    if (!u->spend_sort &&
        db_prepare(u->db, &u->spend_sort, "UPDATE expenditure SET sort = :sort WHERE id = :id"))
        return -1;
    db_bind_int(u->spend_sort, ":sort", sort);
    db_bind_int(u->spend_sort, ":id", id);
    return run(u->spend_sort);
}
