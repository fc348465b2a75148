/*
 * page_records.c — browsing and editing any record (/s/{s}/records...).
 *
 * One set of pages serves every kind of record in record_def.h: the list of
 * kinds, a kind's records, one record (its fields, what belongs to it, its
 * history), and the new / edit / delete forms. Forms carry the record's
 * version; saving over a newer version is refused with the other person's
 * change shown next to yours (409), and nothing is overwritten silently.
 * Deleting first shows what goes with the record or points at it.
 */
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "form.h"
#include "history.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "record_web.h"

/* The address of a record's page. */
static const char *record_url(Req *rq, const RecordDef *d, int64_t id)
{
    char u[300];
    snprintf(u, sizeof u, "/s/%s/records/%s/%lld", rq->strategy->code, d->name, (long long)id);
    return arena_strdup(&rq->arena, u);
}

int page_records(Req *rq, Resp *rs)
{
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_NONE, "Records");
    html_lit(b, "<p>Every record of this strategy, by kind. Open one to see its fields, what "
                "belongs to it and its history");
    if (rq->user && rq->user->rank >= ROLE_MANAGER) html_lit(b, ", and to change it");
    html_lit(b, ".</p>\n<ul class=\"kinds\">\n");
    for (size_t k = 0; k < record_def_count(); k++) {
        const RecordDef *d = record_def_at(k);
        if (d->parent) continue;
        html_printf(b, "<li><a href=\"/s/%s/records/%s\">%s</a></li>\n", rq->strategy->code,
                    d->name, d->plural);
    }
    html_lit(b, "</ul>\n<p class=\"note\">Progress updates, roll-outs, measurements and the other "
                "parts of a record are listed on the record they belong to.</p>\n");
    layout_end(rq, rs);
    return 0;
}

typedef struct ListCtx {
    Req *rq;
    Buf *b;
    const RecordDef *d;
    int n;
} ListCtx;

static int list_row(void *ctx, int64_t id, const char *title, int64_t version)
{
    (void)version;
    ListCtx *l = ctx;
    if (l->n++ == 0) html_lit(l->b, "<ul class=\"records\">\n");
    html_printf(l->b, "<li><a href=\"%s\">%s</a></li>\n", record_url(l->rq, l->d, id),
                title ? title : "(untitled)");
    return 0;
}

/* The list of the records of kind d under parent, with its "Add" link when
 * allowed; heading level h (2 or 3). */
static int record_children(Req *rq, Buf *b, const RecordDef *d, int64_t parent, int may_add,
                           int h)
{
    ListCtx l = {rq, b, d, 0};
    html_printf(b, "<section class=\"children\"><h%d>%s</h%d>\n", h, d->plural, h);
    if (store_record_list(rq->db, d, rq->strategy->id, parent, list_row, &l) < 0) return -1;
    if (l.n) html_lit(b, "</ul>\n");
    else html_lit(b, "<p class=\"note\">None yet.</p>\n");
    if (may_add && d->sql_insert) {
        if (parent)
            html_printf(b, "<p><a class=\"button secondary\" href=\"/s/%s/records/%s/new?parent="
                           "%lld\">Add %s</a></p>\n", rq->strategy->code, d->name,
                        (long long)parent, d->label);
        else
            html_printf(b, "<p><a class=\"button secondary\" href=\"/s/%s/records/%s/new\">Add "
                           "%s</a></p>\n", rq->strategy->code, d->name, d->label);
    }
    html_lit(b, "</section>\n");
    return 0;
}

