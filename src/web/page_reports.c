/*
 * page_reports.c — /s/{s}/reports: the years of the strategy with their
 * report metadata and links; /s/{s}/reports/{year}: the governing-body
 * report of a year, made by report_generate() exactly as `itstrat report`
 * makes it.
 *
 * /s/{s}/reports/{year} takes
 *   final=0|1     the final report (covers the whole period; only for the
 *                 strategy's last year). Default: 1 for the last year when
 *                 its metadata is marked final, else 0. final=1 for another
 *                 year is a 400.
 *   format=html|md|pdf (default html)
 *   download=1    as an attachment, named STEM.html, .md or .pdf, where STEM
 *                 is CODE-report-YEAR or CODE-report-YEAR-final.
 *
 * The HTML report is a complete document with its own inline style sheet.
 * It is served as the response itself, byte for byte what `itstrat report
 * --year YEAR [--final]` writes; viewed (not downloaded), it gets one line
 * more after <body>: a bar back to the app and to the PDF (app_bar(),
 * hidden in print). A downloaded file is the document the governing body
 * gets. format=pdf is the PDF of `itstrat report --format pdf`, shown
 * inline or downloaded.
 * Its Content-Security-Policy allows that one style sheet by its SHA-256
 * hash, inline SVG and data: images, and nothing else.
 *
 * The Markdown report refers to its figures as files beside it,
 * STEM-figure-N.svg. The site serves them at /s/{s}/reports/STEM-figure-N.svg,
 * so the relative links of a Markdown file fetched from /s/{s}/reports/YEAR
 * resolve on the server, and the .md and its figures saved into one folder
 * make the same set of files as `itstrat report --format md -o STEM.md`.
 * format=md without download shows a page that lists those files.
 */
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "html.h"
#include "layout.h"
#include "pages.h"
#include "report.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* The report metadata of one year, as the list shows it. */
typedef struct YearMeta {
    int has;                     /* the year has metadata */
    int final;
    const char *title, *date, *symbol;
} YearMeta;

/* Reads the report metadata of rq's strategy into meta[0 .. last - first].
 * Returns 0 or -1 (database error). */
static int reports_meta(Req *rq, YearMeta *meta)
{
    const ReqStrategy *s = rq->strategy;
    StoreCursor c;
    int rc = store_open(rq->store, &c, Q_REPORTS, s->id);
    for (; rc == 0 && c.has_row; store_advance(&c)) {
        const ReportRow *r = c.row;
        if (r->year < s->first_year || r->year > s->last_year) continue;
        YearMeta *m = &meta[r->year - s->first_year];
        m->has = 1;
        m->final = r->final == 1;
        m->title = arena_strdup(&rq->arena, r->title);
        m->date = arena_strdup(&rq->arena, r->date);
        m->symbol = arena_strdup(&rq->arena, r->symbol);
    }
    if (c.failed) rc = -1;
    store_close(&c);
    return rc;
}

/* The file stem of a report: CODE-report-YEAR[-final]. Codes hold only
 * A-Z a-z 0-9 . _ - (docs/format.md), so the stem is safe in a file name,
 * a header and a URL path. In the arena. */
static const char *report_stem(Req *rq, int year, int final)
{
    return arena_printf(&rq->arena, "%s-report-%d%s", rq->strategy->code, year,
                        final ? "-final" : "");
}

/* Answers 400 when the request has a query: the page takes none. */
static int any_query(Req *rq, Resp *rs)
{
    if (rq->query.n == 0) return 0;
    http_error(rq, rs, 400, "parameter %.40s: unknown here; this page takes no parameters",
               rq->query.a[0].name);
    return 1;
}


