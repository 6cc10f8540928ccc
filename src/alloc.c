/* alloc.c - see alloc.h. */
#include "alloc.h"
#include "error.h"

#include <stdlib.h>

void *bn_malloc_at(size_t n, const char *file, int line)
{
    void *p = malloc(n ? n : 1);
    if (!p) bn_die(1, "out of memory allocating %zu bytes at %s:%d", n, file, line);
    return p;
}

void *bn_calloc_at(size_t count, size_t size, const char *file, int line)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) bn_die(1, "out of memory allocating %zu x %zu bytes at %s:%d", count, size, file, line);
    return p;
}