int page_record_list(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 0);
    if (rc) return rc < 0 ? -1 : 0;
    struct { long long parent; } q = {0};
    static const QueryField fields[] = {
        {"parent", QT_INT, 0, QUERY_NO_HAS, 1, INT64_MAX / 2, NULL, 0},
        {NULL, 0, 0, 0, 0, 0, NULL, 0}};
    if (http_query(rq, rs, fields, &q)) return 0;
    int may = r.def->parent ? 0 : record_may_edit(rq, r.def, 0, 0);
    if (may < 0) return -1;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_NONE, r.def->plural);
    html_printf(b, "<p class=\"crumbs\"><a href=\"/s/%s/records\">Records</a></p>\n",
                rq->strategy->code);
    ListCtx l = {rq, b, r.def, 0};
    if (store_record_list(rq->db, r.def, rq->strategy->id, q.parent, list_row, &l) < 0) return -1;
    if (l.n) html_lit(b, "</ul>\n");
    else html_lit(b, "<p class=\"note\">None yet.</p>\n");
    if (may && r.def->sql_insert)
        html_printf(b, "<p><a class=\"button\" href=\"/s/%s/records/%s/new\">Add %s</a></p>\n",
                    rq->strategy->code, r.def->name, r.def->label);
    layout_end(rq, rs);
    return 0;
}

/* The value of a field for reading: Markdown rendered, references linked
 * as codes, empty as a dash. */
static void field_value(Req *rq, Buf *b, const RecordField *f, json_t *fields)
{
    const char *t = record_field_text(rq, fields, f->name);
    if (!*t) {
        html_lit(b, "<span class=\"note\">—</span>");
        return;
    }
    if (f->type == RF_MARKDOWN) md_to_html(b, t, 0);
    else if (f->type == RF_BOOL) html_lit(b, "yes");
    else if (f->type == RF_ENUM) {
        char v[128];
        snprintf(v, sizeof v, "%s", t);
        for (char *p = v; *p; p++)
            if (*p == '_') *p = ' ';
        html_printf(b, "%s", v);
    } else html_printf(b, "%s", t);
}

int page_record(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 1);
    if (rc) return rc < 0 ? -1 : 0;
    rc = -1;
    const RecordDef *d = r.def;
    int may = record_may_edit(rq, d, r.row.scope_project, r.row.scope_indicator);
    if (may < 0) goto out;
    Buf *b = &rs->body;
    char title[600];
    snprintf(title, sizeof title, "%s", r.row.title);
    layout_begin(rq, rs, NAV_NONE, title);
    html_printf(b, "<p class=\"crumbs\"><a href=\"/s/%s/records\">Records</a> › ",
                rq->strategy->code);
    if (d->parent && r.row.parent_id)
        html_printf(b, "<a href=\"%s\">the %s it belongs to</a>",
                    record_url(rq, record_def(d->parent), r.row.parent_id), d->parent);
    else
        html_printf(b, "<a href=\"/s/%s/records/%s\">%s</a>", rq->strategy->code, d->name,
                    d->plural);
    html_lit(b, "</p>\n");
    if (query_get(&rq->query, "saved"))
        html_lit(b, "<p class=\"notice\" role=\"status\">Saved.</p>\n");
    if (strcmp(d->name, "project") == 0 || strcmp(d->name, "indicator") == 0)
        html_printf(b, "<p><a href=\"/s/%s/%ss/%s\">The %s's page</a></p>\n", rq->strategy->code,
                    d->name, record_field_text(rq, r.row.fields, "code"), d->label);
    html_lit(b, "<dl class=\"fields\">\n");
    for (const RecordField *f = d->fields; f->name; f++) {
        html_printf(b, "<dt>%s</dt><dd>", f->label);
        field_value(rq, b, f, r.row.fields);
        html_lit(b, "</dd>\n");
    }
    html_printf(b, "<dt>Version</dt><dd>%lld</dd>\n</dl>\n", (long long)r.row.version);
    if (may) {
        html_printf(b, "<p class=\"actions\"><a class=\"button\" href=\"%s/edit\">Edit</a>",
                    record_url(rq, d, r.id));
        if (d->sql_delete)
            html_printf(b, " <a class=\"button secondary\" href=\"%s/delete\">Delete</a>",
                        record_url(rq, d, r.id));
        html_lit(b, "</p>\n");
    }
    for (size_t k = 0; k < record_def_count(); k++) {
        const RecordDef *c = record_def_at(k);
        if (!c->parent || strcmp(c->parent, d->name) != 0) continue;
        int may_child = record_may_edit(rq, c, r.row.scope_project, r.row.scope_indicator);
        if (may_child < 0 || record_children(rq, b, c, r.id, may_child, 2)) goto out;
    }
    if (history_html(rq, b, d->name, r.row.key, 50)) goto out;
    layout_end(rq, rs);
    rc = 0;
