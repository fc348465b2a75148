/*
 * page_governance.c — /s/{s}/governance: the committees that govern the
 * strategy, with their charters, their meetings in date order and the
 * decisions taken, linked to the projects they concern.
 *
 * Query: committee=CODE (one committee; an unknown code is a 400),
 * kind=approve|prioritize|hold|cancel|guidance|other (only decisions of that
 * kind, and only the meetings that took one).
 */
#include <stddef.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "layout.h"
#include "markdown.h"
#include "pages.h"
#include "registers_query.h"
#include "store_registers.h"

/* The badge colour of a decision kind (the word is always shown). */
static const char *kind_class(const char *kind)
{
    static const struct { const char *kind, *cls; } map[] = {
        {"approve", "s-approved"}, {"prioritize", "s-in_progress"}, {"hold", "s-on_hold"},
        {"cancel", "s-cancelled"}};
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        if (kind && strcmp(kind, map[k].kind) == 0) return map[k].cls;
    return "s-none";
}

static void filters_form(Buf *b, const ReqStrategy *s, const RegLink *cs, size_t ncs,
                         const GovQuery *q)
{
    html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/s/%s/governance\" "
                   "aria-label=\"Filter meetings and decisions\">\n", s->code);
    html_lit(b, "<div><label for=\"f-committee\">Committee</label>"
                "<select id=\"f-committee\" name=\"committee\"><option value=\"\">Every "
                "committee</option>");
    for (size_t k = 0; k < ncs; k++) {
        html_lit(b, "<option value=\"");
        html_attr(b, cs[k].code);
        html_printf(b, "\"%s>%s</option>",
                    q->committee && strcmp(q->committee, cs[k].code) == 0 ? " selected" : "",
                    cs[k].title);
    }
    html_lit(b, "</select></div>\n<div><label for=\"f-kind\">Kind of decision</label>"
                "<select id=\"f-kind\" name=\"kind\"><option value=\"\">Every kind</option>");
    for (int k = 0; registers_decision_kinds[k]; k++)
        html_printf(b, "<option%s>%s</option>", q->has_kind && q->kind == k ? " selected" : "",
                    registers_decision_kinds[k]);
    html_printf(b, "</select></div>\n<div class=\"actions\"><button type=\"submit\">Show</button> "
                   "<a href=\"/s/%s/governance\">Clear filters</a></div>\n</form>\n", s->code);
}

/* The cells of decision d: kind, text, projects. */
static void decision_cells(Buf *b, const ReqStrategy *s, const RegDecision *d)
{
    html_printf(b, "<td><span class=\"badge %s\">%s</span></td><td class=\"md\">",
                kind_class(d->kind), d->kind);
    md_to_html(b, d->text, MD_HEADING_SHIFT(3));
    html_lit(b, "</td><td>");
    if (!d->nprojects) html_lit(b, "—");
    for (size_t j = 0; j < d->nprojects; j++) {
        if (j) html_lit(b, "<br>");
        html_printf(b, "<a href=\"/s/%s/projects/", s->code);
        html_url_param(b, d->projects[j].code);
        html_printf(b, "\">%s</a> %s", d->projects[j].code, d->projects[j].title);
    }
    html_lit(b, "</td>");
}

