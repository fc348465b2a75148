/* store_project.c — see store_project.h. */
#include "store_project.h"

#include <string.h>

/* Several row structs hold only strings: they are filled column by column
 * as arrays of const char * (collect_text). */
_Static_assert(sizeof(ProjectRef) == 3 * sizeof(const char *), "ProjectRef: strings only");
_Static_assert(sizeof(ProjectRollout) == 6 * sizeof(const char *), "ProjectRollout: strings only");
_Static_assert(sizeof(ProjectDecision) == 6 * sizeof(const char *),
               "ProjectDecision: strings only");

/* Binds :id to id, steps st to the end and copies each row's first ncol
 * columns (as text, NULL kept) into an arena array of rows of ncol
 * strings; finalizes st. Returns 0 or -1. */
static int collect_text(DbStmt *st, int64_t id, Arena *a, size_t ncol, void *out, size_t *n)
{
    const char **rows = NULL;
    size_t nrows = 0;
    db_bind_int(st, ":id", id);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        for (size_t k = 0; k < ncol; k++) {
            rows = arena_grow(a, rows, nrows * ncol + k, sizeof *rows);
            rows[nrows * ncol + k] = arena_strdup(a, db_column_text(st, (int)k));
        }
        nrows++;
    }
    db_finalize(st);
    *(const char ***)out = rows;
    *n = nrows;
    return step == DB_DONE ? 0 : -1;
}

/* The project row itself, its home and category. Returns 0, 1 (none), -1. */
static int project_main(Store *s, int64_t sid, const char *code, Arena *a, ProjectDetail *p)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT p.id, p.code, p.title, p.summary, p.status, p.output_id, p.driver_id,"
        " coalesce(o.outcome_id, p.outcome_id), oc.number, oc.title, o.code, o.title,"
        " d.code, d.title, c.code, c.name, c.new_or_major, p.planned_start, p.planned_end,"
        " p.actual_start, p.actual_end, p.budget, p.actual_cost, p.currency, p.unit, p.source"
        " FROM project p LEFT JOIN output o ON o.id = p.output_id"
        " LEFT JOIN outcome oc ON oc.id = coalesce(o.outcome_id, p.outcome_id)"
        " LEFT JOIN driver d ON d.id = p.driver_id"
        " LEFT JOIN category c ON c.id = p.category_id"
        " WHERE p.strategy_id = :sid AND p.code = :code"))
        return -1;
    db_bind_int(st, ":sid", sid);
    db_bind_text(st, ":code", code);
    int step = db_step(st);
    if (step == DB_ROW) {
        int i = 0;
#define TEXT() arena_strdup(a, db_column_text(st, i++))
#define INT() db_column_int(st, i++)
        p->id = INT();
        p->code = TEXT();
        p->title = TEXT();
        p->summary = TEXT();
        p->status = TEXT();
        p->output_id = INT();
        p->driver_id = INT();
        p->outcome_id = INT();
        p->outcome_number = INT();
        p->outcome_title = TEXT();
        p->output_code = TEXT();
        p->output_title = TEXT();
        p->driver_code = TEXT();
        p->driver_title = TEXT();
        p->category_code = TEXT();
        p->category_name = TEXT();
        p->category_new_or_major = INT() == 1;
        p->planned_start = TEXT();
        p->planned_end = TEXT();
        p->actual_start = TEXT();
        p->actual_end = TEXT();
        p->budget = INT();
        p->actual_cost = INT();
        p->currency = TEXT();
        p->unit = TEXT();
        p->source = TEXT();
#undef TEXT
#undef INT
        p->home_kind = p->driver_id != DB_NULL_INT   ? PROJECT_HOME_DRIVER
                       : p->output_id != DB_NULL_INT ? PROJECT_HOME_OUTPUT
                                                     : PROJECT_HOME_OUTCOME;
    }
    db_finalize(st);
    return step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
}

/* Work-plan years of project id, ascending. */
static int project_years(Store *s, int64_t id, Arena *a, ProjectDetail *p)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT year FROM project_year WHERE project_id = :id ORDER BY year"))
        return -1;
    db_bind_int(st, ":id", id);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        p->years = arena_grow(a, p->years, p->nyears, sizeof *p->years);
        p->years[p->nyears++] = (int)db_column_int(st, 0);
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

/* Updates of project id, oldest first, with their footnotes. */
static int project_updates(Store *s, int64_t id, Arena *a, ProjectDetail *p)
{
    DbStmt *st = NULL;
    int64_t *ids = NULL;
    if (db_prepare(s->db, &st,
        "SELECT id, date, text, source, report_year FROM project_update"
        " WHERE project_id = :id ORDER BY sort"))
        return -1;
    db_bind_int(st, ":id", id);
    int step;
    while ((step = db_step(st)) == DB_ROW) {
        ProjectProgress u = {arena_strdup(a, db_column_text(st, 1)),
                             arena_strdup(a, db_column_text(st, 2)),
                             arena_strdup(a, db_column_text(st, 3)), db_column_int(st, 4), NULL,
                             0};
        ids = arena_grow(a, ids, p->nupdates, sizeof *ids);
        ids[p->nupdates] = db_column_int(st, 0);
        p->updates = arena_grow(a, p->updates, p->nupdates, sizeof *p->updates);
        p->updates[p->nupdates++] = u;
    }
    db_finalize(st);
    if (step != DB_DONE) return -1;
    if (p->nupdates == 0) return 0;
    if (db_prepare(s->db, &st,
        "SELECT f.update_id, f.text FROM project_update u"
        " JOIN update_footnote f ON f.update_id = u.id"
        " WHERE u.project_id = :id ORDER BY u.sort, f.sort"))
        return -1;
    db_bind_int(st, ":id", id);
    while ((step = db_step(st)) == DB_ROW) {
        int64_t uid = db_column_int(st, 0);
        for (size_t k = 0; k < p->nupdates; k++) {
            if (ids[k] != uid) continue;
            ProjectProgress *u = &p->updates[k];
            u->footnotes = arena_grow(a, u->footnotes, u->nfootnotes, sizeof *u->footnotes);
            u->footnotes[u->nfootnotes++] = arena_strdup(a, db_column_text(st, 1));
        }
    }
    db_finalize(st);
    return step == DB_DONE ? 0 : -1;
}

