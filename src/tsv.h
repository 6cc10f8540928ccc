/* tsv.h - reading the run's tab-separated data files (one header line, then rows). */
#ifndef BN_TSV_H
#define BN_TSV_H

typedef struct {
    char path[1024];
    int ncols;
    long nrows;
    char **cols;      /* (ncols) header names */
    char **cells;     /* (nrows * ncols) field text, row-major */
    char *text;       /* the file's bytes, fields NUL-terminated in place */
} bn_tsv;

/* Parse TSV text (takes ownership of `text`, NUL-terminated, modified in place). Returns 0, or -1
 * with the problem in err: no header, empty column name, a row with the wrong number of fields. */
int bn_tsv_parse(bn_tsv *t, char *text, const char *name, char *err, int errlen);
/* Read and parse a file; -1 with "<path>: problem" in err. */
int bn_tsv_read(bn_tsv *t, const char *path, char *err, int errlen);
void bn_tsv_free(bn_tsv *t);
/* Index of a column by name, or -1. */
int bn_tsv_col(const bn_tsv *t, const char *name);
const char *bn_tsv_cell(const bn_tsv *t, long row, int col);
/* A cell as a double ("nan", "inf", "-inf" accepted); -1 if it is not a number. */
int bn_tsv_num(const bn_tsv *t, long row, int col, double *v);

#endif