out:
    record_req_close(&r);
    return rc;
}

/* The choices of a reference, gathered for a select. */
typedef struct RefChoices {
    Req *rq;
    const char **codes, **labels;
    size_t n;
} RefChoices;

static void ref_choice(void *ctx, const char *code, const char *label)
{
    RefChoices *c = ctx;
    c->codes = arena_grow(&c->rq->arena, c->codes, c->n, sizeof *c->codes);
    c->labels = arena_grow(&c->rq->arena, c->labels, c->n, sizeof *c->labels);
    c->codes[c->n] = arena_strdup(&c->rq->arena, code ? code : "");
    c->labels[c->n++] = arena_strdup(&c->rq->arena, label ? label : code ? code : "");
}

#define REF_SELECT_MAX 300 /* more records than this: a code to type instead */

/* A reference field as a select of the strategy's records of its kind,
 * when there are few enough; 1 when written, 0 to write a text field. A
 * value that is no longer among them stays a choice, so nothing is lost. */
static int ref_select(Req *rq, Buf *b, const RecordField *f, const char *value, const char *err)
{
    const RecordDef *t = record_def(f->ref);
    RefChoices c = {rq, NULL, NULL, 0};
    int64_t n = t ? store_record_options(rq->db, t, rq->strategy->id, REF_SELECT_MAX, ref_choice,
                                         &c)
                  : 0;
    if (n <= 0 || n > REF_SELECT_MAX) return 0;
    int found = !*value;
    for (size_t k = 0; k < c.n; k++) found |= strcmp(c.codes[k], value) == 0;
    if (!found) ref_choice(&c, value, value);
    form_select(b, f->name, f->label, c.codes, c.labels, c.n, value, !f->required, f->hint, err);
    return 1;
}

/* The form of kind d with the values of fields (a JSON object) and the
 * problems; version 0 for a new record. */
static void record_form(Req *rq, Buf *b, const RecordDef *d, json_t *fields, int64_t version,
                        int64_t parent, const RecordProblems *p, const char *action,
                        const char *submit)
{
    /* The list at the top names each field by its label; the message under
     * a field needs no name. */
    FormProblems fp = {0}, top = {0};
    for (int k = 0; k < p->n; k++) {
        const RecordField *pf = p->a[k].field[0] ? record_field(d, p->a[k].field) : NULL;
        form_problem(rq, &fp, p->a[k].field[0] ? p->a[k].field : "_form", "%s", p->a[k].msg);
        if (pf) form_problem(rq, &top, pf->name, "%s: %s", pf->label, p->a[k].msg);
        else form_problem(rq, &top, p->a[k].field[0] ? p->a[k].field : "_form", "%s", p->a[k].msg);
    }
    form_problems(b, &top);
    form_begin(rq, b, action);
    if (version) html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n",
                             (long long)version);
    if (parent) html_printf(b, "<input type=\"hidden\" name=\"parent\" value=\"%lld\">\n",
                            (long long)parent);
    for (const RecordField *f = d->fields; f->name; f++) {
        const char *v = record_field_text(rq, fields, f->name);
        const char *err = form_problem_of(&fp, f->name);
        if (f->type == RF_ENUM) {
            size_t n = 0;
            while (f->values[n]) n++;
            form_select(b, f->name, f->label, f->values, NULL, n, v, !f->required, f->hint, err);
            continue;
        }
        if (f->type == RF_REF && ref_select(rq, b, f, v, err)) continue;
        const char *hint = f->hint;
        if (f->type == RF_DATE && hint && strncmp(hint, "YYYY-MM-DD", 10) == 0) {
            /* The browser's date picker shows its own format. */
            hint = hint[10] == ':' ? hint + 12 : NULL;
        }
        FormKind kind = FORM_TEXT;
        switch (f->type) {
        case RF_MARKDOWN: kind = FORM_TEXTAREA; break;
        case RF_CODE: case RF_REF: case RF_CURRENCY: case RF_PERIOD: kind = FORM_CODE; break;
        case RF_INT: case RF_YEAR: case RF_REAL: case RF_MONEY: kind = FORM_NUMBER; break;
        case RF_DATE: kind = FORM_DATE; break;
        case RF_MONTH: kind = FORM_MONTH; break;
        case RF_BOOL: kind = FORM_CHECKBOX; break;
        default: break;
        }
        form_field(b, kind, f->name, f->label, v, hint, f->required, err, "off");
    }
    form_end(b, submit);
}