int page_reports(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    if (any_query(rq, rs)) return 0;
    int nyears = s->last_year - s->first_year + 1;
    YearMeta *meta = arena_alloc(&rq->arena, (size_t)nyears * sizeof *meta);
    if (reports_meta(rq, meta)) return -1;
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_REPORTS, "Reports to the governing body");
    html_printf(b, "<p class=\"lead\">One report a year, %d to %d, generated from the data as "
                   "<code>itstrat report</code> makes it: view it here, print it (A4), or "
                   "download it as HTML, as PDF (A4, ready for the governing body) or as Markdown with "
                   "its figures.</p>\n",
                s->first_year, s->last_year);
    html_lit(b, "<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"Table, scrolls sideways on a small screen\"><table class=\"data\">\n<caption>Reports by year"
                "</caption>\n<thead><tr><th scope=\"col\">Year</th><th scope=\"col\">Report</th>"
                "<th scope=\"col\">Get it</th></tr></thead>\n<tbody>\n");
    int missing = 0;
    for (int k = 0; k < nyears; k++) {
        int year = s->first_year + k;
        const YearMeta *m = &meta[k];
        html_printf(b, "<tr><th scope=\"row\">%d</th>", year);
        if (!m->has) {
            missing++;
            html_lit(b, "<td colspan=\"2\" class=\"muted\">No report metadata for this year: no "
                        "report.</td></tr>\n");
            continue;
        }
        int final = m->final && year == s->last_year;
        char date[64];
        html_printf(b, "<td>%s<br><span class=\"muted\">%s", m->title ? m->title : s->title,
                    final ? "Final report" : "Progress report");
        if (m->date) html_printf(b, " · %s", report_date(m->date, date, sizeof date));
        if (m->symbol) html_printf(b, " · <span class=\"nowrap\">%s</span>", m->symbol);
        html_lit(b, "</span></td>");
        html_printf(b, "<td><ul class=\"links\"><li><a href=\"/s/%s/reports/%d\">View</a></li>"
                       "<li><a href=\"/s/%s/reports/%d?download=1\">HTML file</a></li>"
                       "<li><a href=\"/s/%s/reports/%d?format=pdf&amp;download=1\">PDF file</a>"
                       "</li>"
                       "<li><a href=\"/s/%s/reports/%d?format=md\">Markdown and figures</a></li>",
                    s->code, year, s->code, year, s->code, year, s->code, year);
        if (final)
            html_printf(b, "<li><a href=\"/s/%s/reports/%d?final=0\">Progress report of %d "
                           "only</a></li>", s->code, year, year);
        html_lit(b, "</ul></td></tr>\n");
    }
    html_lit(b, "</tbody>\n</table></div>\n");
    if (missing)
        html_lit(b, "<p class=\"muted\">A year has a report once the strategy document has an "
                    "entry for it in <code>reports</code> (body, session, date, symbol, title); "
                    "see docs/format.md.</p>\n");
    layout_end(rq, rs);
    return 0;
}

/* ---- one report ----------------------------------------------------------- */

typedef struct ReportQuery {
    int final, has_final;  /* index into final_choices: 0 or 1 */
    int format;            /* 0 html, 1 md, 2 pdf */
    int download;
} ReportQuery;

static const char *const final_choices[] = {"0", "1", NULL};
static const char *const format_choices[] = {"html", "md", "pdf", NULL};
static const QueryField report_fields[] = {
    {"download", QT_FLAG, offsetof(ReportQuery, download), QUERY_NO_HAS, 0, 0, NULL, 0},
    {"final", QT_ENUM, offsetof(ReportQuery, final), offsetof(ReportQuery, has_final), 0, 0,
     final_choices, 0},
    {"format", QT_ENUM, offsetof(ReportQuery, format), QUERY_NO_HAS, 0, 0, format_choices, 0},
    {NULL, 0, 0, 0, 0, 0, NULL, 0},
};

/* Sets rs->csp to allow the inline style sheet of the HTML document in
 * body (the bytes between its first <style> and </style>) by hash, and
 * nothing else that could run or load. */
static void report_csp(Req *rq, Resp *rs)
{
    const char *doc = buf_str(&rs->body);
    const char *open = strstr(doc, "<style>");
    const char *close = open ? strstr(open, "</style>") : NULL;
    if (!open || !close) {
        rs->csp = "default-src 'none'; img-src data:; frame-ancestors 'none'; "
                  "base-uri 'none'; form-action 'none'";
        return;
    }
    open += strlen("<style>");
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)open, (unsigned long long)(close - open));
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    rs->csp = arena_printf(&rq->arena,
                           "default-src 'none'; img-src data:; style-src 'sha256-%s'; "
                           "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
                           b64);
}

/* The cache key of figure n of a report. */
static const char *figure_key(Req *rq, int year, int final, int n)
{
    return arena_printf(&rq->arena, "report-figure:%lld:%d:%d:%d", (long long)rq->strategy->id,
                        year, final, n);
}

/* Runs report_generate() for rq's strategy into out ('h' or 'm'); the
 * figures of a Markdown report are kept in the cache. Generating the report
 * of a 100,000-project strategy takes a second or two and some 70 MB: the
 * route is HEAVY (routes.c), so this runs on a heavy thread, a limited
 * number at once (heavy.h). Returns 0; 1 after answering 404 (no such
 * report: the message says why); -1 on a database error. The caller frees
 * out with report_out_free(). */
