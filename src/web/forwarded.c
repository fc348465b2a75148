/* forwarded.c — the right-most X-Forwarded-For address (forwarded.h). */
#include "forwarded.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

int forwarded_client(const char *value, char out[FORWARDED_ADDRESS_SIZE])
{
    out[0] = 0;
    if (!value) return -1;
    const char *start = strrchr(value, ',');
    start = start ? start + 1 : value;
    const char *end = start + strlen(start);
    while (*start == ' ' || *start == '\t') start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) end--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n > FORWARDED_MAX_ENTRY) return -1;
    char text[FORWARDED_MAX_ENTRY + 1];
    memcpy(text, start, n);
    text[n] = 0;
    char *addr = text;
    const char *port = NULL;
    if (text[0] == '[') {
        /* [IPv6] or [IPv6]:PORT */
        char *close = strchr(text, ']');
        if (!close) return -1;
        *close = 0;
        addr = text + 1;
        if (close[1] == ':') port = close + 2;
        else if (close[1]) return -1;
    } else {
        char *colon = strchr(text, ':');
        if (colon && !strchr(colon + 1, ':')) {
            /* exactly one colon: IPv4:PORT */
            *colon = 0;
            port = colon + 1;
        }
    }
    if (port) {
        size_t digits = strspn(port, "0123456789");
        if (digits == 0 || digits > 5 || port[digits]) return -1;
    }
    unsigned char bin[sizeof(struct in6_addr)];
    int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(family, addr, bin) != 1) return -1;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (family == AF_INET6 && memcmp(bin, mapped, sizeof mapped) == 0) {
        /* ::ffff:a.b.c.d is the IPv4 client a.b.c.d */
        memmove(bin, bin + 12, 4);
        family = AF_INET;
    }
    if (!inet_ntop(family, bin, out, FORWARDED_ADDRESS_SIZE)) {
        out[0] = 0;
        return -1;
    }
    return 0;
}
