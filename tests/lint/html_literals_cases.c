/* html_literals_cases.c — cases for tests/lint/html_literals.py (never
 * compiled). Each line whose comment starts with BAD must be reported, and
 * no other: tests/cli/test_html_literals.sh runs the scanner on this file
 * under a path with /web/ in it (rule 2 applies to the page layers). */
#define SEP "&amp;"
#define PLAIN "no markup here"
#define CLASS_NUM " class=\"num\""

static const char *const labels[] = {"Budget", "Code & title", "a < b"};
static const char *const seps[] = {"&amp;", "x"}; // BAD: an entity as a value

static void cases(Buf *b, int num, const char *x)
{
    const char *sep = "";
    html_printf(b, "<th scope=\"col\"%s>", num ? " class=\"num\"" : ""); // BAD
    html_printf(b, "<a href=\"/x?a=1%syear=%d\">", SEP, 2022); // BAD: a macro with an entity
    html_printf(b, "<p%s>", CLASS_NUM); // BAD: a macro with an attribute
    sep = "&amp;"; // BAD: can only reach an escaping %s
    if (num) html_printf(b, "kind=%s", x), sep = "&amp;"; // BAD
    html_text(b, "R&amp;D"); // BAD: html_text escapes it again
    html_attr(b, num ? "<b>" : "c"); // BAD
    http_error(rq, rs, 404, "No page %s here.", "<code>x</code>"); // BAD
    form_problem(rq, &p, "name", "%s", "Use &lt;b&gt;"); // BAD
    form_field(b, FORM_TEXT, "name", "Name <em>x</em>", NULL, NULL, 0, NULL, "off"); // BAD
    html_printf(b, "%s", num ? html_escape_twice("&amp;") : ""); // BAD: lands in %s still
    /* Fine: markup in the format, in html_lit, given to other functions. */
    html_printf(b, "<th scope=\"col\" class=\"num\">%s</th>", labels[0]);
    html_lit(b, "&amp;year=");
    if (num) html_lit(b, " class=\"num\"");
    html_printf(b, "%s", PLAIN);
    html_printf(b, "%s and %s", "Code & title", "a < b"); /* text: escaped once, right */
    const char *open = strstr(x, "<style>");
    buf_puts(b, num ? "&#9;" : "&#32;"); /* a raw writer (an encoder's own business) */
    rs->disposition = "attachment; filename=\"audit.csv\"";
    html_printf(b, "<a href=\"/s/%s\">%s</a>", x, "Overview");
    (void)open, (void)sep;
}