static int generate(Req *rq, Resp *rs, int year, int final, int format, ReportOut *out)
{
    Buf err = BUF_INIT;
    int rc = report_generate(rq->db, rq->strategy->id, year, final, format,
                             report_stem(rq, year, final), out, &err);
#ifdef __GLIBC__
    malloc_trim(0); /* give the report's working memory back to the system */
#endif
    if (rc == RDATA_NOTFOUND) {
        if (err.n && err.a[err.n - 1] == '\n') buf_truncate(&err, err.n - 1);
        http_error(rq, rs, 404, "There is no such report: %s.", buf_str(&err));
        rc = 1;
    } else if (rc != RDATA_OK) {
        fprintf(stderr, "itstrat serve: report %d of strategy %s: %s\n", year,
                rq->strategy->code, buf_str(&err));
        rc = -1;
    } else {
        for (size_t k = 0; k < out->nfiles; k++)
            cache_put(figure_key(rq, year, final, (int)k + 1), out->files[k].data.a,
                      out->files[k].data.n);
    }
    buf_free(&err);
    return rc;
}

/* Parses "CODE-report-YYYY[-final]-figure-N.svg" of rq's strategy.
 * Returns 1 with year, final and n set, else 0. */
static int figure_name(const Req *rq, const char *seg, int *year, int *final, int *n)
{
    const char *code = rq->strategy->code;
    size_t nc = strlen(code);
    if (strncmp(seg, code, nc) != 0 || strncmp(seg + nc, "-report-", 8) != 0) return 0;
    const char *p = seg + nc + 8;
    for (int k = 0; k < 4; k++)
        if (p[k] < '0' || p[k] > '9') return 0;
    *year = atoi(p);
    p += 4;
    *final = strncmp(p, "-final", 6) == 0;
    if (*final) p += 6;
    if (strncmp(p, "-figure-", 8) != 0) return 0;
    p += 8;
    if (*p < '1' || *p > '9') return 0;
    *n = 0;
    while (*p >= '0' && *p <= '9' && *n < 1000) *n = *n * 10 + (*p++ - '0');
    return strcmp(p, ".svg") == 0;
}

/* /s/{s}/reports/STEM-figure-N.svg: the SVG file of a Markdown report. */
static int report_figure(Req *rq, Resp *rs, int year, int final, int n)
{
    if (any_query(rq, rs)) return 0;
    rs->content_type = "image/svg+xml";
    if (cache_get(figure_key(rq, year, final, n), &rs->body)) return 0;
    ReportOut out = {BUF_INIT, NULL, 0};
    int rc = generate(rq, rs, year, final, 'm', &out);
    if (rc == 0 && (n < 1 || (size_t)n > out.nfiles)) {
        rc = 1;
        http_error(rq, rs, 404, "The %s report of %d has %zu figure%s; there is no figure %d.",
                   final ? "final" : "progress", year, out.nfiles, out.nfiles == 1 ? "" : "s", n);
    } else if (rc == 0) {
        buf_append(&rs->body, out.files[n - 1].data.a, out.files[n - 1].data.n);
    }
    report_out_free(&out);
    return rc < 0 ? -1 : 0;
}

/* format=md without download: a page listing the Markdown file and its
 * figures. */
static void markdown_page(Req *rq, Resp *rs, int year, int final, const ReportOut *out)
{
    const ReqStrategy *s = rq->strategy;
    const char *stem = report_stem(rq, year, final);
    Buf *b = &rs->body;
    layout_begin(rq, rs, NAV_REPORTS,
                 arena_printf(&rq->arena, "The %s report of %d in Markdown",
                              final ? "final" : "progress", year));
    html_printf(b, "<p class=\"lead\">CommonMark/GFM text with its figures as SVG files beside "
                   "it. Save the files into one folder: the text links to the figures by these "
                   "names. The same files as <code>itstrat report --strategy %s --year %d%s "
                   "--format md -o %s.md</code>.</p>\n",
                s->code, year, final ? " --final" : "", stem);
    html_printf(b, "<h2 id=\"files\">Files</h2>\n<ul>\n<li><a href=\"/s/%s/reports/%d?format=md"
                   "&amp;download=1&amp;final=%d\" download=\"%s.md\">%s.md</a> <span "
                   "class=\"muted\">(the text, %zu bytes)</span></li>\n",
                s->code, year, final, stem, stem, out->main.n);
    for (size_t k = 0; k < out->nfiles; k++)
        html_printf(b, "<li><a href=\"/s/%s/reports/%s\" download=\"%s\">%s</a> <span "
                       "class=\"muted\">(figure %zu, SVG, %zu bytes)</span></li>\n",
                    s->code, out->files[k].name, out->files[k].name, out->files[k].name, k + 1,
                    out->files[k].data.n);
    html_printf(b, "</ul>\n<p><a href=\"/s/%s/reports/%d?final=%d\">View the report</a> · "
                   "<a href=\"/s/%s/reports\">All reports</a></p>\n",
                s->code, year, final, s->code);
    layout_end(rq, rs);
}

