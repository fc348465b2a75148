/*
 * chart.h — server-side SVG charts for the report and the web pages.
 *
 * No JavaScript, no fonts to load, no clock and no locale: the same spec
 * gives the same bytes. Each chart is an <svg role="img"> with <title> and
 * <desc> (aria-labelledby), a white background, presentation attributes
 * only (no <style>, which would leak into the page), and ids that start with
 * the spec's id so several charts can share a page. Every piece of text goes
 * through the html.h encoders, so hostile labels are shown, not run.
 *
 * Colours: text is dark on white or white on dark at WCAG AA contrast
 * (4.5:1 or more); series and levels differ in lightness and dash pattern,
 * and heat-map cells carry their level's letter, so charts read in
 * greyscale print. Each chart has a companion *_table function that writes
 * the same data as an accessible HTML <table> (caption, th scope).
 *
 * Numbers in labels use '.' for the decimal point and ',' between
 * thousands ("1,234.5"); axis ticks abbreviate large values (k, M, bn, tn).
 * A value that is NAN or infinite is "n/a". Nothing fails: output goes to
 * the Buf (allocation aborts, see mem.h).
 */
#ifndef ITSTRAT_CHART_H
#define ITSTRAT_CHART_H
#include <stddef.h>

#include "buf.h"

#define CHART_WIDTH 640 /* every chart is this wide; heights follow the data */

/* ---- horizontal bar chart ------------------------------------------------ */

typedef struct ChartBar {
    const char *label;  /* category; wrapped to two lines, full text in a tooltip */
    double value;       /* any sign; NAN: no bar, "n/a" */
    const char *colour; /* fill "#rgb" or "#rrggbb"; NULL or anything else: default */
} ChartBar;

typedef struct ChartBars {
    const char *id;             /* id prefix, unique in the page (letters, digits, - _) */
    const char *title;          /* shown on top, <title>, table caption */
    const char *desc;           /* <desc>; NULL: generated from the data */
    const char *category_label; /* over the labels, first table column; NULL: none / "Category" */
    const char *value_label;    /* under the value axis, value column; NULL: none / "Value" */
    const char *unit;           /* appended to value labels as given ("%", " days"); may be NULL */
    int decimals;               /* digits after the point in value labels (0-6) */
    const ChartBar *bars;       /* top to bottom */
    size_t nbars;
} ChartBars;

/* Appends a horizontal bar chart of spec: one 30-pixel row per bar, value
 * labels after each bar end, axis ticks at round numbers including zero,
 * vertical grid lines. No bars: a "No data" note. Allocates nothing that
 * outlives the call. */
void chart_bars(Buf *b, const ChartBars *spec);

/* Appends the data of spec as <table id="ID-table"> with a <caption>, a
 * header row of <th scope="col"> and one row per bar headed <th scope="row">. */
void chart_bars_table(Buf *b, const ChartBars *spec);

/* ---- indicator line chart ------------------------------------------------ */

typedef struct ChartPoint {
    const char *date; /* "YYYY", "YYYY-MM" or "YYYY-MM-DD"; a point with another date is left out */
    double value;     /* NAN: left out */
} ChartPoint;

typedef struct ChartMilestone {
    const char *period; /* "YYYY" or a biennium "YYYY-YY", drawn in its last year */
    double value;
} ChartMilestone;

typedef struct ChartLine {
    const char *id, *title, *desc; /* as in ChartBars */
    const char *x_label;           /* under the time axis; NULL: none */
    const char *y_label;           /* along the value axis; NULL: none */
    const char *unit;              /* appended to value labels; may be NULL */
    int decimals;                  /* digits after the point in value labels (0-6) */
    const ChartPoint *points;      /* measurements, any order (drawn by date) */
    size_t npoints;
    const ChartMilestone *milestones;
    size_t nmilestones;
    int has_baseline;  /* draw baseline as a dashed line */
    double baseline;
    int baseline_year; /* 0: unknown */
    int has_target;    /* draw target as a dash-dot line */
    double target;
    int target_year;   /* 0: unknown */
} ChartLine;

/* Appends a line chart of an indicator: time axis in years (a year's
 * points sit within it by date; "YYYY" in its middle), value axis with
 * round ticks (including zero when that costs little), the measurements as
 * a line with dots and value labels (all of them up to 12 points, else the
 * first, last, lowest and highest), milestones as hollow diamonds, baseline
 * and target as labelled horizontal lines. Handles one point, equal values
 * and negative values; with no measurement it draws what it has and the
 * note "No measurements yet". Allocates nothing that outlives the call. */
void chart_line(Buf *b, const ChartLine *spec);

/* Appends <table id="ID-table">: baseline, measurements by date, milestones
 * and target, one row each (columns: date or period, series, value). */
void chart_line_table(Buf *b, const ChartLine *spec);

/* ---- risk heat map ------------------------------------------------------- */

typedef struct ChartHeatmap {
    const char *id, *title, *desc; /* as in ChartBars */
    const char *x_label;           /* NULL: "Impact" */
    const char *y_label;           /* NULL: "Probability" */
    const char *matrix;            /* levels as for rules_risk_level(); NULL: the default */
    int counts[5][5];              /* risks at [probability - 1][impact - 1]; < 0 reads as 0 */
} ChartHeatmap;

/* Appends a 5 x 5 grid, probability 5 at the top, impact 1 on the left,
 * each cell coloured by its level (low, medium, high, critical; grey when
 * the matrix is malformed) with the level's letter and, when not zero, the
 * count; a legend under it. Allocates nothing that outlives the call. */
void chart_heatmap(Buf *b, const ChartHeatmap *spec);

/* Appends <table id="ID-table">: a row per probability (5 first), a column
 * per impact, each cell "count (level)". */
void chart_heatmap_table(Buf *b, const ChartHeatmap *spec);

#endif
