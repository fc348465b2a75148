/* report.c — report_generate() and the output it fills (report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

void report_out_free(ReportOut *out)
{
    buf_free(&out->main);
    for (size_t k = 0; k < out->nfiles; k++) {
        free(out->files[k].name);
        buf_free(&out->files[k].data);
    }
    free(out->files);
    out->files = NULL;
    out->nfiles = 0;
}

int report_generate(Db *db, int64_t sid, int year, int final, int format, const char *stem,
                    ReportOut *out, Buf *err)
{
    RData rd;
    int rc = report_data_load(db, sid, year, final, &rd, err);
    if (rc == RDATA_OK) {
        RDoc doc;
        report_build(&rd, &doc);
        if (format == 'm') report_md(&doc, stem, out);
        else report_html(&doc, out);
    }
    report_data_free(&rd);
    return rc;
}

const char *report_date(const char *iso, char *out, size_t outlen)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    int y, m, d;
    char tail;
    if (iso && strlen(iso) == 10 && date_valid(iso) &&
        sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
        snprintf(out, outlen, "%d %s %d", d, months[m - 1], y);
    else
        snprintf(out, outlen, "%s", iso ? iso : "");
    return out;
}
