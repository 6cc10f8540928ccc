/* excerpt.h - a function's source, found by name with Universal Ctags and highlighted with GNU
 * source-highlight, as an HTML block for the report: never a copy kept in the template. */
#ifndef BN_EXCERPT_H
#define BN_EXCERPT_H

#include <stddef.h>
#include "render.h"

/* Append to out a <details class="code-excerpt"> block with the function `name` defined in one
 * of srcdir's *.c files (with the comment right above it), highlighted, and a file:line link
 * to link_base/FILE#LN (link_base: a relative path to the repository or a blob URL). Returns 0,
 * or -1 with a one-line reason naming the function in err (not found, found twice, tool failed). */
int bn_excerpt(const char *srcdir, const char *name, const char *link_base, bn_buf *out, char *err, size_t errlen);

/* The template lines that ask for an excerpt: a line that is exactly {{code(NAME)}}. */
int bn_excerpt_line(const char *line, size_t len, char *name, size_t namelen);

#endif
