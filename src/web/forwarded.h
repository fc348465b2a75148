/*
 * forwarded.h — the client's address behind a TLS proxy: the right-most
 * entry of X-Forwarded-For (the one our proxy appended; the ones left of it
 * come from the client and prove nothing), checked to be an IP address.
 */
#ifndef ITSTRAT_FORWARDED_H
#define ITSTRAT_FORWARDED_H

#include <stddef.h>

#define FORWARDED_ADDRESS_SIZE 46 /* INET6_ADDRSTRLEN: the longest address text + NUL */
#define FORWARDED_MAX_ENTRY 64    /* bytes of the right-most entry looked at */

/* Reads the right-most comma-separated entry of an X-Forwarded-For value
 * (surrounding spaces and tabs ignored): an IPv4 address ("192.0.2.7",
 * optionally with ":PORT"), or an IPv6 address ("2001:db8::7", or in
 * brackets with an optional port, "[2001:db8::7]:443"). Writes it to out in
 * the one canonical text inet_ntop gives (lower case, "::" shortened; an
 * IPv4-mapped IPv6 address as plain IPv4), so that one client is one
 * address for the lock-outs. Returns 0; or -1 when the entry is empty,
 * longer than FORWARDED_MAX_ENTRY or not an address (a name, "unknown", a
 * zone index, garbage), with out set to "". value may be NULL (-1).
 * Allocates nothing. */
int forwarded_client(const char *value, char out[FORWARDED_ADDRESS_SIZE]);

#endif
