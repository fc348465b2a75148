/* report.c — report_generate() and the output it fills (report.h). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "export.h"

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
        doc.manifest = report_manifest(db, sid, &rd, report_format_name(format), err);
        if (!doc.manifest) rc = RDATA_STORE;
        else if (format == 'm') report_md(&doc, stem, out);
        else if (format == 'p') rc = report_pdf(&doc, out, err) ? RDATA_RENDER : RDATA_OK;
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

const char *report_format_name(int format)
{
    switch (format) {
    case 'm': return "md";
    case 'p': return "pdf";
    case 'd': return "docx";
    default: return "html";
    }
}

const char *report_manifest(Db *db, int64_t sid, RData *rd, const char *format, Buf *err)
{
    unsigned char d[32];
    if (export_json_digest(db, sid, d)) {
        buf_printf(err, "cannot read the strategy to digest it: %s\n", db_errmsg(db));
        return NULL;
    }
    char hex[65];
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return arena_printf(&rd->arena,
                        "itstrat-manifest/1 strategy=%s year=%d final=%d data=blake2b-256:%s "
                        "version=%s format=%s",
                        rd->code, rd->year, rd->final ? 1 : 0, hex, ITSTRAT_VERSION, format);
}

int report_manifest_parse(const char *text, char *code, size_t codelen, int *year, int *final,
                          char digest[65], char *fmt, size_t fmtlen)
{
    const char *s = text ? strstr(text, "itstrat-manifest/1 strategy=") : NULL;
    if (!s) return -1;
    s += strlen("itstrat-manifest/1 strategy=");
    const char *e = strchr(s, ' ');
    if (!e || (size_t)(e - s) >= codelen || e == s) return -1;
    memcpy(code, s, (size_t)(e - s));
    code[e - s] = 0;
    char f[16];
    int n = 0;
    if (sscanf(e, " year=%d final=%d data=blake2b-256:%64[0-9a-f] version=%*s format=%15[a-z]%n",
               year, final, digest, f, &n) != 4 || strlen(digest) != 64 || strlen(f) >= fmtlen)
        return -1;
    snprintf(fmt, fmtlen, "%s", f);
    return 0;
}
