/* chart.c — see chart.h. */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "html.h"
#include "mem.h"
#include "rules.h"

/* Colours (contrast against white, WCAG): text 17.4:1, axis text 12.6:1,
 * notes and baseline 7.5:1, series 6.7:1, plan (milestones, target) 9.4:1. */
#define C_TEXT "#1a1a1a"
#define C_AXIS "#333333"
#define C_NOTE "#555555"
#define C_GRID "#d9d9d9"
#define C_SERIES "#1f5f99"
#define C_PLAN "#7c2d12"

enum { ID_MAX = 48, NUM_MAX = 512, LABEL_CHARS = 28 };

/* ---- shared pieces -------------------------------------------------------- */

/* The id prefix: letters, digits, - and _ of prefix (at most 40), starting
 * with a letter ("c-" is put before a digit); "chart" when none is left. */
static void make_id(char id[ID_MAX], const char *prefix)
{
    size_t n = 0;
    for (const char *p = prefix ? prefix : ""; *p && n < 40; p++) {
        char c = *p;
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alpha && !(c >= '0' && c <= '9') && c != '-' && c != '_') continue;
        if (n == 0 && !alpha) {
            id[n++] = 'c';
            id[n++] = '-';
        }
        id[n++] = c;
    }
    id[n] = 0;
    if (!n) strcpy(id, "chart");
}

static int clamp_decimals(int d) { return d < 0 ? 0 : d > 6 ? 6 : d; }

/* Writes v with decimals digits after a '.', thousands separated by ','
 * ("-1,234.50"), whatever the locale; "n/a" when v is not finite. */
static const char *fmt_num(char out[NUM_MAX], double v, int decimals)
{
    if (!isfinite(v)) {
        strcpy(out, "n/a");
        return out;
    }
    char raw[400];
    snprintf(raw, sizeof raw, "%.*f", clamp_decimals(decimals), fabs(v));
    size_t nint = strspn(raw, "0123456789"), o = 0;
    const char *frac = raw + nint;
    while (*frac && !(*frac >= '0' && *frac <= '9')) frac++; /* the decimal point */
    if (v < 0 && strpbrk(raw, "123456789")) out[o++] = '-';   /* never "-0" */
    for (size_t k = 0; k < nint; k++) {
        if (k && (nint - k) % 3 == 0) out[o++] = ',';
        out[o++] = raw[k];
    }
    if (*frac) {
        out[o++] = '.';
        while (*frac) out[o++] = *frac++;
    }
    out[o] = 0;
    return out;
}

/* A value label: the number and the unit as given. */
static const char *fmt_value(char out[NUM_MAX], double v, int decimals, const char *unit)
{
    fmt_num(out, v, decimals);
    if (isfinite(v) && unit) snprintf(out + strlen(out), NUM_MAX - strlen(out), "%.60s", unit);
    return out;
}

/* An axis tick: v in the unit (k, M, bn, tn) that suits the largest tick
 * maxabs, with as many decimals as the step needs. */
static const char *fmt_tick(char out[NUM_MAX], double v, double step, double maxabs)
{
    static const struct {
        double from, div;
        const char *suffix;
    } units[] = {{1e12, 1e12, "tn"}, {1e9, 1e9, "bn"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"},
                 {0, 1, ""}};
    size_t u = 0;
    if (v == 0) return strcpy(out, "0");
    while (maxabs < units[u].from) u++;
    double s = step / units[u].div, scale = 1;
    int d = 0;
    while (d < 6 && fabs(s * scale - round(s * scale)) > 1e-6 * s * scale) {
        d++;
        scale *= 10;
    }
    fmt_num(out, v / units[u].div, d);
    strcat(out, units[u].suffix);
    return out;
}

/* Rough width in pixels of s at font size px: characters x 0.6 em. */
static double text_width(const char *s, double px)
{
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n) {
        uint32_t cp;
        i += html_next_char(s + i, n - i, &cp);
        chars += cp != HTML_CP_DROP;
    }
    return (double)chars * px * 0.6;
}

/* Round axis ticks: lo + k * step for k = 0..n covering the data. */
typedef struct Axis {
    double lo, hi, step;
    int n;
} Axis;

static void axis_nice(Axis *a, double lo, double hi)
{
    if (!(hi > lo)) { /* one value, or none: a range around it */
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;
        hi = lo + pad;
        lo = lo == 0 ? 0 : lo - pad;
    }
    double raw = (hi - lo) / 5;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    a->step = nf * mag;
    a->lo = floor(lo / a->step + 1e-9) * a->step;
    a->hi = ceil(hi / a->step - 1e-9) * a->step;
    a->n = (int)lround((a->hi - a->lo) / a->step);
    if (a->n < 1) {
        a->n = 1;
        a->hi = a->lo + a->step;
    }
}

static double axis_tick(const Axis *a, int k)
{
    double t = a->lo + k * a->step;
    return fabs(t) < a->step * 1e-9 ? 0 : t;
}

