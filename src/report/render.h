/* render.h - the report template engine that fills placeholders from the run's data files
 * (tsv.h). Nothing here exits on bad input: every entry point returns -1 and a one-line
 * reason, so the engine can be unit-tested and fuzzed. The placeholder syntax is documented
 * at the top of report/report.md and in render.c. */
#ifndef BN_RENDER_H
#define BN_RENDER_H

#include <stddef.h>
#include "tsv.h"

/* Where a template's values come from. */
typedef struct {
    /* The table called `name` (a plain file name), or NULL with the reason in err. */
    const bn_tsv *(*table)(void *ctx, const char *name, char *err, size_t errlen);
    void *ctx;
    /* Named values for {{NAME}} placeholders. */
    const char *const *names;
    const char *const *values;
    int nvalues;
    /* Wrap every filled value in <span class="v" title="QUERY" data-f="FORMAT" tabindex="0">
     * (class "v wrap" for a phrase or a token longer than 24 bytes, which may wrap), so a
     * reader (and the end-to-end test) can see where each number came from. */
    int annotate;
} bn_lookup;

/* Growable NUL-terminated text. */
typedef struct {
    char *s;
    size_t len, cap;
} bn_buf;

void bn_buf_append(bn_buf *b, const char *s, size_t n);
void bn_buf_puts(bn_buf *b, const char *s);
/* s as HTML text or a double-quoted attribute value: & < > " escaped. */
void bn_buf_put_html(bn_buf *b, const char *s);
void bn_buf_free(bn_buf *b);

/* Render the template tmpl (len bytes, need not be NUL-terminated) with values from lk,
 * appending Markdown to out. Returns 0, or -1 with "line N: {{placeholder}}: problem" in err;
 * out then holds partial text that the caller must not publish. */
int bn_render(const char *tmpl, size_t len, const bn_lookup *lk, bn_buf *out, char *err, size_t errlen);

/* A lookup callback over a fixed array of tables (ctx points at a bn_tsv_set). */
typedef struct {
    const bn_tsv *tabs;
    int n;
} bn_tsv_set;
const bn_tsv *bn_tsv_set_find(void *ctx, const char *name, char *err, size_t errlen);

#endif
