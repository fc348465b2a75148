/*
 * builtin.h — files compiled into the binary (schema, CSS, JS).
 *
 * cmake/mkbuiltin.cmake turns every .sql file under src/core and every file in
 * src/web/assets into an entry of builtin_files, sorted by name, with the
 * path relative to src/ ("core/schema.sql"). The data is NUL-terminated.
 */
#ifndef ITSTRAT_BUILTIN_H
#define ITSTRAT_BUILTIN_H
#include <stddef.h>

typedef struct Builtin {
    const char *name; /* path relative to src/, e.g. "core/schema.sql" */
    const char *data; /* contents, NUL-terminated */
    size_t size;      /* bytes, not counting the NUL */
} Builtin;

extern const Builtin builtin_files[]; /* ends with a {NULL} entry */

/* Returns the file called name, or NULL when there is none. */
const Builtin *builtin_find(const char *name);

#endif