/* Position of v between pixel p0 (at a->lo) and p1 (at a->hi). */
static double axis_map(const Axis *a, double v, double p0, double p1)
{
    return p0 + (v - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

/* Data values are kept within +-1e300 so that ranges stay finite. */
static double tame(double v) { return v > 1e300 ? 1e300 : v < -1e300 ? -1e300 : v; }

typedef struct Span {
    size_t off, len;
} Span;

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Byte offset in s after max characters from pos (or the end). */
static size_t skip_chars(const char *s, size_t n, size_t pos, int max)
{
    for (int c = 0; pos < n && c < max;) {
        uint32_t cp;
        pos += html_next_char(s + pos, n - pos, &cp);
        c += cp != HTML_CP_DROP;
    }
    return pos;
}

/* Splits s into at most maxlines lines of at most maxchars characters,
 * breaking at blanks where it can. Returns the number of lines; *cut is set
 * when text was left out (the last line then has room for an ellipsis). */
static int wrap(const char *s, int maxchars, int maxlines, Span *line, int *cut)
{
    size_t n = s ? strlen(s) : 0, pos = 0;
    int nl = 0;
    *cut = 0;
    while (nl < maxlines) {
        while (pos < n && is_blank(s[pos])) pos++;
        if (pos >= n) break;
        size_t i = pos, brk = pos;
        int chars = 0;
        while (i < n) {
            if (is_blank(s[i])) brk = i;
            uint32_t cp;
            size_t k = html_next_char(s + i, n - i, &cp);
            if (cp != HTML_CP_DROP && chars++ == maxchars) break;
            i += k;
        }
        size_t end;
        if (i >= n) {
            end = n;
        } else if (nl == maxlines - 1) {
            end = skip_chars(s, n, pos, maxchars - 1);
            *cut = 1;
        } else if (brk > pos) {
            end = brk;
        } else {
            end = i;
        }
        size_t next = end;
        while (end > pos && is_blank(s[end - 1])) end--;
        line[nl].off = pos;
        line[nl].len = end - pos;
        nl++;
        pos = next;
        if (*cut) break;
    }
    return nl;
}

/* Appends lines of s as <text> elements from baseline y, dy apart. The
 * attributes after x and y come from the literal ATTRS. */
#define text_lines(b, s, line, nl, cut, x, y, dy, ATTRS)                                          \
    do {                                                                                          \
        for (int k_ = 0; k_ < (nl); k_++) {                                                       \
            html_printf((b), "<text x=\"%.1f\" y=\"%.1f\"" ATTRS ">", (double)(x),                \
                        (double)(y) + k_ * (double)(dy));                                         \
            html_text_n((b), (s) + (line)[k_].off, (line)[k_].len);                               \
            if ((cut) && k_ == (nl)-1) html_lit((b), "\xE2\x80\xA6");                             \
            html_lit((b), "</text>\n");                                                           \
        }                                                                                         \
    } while (0)

/* Lines the title takes (0 to 2) and the y under it. */
static double title_bottom(const char *title)
{
    Span l[2];
    int cut, n = wrap(title, 68, 2, l, &cut);
    return n ? 22 + 19 * (n - 1) + 8 : 8;
}

/* Opens the <svg> of height h with <title>, <desc>, background, title. */
static void svg_open(Buf *b, const char *id, double h, const char *title, const char *desc)
{
    html_printf(b,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" width=\"%d\" "
                "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\" "
                "aria-labelledby=\"%s-title %s-desc\" "
                "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
                "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n"
                "<rect width=\"%d\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
                id, CHART_WIDTH, h, CHART_WIDTH, h, id, id, id, title, id, desc, CHART_WIDTH, h);
    Span l[2];
    int cut, n = wrap(title, 68, 2, l, &cut);
    text_lines(b, title, l, n, cut, 8, 22, 19,
               " font-size=\"15\" font-weight=\"bold\" fill=\"" C_TEXT "\"");
}

/* "#rgb" or "#rrggbb". */
static int colour_valid(const char *c)
{
    if (!c || c[0] != '#') return 0;
    size_t n = strspn(c + 1, "0123456789abcdefABCDEF");
    return (n == 3 || n == 6) && c[1 + n] == 0;
}

/* Opens a data table with its caption. */
static void table_open(Buf *b, const char *id, const char *caption)
{
    html_printf(b, "<table class=\"chart-table\" id=\"%s-table\">\n<caption>%s</caption>\n", id,
                caption);
}

/* ---- horizontal bar chart ------------------------------------------------ */

void chart_bars(Buf *b, const ChartBars *s)
{
    char id[ID_MAX], num[NUM_MAX];
    make_id(id, s->id);
    size_t n = s->bars ? s->nbars : 0;
    double lo = 0, hi = 0, wneg = 0, wpos = 0; /* widths of value labels left and right */
    for (size_t k = 0; k < n; k++) {
        double v = s->bars[k].value;
        if (isfinite(v)) {
            v = tame(v);
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        double w = fmin(text_width(fmt_value(num, v, s->decimals, s->unit), 12) + 8, 150);
        if (v < 0) wneg = fmax(wneg, w);
        else wpos = fmax(wpos, w);
    }
    Axis ax;
    axis_nice(&ax, lo, hi);
    double maxabs = fmax(fabs(ax.lo), fabs(ax.hi));

    Buf gen = BUF_INIT;
    const char *desc = s->desc;
    if (!desc) {
        buf_printf(&gen, "Horizontal bar chart of %zu value%s", n, n == 1 ? "" : "s");
        for (size_t k = 0; k < n && n <= 25; k++)
            buf_printf(&gen, "%s%s: %s", k ? "; " : ": ", s->bars[k].label ? s->bars[k].label : "",
                       fmt_value(num, s->bars[k].value, s->decimals, s->unit));
        buf_puts(&gen, ".");
        desc = buf_str(&gen);
    }

    double top = title_bottom(s->title) + (s->category_label ? 26 : 10);
    double bottom = top + (n ? 30.0 * (double)n : 40);
    double h = bottom + (s->value_label ? 46 : 28);
    double px0 = 210 + wneg, px1 = CHART_WIDTH - 16 - wpos;
    svg_open(b, id, h, s->title, desc);
    buf_free(&gen);
    if (s->category_label)
        html_printf(b, "<text x=\"200\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"bold\" "
                       "fill=\"" C_TEXT "\">%s</text>\n",
                    top - 8, s->category_label);
    if (!n) {
        html_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" font-style=\"italic\" "
                       "fill=\"" C_NOTE "\">No data</text>\n</svg>\n",
                    CHART_WIDTH / 2, top + 24);
        return;
    }
    /* grid and ticks */
    for (int k = 0; k <= ax.n; k++) {
        double t = axis_tick(&ax, k), x = axis_map(&ax, t, px0, px1);
        html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x,
                    top, x, bottom, t == 0 ? C_AXIS : C_GRID);
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_AXIS
                       "\">%s</text>\n",
                    x, bottom + 16, fmt_tick(num, t, ax.step, maxabs));
    }
    if (s->value_label)
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_TEXT
                       "\">%s</text>\n",
                    (px0 + px1) / 2, bottom + 36, s->value_label);
    /* one row per bar */
    double x0 = axis_map(&ax, 0, px0, px1);
    for (size_t k = 0; k < n; k++) {
        const ChartBar *bar = &s->bars[k];
        double cy = top + 15 + 30.0 * (double)k, v = bar->value;
        fmt_value(num, v, s->decimals, s->unit);
        html_printf(b, "<g>\n<title>%s: %s</title>\n", bar->label, num);
        double xv = isfinite(v) ? axis_map(&ax, tame(v), px0, px1) : x0;
        if (xv != x0)
            html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\" "
                           "stroke=\"" C_AXIS "\" stroke-width=\"0.5\"/>\n",
                        fmin(x0, xv), cy - 9, fabs(xv - x0),
                        colour_valid(bar->colour) ? bar->colour : C_SERIES);
        Span l[2];
        int cut, nl = wrap(bar->label, LABEL_CHARS, 2, l, &cut);
        text_lines(b, bar->label, l, nl, cut, 200, nl == 2 ? cy - 2.5 : cy + 4, 13,
                   " text-anchor=\"end\" fill=\"" C_TEXT "\"");
        if (v < 0)
            html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"" C_TEXT
                           "\">%s</text>\n</g>\n",
                        xv - 4, cy + 4, num);
        else
            html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"" C_TEXT "\">%s</text>\n</g>\n",
                        xv + 4, cy + 4, num);
    }
    html_lit(b, "</svg>\n");
}

