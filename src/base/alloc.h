/* alloc.h - checked allocation: never returns NULL; on failure it names the caller's file and
 * line and exits. */
#ifndef BN_ALLOC_H
#define BN_ALLOC_H

#include <stddef.h>

void *bn_malloc_at(size_t n, const char *file, int line);
void *bn_calloc_at(size_t count, size_t size, const char *file, int line);
#define bn_malloc(n) bn_malloc_at((n), __FILE__, __LINE__)
#define bn_calloc(c, s) bn_calloc_at((c), (s), __FILE__, __LINE__)

#endif