/* Builds the JSON object of the form's fields of kind d (problems for
 * numbers that are not). New reference. */
static json_t *form_json(Req *rq, const RecordDef *d, RecordProblems *p)
{
    json_t *o = json_object();
    for (const RecordField *f = d->fields; f->name; f++) {
        json_t *v = record_text_json(f, query_get(&rq->form, f->name), p);
        /* A text that is not a number is kept as typed, for the form to show. */
        if (!v) v = json_string(query_get(&rq->form, f->name));
        json_object_set_new(o, f->name, v ? v : json_null());
    }
    return o;
}

int page_record_new(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 0);
    if (rc) return rc < 0 ? -1 : 0;
    const RecordDef *d = r.def;
    if (!d->sql_insert)
        return http_error(rq, rs, 403, "A %s cannot be created here: import a strategy document "
                          "(itstrat import) instead.", d->label);
    const char *ptext = rq->method == M_POST ? query_get(&rq->form, "parent")
                                             : query_get(&rq->query, "parent");
    int64_t parent = ptext ? http_parse_id(ptext) : 0;
    if (d->parent && !parent)
        return http_error(rq, rs, 400, "A new %s belongs to a %s: open that %s and use its \"Add "
                          "%s\" button.", d->label, d->parent, d->parent, d->label);
    int64_t sp, si;
    int ok = record_parent_scope(rq, d, parent, &sp, &si);
    if (ok < 0) return -1;
    if (!ok) return http_error(rq, rs, 404, "There is no %s %s in this strategy.",
                               d->parent ? d->parent : "parent", ptext ? ptext : "");
    int may = record_may_edit(rq, d, sp, si);
    if (may <= 0) {
        if (may < 0) return -1;
        return http_error(rq, rs, 403, "Your role (%s) may not add a %s here%s.", rq->user->role,
                          d->label, d->contributor ? " (it is not assigned to you)" : "");
    }
    RecordProblems p = {.n = 0};
    json_t *fields = NULL;
    if (rq->method == M_POST) {
        fields = form_json(rq, d, &p);
        int64_t id = 0;
        if (p.n == 0) {
            rc = record_create(&r.ctx, d, parent, fields, &id, &p);
            if (rc < 0) {
                json_decref(fields);
                return -1;
            }
            if (rc == RECORD_OK) {
                json_decref(fields);
                cache_changed();
                char to[320];
                snprintf(to, sizeof to, "%s?saved=1", record_url(rq, d, id));
                return http_redirect(rs, arena_strdup(&rq->arena, to));
            }
        }
        rs->status = 422;
    } else {
        fields = json_object();
    }
    char title[200], action[300];
    snprintf(title, sizeof title, "New %s", d->label);
    snprintf(action, sizeof action, "/s/%s/records/%s/new", rq->strategy->code, d->name);
    layout_begin(rq, rs, NAV_NONE, title);
    record_form(rq, &rs->body, d, fields, 0, parent, &p, action, "Create");
    layout_end(rq, rs);
    json_decref(fields);
    return 0;
}

/* Who last changed record key, and when ("alice on 2026-11-25 10:02 UTC"). */
typedef struct LastChange {
    char who[200];
} LastChange;

