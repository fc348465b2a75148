/*
 * store_assign.h — which projects and indicators a contributor may update
 * (table assignment, schema 3): one row per account and project, or per
 * account and indicator.
 *
 * All SQL about assignments lives in store_assign.c. The admin's account
 * page lists, adds and removes them; the record editor asks
 * store_assign_has_project / store_assign_has_indicator before letting a
 * contributor change a record. Writers run inside the caller's
 * db_begin()/db_commit(), with the audit entry of the change.
 */
#ifndef ITSTRAT_STORE_ASSIGN_H
#define ITSTRAT_STORE_ASSIGN_H
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* One assignment as listed; strings are owned by the row
 * (store_assign_list_free). */
typedef struct AssignRow {
    int is_indicator;   /* 0: a project, 1: an indicator */
    int64_t target_id;  /* project.id or indicator.id */
    char *strategy;     /* the strategy's code */
    char *code;         /* the project's or indicator's code */
    char *title;        /* its title */
} AssignRow;

/* The assignments of account user_id, by strategy, kind (projects first)
 * and code, into *out (caller frees with store_assign_list_free). Returns 0,
 * or -1 (then *out is NULL and *n 0). */
int store_assign_list(Db *db, int64_t user_id, AssignRow **out, size_t *n);
void store_assign_list_free(AssignRow *a, size_t n);

/* Assigns to account user_id the project (is_indicator 0) or indicator
 * (1) with code in the strategy with code strategy. Returns 0 when added
 * (its id in *target_id, may be NULL), 1 when it was assigned already, 2
 * when there is no such strategy, project or indicator, -1 on error. */
int store_assign_add(Db *db, int64_t user_id, const char *strategy, int is_indicator,
                     const char *code, int64_t *target_id);

/* Removes the assignment of project or indicator target_id from account
 * user_id. 0 removed, 1 there was none, -1. */
int store_assign_remove(Db *db, int64_t user_id, int is_indicator, int64_t target_id);

/* 1 when project_id (resp. indicator_id) is assigned to account user_id,
 * 0 when not, -1 on a database error. */
int store_assign_has_project(Db *db, int64_t user_id, int64_t project_id);
int store_assign_has_indicator(Db *db, int64_t user_id, int64_t indicator_id);

#endif
