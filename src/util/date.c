/* date.c — see date.h. */
#include "date.h"

#include <string.h>

/* Reads n digits at s into *v; 0 when a character is not a digit. */
static int date_digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        *v = *v * 10 + (s[i] - '0');
    }
    return 1;
}

int date_month_valid(const char *s)
{
    int y, mo;
    return strlen(s) == 7 && date_digits(s, 4, &y) && s[4] == '-' && date_digits(s + 5, 2, &mo) &&
           mo >= 1 && mo <= 12;
}

int date_valid(const char *s)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d;
    if (strlen(s) != 10 || !date_digits(s, 4, &y) || s[4] != '-' || !date_digits(s + 5, 2, &mo) ||
        s[7] != '-' || !date_digits(s + 8, 2, &d))
        return 0;
    if (mo < 1 || mo > 12 || d < 1) return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[mo - 1] + (mo == 2 && leap);
}

int date_year(const char *s)
{
    int y = 0;
    date_digits(s, 4, &y);
    return y;
}