void chart_bars_table(Buf *b, const ChartBars *s)
{
    char id[ID_MAX], num[NUM_MAX];
    make_id(id, s->id);
    table_open(b, id, s->title);
    html_printf(b, "<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n"
                   "<tbody>\n",
                s->category_label ? s->category_label : "Category",
                s->value_label ? s->value_label : "Value");
    for (size_t k = 0; s->bars && k < s->nbars; k++)
        html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td></tr>\n",
                    s->bars[k].label, fmt_value(num, s->bars[k].value, s->decimals, s->unit));
    html_lit(b, "</tbody>\n</table>\n");
}

/* ---- indicator line chart ------------------------------------------------ */

/* Position of a date in years: "2019" -> 2019.5, "2019-01" -> 2019.04,
 * "2019-12-31" -> 2019.9986; -1 when s is none of these. */
static double date_pos(const char *s)
{
    static const int cum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    size_t n = s ? strlen(s) : 0;
    if (n == 4 && strspn(s, "0123456789") == 4) return atoi(s) + 0.5;
    if (n == 7 && date_month_valid(s)) return date_year(s) + (atoi(s + 5) - 0.5) / 12;
    if (n == 10 && date_valid(s)) {
        int y = date_year(s), m = atoi(s + 5), d = atoi(s + 8);
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int doy = cum[m - 1] + d + (leap && m > 2);
        return y + (doy - 0.5) / (365 + leap);
    }
    return -1;
}

