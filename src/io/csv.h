/*
 * csv.h — RFC 4180 comma-separated values: a reader over a buffer in memory
 * and the CSV-field encoder.
 *
 * The reader yields one record (row) at a time. It accepts what RFC 4180
 * describes plus what spreadsheets write: CRLF or LF line ends, a UTF-8 byte
 * order mark at the very start, no line end after the last record. It
 * refuses, naming the line and the field: bytes that are not UTF-8, NUL
 * bytes, a quoted field that never ends, text after a closing quote, a quote
 * inside an unquoted field, a carriage return without a line feed outside
 * quotes, a field longer than max_field bytes and a record with more than
 * max_fields fields. Field text is returned exactly as written (quotes
 * removed, "" turned into "), embedded line ends included; no trimming.
 *
 * The writer appends fields to a Buf; it quotes a field when RFC 4180 needs it
 * (comma, quote, CR, LF), when it starts or ends with a space or tab, which
 * some readers would otherwise trim, and when it starts with U+FEFF, which
 * would pass for a byte order mark. Rows end with CRLF.
 */
#ifndef ITSTRAT_CSV_H
#define ITSTRAT_CSV_H
#include <stddef.h>

#include "buf.h"

#define CSV_MAX_FIELD ((size_t)1 << 20) /* bytes in one field, by default */
#define CSV_MAX_FIELDS 256              /* fields in one record, by default */

typedef struct CsvReader {
    const char *p;      /* next byte to read */
    const char *end;    /* end of the input */
    long line;          /* line of the next byte, from 1 */
    size_t max_field;   /* longest field accepted, in bytes */
    int max_fields;     /* most fields accepted in one record */
    char sep;           /* the field separator: ',' (the default) or ';' */
    int failed;         /* 1 after an error: csv_read() returns -1 again */
    long err_line;      /* after an error: the line of the problem */
    int err_field;      /* after an error: the field (1 = first), 0 when none */
    Buf err;            /* after an error: what is wrong and what to do, no place */
} CsvReader;

typedef struct CsvRecord {
    Buf text;           /* the fields, each followed by a NUL */
    size_t *off;        /* where field i starts in text */
    int n;              /* fields in the record (at least 1) */
    int cap;            /* entries allocated in off */
    long line;          /* line the record starts on */
} CsvRecord;

#define CSV_RECORD_INIT {BUF_INIT, NULL, 0, 0, 0}

/* Starts reading len bytes at data (borrowed: they must outlive the reader).
 * Skips a UTF-8 byte order mark at the start. Limits are the defaults above;
 * set max_field and max_fields afterwards to change them. */
void csv_reader_init(CsvReader *r, const char *data, size_t len);
void csv_reader_free(CsvReader *r); /* frees err */

/* The separator of the CSV in data: ';' when the first line (outside quotes,
 * after a byte order mark) holds more semicolons than commas, as the CSV of
 * locales with a decimal comma does; else ','. */
char csv_detect_sep(const char *data, size_t len);

/* Reads the next record into rec (reusing its memory). Returns 1 with a
 * record, 0 at the end of the input, -1 on a problem: then err_line,
 * err_field and err say where and what, and every later call returns -1.
 * An empty line is a record of one empty field. */
int csv_read(CsvReader *r, CsvRecord *rec);

/* Field i of rec (0 <= i < rec->n), NUL-terminated. The reader refuses NUL
 * bytes, so the string is the whole field. Valid until the next csv_read(). */
const char *csv_get(const CsvRecord *rec, int i);
void csv_record_free(CsvRecord *rec);

/* Offset of the first byte of s[0..n) that is not part of well-formed UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF are refused),
 * or n when all of it is. */
size_t csv_utf8_check(const char *s, size_t n);

/* Appends s as one field, quoted when needed, and a comma; csv_row_end()
 * removes the last comma. NULL is written as an empty field. */
void csv_field(Buf *b, const char *s);

/* Appends s as a text cell that a spreadsheet will not run as a formula: a
 * value starting with = + - @ TAB CR or ' gets a leading apostrophe, which
 * csv_unguard() removes again (docs/csv.md, "Formulas"). Then csv_field(). */
void csv_text(Buf *b, const char *s);

/* Appends s as csv_text() guards it, without CSV quoting (for the text
 * cells of a workbook, which spreadsheets copy into CSV as they are). */
void csv_guard(Buf *b, const char *s);

/* The text of a cell written by csv_text(): s without the apostrophe added
 * there, else s itself. Points into s. */
const char *csv_unguard(const char *s);

/* Ends the row: replaces the comma after the last field with CRLF. */
void csv_row_end(Buf *b);

#endif
