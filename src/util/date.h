/*
 * date.h — calendar checks for the dates and periods of the model.
 */
#ifndef ITSTRAT_DATE_H
#define ITSTRAT_DATE_H

/* 1 when s is YYYY-MM-DD and the day exists (leap years included). */
int date_valid(const char *s);
/* 1 when s is YYYY-MM with a month 01-12. */
int date_month_valid(const char *s);
/* Year of a valid date or month string. */
int date_year(const char *s);

#endif