/* Position of a milestone period: the middle of its last year; -1 if bad. */
static double period_pos(const char *s)
{
    int first, last;
    return s && rules_period_parse(s, &first, &last) == 0 ? last + 0.5 : -1;
}

typedef struct Pt {
    double x, v;
    size_t idx; /* in spec->points, to break ties */
} Pt;

static int pt_cmp(const void *a, const void *b)
{
    const Pt *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->idx < q->idx ? -1 : p->idx > q->idx;
}

/* The measurements with a valid date and value, by date; caller frees. */
static Pt *line_points(const ChartLine *s, size_t *np)
{
    Pt *a = xmalloc((s->npoints ? s->npoints : 1) * sizeof *a);
    size_t n = 0;
    for (size_t k = 0; s->points && k < s->npoints; k++) {
        double x = date_pos(s->points[k].date);
        if (x < 0 || !isfinite(s->points[k].value)) continue;
        a[n].x = x;
        a[n].v = tame(s->points[k].value);
        a[n].idx = k;
        n++;
    }
    qsort(a, n, sizeof *a, pt_cmp);
    *np = n;
    return a;
}

/* A hollow diamond at (x, y). */
static void diamond(Buf *b, double x, double y)
{
    html_printf(b, "<path d=\"M%.1f %.1fl5 5l-5 5l-5 -5z\" fill=\"#ffffff\" stroke=\"" C_PLAN
                   "\" stroke-width=\"1.5\"/>\n",
                x, y - 5);
}

/* A labelled horizontal line across the plot (baseline or target). */
static void level_line(Buf *b, double x0, double x1, double y, double label_y, int target,
                       const char *value)
{
    if (target)
        html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_PLAN
                       "\" stroke-width=\"1.5\" stroke-dasharray=\"10 3 2 3\"/>\n",
                    x0, y, x1, y);
    else
        html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_NOTE
                       "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                    x0, y, x1, y);
    html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"" C_TEXT "\">%s</text>\n",
                x1 + 6, label_y - 2, target ? "Target" : "Baseline");
    html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"" C_TEXT "\">%s</text>\n",
                x1 + 6, label_y + 11, value);
}

/* Rectangles taken by markers and labels, to keep labels apart. */
typedef struct Box {
    double x0, y0, x1, y1;
} Box;

typedef struct Boxes {
    Box *a; /* room for every marker and label of the chart */
    size_t n;
} Boxes;

/* A label position: anchor 0 start, 1 middle, 2 end. */
typedef struct Place {
    double x, y;
    int anchor;
} Place;

static Box place_box(const Place *p, double w)
{
    double x0 = p->anchor == 0 ? p->x : p->anchor == 1 ? p->x - w / 2 : p->x - w;
    return (Box){x0, p->y - 10, x0 + w, p->y + 2};
}

/* Chooses the first of n candidate places for a label w pixels wide that
 * overlaps no box and stays between top and bottom (else the first), and
 * takes its box. */
static void place(Boxes *bx, const Place *cand, int n, double w, double top, double bottom,
                  Place *out)
{
    *out = cand[0];
    for (int c = 0; c < n; c++) {
        Box r = place_box(&cand[c], w);
        int free_ = r.y0 >= top - 6 && r.y1 <= bottom - 2;
        for (size_t k = 0; free_ && k < bx->n; k++)
            free_ = r.x1 <= bx->a[k].x0 || r.x0 >= bx->a[k].x1 || r.y1 <= bx->a[k].y0 ||
                    r.y0 >= bx->a[k].y1;
        if (free_) {
            *out = cand[c];
            break;
        }
    }
    bx->a[bx->n++] = place_box(out, w);
}

/* A value label at p, font size 11, in colour (a literal-derived constant). */
static void label(Buf *b, const Place *p, const char *text, const char *colour)
{
    static const char *const anchor[] = {"start", "middle", "end"};
    html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11\" "
                   "fill=\"%s\">%s</text>\n",
                p->x, p->y, anchor[p->anchor], colour, text);
}

/* The geometry of a line chart: value axis, years shown, plot rectangle. */
typedef struct Frame {
    Axis ay;                  /* value axis */
    int year0, nyears;        /* the years shown; nyears 0: nothing dated */
    double px0, px1;          /* plot left and right */
    double top, bottom;       /* plot top and bottom */
    double height;            /* of the whole chart */
    int base, target;         /* baseline / target drawn */
    double base_label, target_label; /* y of their labels, kept apart */
} Frame;

static double frame_x(const Frame *f, double x)
{
    return f->px0 + (x - f->year0) / f->nyears * (f->px1 - f->px0);
}

static double frame_y(const Frame *f, double v) { return axis_map(&f->ay, tame(v), f->bottom, f->top); }

