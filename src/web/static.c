/*
 * static.c — /static/{file}: the compiled-in assets (src/web/assets/), with
 * an ETag of their content; a URL carrying ?v=VERSION is cached for a year.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "pages.h"

static const struct {
    const char *name, *type;
} asset_types[] = {
    {"site.css", "text/css; charset=utf-8"},
    {"favicon.svg", "image/svg+xml"},
};

int static_asset(Req *rq, Resp *rs)
{
    const char *name = rq->args[0], *type = NULL;
    for (size_t k = 0; k < sizeof asset_types / sizeof *asset_types; k++)
        if (strcmp(asset_types[k].name, name) == 0) type = asset_types[k].type;
    char path[96];
    snprintf(path, sizeof path, "web/assets/%s", name);
    const Builtin *f = type ? builtin_find(path) : NULL;
    if (!f) return http_error(rq, rs, 404, "There is no file \"%.60s\" here.", name);
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)f->data, f->size, NULL, 0);
    char *etag = arena_alloc(&rq->arena, 40);
    snprintf(etag, 40, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2], h[3], h[4], h[5],
             h[6], h[7]);
    rs->etag = etag;
    rs->content_type = type;
    rs->cache_control = query_get(&rq->query, "v") ? "public, max-age=31536000, immutable"
                                                   : "public, max-age=3600";
    buf_append(&rs->body, f->data, f->size);
    return 0;
}
