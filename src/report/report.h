/*
 * report.h — the governing-body report, generated from the data.
 *
 * report_build() turns an RData (report_data.h) into a document: a list of
 * blocks (headings, numbered paragraphs, narratives in Markdown, figures,
 * tables, notes) that says everything the report says, in order. The two
 * renderers write that document as one self-contained HTML file
 * (report_html.c) or as CommonMark/GFM with the figures as SVG files
 * (report_md.c). Both are deterministic: same data, same bytes.
 * What goes where is described in docs/report.md.
 */
#ifndef ITSTRAT_REPORT_H
#define ITSTRAT_REPORT_H
#include <stddef.h>

#include "buf.h"
#include "chart.h"
#include "report_data.h"

typedef enum RBlockKind {
    RB_HEADING,   /* level 2-4, text, anchor */
    RB_PARA,      /* a numbered paragraph of plain text (computed) */
    RB_NARRATIVE, /* Markdown from the data; each of its paragraphs is numbered */
    RB_FIGURE,    /* a bar chart with its data table */
    RB_TABLE,     /* a table of plain text */
    RB_NOTE       /* an unnumbered paragraph of plain text */
} RBlockKind;

typedef struct RBlock {
    RBlockKind kind;
    int level;                 /* heading level */
    const char *text;          /* heading, paragraph or note text; narrative Markdown;
                                  figure or table title */
    const char *anchor;        /* heading id */
    const char **footnotes;    /* Markdown, attached after the block's last paragraph */
    size_t nfootnotes;
    int number;                /* figure number */
    const StatList *data;      /* figure: the bars */
    const char *axis;          /* figure: the value axis label */
    const char *what;          /* figure: what the bars are (first column of its table) */
    int ncols, nrows;          /* table: columns; rows after the header row */
    const char **cells;        /* table: (nrows + 1) * ncols, header row first */
    unsigned numeric;          /* table: bit c set when column c holds numbers */
} RBlock;

typedef struct RDoc {
    const RData *rd;
    RBlock *blocks;
    size_t nblocks;
    const char *manifest; /* what the report was built from (report_manifest()), or NULL */
} RDoc;

/* Builds the document of rd; blocks live in rd's arena. */
void report_build(RData *rd, RDoc *doc);

/* A file written beside the main one (Markdown figures). */
typedef struct RFile {
    char *name;  /* file name without folder */
    Buf data;
} RFile;

typedef struct ReportOut {
    Buf main;
    RFile *files;
    size_t nfiles;
} ReportOut;

/* Renders doc as HTML into out->main. */
void report_html(const RDoc *doc, ReportOut *out);
/* Renders doc as Markdown into out->main, the figures into out->files,
 * named stem-figure-N.svg and linked from the text. */
void report_md(const RDoc *doc, const char *stem, ReportOut *out);
/* Renders doc as an A4 PDF into out->main (report_pdf.c). Returns 0, or -1
 * with a message in err (a font missing, cairo failed). */
int report_pdf(const RDoc *doc, ReportOut *out, Buf *err);
void report_out_free(ReportOut *out);

/* The manifest every report carries (PDF and DOCX metadata, HTML head):
 * "itstrat-manifest/1 strategy=CODE year=YEAR final=0|1
 * data=blake2b-256:HEX version=V format=F", where HEX is the digest of the
 * strategy's export (export_json_digest). Allocated in rd's arena; NULL with
 * a message in err on a database error. */
const char *report_manifest(Db *db, int64_t sid, RData *rd, const char *format, Buf *err);

/* Parses a manifest back: fills the strategy code (codelen bytes), year,
 * final flag, digest (65 bytes of hex) and format (fmtlen). Returns 0, or
 * -1 when text is not a manifest. */
int report_manifest_parse(const char *text, char *code, size_t codelen, int *year, int *final,
                          char digest[65], char *fmt, size_t fmtlen);

/* The file extension and MIME type of format 'h', 'm', 'p' or 'd'. */
const char *report_format_name(int format);

/* The chart of figure block k: fills spec (its bars are allocated: the
 * caller frees spec->bars) with the id "figure-N" written into id. */
void report_figure_spec(const RBlock *k, ChartBars *spec, char *id, size_t idlen);

/* "2022-02-14" as "14 February 2022" in out (plain text); anything that is
 * not such a date is copied as it is. Returns out. */
const char *report_date(const char *iso, char *out, size_t outlen);

/* Loads, builds and renders the report of strategy sid for year in one go:
 * format 'h' (HTML), 'm' (Markdown, figures named stem-figure-N.svg) or
 * 'p' (PDF). Each carries its manifest (report_manifest()).
 * Returns an RDATA_* code; messages in err. */
int report_generate(Db *db, int64_t sid, int year, int final, int format, const char *stem,
                    ReportOut *out, Buf *err);

#endif
