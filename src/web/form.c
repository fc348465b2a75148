/* form.c — HTML forms (form.h). */
#include "form.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "html.h"
#include "session.h"

void form_problem(Req *rq, FormProblems *p, const char *field, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->a = arena_grow(&rq->arena, p->a, p->n, sizeof *p->a);
    p->a[p->n++] = (FormProblem){arena_strdup(&rq->arena, field), arena_strdup(&rq->arena, msg)};
}

const char *form_problem_of(const FormProblems *p, const char *field)
{
    for (size_t k = 0; k < p->n; k++)
        if (strcmp(p->a[k].field, field) == 0) return p->a[k].msg;
    return NULL;
}

void form_begin(const Req *rq, Buf *b, const char *action)
{
    html_printf(b, "<form class=\"edit\" method=\"post\" action=\"%s\" novalidate>\n", action);
    session_csrf_field(rq, b);
    html_lit(b, "\n");
}

void form_end(Buf *b, const char *submit_label)
{
    html_printf(b, "<div class=\"actions\"><button type=\"submit\">%s</button></div>\n</form>\n",
                submit_label);
}

void form_problems(Buf *b, const FormProblems *p)
{
    if (!p->n) return;
    html_printf(b, "<div class=\"error-message\" role=\"alert\" id=\"problems\"><p>%s</p><ul>",
                p->n == 1 ? "One thing to put right:" : "Some things to put right:");
    for (size_t k = 0; k < p->n; k++) {
        if (p->a[k].field[0] && strcmp(p->a[k].field, "_form") != 0)
            html_printf(b, "<li><a href=\"#f-%s\">%s</a></li>", p->a[k].field, p->a[k].msg);
        else
            html_printf(b, "<li>%s</li>", p->a[k].msg);
    }
    html_lit(b, "</ul></div>\n");
}

/* The hint and error under a field, and the describedby ids they need. */
static void field_notes(Buf *b, const char *name, const char *hint, const char *error)
{
    if (hint) html_printf(b, "<small id=\"h-%s\">%s</small>", name, hint);
    if (error) html_printf(b, "<p class=\"field-error\" id=\"e-%s\">%s</p>", name, error);
}

static void described_by(Buf *b, const char *name, const char *hint, const char *error)
{
    if (!hint && !error) return;
    html_lit(b, " aria-describedby=\"");
    if (hint) html_printf(b, "h-%s", name);
    if (hint && error) html_lit(b, " ");
    if (error) html_printf(b, "e-%s", name);
    html_lit(b, "\"");
    if (error) html_lit(b, " aria-invalid=\"true\"");
}

void form_field(Buf *b, FormKind kind, const char *name, const char *label, const char *value,
                const char *hint, int required, const char *error, const char *autocomplete)
{
    html_printf(b, "<div class=\"field%s\">", error ? " has-error" : "");
    if (kind == FORM_CHECKBOX) {
        html_printf(b, "<label for=\"f-%s\"><input type=\"checkbox\" id=\"f-%s\" name=\"%s\" "
                       "value=\"1\"", name, name, name);
        if (value && (strcmp(value, "1") == 0 || strcmp(value, "true") == 0))
            html_lit(b, " checked");
        described_by(b, name, hint, error);
        html_printf(b, "> %s</label>", label);
        field_notes(b, name, hint, error);
        html_lit(b, "</div>\n");
        return;
    }
    html_printf(b, "<label for=\"f-%s\">%s%s</label>", name, label,
                required ? "" : " (optional)");
    if (kind == FORM_TEXTAREA) {
        html_printf(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"6\"", name, name);
        if (required) html_lit(b, " required");
        described_by(b, name, hint, error);
        html_printf(b, ">%s</textarea>", value ? value : "");
    } else {
        static const char *const types[] = {"text", "password", "text", "date", "month", "",
                                            "text", ""};
        html_printf(b, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"", types[kind],
                    name, name, kind == FORM_PASSWORD ? "" : value ? value : "");
        if (kind == FORM_NUMBER) html_lit(b, " inputmode=\"decimal\"");
        if (kind == FORM_CODE) html_lit(b, " spellcheck=\"false\" autocapitalize=\"off\"");
        if (required) html_lit(b, " required");
        if (autocomplete) html_printf(b, " autocomplete=\"%s\"", autocomplete);
        described_by(b, name, hint, error);
        html_lit(b, ">");
    }
    field_notes(b, name, hint, error);
    html_lit(b, "</div>\n");
}

void form_select(Buf *b, const char *name, const char *label, const char *const *values,
                 const char *const *labels, size_t n, const char *selected, int allow_empty,
                 const char *hint, const char *error)
{
    html_printf(b, "<div class=\"field%s\"><label for=\"f-%s\">%s%s</label>",
                error ? " has-error" : "", name, label, allow_empty ? " (optional)" : "");
    html_printf(b, "<select id=\"f-%s\" name=\"%s\"", name, name);
    described_by(b, name, hint, error);
    html_lit(b, ">");
    if (allow_empty) html_lit(b, "<option value=\"\">—</option>");
    for (size_t k = 0; k < n; k++) {
        int sel = selected && strcmp(selected, values[k]) == 0;
        html_printf(b, "<option value=\"%s\"%s>%s</option>", values[k], sel ? " selected" : "",
                    labels ? labels[k] : values[k]);
    }
    html_lit(b, "</select>");
    field_notes(b, name, hint, error);
    html_lit(b, "</div>\n");
}

size_t form_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

int form_has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}
