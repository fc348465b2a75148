/* http_head.c — the framing checks on a request head (http_head.h). */
#include "http_head.h"

#include <string.h>
#include <strings.h>

/* Whether c may appear in a token (RFC 9110 5.6.2: method, header name). */
static int http_head_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int http_head_token(const char *s)
{
    if (!s || !*s) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!http_head_tchar(*p)) return 0;
    return 1;
}

static int http_head_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Appends s to why for a person: at most 40 bytes, unprintable ones as '?'. */
static void http_head_quote(Buf *why, const char *s)
{
    buf_putc(why, '"');
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && k < 40; p++, k++)
        buf_putc(why, *p >= 0x20 && *p < 0x7f ? (char)*p : '?');
    if (strlen(s) > 40) buf_puts(why, "...");
    buf_putc(why, '"');
}

/* The length of v without the spaces and tabs at its ends; *start skips the
 * leading ones (libmicrohttpd skips them already, a caller may not). */
static size_t http_head_trim(const char *v, const char **start)
{
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    *start = v;
    return n;
}

/* Checks the request target: origin-form, visible ASCII or bytes of 0x80
 * and over (the query parser checks their UTF-8); in the path well-formed
 * percent-encoding and no encoded NUL (the query parser checks the query's
 * and names the parameter). */
static int http_head_target(const char *uri, size_t uri_len, Buf *why)
{
    if (uri && uri_len && strlen(uri) != uri_len) {
        buf_printf(why, "The request target holds a NUL byte at byte %zu.", strlen(uri) + 1);
        return 400;
    }
    if (!uri || uri[0] != '/') {
        buf_puts(why, "The request target must be a path that starts with \"/\".");
        return 400;
    }
    int query = 0;
    for (const unsigned char *p = (const unsigned char *)uri; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            buf_printf(why, "The request target holds a %s at byte %zu; encode it as %%%02X.",
                       *p == ' ' ? "space" : "control character", (size_t)(p - (const unsigned char *)uri) + 1,
                       *p);
            return 400;
        }
        if (*p == '?') query = 1;
        if (*p != '%' || query) continue;
        if (!http_head_hex(p[1]) || !http_head_hex(p[2])) {
            buf_printf(why, "The path has a \"%%\" at byte %zu that is not followed by "
                            "two hex digits.", (size_t)(p - (const unsigned char *)uri) + 1);
            return 400;
        }
        if (p[1] == '0' && p[2] == '0') {
            buf_printf(why, "The path holds an encoded NUL byte (%%00) at byte %zu.",
                       (size_t)(p - (const unsigned char *)uri) + 1);
            return 400;
        }
        p += 2;
    }
    return 0;
}

/* Whether the Host value v (n bytes) holds only what a host name, an
 * address in brackets and a port may hold (RFC 3986 uri-host [":" port]). */
static int http_head_host_ok(const char *v, size_t n)
{
    if (n == 0) return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)v[k];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("-._~!$&'()*+,;=%:[]", c)))
            return 0;
    }
    return 1;
}

int http_head_check(const HttpHead *h, Buf *why)
{
    if (!http_head_token(h->method)) {
        buf_puts(why, "The request method is not a word of letters.");
        return 400;
    }
    int st = http_head_target(h->uri, h->uri_len, why);
    if (st) return st;
    int http10 = h->version && strcmp(h->version, "HTTP/1.0") == 0;
    size_t nhost = 0, nlength = 0, ncoding = 0;
    const char *host = NULL, *length = NULL, *coding = NULL;
    for (size_t k = 0; k < h->nheaders; k++) {
        const char *name = h->headers[k].name ? h->headers[k].name : "";
        const char *value = h->headers[k].value ? h->headers[k].value : "";
        if (!http_head_token(name)) {
            buf_printf(why, "Header line %zu: the name ", k + 1);
            http_head_quote(why, name);
            buf_puts(why, *name ? " holds a character a header name cannot (a space before the "
                                  "colon?)." : " is empty.");
            return 400;
        }
        for (const unsigned char *p = (const unsigned char *)value; *p; p++)
            if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
                buf_printf(why, "Header line %zu (%.40s): the value holds a control character "
                                "(0x%02X).", k + 1, name, *p);
                return 400;
            }
        if (strcasecmp(name, "Host") == 0) nhost++, host = value;
        else if (strcasecmp(name, "Content-Length") == 0) nlength++, length = value;
        else if (strcasecmp(name, "Transfer-Encoding") == 0) ncoding++, coding = value;
    }
    if (nhost > 1) {
        buf_printf(why, "The request has %zu Host headers; it must have one.", nhost);
        return 400;
    }
    if (nhost == 0 && !http10) {
        buf_puts(why, "An HTTP/1.1 request must have a Host header.");
        return 400;
    }
    if (host) {
        const char *v;
        size_t n = http_head_trim(host, &v);
        if (!http_head_host_ok(v, n)) {
            buf_puts(why, "The Host header is not a host name or address (with a port).");
            return 400;
        }
    }
    if (nlength > 1) {
        buf_printf(why, "The request has %zu Content-Length headers; it may have one.", nlength);
        return 400;
    }
    if (ncoding > 1) {
        buf_printf(why, "The request has %zu Transfer-Encoding headers; it may have one.", ncoding);
        return 400;
    }
    if (coding && length) {
        buf_puts(why, "The request has both Content-Length and Transfer-Encoding; it may have "
                      "one of them.");
        return 400;
    }
    if (coding) {
        const char *v;
        size_t n = http_head_trim(coding, &v);
        if (http10) {
            buf_puts(why, "An HTTP/1.0 request cannot use Transfer-Encoding.");
            return 400;
        }
        if (n != 7 || strncasecmp(v, "chunked", 7) != 0) {
            buf_puts(why, "The only Transfer-Encoding taken is \"chunked\".");
            return 400;
        }
    }
    if (length) {
        const char *v;
        size_t n = http_head_trim(length, &v);
        if (n == 0 || n > 19 || strspn(v, "0123456789") < n) {
            buf_puts(why, "The Content-Length is not a number of bytes (1 to 19 digits).");
            return 400;
        }
        uint64_t bytes = 0;
        for (size_t k = 0; k < n; k++) bytes = bytes * 10 + (uint64_t)(v[k] - '0');
        if (bytes > h->max_body) {
            buf_printf(why, "The request body would be %llu bytes; at most %llu are taken.",
                       (unsigned long long)bytes, (unsigned long long)h->max_body);
            return 413;
        }
    }
    return 0;
}