static void committee_section(Buf *b, const ReqStrategy *s, const RegCommittee *c,
                              const GovQuery *q)
{
    html_lit(b, "<section aria-labelledby=\"c-");
    html_attr(b, c->code);
    html_lit(b, "\">\n<h2 id=\"c-");
    html_attr(b, c->code);
    html_printf(b, "\">%s <span class=\"muted\">(%s)</span></h2>\n", c->name, c->code);
    if (c->charter) {
        html_lit(b, "<h3>Charter</h3>\n");
        md_to_html(b, c->charter, MD_HEADING_SHIFT(3));
    }
    html_lit(b, "<h3>Meetings and decisions</h3>\n");
    if (!c->nmeetings) {
        if (q->has_kind)
            html_printf(b, "<p>No meeting of this committee took a decision of the kind "
                           "“%s”.</p>\n</section>\n", registers_decision_kinds[q->kind]);
        else
            html_lit(b, "<p>No meeting of this committee is recorded.</p>\n</section>\n");
        return;
    }
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data decisions\">\n<caption>");
    if (q->has_kind)
        html_printf(b, "%zu %s with %zu “%s” %s, by date", c->nmeetings,
                    c->nmeetings == 1 ? "meeting" : "meetings", c->ndecisions,
                    registers_decision_kinds[q->kind], c->ndecisions == 1 ? "decision" : "decisions");
    else
        html_printf(b, "%zu %s and %zu %s, by date", c->nmeetings,
                    c->nmeetings == 1 ? "meeting" : "meetings", c->ndecisions,
                    c->ndecisions == 1 ? "decision" : "decisions");
    html_lit(b, "</caption>\n<thead><tr><th scope=\"col\">Meeting</th><th scope=\"col\">Kind"
                "</th><th scope=\"col\">Decision</th><th scope=\"col\">Projects</th></tr>"
                "</thead>\n");
    for (size_t k = 0; k < c->nmeetings; k++) {
        const RegMeeting *m = &c->meetings[k];
        size_t rows = m->ndecisions ? m->ndecisions : 1;
        html_printf(b, "<tbody>\n<tr><th scope=\"rowgroup\" rowspan=\"%zu\">"
                       "<time class=\"nowrap\" datetime=\"%s\">%s</time>", rows, m->date,
                    m->date);
        if (m->title) html_printf(b, "<br><span class=\"muted\">%s</span>", m->title);
        html_lit(b, "</th>");
        if (!m->ndecisions) html_lit(b, "<td colspan=\"3\">No decision recorded.</td></tr>\n");
        for (size_t j = 0; j < m->ndecisions; j++) {
            if (j) html_lit(b, "<tr>");
            decision_cells(b, s, &m->decisions[j]);
            html_lit(b, "</tr>\n");
        }
        html_lit(b, "</tbody>\n");
    }
    html_lit(b, "</table></div>\n</section>\n");
}

int page_governance(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    GovQuery q = {0};
    if (http_query(rq, rs, registers_gov_fields, &q)) return 0;
    const char *kind = q.has_kind ? registers_decision_kinds[q.kind] : NULL;
    char *key = arena_printf(&rq->arena, "governance:%lld:%s:%s", (long long)s->id,
                             q.committee ? q.committee : "", kind ? kind : "");
    if (cache_get(key, &rs->body)) return 0;
    RegGovernance g;
    if (store_registers_governance(rq->store, s->id, q.committee, kind, &rq->arena, &g)) return -1;
    if (q.committee && !g.n)
        return http_error(rq, rs, 400, "parameter committee: this strategy has no committee "
                                       "\"%s\"", q.committee);
    RegLink *cs;
    size_t ncs;
    if (store_registers_committees(rq->store, s->id, &rq->arena, &cs, &ncs)) return -1;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_GOVERNANCE, "Governance");
    if (!g.total) {
        html_lit(b, "<p>This strategy has no governance committees recorded, so there are no "
                    "meetings or decisions to show.</p>\n");
        layout_end(rq, rs);
        return 0;
    }
    size_t nm = 0;
    for (size_t k = 0; k < g.n; k++) nm += g.a[k].nmeetings;
    html_printf(b, "<p class=\"lead\">The %s that %s the strategy: %s charter, %s meetings in "
                   "date order and the decisions taken, with the projects they concern.</p>\n",
                g.total == 1 ? "committee" : "committees", g.total == 1 ? "governs" : "govern",
                g.total == 1 ? "its" : "their", g.total == 1 ? "its" : "their");
    { static const char *const kinds[] = {"committees", "meetings", "decisions", NULL};
      page_sheet_links(b, s, kinds); }
    filters_form(b, s, cs, ncs, &q);
    if (kind && !nm && !q.committee)
        html_printf(b, "<p>No decision of the kind “%s” is recorded. "
                       "<a href=\"/s/%s/governance\">Show every decision</a>.</p>\n",
                    kind, s->code);
    for (size_t k = 0; k < g.n; k++)
        if (!kind || g.a[k].nmeetings || q.committee) committee_section(b, s, &g.a[k], &q);
    layout_end(rq, rs);
    cache_put(key, b->a, b->n);
    return 0;
}
