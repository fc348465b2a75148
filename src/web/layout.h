/*
 * layout.h — the frame of every HTML page: head (the compiled-in style
 * sheet, by a versioned URL), the site header with the strategy's
 * navigation, a skip link, and the footer. Pages write their content
 * between layout_begin() and layout_end().
 */
#ifndef ITSTRAT_LAYOUT_H
#define ITSTRAT_LAYOUT_H

#include "http.h"

/* Which navigation entry is current. */
typedef enum NavItem {
    NAV_NONE, NAV_HOME, NAV_STRATEGY, NAV_PORTFOLIO, NAV_INDICATORS, NAV_RISKS, NAV_SERVICES,
    NAV_EXPENDITURE, NAV_GOVERNANCE, NAV_REPORTS
} NavItem;

/* Opens the page: <title>TITLE · STRATEGY · itstrat</title>, header, nav
 * (when rq->strategy is set), and <main id="main"> with an <h1> of title. */
void layout_begin(Req *rq, Resp *rs, NavItem nav, const char *title);
void layout_end(Req *rq, Resp *rs);

/* Where the header's user area goes. Pages (and their cached copies) hold
 * this comment; layout_personalize() puts the signed-in person's area there
 * for each request, so a cached page never carries another person's name
 * or form token. Only layout.c writes it (html_lit), and escaped text can
 * never contain it. */
#define LAYOUT_USER_MARK "<!--itstrat:user-->"

/* Replaces LAYOUT_USER_MARK in an HTML response with rq's user area: "Sign
 * in", or the login, Records/Admin links and the sign-out button. */
void layout_personalize(Req *rq, Resp *rs);

/* The URL of the style sheet, with its content hash as version. */
const char *layout_css_url(void);

#endif
