/* builtin.c — see builtin.h. */
#include "builtin.h"

#include <string.h>

const Builtin *builtin_find(const char *name)
{
    for (const Builtin *f = builtin_files; f->name; f++)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}