/* The web view of an HTML report (not a download): a bar at the top, back
 * to the app and to the other formats, inserted after <body>. Styled by the
 * report's own style sheet (.app-bar), never printed; the rest of the
 * document is byte for byte what `itstrat report` writes. */
static void app_bar(Req *rq, Resp *rs, int year, int final)
{
    const char *code = rq->strategy->code;
    const char *body = strstr(buf_str(&rs->body), "<body>\n");
    if (!body) return;
    size_t at = (size_t)(body - rs->body.a) + strlen("<body>\n");
    Buf bar = BUF_INIT;
    html_printf(&bar, "<nav class=\"app-bar\" aria-label=\"itstrat\"><a href=\"/s/%s/reports\">"
                      "\u2190 All reports</a><a href=\"/s/%s/reports/%d?format=pdf&amp;final=%d\">"
                      "PDF for printing</a><a href=\"/s/%s/reports/%d?download=1&amp;final=%d\">"
                      "HTML file</a><a href=\"/s/%s\">%s</a></nav>\n",
                code, code, year, final, code, year, final, code, rq->strategy->title);
    Buf whole = BUF_INIT;
    buf_append(&whole, rs->body.a, at);
    buf_append(&whole, bar.a, bar.n);
    buf_append(&whole, rs->body.a + at, rs->body.n - at);
    buf_free(&rs->body);
    rs->body = whole;
    buf_free(&bar);
}

int page_report(Req *rq, Resp *rs)
{
    const ReqStrategy *s = rq->strategy;
    const char *seg = rq->args[1];
    int year, final = 0, n;
    if (figure_name(rq, seg, &year, &final, &n)) return report_figure(rq, rs, year, final, n);
    if (strlen(seg) != 4 || strspn(seg, "0123456789") != 4)
        return http_error(rq, rs, 404, "There is no report at this address: reports are at "
                                       "/s/%s/reports/YEAR, and the list is at /s/%s/reports.",
                          s->code, s->code);
    year = atoi(seg);
    ReportQuery q = {0};
    if (http_query(rq, rs, report_fields, &q)) return 0;
    if (q.has_final && q.final == 1 && year != s->last_year)
        return http_error(rq, rs, 400, "parameter final: a final report covers the whole period "
                                       "and is for the strategy's last year, %d, not %d; leave "
                                       "final out for the progress report of %d.",
                          s->last_year, year, year);
    if (q.has_final) {
        final = q.final;
    } else if (year == s->last_year) {
        int nyears = s->last_year - s->first_year + 1;
        YearMeta *meta = arena_alloc(&rq->arena, (size_t)nyears * sizeof *meta);
        if (reports_meta(rq, meta)) return -1;
        final = meta[nyears - 1].final;
    }
    int format = q.format == 1 ? 'm' : q.format == 2 ? 'p' : 'h';
    const char *stem = report_stem(rq, year, final);
    /* A whole document of a small strategy stays in the cache (up to 1 MiB). */
    const char *key = arena_printf(&rq->arena, "report:%lld:%d:%d:%c", (long long)s->id, year,
                                   final, format);
    ReportOut out = {BUF_INIT, NULL, 0};
    int rc = 0;
    buf_reset(&rs->body);
    if (!(format == 'm' && !q.download) && cache_get(key, &rs->body)) goto headers;
    rc = generate(rq, rs, year, final, format, &out);
    if (rc) goto out;
    if (format == 'm' && !q.download) {
        markdown_page(rq, rs, year, final, &out);
        goto out;
    }
    cache_put(key, out.main.a, out.main.n);
    buf_free(&rs->body);
    rs->body = out.main; /* the report's bytes, untouched */
    out.main = (Buf)BUF_INIT;
headers:
    if (format == 'h' && !q.download) app_bar(rq, rs, year, final);
    if (format == 'm') {
        rs->content_type = "text/markdown; charset=utf-8";
    } else if (format == 'p') {
        rs->content_type = "application/pdf";
    } else {
        rs->content_type = "text/html; charset=utf-8";
        report_csp(rq, rs);
    }
    if (q.download)
        rs->disposition = arena_printf(&rq->arena, "attachment; filename=\"%s.%s\"", stem,
                                       report_format_name(format));
    else if (format == 'p')
        rs->disposition = arena_printf(&rq->arena, "inline; filename=\"%s.pdf\"", stem);
out:
    report_out_free(&out);
    return rc < 0 ? -1 : 0;
}