/* Tags, roll-out, dependencies both ways and decisions of project id. */
static int project_related(Store *s, int64_t id, Arena *a, ProjectDetail *p)
{
    DbStmt *st = NULL;
    if (db_prepare(s->db, &st,
        "SELECT tag FROM project_tag WHERE project_id = :id ORDER BY sort") ||
        collect_text(st, id, a, 1, &p->tags, &p->ntags))
        return -1;
    if (db_prepare(s->db, &st,
        "SELECT l.code, l.name, l.kind, pl.status, pl.date, pl.note FROM project_location pl"
        " JOIN location l ON l.id = pl.location_id WHERE pl.project_id = :id ORDER BY pl.sort") ||
        collect_text(st, id, a, 6, &p->rollout, &p->nrollout))
        return -1;
    if (db_prepare(s->db, &st,
        "SELECT q.code, q.title, q.status FROM project_dependency d"
        " JOIN project q ON q.id = d.depends_on_id WHERE d.project_id = :id ORDER BY d.sort") ||
        collect_text(st, id, a, 3, &p->waits_on, &p->nwaits_on))
        return -1;
    if (db_prepare(s->db, &st,
        "SELECT q.code, q.title, q.status FROM project_dependency d"
        " JOIN project q ON q.id = d.project_id WHERE d.depends_on_id = :id ORDER BY q.sort") ||
        collect_text(st, id, a, 3, &p->waited_on_by, &p->nwaited_on_by))
        return -1;
    if (db_prepare(s->db, &st,
        "SELECT c.code, c.name, m.date, m.title, d.kind, d.text FROM decision_project dp"
        " JOIN decision d ON d.id = dp.decision_id JOIN meeting m ON m.id = d.meeting_id"
        " JOIN committee c ON c.id = m.committee_id WHERE dp.project_id = :id"
        " ORDER BY m.date, c.sort, m.sort, d.sort") ||
        collect_text(st, id, a, 6, &p->decisions, &p->ndecisions))
        return -1;
    return 0;
}

int store_project_load(Store *s, int64_t sid, const char *code, Arena *a, ProjectDetail *out)
{
    memset(out, 0, sizeof *out);
    int rc = project_main(s, sid, code, a, out);
    if (rc) return rc;
    if (project_years(s, out->id, a, out) || project_updates(s, out->id, a, out) ||
        project_related(s, out->id, a, out))
        return -1;
    return 0;
}

int store_project_list_home(Store *s, int home_kind, int64_t home_id, int limit, Arena *a,
                            ProjectRef **out, size_t *n, int64_t *total)
{
    DbStmt *st = NULL;
    *out = NULL;
    *n = 0;
    *total = 0;
    /* One literal per home: each uses its own index (outcome and driver ones
     * are partial, which "= :id" satisfies). */
    int rc;
    if (home_kind == PROJECT_HOME_OUTPUT)
        rc = db_prepare(s->db, &st, "SELECT count(*) FROM project WHERE output_id = :id");
    else if (home_kind == PROJECT_HOME_DRIVER)
        rc = db_prepare(s->db, &st, "SELECT count(*) FROM project WHERE driver_id = :id");
    else
        rc = db_prepare(s->db, &st, "SELECT count(*) FROM project WHERE outcome_id = :id");
    if (rc) return -1;
    db_bind_int(st, ":id", home_id);
    int step = db_step(st);
    if (step == DB_ROW) *total = db_column_int(st, 0);
    db_finalize(st);
    if (step != DB_ROW) return -1;
    if (*total == 0 || limit <= 0) return 0;
    if (home_kind == PROJECT_HOME_OUTPUT)
        rc = db_prepare(s->db, &st, "SELECT code, title, status FROM project"
                                    " WHERE output_id = :id ORDER BY sort LIMIT :limit");
    else if (home_kind == PROJECT_HOME_DRIVER)
        rc = db_prepare(s->db, &st, "SELECT code, title, status FROM project"
                                    " WHERE driver_id = :id ORDER BY sort LIMIT :limit");
    else
        rc = db_prepare(s->db, &st, "SELECT code, title, status FROM project"
                                    " WHERE outcome_id = :id ORDER BY sort LIMIT :limit");
    if (rc) return -1;
    db_bind_int(st, ":limit", limit);
    return collect_text(st, home_id, a, 3, out, n);
}
