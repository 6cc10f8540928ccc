/* tsv.c - see tsv.h. */
#define _POSIX_C_SOURCE 200809L
#include "tsv.h"
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int count_fields(const char *line, const char *end)
{
    int n = 1;
    for (const char *p = line; p < end; p++) n += *p == '\t';
    return n;
}

int bn_tsv_parse(bn_tsv *t, char *text, const char *name, char *err, int errlen)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", name);
    t->text = text;
    char *nl = strchr(text, '\n');
    char *hend = nl ? nl : text + strlen(text);
    if (hend == text) { snprintf(err, errlen, "no header line"); return -1; }
    t->ncols = count_fields(text, hend);
    long rows = 0;
    for (char *p = nl; p && p[1]; p = strchr(p + 1, '\n')) rows++;
    t->cols = bn_malloc(sizeof(char *) * (size_t)t->ncols);
    t->cells = bn_malloc(sizeof(char *) * (size_t)(rows ? rows : 1) * (size_t)t->ncols);
    char *p = text;
    for (long r = -1; r < rows; r++) {
        char *end = strchr(p, '\n');
        if (!end) end = p + strlen(p);
        if (end > p && end[-1] == '\r') end[-1] = '\0';
        int n = count_fields(p, end);
        if (n != t->ncols) {
            snprintf(err, errlen, "line %ld has %d fields, the header has %d", r + 2, n, t->ncols);
            return -1;
        }
        char **dst = r < 0 ? t->cols : t->cells + r * t->ncols;
        int had_nl = *end == '\n';
        *end = '\0';
        for (int c = 0; c < n; c++) {
            dst[c] = p;
            char *tab = strchr(p, '\t');
            if (tab) { *tab = '\0'; p = tab + 1; }
        }
        if (r < 0)
            for (int c = 0; c < n; c++)
                if (!*t->cols[c]) { snprintf(err, errlen, "header column %d has no name", c + 1); return -1; }
        p = had_nl ? end + 1 : end;
    }
    t->nrows = rows;
    return 0;
}

int bn_tsv_read(bn_tsv *t, const char *path, char *err, int errlen)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) { snprintf(err, errlen, "%s: %s", path, strerror(errno)); return -1; }
    size_t cap = 1 << 16, n = 0;
    char *buf = bn_malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); fclose(f); snprintf(err, errlen, "%s: out of memory", path); return -1; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); snprintf(err, errlen, "%s: read error", path); return -1; }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) { free(buf); snprintf(err, errlen, "%s: not a text file (NUL byte)", path); return -1; }
    char e[512];
    if (bn_tsv_parse(t, buf, path, e, sizeof e)) {
        snprintf(err, errlen, "%s: %s", path, e);
        bn_tsv_free(t);
        return -1;
    }
    return 0;
}

void bn_tsv_free(bn_tsv *t)
{
    free(t->cols);
    free(t->cells);
    free(t->text);
    t->cols = t->cells = NULL;
    t->text = NULL;
}

int bn_tsv_col(const bn_tsv *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++) if (!strcmp(t->cols[c], name)) return c;
    return -1;
}

const char *bn_tsv_cell(const bn_tsv *t, long row, int col)
{
    return t->cells[row * t->ncols + col];
}

int bn_tsv_num(const bn_tsv *t, long row, int col, double *v)
{
    const char *s = bn_tsv_cell(t, row, col);
    char *end;
    if (!*s) return -1;
    errno = 0;
    *v = strtod(s, &end);
    return *end ? -1 : 0;
}
