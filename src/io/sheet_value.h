/*
 * sheet_value.h — dates and numbers as spreadsheets write them, read into
 * the plain forms the importers check (docs/csv.md, "Dates and amounts").
 *
 * Dates: ISO YYYY-MM-DD as is; d/m/y, m/d/y (also with '.' or '-' between
 * the parts, a two-digit year is refused) into YYYY-MM-DD. A date whose day
 * and month could be swapped (3/4/2021) is ambiguous: it is read only when the
 * day order is stated (SheetDates.stated) and refused otherwise. A date whose
 * first part is above 12 fixes the order d/m/y, one whose second part is, m/d/y;
 * once a file has shown one order, a date in the other order is refused.
 *
 * Numbers: a plain decimal (-12, 3.5, 1e6) as is; thousands separators
 * ("1,400,000.00", "1.400.000,50", "1 400 000,50", also with U+00A0 or U+202F
 * spaces) removed, a decimal comma made a point. A comma or point followed
 * by exactly three digits and nothing else ("1,500", "2.500") cannot be told
 * from a thousands separator: refused with the two readings, except a single
 * '.' which is, as it always was, a decimal point.
 */
#ifndef ITSTRAT_SHEET_VALUE_H
#define ITSTRAT_SHEET_VALUE_H
#include <stddef.h>

#include "buf.h"

enum { SHEET_ORDER_UNKNOWN, SHEET_ORDER_DMY, SHEET_ORDER_MDY };

typedef struct SheetDates {
    int order;          /* SHEET_ORDER_*: stated, or shown by the file so far */
    int stated;         /* 1 when order was stated by the person (--day-order) */
    long line;          /* when shown by the file: the line that showed it */
    char example[32];   /* ... and the date written there */
    long nslashed;      /* dates read in d/m/y or m/d/y form */
} SheetDates;

/* Reads "dmy", "mdy" (also "d/m/y", "m/d/y"): SHEET_ORDER_*, or -1. */
int sheet_order_parse(const char *s);
const char *sheet_order_name(int order); /* "day/month/year", ... */

/* Reads the date s (trimmed) into out (11 bytes: YYYY-MM-DD) and returns 0;
 * or returns -1 with what is wrong and what to do in why. Returns 1 when s
 * is not in any of the date forms (the caller's own check then speaks).
 * line is the row, kept in d when it shows the day order. */
int sheet_date(SheetDates *d, const char *s, long line, char out[11], Buf *why);

/* Reads the number s (trimmed): 0 and the plain decimal in out (reset
 * first); -1 with why for an ambiguous or badly grouped number; 1 when s
 * has no separators to remove (out is s). */
int sheet_number(const char *s, Buf *out, Buf *why);

#endif