/* Lays out the chart of s with its np sorted points pt. */
static void line_frame(const ChartLine *s, const Pt *pt, size_t np, Frame *f)
{
    double xmin = INFINITY, xmax = -INFINITY, lo = INFINITY, hi = -INFINITY;
#define SEE_X(x) (xmin = fmin(xmin, (x)), xmax = fmax(xmax, (x)))
#define SEE_V(v) (lo = fmin(lo, tame(v)), hi = fmax(hi, tame(v)))
    for (size_t k = 0; k < np; k++) SEE_X(pt[k].x), SEE_V(pt[k].v);
    for (size_t k = 0; s->milestones && k < s->nmilestones; k++) {
        double x = period_pos(s->milestones[k].period), v = s->milestones[k].value;
        if (x >= 0 && isfinite(v)) SEE_X(x), SEE_V(v);
    }
    f->base = s->has_baseline && isfinite(s->baseline);
    f->target = s->has_target && isfinite(s->target);
    if (f->base) SEE_V(s->baseline);
    if (f->target) SEE_V(s->target);
    if (f->base && s->baseline_year > 0) SEE_X(s->baseline_year + 0.5);
    if (f->target && s->target_year > 0) SEE_X(s->target_year + 0.5);
#undef SEE_X
#undef SEE_V
    if (lo > hi) lo = hi = 0;
    if (lo > 0 && lo <= hi / 2) lo = 0; /* zero costs little: show it */
    if (hi < 0 && hi >= lo / 2) hi = 0;
    axis_nice(&f->ay, lo, hi);
    f->year0 = f->nyears = 0;
    if (xmin <= xmax) {
        f->year0 = (int)floor(xmin);
        f->nyears = (int)floor(xmax) + 1 - f->year0;
    }
    f->top = title_bottom(s->title) + 16;
    f->bottom = f->top + 200;
    f->px0 = 72;
    f->px1 = CHART_WIDTH - 110;
    f->height = f->bottom + (s->x_label ? 72 : 56);
    double yb = f->base ? frame_y(f, s->baseline) : 0, yt = f->target ? frame_y(f, s->target) : 0;
    f->base_label = yb;
    f->target_label = yt;
    if (f->base && f->target && fabs(yb - yt) < 28) { /* two-line labels: 28 pixels apart */
        double mid = (yb + yt) / 2, up = yt <= yb ? -14 : 14;
        f->target_label = mid + up;
        f->base_label = mid - up;
    }
}

/* The generated <desc> of a line chart. */
static void line_desc(Buf *gen, const ChartLine *s, const Pt *pt, size_t np)
{
    char num[NUM_MAX], num2[NUM_MAX];
    if (np)
        buf_printf(gen, "Line chart of %zu measurement%s, from %s on %s to %s on %s", np,
                   np == 1 ? "" : "s", fmt_value(num, pt[0].v, s->decimals, s->unit),
                   s->points[pt[0].idx].date, fmt_value(num2, pt[np - 1].v, s->decimals, s->unit),
                   s->points[pt[np - 1].idx].date);
    else
        buf_puts(gen, "Line chart with no measurements yet");
    if (s->has_baseline && isfinite(s->baseline))
        buf_printf(gen, "; baseline %s", fmt_value(num, s->baseline, s->decimals, s->unit));
    if (s->has_target && isfinite(s->target))
        buf_printf(gen, "; target %s", fmt_value(num, s->target, s->decimals, s->unit));
    buf_puts(gen, ".");
}

/* Grid, ticks and labels of both axes: a column per year (every few years
 * when there are many), labelled in its middle. */
static void line_axes(Buf *b, const ChartLine *s, const Frame *f)
{
    char num[NUM_MAX];
    double maxabs = fmax(fabs(f->ay.lo), fabs(f->ay.hi));
    for (int k = 0; k <= f->ay.n; k++) {
        double t = axis_tick(&f->ay, k), y = frame_y(f, t);
        html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                    f->px0, y, f->px1, y, t == 0 ? C_AXIS : C_GRID);
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"" C_AXIS
                       "\">%s</text>\n",
                    f->px0 - 6, y + 4, fmt_tick(num, t, f->ay.step, maxabs));
    }
    double mid = (f->top + f->bottom) / 2;
    if (s->y_label)
        html_printf(b, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" "
                       "text-anchor=\"middle\" fill=\"" C_TEXT "\">%s</text>\n",
                    mid, mid, s->y_label);
    html_printf(b, "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"" C_AXIS "\"/>\n",
                f->px0, f->top, f->bottom, f->px1);
    int every = f->nyears > 12 ? (f->nyears + 11) / 12 : 1;
    for (int k = 0; k < f->nyears; k += every) {
        if (k)
            html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_GRID
                           "\"/>\n",
                        frame_x(f, f->year0 + k), f->top, frame_x(f, f->year0 + k), f->bottom);
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_AXIS
                       "\">%d</text>\n",
                    frame_x(f, f->year0 + k + 0.5), f->bottom + 16, f->year0 + k);
    }
    if (s->x_label)
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_TEXT
                       "\">%s</text>\n",
                    (f->px0 + f->px1) / 2, f->bottom + 36, s->x_label);
}

