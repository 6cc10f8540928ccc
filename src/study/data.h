/* data.h - CIFAR-10 binary batches, Fashion-MNIST IDX files, and the assignment's preprocessing. */
#ifndef BN_DATA_H
#define BN_DATA_H

#include <stddef.h>
#include <stdint.h>

#define BN_CIFAR_DIM 3072                    /* 3 x 32 x 32, R, G, B planes */
#define BN_CIFAR_RECORD (1 + BN_CIFAR_DIM)   /* label byte + pixels */

/* Labelled images as bytes: px (n, dim), labels (n). */
typedef struct {
    long n;
    int dim;
    uint8_t *px;
    uint8_t *labels;
} bn_records;

void bn_records_free(bn_records *r);

/* Parse CIFAR-10 records from memory (a whole file). On error returns -1 and writes the
 * problem (without the file name) into err. */
int bn_cifar_parse(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen);
/* Read a CIFAR-10 batch file; -1 with "<path>: <problem>" in err on failure. */
int bn_cifar_read(bn_records *out, const char *path, char *err, size_t errlen);

/* Parse an IDX pair from memory (already decompressed): images (magic 0x803, n x rows x cols)
 * and labels (magic 0x801, n). -1 with the problem in err on failure. */
int bn_idx_parse_images(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen);
int bn_idx_parse_labels(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen);
/* Read a gzipped (or plain) IDX image file and its label file into one set of records. */
int bn_idx_read(bn_records *out, const char *images_path, const char *labels_path, char *err, size_t errlen);

typedef enum { BN_DS_CIFAR10 = 0, BN_DS_FASHION_MNIST = 1 } bn_ds_kind;

/* The three splits, as bytes, and the mean training image. */
typedef struct {
    bn_ds_kind kind;
    char dir[4096];
    int dim, classes;
    long train_records;        /* the training split's size, of which train holds the first train.n */
    bn_records train, val, test;
    double *mean;              /* (dim) mean of all train_records training records' pixels */
} bn_dataset;

/* Load dir as `kind`: training = first n_train records of the training files, validation =
 * the next n_val, test = the first n_test test records; the mean image of the n_train training
 * records. Only the first keep (<= n_train) training records are kept in ds->train: the
 * experiments train on the first --num-train, and the other 48,000 of CIFAR-10's would be
 * 150 MB in every worker process. Any fault exits with a one-line error naming the file. */
void bn_dataset_load(bn_dataset *ds, bn_ds_kind kind, const char *dir, long n_train, long keep, long n_val,
                     long n_test);
void bn_dataset_free(bn_dataset *ds);
/* Mean-subtracted doubles of rows [start, start+n) of a split, in stored (C,H,W) order:
 * X (n, dim), y (n). */
void bn_dataset_rows(const bn_dataset *ds, const bn_records *split, long start, long n, double *X, int *y);
/* Mean image of the first n records of r (dim doubles). */
void bn_mean_image(double *mean, const bn_records *r, long n);

#endif
