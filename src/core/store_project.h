/*
 * store_project.h — one project with everything around it (the project
 * page), and the projects of one outcome, output or driver (the strategy
 * tree), read with indexed queries so that a 100,000-project portfolio
 * costs no more than a small one.
 *
 * Everything returned is copied into the caller's arena; nothing else to
 * free. Functions return 0, or -1 on a database error with
 * db_errmsg(s->db) saying what failed.
 */
#ifndef ITSTRAT_STORE_PROJECT_H
#define ITSTRAT_STORE_PROJECT_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "store.h"

/* Another project, as a link shows it. */
typedef struct ProjectRef {
    const char *code, *title, *status;
} ProjectRef;

/* The roll-out of a project at one location. */
typedef struct ProjectRollout {
    const char *location_code, *location_name, *kind; /* of the location */
    const char *status, *date, *note;                 /* date and note may be NULL */
} ProjectRollout;

/* A progress update with its footnotes. */
typedef struct ProjectProgress {
    const char *date, *text, *source; /* text is Markdown; source may be NULL */
    int64_t report_year;              /* DB_NULL_INT: in no report */
    const char **footnotes;           /* Markdown */
    size_t nfootnotes;
} ProjectProgress;

/* A decision of a governance meeting that names the project. */
typedef struct ProjectDecision {
    const char *committee_code, *committee_name;
    const char *meeting_date, *meeting_title; /* title may be NULL */
    const char *kind, *text;                  /* text is Markdown */
} ProjectDecision;

enum { PROJECT_HOME_OUTCOME = 0, PROJECT_HOME_OUTPUT = 1, PROJECT_HOME_DRIVER = 2 };

typedef struct ProjectDetail {
    int64_t id;
    const char *code, *title, *summary, *status; /* summary is Markdown, may be NULL */
    int home_kind;                  /* PROJECT_HOME_* */
    int64_t outcome_id;             /* its outcome, through its output; DB_NULL_INT for a driver's */
    int64_t outcome_number;
    const char *outcome_title;
    int64_t output_id;              /* DB_NULL_INT unless home_kind is OUTPUT */
    const char *output_code, *output_title;
    int64_t driver_id;              /* DB_NULL_INT unless home_kind is DRIVER */
    const char *driver_code, *driver_title;
    const char *category_code, *category_name; /* NULL: no category */
    int category_new_or_major;
    const char *planned_start, *planned_end, *actual_start, *actual_end; /* or NULL */
    int64_t budget, actual_cost;    /* cents, or DB_NULL_INT */
    const char *currency, *unit, *source; /* or NULL */
    int *years;                     /* work-plan years, ascending */
    size_t nyears;
    const char **tags;
    size_t ntags;
    ProjectRollout *rollout;        /* in the document's order */
    size_t nrollout;
    ProjectRef *waits_on;           /* the projects this one waits on */
    size_t nwaits_on;
    ProjectRef *waited_on_by;       /* the projects that wait on this one, in portfolio order */
    size_t nwaited_on_by;
    ProjectProgress *updates;       /* oldest first, as entered */
    size_t nupdates;
    ProjectDecision *decisions;     /* by meeting date */
    size_t ndecisions;
} ProjectDetail;

/* Reads project code of strategy sid with everything above into *out.
 * Returns 0, 1 when the strategy has no such project, -1 on error. */
int store_project_load(Store *s, int64_t sid, const char *code, Arena *a, ProjectDetail *out);

/* The first `limit` projects (in portfolio order) whose home is outcome
 * (directly, not through an output), output or driver home_id, by
 * home_kind (PROJECT_HOME_*), and in *total how many there are. */
int store_project_list_home(Store *s, int home_kind, int64_t home_id, int limit, Arena *a,
                            ProjectRef **out, size_t *n, int64_t *total);

#endif