/* Takes the boxes of every marker and of the baseline and target labels,
 * so that value labels go around them. */
static void line_markers(Boxes *bx, const ChartLine *s, const Frame *f, const Pt *pt, size_t np)
{
    if (f->base) bx->a[bx->n++] = (Box){f->px1 + 2, f->base_label - 13, CHART_WIDTH, f->base_label + 14};
    if (f->target)
        bx->a[bx->n++] = (Box){f->px1 + 2, f->target_label - 13, CHART_WIDTH, f->target_label + 14};
    for (size_t k = 0; k < np; k++) {
        double x = frame_x(f, pt[k].x), y = frame_y(f, pt[k].v);
        bx->a[bx->n++] = (Box){x - 4, y - 4, x + 4, y + 4};
    }
    for (size_t k = 0; s->milestones && k < s->nmilestones; k++) {
        double x = period_pos(s->milestones[k].period), v = s->milestones[k].value;
        if (x < 0 || !isfinite(v)) continue;
        x = frame_x(f, x);
        bx->a[bx->n++] = (Box){x - 6, frame_y(f, v) - 6, x + 6, frame_y(f, v) + 6};
    }
}

/* Milestones as diamonds, labelled right, left, under or over them. */
static void line_milestones(Buf *b, const ChartLine *s, const Frame *f, Boxes *bx)
{
    char num[NUM_MAX];
    for (size_t k = 0; s->milestones && k < s->nmilestones; k++) {
        const ChartMilestone *m = &s->milestones[k];
        double x = period_pos(m->period);
        if (x < 0 || !isfinite(m->value)) continue;
        double y = frame_y(f, m->value);
        x = frame_x(f, x);
        html_printf(b, "<g>\n<title>Milestone %s: %s</title>\n", m->period,
                    fmt_value(num, m->value, s->decimals, s->unit));
        diamond(b, x, y);
        const Place cand[] = {{x + 8, y + 4, 0}, {x - 8, y + 4, 2}, {x, y + 19, 1}, {x, y - 9, 1}};
        Place p;
        place(bx, cand, 4, text_width(num, 11), f->top, f->bottom, &p);
        label(b, &p, num, C_PLAN);
        html_lit(b, "</g>\n");
    }
}

/* The measurements: a line, dots and value labels (all up to 12 points,
 * else first, last, lowest, highest), over a dot or under one that lies
 * below its neighbours. */
static void line_measurements(Buf *b, const ChartLine *s, const Frame *f, const Pt *pt, size_t np,
                              Boxes *bx)
{
    char num[NUM_MAX];
    if (np > 1) {
        html_lit(b, "<polyline fill=\"none\" stroke=\"" C_SERIES "\" stroke-width=\"2.5\" points=\"");
        for (size_t k = 0; k < np; k++)
            html_printf(b, "%s%.1f,%.1f", k ? " " : "", frame_x(f, pt[k].x), frame_y(f, pt[k].v));
        html_lit(b, "\"/>\n");
    }
    size_t kmin = 0, kmax = 0;
    for (size_t k = 0; k < np; k++) {
        if (pt[k].v < pt[kmin].v) kmin = k;
        if (pt[k].v > pt[kmax].v) kmax = k;
    }
    for (size_t k = 0; k < np; k++) {
        double x = frame_x(f, pt[k].x), y = frame_y(f, pt[k].v);
        fmt_value(num, pt[k].v, s->decimals, s->unit);
        html_printf(b, "<g>\n<title>%s: %s</title>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                       "fill=\"" C_SERIES "\"/>\n",
                    s->points[pt[k].idx].date, num, x, y);
        if (np <= 12 || k == 0 || k == np - 1 || k == kmin || k == kmax) {
            double sum = 0;
            int nn = 0;
            if (k > 0) sum += pt[k - 1].v, nn++;
            if (k + 1 < np) sum += pt[k + 1].v, nn++;
            int under = nn && pt[k].v < sum / nn;
            const Place over = {x, y - 8, 1}, below = {x, y + 17, 1};
            const Place cand[] = {under ? below : over, under ? over : below, {x + 7, y + 4, 0},
                                  {x - 7, y + 4, 2}};
            Place p;
            place(bx, cand, 4, text_width(num, 11), f->top, f->bottom, &p);
            label(b, &p, num, C_TEXT);
        }
        html_lit(b, "</g>\n");
    }
    if (!np)
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-style=\"italic\" "
                       "fill=\"" C_NOTE "\">No measurements yet</text>\n",
                    (f->px0 + f->px1) / 2, (f->top + f->bottom) / 2);
}

