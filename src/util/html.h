/*
 * html.h — the HTML encoders: escaping by construction.
 *
 * Every byte of a page passes through one of these functions. Markup comes
 * only from string literals (html_lit, the format of html_printf); every
 * other piece of text is encoded for the place it lands:
 *
 *   html_text       element content          & < > " ' become references
 *   html_attr       a quoted attribute value  as html_text, and tab/newline
 *                                             become &#9; / &#10;
 *   html_url_param  a query value in an href  percent-encoded (then safe HTML)
 *   html_printf     markup with values        %s as html_text, numbers as is
 *
 * Text is cleaned the same way everywhere: invalid UTF-8 (and the
 * noncharacters U+FFFE, U+FFFF, ...) become U+FFFD, control characters
 * other than tab and newline (C0, DEL, C1) are dropped. The output is also
 * well-formed XML, so these encoders serve SVG too.
 *
 * There is deliberately no raw formatter here: a value that is markup must
 * be built from literals. Output never fails (allocation aborts, see mem.h).
 */
#ifndef ITSTRAT_HTML_H
#define ITSTRAT_HTML_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Appends the string literal LIT as raw markup. Only a literal compiles:
 * html_lit(b, "<p>") works, html_lit(b, user_text) is a syntax error. */
#define html_lit(b, LIT) buf_append((b), "" LIT, sizeof("" LIT) - 1)

/* Appends the literal format FMT with its conversions filled in, like
 * printf. FMT must be a string literal (the "" prefix enforces it) and is
 * copied as raw markup; each %s argument goes through html_text, %c too.
 * Numeric conversions (d i u o x X e E f F g G a A p, with flags, width,
 * precision and the length modifiers hh h l ll j z t L) keep their printf
 * meaning, except that the decimal point is always '.' whatever the locale
 * and the ' (grouping) flag is ignored, so output is byte-for-byte stable.
 * For %s, precision and width count characters (code points), not bytes;
 * a NULL %s prints nothing. %% prints '%'.
 * Can fail: %n, %ls, %lc or an unknown conversion abort (a programming
 * error; the compiler's format check rejects most of them first). */
#define html_printf(b, ...) html_printf_((b), "" __VA_ARGS__)
void html_printf_(Buf *b, const char *fmt, ...) BUF_FORMAT(2, 3);

/* Appends s as element content: & < > " ' become &amp; &lt; &gt; &quot;
 * &#39;, text cleaned as above. s may be NULL (nothing appended). */
void html_text(Buf *b, const char *s);

/* As html_text for the first n bytes of s (s need not be NUL-terminated
 * there; a UTF-8 sequence cut at n becomes U+FFFD). */
void html_text_n(Buf *b, const char *s, size_t n);

/* Appends s for use inside a quoted attribute value (the caller writes the
 * quotes in its literal): as html_text, and tab and newline become &#9; and
 * &#10; so that the value survives attribute normalisation. NULL: nothing. */
void html_attr(Buf *b, const char *s);

/* Appends s as one URL query-string value (or path segment) inside an
 * attribute: the cleaned text as UTF-8, every byte other than A-Z a-z 0-9
 * - . _ ~ percent-encoded (%20 for space), so & = ? # / + cannot split the
 * query; the result needs no further HTML escaping. NULL: nothing. */
void html_url_param(Buf *b, const char *s);

/* The character decoder every encoder (HTML, SVG, Markdown) shares. Reads
 * one character from s, of which n >= 1 bytes may be read, and returns how
 * many bytes it took (1 to 4). *cp receives the code point; U+FFFD for an
 * invalid or truncated sequence (its longest valid prefix is consumed, as
 * browsers do) or a noncharacter; HTML_CP_DROP for a control character
 * other than tab and newline. Allocates nothing, cannot fail. */
#define HTML_CP_DROP 0xFFFFFFFFu
size_t html_next_char(const char *s, size_t n, uint32_t *cp);

#endif
