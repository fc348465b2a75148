/*
 * cache.h — pieces of pages and API answers kept between requests, valid
 * while the database is unchanged.
 *
 * Aggregates over a 100,000-project portfolio (counts for figures, the
 * dashboard's cards) cost tens of milliseconds; the data changes rarely.
 * Every request first calls cache_observe(), which reads SQLite's
 * data_version on the request's connection: when another process (an
 * import, an edit) has committed since, the generation advances and every
 * entry made before is dead. Entries are keyed by text the caller builds
 * from everything the piece depends on (strategy id, normalised filter).
 * Thread-safe; at most CACHE_MAX_BYTES held; an entry over 1 MiB is not
 * kept.
 */
#ifndef ITSTRAT_CACHE_H
#define ITSTRAT_CACHE_H
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "db.h"

#define CACHE_MAX_BYTES ((size_t)32 << 20)

/* Notes whether db has seen a commit from elsewhere since its last call. */
void cache_observe(Db *db);

/* Appends the entry of key to out and returns 1; 0 when there is none. */
int cache_get(const char *key, Buf *out);

/* Like cache_get, but one thread computes a missing entry while the others
 * asking for it wait (after a change, sixteen workers would otherwise
 * compute the same portfolio counts at once): on a miss, when no other
 * thread is computing key, this thread becomes its filler and gets 0; it
 * then calls cache_put(key) (or the fill ends with its request, see
 * cache_fill_release). When another thread is filling key, waits for its
 * cache_put (at most 10 s) and returns 1 with the entry, or 0 when the fill
 * ended without one (then computes it too). A thread that is filling some
 * entry never waits for another's, so two fills cannot wait on each other. */
int cache_get_fill(const char *key, Buf *out);

/* Ends the fills this thread took and did not put (an error, a 404): the
 * server calls it after every request. */
void cache_fill_release(void);

/* How many times a thread waited for another's fill (tests, benches). */
uint64_t cache_fill_waits(void);

/* Keeps data[0..n) under key (a copy); ends this thread's fill of key. */
void cache_put(const char *key, const char *data, size_t n);

/* The generation of the data: it advances whenever a commit is observed
 * (cache_observe) or made (cache_changed). Larger caches that keep their
 * own entries (heavy.c) tag them with it. */
uint64_t cache_generation(void);

/* Says that this thread's connection committed a change (its own commits
 * do not move its data_version): every entry made before is dead. */
void cache_changed(void);

/* Drops everything (tests, shutdown). */
void cache_clear(void);

#endif