/* The legend under the chart: what a dot and a diamond are. */
static void line_legend(Buf *b, const ChartLine *s, const Frame *f, size_t np)
{
    double y = f->height - 18, x = f->px0;
    if (np) {
        html_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" C_SERIES
                       "\" stroke-width=\"2.5\"/>\n<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                       "fill=\"" C_SERIES "\"/>\n<text x=\"%.1f\" y=\"%.1f\" fill=\"" C_TEXT
                       "\">Measured</text>\n",
                    x, y - 4, x + 20, y - 4, x + 10, y - 4, x + 26, y);
        x += 110;
    }
    if (s->milestones && s->nmilestones) {
        diamond(b, x + 10, y - 4);
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" fill=\"" C_TEXT "\">Milestone</text>\n", x + 20,
                    y);
    }
}

void chart_line(Buf *b, const ChartLine *s)
{
    char id[ID_MAX], num[NUM_MAX];
    make_id(id, s->id);
    size_t np;
    Pt *pt = line_points(s, &np);
    Frame f;
    line_frame(s, pt, np, &f);
    Buf gen = BUF_INIT;
    if (!s->desc) line_desc(&gen, s, pt, np);
    svg_open(b, id, f.height, s->title, s->desc ? s->desc : buf_str(&gen));
    buf_free(&gen);
    line_axes(b, s, &f);
    if (f.base)
        level_line(b, f.px0, f.px1, frame_y(&f, s->baseline), f.base_label, 0,
                   fmt_value(num, s->baseline, s->decimals, s->unit));
    if (f.target)
        level_line(b, f.px0, f.px1, frame_y(&f, s->target), f.target_label, 1,
                   fmt_value(num, s->target, s->decimals, s->unit));
    Boxes bx = {xmalloc((2 * (np + s->nmilestones) + 3) * sizeof(Box)), 0};
    line_markers(&bx, s, &f, pt, np);
    line_milestones(b, s, &f, &bx);
    line_measurements(b, s, &f, pt, np, &bx);
    line_legend(b, s, &f, np);
    html_lit(b, "</svg>\n");
    free(bx.a);
    free(pt);
}

void chart_line_table(Buf *b, const ChartLine *s)
{
    char id[ID_MAX], num[NUM_MAX];
    make_id(id, s->id);
    size_t np;
    Pt *pt = line_points(s, &np);
    table_open(b, id, s->title);
    html_lit(b, "<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Series</th>"
                "<th scope=\"col\">Value</th></tr></thead>\n<tbody>\n");
    if (s->has_baseline && isfinite(s->baseline)) {
        html_lit(b, "<tr><th scope=\"row\">");
        if (s->baseline_year > 0) html_printf(b, "%d", s->baseline_year);
        html_printf(b, "</th><td>Baseline</td><td class=\"num\">%s</td></tr>\n",
                    fmt_value(num, s->baseline, s->decimals, s->unit));
    }
    for (size_t k = 0; k < np; k++)
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>Measured</td><td class=\"num\">%s</td>"
                       "</tr>\n",
                    s->points[pt[k].idx].date, fmt_value(num, pt[k].v, s->decimals, s->unit));
    for (size_t k = 0; s->milestones && k < s->nmilestones; k++)
        html_printf(b, "<tr><th scope=\"row\">%s</th><td>Milestone</td><td class=\"num\">%s</td>"
                       "</tr>\n",
                    s->milestones[k].period,
                    fmt_value(num, s->milestones[k].value, s->decimals, s->unit));
    if (s->has_target && isfinite(s->target)) {
        html_lit(b, "<tr><th scope=\"row\">");
        if (s->target_year > 0) html_printf(b, "%d", s->target_year);
        html_printf(b, "</th><td>Target</td><td class=\"num\">%s</td></tr>\n",
                    fmt_value(num, s->target, s->decimals, s->unit));
    }
    html_lit(b, "</tbody>\n</table>\n");
    free(pt);
}

/* ---- risk heat map ------------------------------------------------------- */

/* Fill and text colour per level: lightness falls with the level (grey
 * 240, 233, 180, 102, 35), text contrast 14.4, 8.4, 5.7, 15.8 to 1. */
static const struct {
    const char *fill, *text, *letter, *name;
} level_style[] = {
    [RISK_NONE] = {"#f0f0f0", C_TEXT, "", "No level"},
    [RISK_LOW] = {"#dcefd5", C_TEXT, "L", "Low"},
    [RISK_MEDIUM] = {"#e6a92e", C_TEXT, "M", "Medium"},
    [RISK_HIGH] = {"#b93a0c", "#ffffff", "H", "High"},
    [RISK_CRITICAL] = {"#4a0808", "#ffffff", "C", "Critical"},
};

static int heat_count(const ChartHeatmap *s, int p, int i)
{
    int c = s->counts[p - 1][i - 1];
    return c > 0 ? c : 0;
}

static RiskLevel heat_level(const ChartHeatmap *s, int p, int i)
{
    int l = (int)rules_risk_level(s->matrix, p, i);
    return l >= (int)RISK_NONE && l <= (int)RISK_CRITICAL ? (RiskLevel)l : RISK_NONE;
}

