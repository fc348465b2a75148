/* json_pipe.c — see json_pipe.h. One producer thread, one consumer, a ring
 * of parsed elements under one mutex. */
#include "json_pipe.h"

#include <pthread.h>
#include <stdlib.h>

#include "mem.h"

#define PIPE_SLOTS 128

typedef struct Slot {
    json_t *e;
    long line;
    size_t index;
} Slot;

struct JsonPipe {
    JsonIter it;
    pthread_t thread;
    int threaded;          /* a reader thread runs */
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_get;
    Slot ring[PIPE_SLOTS];
    size_t head, count;    /* next slot to take; slots filled */
    int done;              /* the reader has finished: rc below */
    int rc;                /* 0 end, -1 syntax error (message in err) */
    size_t err_index;      /* index of the element that failed */
    Buf err;
    int stop;              /* the consumer wants no more */
    json_t *used[PIPE_SLOTS]; /* elements the consumer is done with: freed by */
    size_t nused;             /* the reader, off the consumer's critical path */
};

/* Frees the elements handed back (called without the lock held). */
static void pipe_free_used(json_t **a, size_t n)
{
    for (size_t k = 0; k < n; k++) json_decref(a[k]);
}

static void *pipe_reader(void *arg)
{
    JsonPipe *p = arg;
    json_t *used[PIPE_SLOTS];
    for (;;) {
        size_t nused;
        pthread_mutex_lock(&p->mu);
        nused = p->nused;
        for (size_t k = 0; k < nused; k++) used[k] = p->used[k];
        p->nused = 0;
        pthread_mutex_unlock(&p->mu);
        pipe_free_used(used, nused);
        json_t *e;
        long line;
        Buf err = BUF_INIT;
        size_t index = p->it.index;
        int rc = json_iter_next(&p->it, &e, &line, &err);
        pthread_mutex_lock(&p->mu);
        if (rc != 1) {
            p->done = 1;
            p->rc = rc;
            p->err_index = index;
            p->err = err;
            pthread_cond_signal(&p->can_get);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        while (p->count == PIPE_SLOTS && !p->stop) pthread_cond_wait(&p->can_put, &p->mu);
        if (p->stop) {
            pthread_mutex_unlock(&p->mu);
            json_decref(e);
            buf_free(&err);
            return NULL;
        }
        p->ring[(p->head + p->count) % PIPE_SLOTS] = (Slot){e, line, index};
        p->count++;
        pthread_cond_signal(&p->can_get);
        pthread_mutex_unlock(&p->mu);
        buf_free(&err);
    }
}

JsonPipe *json_pipe_start(const JsonDoc *doc, const JsonMember *mem)
{
    JsonPipe *p = xcalloc(1, sizeof *p);
    if (json_iter_begin(&p->it, doc, mem)) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->can_put, NULL);
    pthread_cond_init(&p->can_get, NULL);
    p->threaded = pthread_create(&p->thread, NULL, pipe_reader, p) == 0;
    return p;
}

void json_pipe_done(JsonPipe *p, json_t *e)
{
    if (!p->threaded || !e) {
        json_decref(e);
        return;
    }
    pthread_mutex_lock(&p->mu);
    int full = p->nused == PIPE_SLOTS || p->done;
    if (!full) p->used[p->nused++] = e;
    pthread_mutex_unlock(&p->mu);
    if (full) json_decref(e);
}

int json_pipe_next(JsonPipe *p, json_t **out, long *line, size_t *index, Buf *err)
{
    if (!p->threaded) {
        *index = p->it.index;
        return json_iter_next(&p->it, out, line, err);
    }
    pthread_mutex_lock(&p->mu);
    while (p->count == 0 && !p->done) pthread_cond_wait(&p->can_get, &p->mu);
    int rc;
    if (p->count) {
        Slot s = p->ring[p->head];
        p->head = (p->head + 1) % PIPE_SLOTS;
        p->count--;
        *out = s.e;
        *line = s.line;
        *index = s.index;
        rc = 1;
        pthread_cond_signal(&p->can_put);
    } else {
        rc = p->rc;
        *index = p->err_index;
        if (rc < 0) buf_append(err, p->err.a, p->err.n);
    }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void json_pipe_stop(JsonPipe *p)
{
    if (!p) return;
    if (p->threaded) {
        pthread_mutex_lock(&p->mu);
        p->stop = 1;
        pthread_cond_signal(&p->can_put);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        for (size_t k = 0; k < p->count; k++) json_decref(p->ring[(p->head + k) % PIPE_SLOTS].e);
        pipe_free_used(p->used, p->nused);
        buf_free(&p->err);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->can_put);
    pthread_cond_destroy(&p->can_get);
    free(p);
}
