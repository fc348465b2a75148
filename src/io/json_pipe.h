/*
 * json_pipe.h — the elements of a top-level array, parsed on a second core.
 *
 * Importing a large document spends as much time in jansson's parsing as in
 * SQLite. A JsonPipe runs json_iter_next() (json_scan.h) on a thread of its
 * own, a bounded queue ahead of the reader, so that parsing one element and
 * checking and storing the one before overlap. The reader sees exactly what
 * json_iter_next would give, in order, errors included. When no thread can
 * be started, the pipe reads in the caller's thread.
 */
#ifndef ITSTRAT_JSON_PIPE_H
#define ITSTRAT_JSON_PIPE_H
#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "json_scan.h"

typedef struct JsonPipe JsonPipe;

/* Starts reading the array value of mem. Returns NULL when the value is not
 * an array (as json_iter_begin). The caller ends it with json_pipe_stop(). */
JsonPipe *json_pipe_start(const JsonDoc *doc, const JsonMember *mem);

/* The next element: 1 with *out (caller gives it back with json_pipe_done), its first *line and
 * its *index; 0 at the end; -1 with err set on a syntax error (index is then
 * the element's that could not be read). */
int json_pipe_next(JsonPipe *p, json_t **out, long *line, size_t *index, Buf *err);

/* Hands back an element the caller is done with (instead of json_decref):
 * the reader thread frees it. */
void json_pipe_done(JsonPipe *p, json_t *e);

/* Stops the reader (also before the end), frees what it read ahead, and
 * frees p. */
void json_pipe_stop(JsonPipe *p);

#endif
