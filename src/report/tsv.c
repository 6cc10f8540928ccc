/* tsv.c - see tsv.h. */
#include "tsv.h"
#include "alloc.h"
#include "error.h"
#include "number.h"
#include "readfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bn_tsv_free(bn_tsv *t)
{
    free(t->cols);
    free(t->cells);
    free(t->text);
    memset(t, 0, sizeof *t);
}

int bn_tsv_col(const bn_tsv *t, const char *col)
{
    for (int j = 0; j < t->ncols; j++)
        if (!strcmp(t->cols[j], col)) return j;
    return -1;
}

int bn_tsv_parse(bn_tsv *t, const char *name, const char *buf, size_t len, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (strlen(name) >= sizeof t->name) return bn_errf(err, errlen, "file name too long");
    snprintf(t->name, sizeof t->name, "%s", name);
    if (len == 0) return bn_errf(err, errlen, "empty file: no header line");

    /* First pass: reject bytes no data file holds, count lines and header fields. */
    long lines = 0, line = 1;
    int hdr_fields = 1;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (ch == '\0') return bn_errf(err, errlen, "line %ld: NUL byte", line);
        if (ch == '\r') return bn_errf(err, errlen, "line %ld: carriage return (DOS line ending)", line);
        if (ch == '\t' && lines == 0) hdr_fields++;
        if (ch == '\n') {
            if (i == 0 || buf[i - 1] == '\n') return bn_errf(err, errlen, "line %ld: empty line", line);
            lines++;
            line++;
        }
    }
    if (buf[len - 1] != '\n') lines++;

    t->ncols = hdr_fields;
    t->nrows = lines - 1;
    t->text = bn_malloc(len + 1);
    memcpy(t->text, buf, len);
    t->text[len] = '\0';
    t->cols = bn_malloc(sizeof(char *) * (size_t)t->ncols);
    t->cells = bn_malloc(sizeof(char *) * (size_t)(t->nrows > 0 ? t->nrows : 1) * (size_t)t->ncols);

    /* Second pass: cut the copy into NUL-terminated cells. */
    char *p = t->text, *end = t->text + len;
    for (long r = -1; r < t->nrows; r++) {
        int f = 0;
        char *start = p;
        for (;;) {
            if (p == end || *p == '\n' || *p == '\t') {
                int last = (p == end || *p == '\n');
                if (f >= t->ncols) {
                    /* count the rest for the message */
                    int extra = f + 1;
                    for (char *q = p; q < end && *q != '\n'; q++) if (*q == '\t') extra++;
                    int rc = bn_errf(err, errlen, "line %ld: %d fields, the header has %d", r + 2, extra, t->ncols);
                    bn_tsv_free(t);
                    return rc;
                }
                if (p < end) *p = '\0';
                if (r < 0) t->cols[f] = start;
                else t->cells[r * t->ncols + f] = start;
                f++;
                if (p < end) p++;
                start = p;
                if (last) break;
            } else {
                p++;
            }
        }
        if (f != t->ncols) {
            int rc = bn_errf(err, errlen, "line %ld: %d fields, the header has %d", r + 2, f, t->ncols);
            bn_tsv_free(t);
            return rc;
        }
    }
    for (int j = 0; j < t->ncols; j++) {
        int rc = 0;
        if (!t->cols[j][0]) rc = bn_errf(err, errlen, "line 1: column %d has no name", j + 1);
        for (int k = 0; k < j && !rc; k++)
            if (!strcmp(t->cols[j], t->cols[k])) rc = bn_errf(err, errlen, "line 1: column '%s' appears twice", t->cols[j]);
        if (rc) {
            bn_tsv_free(t);
            return rc;
        }
    }
    return 0;
}

int bn_tsv_read(bn_tsv *t, const char *path, char *err, size_t errlen)
{
    size_t n;
    char e[512];
    memset(t, 0, sizeof *t);
    char *buf = bn_read_file(path, &n, err, errlen);
    if (!buf) return -1;
    int r = bn_tsv_parse(t, path, buf, n, e, sizeof e);
    free(buf);
    if (r) return bn_errf(err, errlen, "%s: %s", path, e);
    return 0;
}

const char *bn_tsv_cell(const bn_tsv *t, long row, int col)
{
    return t->cells[row * t->ncols + col];
}

int bn_tsv_num(const bn_tsv *t, long row, int col, double *v)
{
    return bn_parse_num(bn_tsv_cell(t, row, col), v) ? 0 : -1;
}
