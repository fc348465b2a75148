/*
 * history.c — the audit entries of one record as a page section or JSON
 * (history.h), read with audit_list() and compared with audit_changes().
 */
#include "history.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "html.h"
#include "json_w.h"
#include "record_def.h"

#define HISTORY_VALUE_CHARS 120 /* a longer value is cut and ends with an ellipsis */

/* Appends value v (NULL: absent) for a person: escaped, cut after
 * HISTORY_VALUE_CHARS characters with an ellipsis. */
static void history_value(Buf *b, const char *v)
{
    if (!v) {
        html_lit(b, "<span class=\"muted\">(none)</span>");
        return;
    }
    if (!*v) {
        html_lit(b, "<span class=\"muted\">(empty)</span>");
        return;
    }
    size_t n = 0, chars = 0;
    while (v[n] && chars < HISTORY_VALUE_CHARS) {
        n++;
        while (((unsigned char)v[n] & 0xC0) == 0x80) n++; /* the rest of a UTF-8 character */
        chars++;
    }
    html_lit(b, "<q>");
    html_text_n(b, v, n);
    if (v[n]) html_lit(b, "…");
    html_lit(b, "</q>");
}

/* What history_change() writes into, and the kind whose labels it uses. */
typedef struct ChangeCtx {
    Buf *b;
    const RecordDef *def;  /* NULL: not a record kind (a user, a strategy import) */
} ChangeCtx;

/* One changed field as a list item: its label (or name), before -> after.
 * The version is left out: every change moves it. */
static void history_change(void *ctx, const char *name, const char *was, const char *now)
{
    ChangeCtx *c = ctx;
    Buf *b = c->b;
    if (strcmp(name, "version") == 0) return;
    const RecordField *f = c->def && *name ? record_field(c->def, name) : NULL;
    if (f) html_printf(b, "<li>%s: ", f->label);
    else html_printf(b, "<li><code>%s</code>: ", *name ? name : "(value)");
    history_value(b, was);
    html_lit(b, " <span aria-label=\"became\">→</span> ");
    history_value(b, now);
    html_lit(b, "</li>\n");
}

typedef struct HistoryHtml {
    Buf *b;
    const RecordDef *def;  /* the record's kind, for field labels; may be NULL */
    int n;                 /* entries written */
} HistoryHtml;

/* The action of an entry in words ("changed"), or the action itself. */
static const char *action_words(const char *action)
{
    static const struct { const char *action, *words; } t[] = {
        {"create", "created"}, {"update", "changed"}, {"delete", "deleted"},
        {"import", "imported"}, {"login", "signed in"}, {"logout", "signed out"}};
    for (size_t k = 0; k < sizeof t / sizeof *t; k++)
        if (strcmp(action, t[k].action) == 0) return t[k].words;
    return action;
}

static int history_html_row(void *ctx, const AuditEntry *e)
{
    HistoryHtml *h = ctx;
    Buf *b = h->b;
    if (h->n++ == 0) html_lit(b, "<ol class=\"history\" reversed>\n");
    /* "2026-11-25 19:31 UTC" from "2026-11-25T19:31:05Z". */
    char when[32];
    snprintf(when, sizeof when, "%.10s %.5s UTC", e->at, strlen(e->at) >= 16 ? e->at + 11 : "");
    html_printf(b, "<li><p><time datetime=\"%s\">%s</time> · <strong>%s</strong> %s it",
                e->at, when, e->actor, action_words(e->action));
    html_printf(b, " <small class=\"muted\">(%s", strcmp(e->via, "web") == 0 ? "in the browser"
                                                 : strcmp(e->via, "api") == 0 ? "through the API"
                                                                              : "on the command line");
    if (e->address && *e->address) html_printf(b, " from %s", e->address);
    html_lit(b, ")</small></p>\n");
    Buf changes = BUF_INIT;
    ChangeCtx cc = {&changes, h->def};
    int n = audit_changes(e->before, e->after, history_change, &cc);
    if (n > 0) {
        html_lit(b, "<ul class=\"changes\">\n");
        buf_append(b, changes.a, changes.n); /* built above by html_* only */
        html_lit(b, "</ul>\n");
    } else if (n < 0) {
        html_lit(b, "<p class=\"muted\">The recorded values cannot be read.</p>\n");
    }
    buf_free(&changes);
    html_lit(b, "</li>\n");
    return 0;
}

int history_html(Req *rq, Buf *b, const char *entity, const char *key, int limit)
{
    AuditFilter f = {.entity = entity, .key = key, .newest_first = 1,
                     .limit = limit > 0 ? limit : 0};
    HistoryHtml h = {b, record_def(entity), 0};
    html_lit(b, "<section aria-labelledby=\"history\"><h2 id=\"history\">History</h2>\n");
    if (audit_list(rq->db, &f, history_html_row, &h) < 0) return -1;
    if (h.n) html_lit(b, "</ol>\n");
    else html_lit(b, "<p class=\"muted\">No changes recorded yet.</p>\n");
    html_lit(b, "</section>\n");
    return 0;
}

/* Appends text (NULL: null) as a JSON value: re-encoded compactly when it
 * is JSON, else null. */
static void history_json_value(Buf *b, const char *text)
{
    json_error_t err;
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &err) : NULL;
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    buf_puts(b, s ? s : "null");
    free(s);
    json_decref(v);
}

typedef struct HistoryJson {
    Buf *b;
    int n;
} HistoryJson;

static int history_json_row(void *ctx, const AuditEntry *e)
{
    HistoryJson *h = ctx;
    Buf *b = h->b;
    buf_printf(b, "%s{\"id\":%" PRId64 ",\"at\":", h->n++ ? "," : "", e->id);
    json_quote(b, e->at);
    buf_puts(b, ",\"actor\":");
    json_quote(b, e->actor);
    buf_puts(b, ",\"via\":");
    json_quote(b, e->via);
    buf_puts(b, ",\"address\":");
    if (e->address) json_quote(b, e->address);
    else buf_puts(b, "null");
    buf_puts(b, ",\"action\":");
    json_quote(b, e->action);
    buf_puts(b, ",\"before\":");
    history_json_value(b, e->before);
    buf_puts(b, ",\"after\":");
    history_json_value(b, e->after);
    buf_putc(b, '}');
    return 0;
}

int history_json(Req *rq, Buf *b, const char *entity, const char *key, int limit)
{
    AuditFilter f = {.entity = entity, .key = key, .newest_first = 1,
                     .limit = limit > 0 ? limit : 0};
    HistoryJson h = {b, 0};
    buf_putc(b, '[');
    if (audit_list(rq->db, &f, history_json_row, &h) < 0) return -1;
    buf_putc(b, ']');
    return 0;
}
