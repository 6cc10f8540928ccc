/* alloc.c - see alloc.h. */
#include "alloc.h"
#include "error.h"
#include "guard.h"

#include <stdint.h>
#include <stdlib.h>

void *bn_malloc_at(size_t n, const char *file, int line)
{
    /* a large request is checked against the machine first: a failed one may never return */
    if (n >= BN_MEM_CHECK_MIN) bn_mem_check_at(n, file, line);
    void *p = malloc(n ? n : 1);
    if (!p) bn_die(1, "out of memory allocating %zu bytes at %s:%d", n, file, line);
    return p;
}

void *bn_calloc_at(size_t count, size_t size, const char *file, int line)
{
    if (size && count >= BN_MEM_CHECK_MIN / size && count <= SIZE_MAX / size) bn_mem_check_at(count * size, file, line);
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) bn_die(1, "out of memory allocating %zu x %zu bytes at %s:%d", count, size, file, line);
    return p;
}
