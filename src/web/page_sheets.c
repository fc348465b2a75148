/*
 * page_sheets.c — the rows of a kind as a download (CSV or an Excel
 * workbook) that imports back unchanged (docs/sheets.md), and the links to
 * them on the pages that show those rows.
 *
 * /s/{s}/sheets/KIND.csv writes what `itstrat export --csv KIND` writes (a
 * UTF-8 byte order mark first, unless ?bom=0); KIND.xlsx what `export --csv
 * KIND --xlsx` writes. Both are HEAVY routes (routes.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv_io.h"
#include "html.h"
#include "pages.h"
#include "sheet_export.h"

void page_sheet_links(Buf *b, const ReqStrategy *s, const char *const *kinds)
{
    html_lit(b, "<p class=\"downloads\">Download as a sheet (imports back with "
                "<code>itstrat import --sheet</code>): ");
    for (int k = 0; kinds[k]; k++) {
        html_printf(b, "%s%s: <a href=\"/s/", k ? " · " : "", kinds[k]);
        html_url_param(b, s->code);
        html_printf(b, "/sheets/%s.csv\" download>CSV</a>, <a href=\"/s/", kinds[k]);
        html_url_param(b, s->code);
        html_printf(b, "/sheets/%s.xlsx\" download>Excel</a>", kinds[k]);
    }
    html_lit(b, "</p>\n");
}

typedef struct SheetQuery {
    long long bom; /* 1: a UTF-8 byte order mark first (the default), 0: none */
} SheetQuery;

static const QueryField sheet_fields[] = {
    {"bom", QT_INT, offsetof(SheetQuery, bom), QUERY_NO_HAS, 0, 1, NULL, 0},
    {NULL},
};

int page_sheet_download(Req *rq, Resp *rs)
{
    SheetQuery q = {1};
    if (http_query(rq, rs, sheet_fields, &q)) return 0;
    const char *file = rq->args[1], *dot = strrchr(file, '.');
    char kind[64];
    CsvKind k;
    int xlsx = dot && strcmp(dot, ".xlsx") == 0;
    if (!dot || (!xlsx && strcmp(dot, ".csv") != 0) || (size_t)(dot - file) >= sizeof kind) {
        return http_error(rq, rs, 404, "There is no sheet \"%s\": ask for KIND.csv or KIND.xlsx, "
                                       "KIND one of %s.", file, csv_kind_list());
    }
    snprintf(kind, sizeof kind, "%.*s", (int)(dot - file), file);
    if (csv_kind_parse(kind, &k))
        return http_error(rq, rs, 404, "There is no sheet of \"%s\": KIND is one of %s.", kind,
                          csv_kind_list());
    rs->disposition = http_attachment(rq, kind, dot + 1);
    Buf err = BUF_INIT;
    int rc = 0;
    if (!xlsx) {
        if (q.bom) buf_puts(&rs->body, SHEET_BOM);
        if (csv_export(rq->db, rq->strategy->id, k, &rs->body, NULL, &err)) rc = -1;
        rs->content_type = "text/csv; charset=utf-8";
    } else {
        char path[] = "/tmp/itstrat-sheet-XXXXXX";
        int fd = mkstemp(path);
        if (fd < 0) {
            perror("itstrat serve: a temporary file for the workbook");
            return http_error(rq, rs, 503, "The workbook could not be written just now; try "
                                           "again.");
        }
        close(fd);
        if (sheet_export_xlsx(rq->db, rq->strategy->id, k, path, &err) ||
            buf_append_file(&rs->body, path))
            rc = -1;
        unlink(path);
        rs->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        rs->no_gzip = 1;
    }
    if (rc) {
        fprintf(stderr, "itstrat serve: %s: %s\n", file, buf_str(&err));
        buf_reset(&rs->body);
        rs->disposition = NULL;
        http_error(rq, rs, 500, "The sheet could not be made; the server log says why.");
    }
    buf_free(&err);
    return 0;
}