static int last_change_row(void *ctx, const AuditEntry *e)
{
    LastChange *l = ctx;
    snprintf(l->who, sizeof l->who, "%s on %.10s at %.5s UTC", e->actor, e->at, e->at + 11);
    return 1;
}

/* The 409 page: the record as it is now next to what was sent, and the
 * form again with the sent values over the current version. */
static void conflict_page(Req *rq, Resp *rs, const RecordDef *d, const RecordRow *now,
                          json_t *mine, const char *action)
{
    Buf *b = &rs->body;
    LastChange l = {"someone else"};
    AuditFilter f = {.entity = d->name, .key = now->key, .limit = 1, .newest_first = 1};
    audit_list(rq->db, &f, last_change_row, &l);
    rs->status = 409;
    layout_begin(rq, rs, NAV_NONE, "Someone saved this record first");
    html_printf(b, "<p class=\"error-message\" role=\"alert\">This %s was changed by %s after "
                   "you opened it, so your changes were not saved. Compare the two below.</p>\n",
                d->label, l.who);
    html_printf(b, "<p class=\"actions\"><a class=\"button secondary\" href=\"%s\">Keep theirs "
                   "(drop mine)</a> <a class=\"button secondary\" href=\"#mine\">Keep mine: "
                   "review and save it again</a></p>\n", record_url(rq, d, now->id));
    html_lit(b, "<table class=\"conflict\"><caption>The fields that differ</caption><thead><tr>"
                "<th scope=\"col\">Field</th><th scope=\"col\">Saved by them</th>"
                "<th scope=\"col\">Yours</th></tr></thead><tbody>\n");
    int diffs = 0;
    for (const RecordField *fd = d->fields; fd->name; fd++) {
        const char *a = record_field_text(rq, now->fields, fd->name);
        const char *m = record_field_text(rq, mine, fd->name);
        if (strcmp(a, m) == 0) continue;
        diffs++;
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>\n", fd->label, a,
                    m);
    }
    if (!diffs)
        html_lit(b, "<tr><td colspan=\"3\">Your values are the same as the saved ones.</td></tr>\n");
    html_lit(b, "</tbody></table>\n");
    RecordProblems none = {.n = 0};
    html_lit(b, "<h2 id=\"mine\">Your version, over theirs</h2>\n");
    record_form(rq, b, d, mine, now->version, 0, &none, action, "Save my version");
    layout_end(rq, rs);
}

int page_record_edit(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 1);
    if (rc) return rc < 0 ? -1 : 0;
    rc = -1;
    const RecordDef *d = r.def;
    json_t *fields = NULL;
    RecordRow now = {0};
    int may = record_may_edit(rq, d, r.row.scope_project, r.row.scope_indicator);
    if (may <= 0) {
        if (may == 0)
            rc = http_error(rq, rs, 403, "Your role (%s) may not change this %s%s.",
                            rq->user->role, d->label,
                            d->contributor ? " (it is not assigned to you)" : "");
        goto out;
    }
    char action[300];
    snprintf(action, sizeof action, "%s/edit", record_url(rq, d, r.id));
    RecordProblems p = {.n = 0};
    int64_t version = r.row.version;
    if (rq->method == M_POST) {
        version = http_parse_id(query_get(&rq->form, "version"));
        fields = form_json(rq, d, &p);
        if (!version) record_problem(&p, "", "the form has no version; reload the page");
        if (p.n == 0) {
            int w = record_update(&r.ctx, d, r.id, version, fields, &p, &now);
            if (w < 0) goto out;
            if (w == RECORD_OK) {
                cache_changed();
                char to[320];
                snprintf(to, sizeof to, "%s?saved=1", record_url(rq, d, r.id));
                rc = http_redirect(rs, arena_strdup(&rq->arena, to));
                goto out;
            }
            if (w == RECORD_GONE) {
                rc = http_error(rq, rs, 410, "Someone deleted this %s while you were editing "
                                "it; your changes were not saved.", d->label);
                goto out;
            }
            if (w == RECORD_CONFLICT) {
                conflict_page(rq, rs, d, &now, fields, action);
                rc = 0;
                goto out;
            }
        }
        rs->status = 422;
    } else {
        fields = json_incref(r.row.fields);
    }
    char title[700];
    snprintf(title, sizeof title, "Edit %s", r.row.title);
    layout_begin(rq, rs, NAV_NONE, title);
    record_form(rq, &rs->body, d, fields, version, 0, &p, action, "Save");
    html_printf(&rs->body, "<p><a href=\"%s\">Cancel</a></p>\n", record_url(rq, d, r.id));
    layout_end(rq, rs);
    rc = 0;
