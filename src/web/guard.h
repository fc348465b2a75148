/*
 * guard.h — what keeps slow or greedy clients from holding the server:
 * a total deadline for each request head and each request body, and a limit
 * on the requests one client has in progress (docs/security.md, "Slow and
 * greedy clients").
 *
 * libmicrohttpd's own timeout is an idle timeout: it restarts at every byte,
 * so a client that sends one header line every few seconds holds its
 * connection forever. Here every connection is registered when it opens
 * (guard_open) with the deadline of its first head; the server marks the
 * head complete (guard_head_done: the body's deadline starts), the answer
 * being made (guard_answering: no deadline, the idle timeout still holds a
 * slow reader) and the request done (guard_request_done: the next head's
 * deadline starts, so an idle keep-alive connection also ends at the head
 * deadline). guard_sweep(), called every 100 ms by the server's main
 * thread, shuts down (shutdown(2), never close(2): libmicrohttpd owns the
 * descriptor) every connection past its deadline; libmicrohttpd then sees
 * the end of the stream and closes it. guard_close() removes a connection
 * under the same lock before libmicrohttpd closes its descriptor, so a
 * sweep never touches a descriptor number that has been reused.
 *
 * Behind a TLS proxy every connection comes from the proxy's address, so a
 * limit of connections per address would lock everyone out at once; there
 * the server counts requests in progress (head received until the answer is
 * sent) per client address taken from X-Forwarded-For instead
 * (guard_client_enter/leave). Thread-safe.
 */
#ifndef ITSTRAT_GUARD_H
#define ITSTRAT_GUARD_H
#include <stddef.h>
#include <stdint.h>

typedef struct GuardConn GuardConn;

/* Sets the deadlines (milliseconds; 0: none) and the number of requests
 * one client may have in progress (0: no limit). Call before any other. */
void guard_configure(int64_t head_ms, int64_t body_ms, unsigned per_client);

/* Milliseconds of the monotonic clock. */
int64_t guard_now(void);

/* Registers the connection on descriptor fd, opened at now: its head is due
 * by now + head_ms. Returns the entry (freed by guard_close). */
GuardConn *guard_open(int fd, int64_t now);

/* The request head has arrived at now: the body is due by now + body_ms. */
void guard_head_done(GuardConn *g, int64_t now);

/* The whole request has arrived: no deadline while the answer is made and
 * sent. */
void guard_answering(GuardConn *g);

/* The answer has been sent at now: the next request's head (keep-alive) is
 * due by now + head_ms. */
void guard_request_done(GuardConn *g, int64_t now);

/* Unregisters g and frees it (g may be NULL). */
void guard_close(GuardConn *g);

/* Shuts down every registered connection whose deadline is before now
 * (once each), with a line on standard error. Returns how many. */
size_t guard_sweep(int64_t now);

/* Counts a request in progress for client (an address as text). Returns 0,
 * or -1 (nothing counted) when client has per_client in progress already. */
int guard_client_enter(const char *client);

/* Ends a request counted by guard_client_enter. */
void guard_client_leave(const char *client);

/* The requests client has in progress (for tests). */
unsigned guard_client_count(const char *client);

#endif
