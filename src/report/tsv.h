/* tsv.h - the run's tab-separated data files: one header line of column names, then rows of as
 * many cells. Parsing never exits on bad input (it is fuzzed through the template engine). */
#ifndef BN_TSV_H
#define BN_TSV_H

#include <stddef.h>

/* A parsed TSV file: a header of column names, then rows of the same number of cells. */
typedef struct {
    char name[1024];     /* the name it is known by: templates use the file name, e.g. "exp6_sweep.tsv" */
    int ncols;
    long nrows;
    char **cols;         /* (ncols) column names */
    char **cells;        /* (nrows * ncols) row-major cell texts */
    char *text;          /* one allocation holding every string */
} bn_tsv;

/* Parse a whole file from memory. On error returns -1 and writes "line N: problem" into err. */
int bn_tsv_parse(bn_tsv *t, const char *name, const char *buf, size_t len, char *err, size_t errlen);
void bn_tsv_free(bn_tsv *t);
/* Index of column `col`, or -1. */
int bn_tsv_col(const bn_tsv *t, const char *col);

/* Read and parse a whole file, known by its path; -1 with "<path>: problem" in err. */
int bn_tsv_read(bn_tsv *t, const char *path, char *err, size_t errlen);
const char *bn_tsv_cell(const bn_tsv *t, long row, int col);
/* A cell as a double, read by bn_parse_num (number.h); -1 if it is not a number. */
int bn_tsv_num(const bn_tsv *t, long row, int col, double *v);

#endif