out:
    if (now.fields) store_record_free(&now);
    json_decref(fields);
    record_req_close(&r);
    return rc;
}

typedef struct DepCtx {
    Buf *b;
    int n;
} DepCtx;

static int dep_row(void *ctx, const char *what, const char *label)
{
    DepCtx *c = ctx;
    if (c->n++ == 0) html_lit(c->b, "<ul class=\"dependents\">\n");
    if (c->n <= 200) html_printf(c->b, "<li>%s: %s</li>\n", what, label ? label : "");
    return 0;
}

int page_record_delete(Req *rq, Resp *rs)
{
    RecordReq r;
    int rc = record_req_open(rq, rs, &r, 1);
    if (rc) return rc < 0 ? -1 : 0;
    rc = -1;
    const RecordDef *d = r.def;
    int may = d->sql_delete ? record_may_edit(rq, d, r.row.scope_project, r.row.scope_indicator)
                            : 0;
    if (may <= 0) {
        if (may == 0)
            rc = http_error(rq, rs, 403, d->sql_delete ? "Your role may not delete this %s."
                                                       : "A %s cannot be deleted here: use "
                                                         "itstrat delete.", d->label);
        goto out;
    }
    if (rq->method == M_POST) {
        int64_t version = http_parse_id(query_get(&rq->form, "version"));
        int w = record_delete(&r.ctx, d, r.id, version);
        if (w < 0) goto out;
        if (w == RECORD_CONFLICT) {
            rc = http_error(rq, rs, 409, "Someone changed this %s after you opened this page, so "
                            "it was not deleted. Look at it again first.", d->label);
            goto out;
        }
        cache_changed();
        if (d->parent && r.row.parent_id)
            rc = http_redirect(rs, record_url(rq, record_def(d->parent), r.row.parent_id));
        else {
            char to[300];
            snprintf(to, sizeof to, "/s/%s/records/%s", rq->strategy->code, d->name);
            rc = http_redirect(rs, arena_strdup(&rq->arena, to));
        }
        goto out;
    }
    Buf *b = &rs->body;
    char title[700];
    snprintf(title, sizeof title, "Delete %s?", r.row.title);
    layout_begin(rq, rs, NAV_NONE, title);
    DepCtx dc = {b, 0};
    html_lit(b, "<section><h2>What depends on it</h2>\n");
    if (store_record_dependents(rq->db, d, r.id, dep_row, &dc) < 0) goto out;
    if (dc.n) {
        html_lit(b, "</ul>\n");
        if (dc.n > 200) html_printf(b, "<p>… and %d more.</p>\n", dc.n - 200);
        html_printf(b, "<p class=\"error-message\">Deleting this %s also deletes or changes the "
                       "%d record%s above.</p>\n", d->label, dc.n, dc.n == 1 ? "" : "s");
    } else {
        html_lit(b, "<p>Nothing else depends on it.</p>\n");
    }
    html_lit(b, "</section>\n");
    char action[300];
    snprintf(action, sizeof action, "%s/delete", record_url(rq, d, r.id));
    form_begin(rq, b, action);
    html_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n",
                (long long)r.row.version);
    form_end(b, "Delete");
    html_printf(b, "<p><a href=\"%s\">Keep it</a></p>\n", record_url(rq, d, r.id));
    layout_end(rq, rs);
    rc = 0;
out:
    record_req_close(&r);
    return rc;
}