void chart_heatmap(Buf *b, const ChartHeatmap *s)
{
    char id[ID_MAX];
    make_id(id, s->id);
    const char *xl = s->x_label ? s->x_label : "Impact";
    const char *yl = s->y_label ? s->y_label : "Probability";
    Buf gen = BUF_INIT;
    const char *desc = s->desc;
    if (!desc) {
        long total = 0;
        for (int p = 1; p <= 5; p++)
            for (int i = 1; i <= 5; i++) total += heat_count(s, p, i);
        buf_printf(&gen, "Risk heat map of %ld risk%s by %s and %s", total, total == 1 ? "" : "s",
                   yl, xl);
        const char *sep = ": ";
        for (int p = 5; p >= 1; p--)
            for (int i = 1; i <= 5; i++) {
                if (!heat_count(s, p, i)) continue;
                buf_printf(&gen, "%s%s %d, %s %d (%s): %d", sep, yl, p, xl, i,
                           rules_risk_level_key(heat_level(s, p, i)), heat_count(s, p, i));
                sep = "; ";
            }
        buf_puts(&gen, ".");
        desc = buf_str(&gen);
    }
    const double cw = 84, ch = 52, gx = 150;
    double top = title_bottom(s->title) + 12, bottom = top + 5 * ch;
    double h = bottom + 92;
    svg_open(b, id, h, s->title, desc);
    buf_free(&gen);
    for (int p = 5; p >= 1; p--) {
        double y = top + (5 - p) * ch;
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"" C_AXIS
                       "\">%d</text>\n",
                    gx - 10, y + ch / 2 + 4, p);
        for (int i = 1; i <= 5; i++) {
            double x = gx + (i - 1) * cw;
            RiskLevel l = heat_level(s, p, i);
            int c = heat_count(s, p, i);
            html_printf(b, "<g>\n<title>%s %d, %s %d: %s, %d risk%s</title>\n", yl, p, xl, i,
                        rules_risk_level_key(l), c, c == 1 ? "" : "s");
            html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>\n",
                        x, y, cw, ch, level_style[l].fill);
            html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>\n",
                        x + 6, y + 14, level_style[l].text, level_style[l].letter);
            if (c)
                html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                               "font-size=\"18\" font-weight=\"bold\" fill=\"%s\">%d</text>\n",
                            x + cw / 2, y + ch / 2 + 6, level_style[l].text, c);
            html_lit(b, "</g>\n");
        }
    }
    for (int i = 1; i <= 5; i++)
        html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_AXIS
                       "\">%d</text>\n",
                    gx + (i - 0.5) * cw, bottom + 18, i);
    html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_TEXT
                   "\">%s</text>\n",
                gx + 2.5 * cw, bottom + 38, xl);
    html_printf(b, "<text x=\"40\" y=\"%.1f\" transform=\"rotate(-90 40 %.1f)\" "
                   "text-anchor=\"middle\" fill=\"" C_TEXT "\">%s</text>\n",
                top + 2.5 * ch, top + 2.5 * ch, yl);
    /* legend */
    double ly = bottom + 58;
    for (int l = RISK_LOW; l <= RISK_CRITICAL; l++) {
        double x = gx + (l - RISK_LOW) * 105;
        html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"18\" fill=\"%s\" "
                       "stroke=\"" C_AXIS "\" stroke-width=\"0.5\"/>\n"
                       "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" "
                       "fill=\"%s\">%s</text>\n"
                       "<text x=\"%.1f\" y=\"%.1f\" fill=\"" C_TEXT "\">%s</text>\n",
                    x, ly, level_style[l].fill, x + 9, ly + 13, level_style[l].text,
                    level_style[l].letter, x + 24, ly + 13, level_style[l].name);
    }
    html_lit(b, "</svg>\n");
}

void chart_heatmap_table(Buf *b, const ChartHeatmap *s)
{
    char id[ID_MAX];
    make_id(id, s->id);
    const char *xl = s->x_label ? s->x_label : "Impact";
    const char *yl = s->y_label ? s->y_label : "Probability";
    table_open(b, id, s->title);
    html_printf(b, "<thead><tr><th scope=\"col\">%s \\ %s</th>", yl, xl);
    for (int i = 1; i <= 5; i++) html_printf(b, "<th scope=\"col\">%d</th>", i);
    html_lit(b, "</tr></thead>\n<tbody>\n");
    for (int p = 5; p >= 1; p--) {
        html_printf(b, "<tr><th scope=\"row\">%d</th>", p);
        for (int i = 1; i <= 5; i++) {
            const char *key = rules_risk_level_key(heat_level(s, p, i));
            html_printf(b, "<td class=\"risk-%s\">%d (%s)</td>", key, heat_count(s, p, i), key);
        }
        html_lit(b, "</tr>\n");
    }
    html_lit(b, "</tbody>\n</table>\n");
}
