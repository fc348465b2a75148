/*
 * import.h — importing strategy documents (format itstrat/1, docs/format.md).
 */
#ifndef ITSTRAT_IMPORT_H
#define ITSTRAT_IMPORT_H
#include <stddef.h>

#include "buf.h"
#include "db.h"

#define IMPORT_MAX_BYTES ((size_t)512 << 20) /* the largest document accepted */

enum { IMPORT_DONE = 0, IMPORT_UNCHANGED = 1, IMPORT_FAILED = -1 };

typedef struct ImportStats {
    char code[72];      /* the strategy's code */
    long nprojects, nupdates, nindicators, nrisks, nservices, nexpenditure;
    int replaced;       /* 1 when a strategy with that code was replaced */
} ImportStats;

/* Checks the document in data and, when it has no problem, replaces the
 * strategy of the same code (or adds it) in one transaction. Every problem
 * found goes to msgs, one line each ("PATH: what (line N)"), and then nothing
 * is changed. A document equal to what the database holds changes nothing.
 * Returns IMPORT_DONE, IMPORT_UNCHANGED or IMPORT_FAILED. */
int import_json(Db *db, const char *data, size_t len, Buf *msgs, ImportStats *stats);

/* Opens path for an import: a regular file (a FIFO or a device is refused,
 * and its open does not block) of at most IMPORT_MAX_BYTES. Returns the
 * descriptor (caller closes) and its size in *size, or -1 after one line in
 * msgs naming path; what names the kind of file ("documents") and advice
 * what to do with one too large. */
int import_open(const char *path, const char *what, const char *advice, Buf *msgs,
                size_t *size);

/* Reads the file at path (at most IMPORT_MAX_BYTES) and imports it. */
int import_json_file(Db *db, const char *path, Buf *msgs, ImportStats *stats);

#endif
