/* test_data.c - CIFAR-10 and IDX readers on generated files (good, truncated, bad label, missing,
 * empty), dataset splits, the mean image and mean subtraction. Every file is made here, in a
 * temporary folder that each test removes; the real dataset is never read. */
#include "testutil.h"

#include "common.h"
#include "data.h"


/* Pixel c,h,w of record i: a value that encodes its position, so any reordering shows. */
static uint8_t pixel(long i, int c, int h, int w)
{
    return (uint8_t)((i * 37 + c * 101 + h * 7 + w * 3) % 256);
}

/* n records numbered from first: label (first + i) % 10, pixels from pixel(). */
static void make_records(uint8_t *labels, uint8_t *px, long first, long n)
{
    for (long i = 0; i < n; i++) {
        labels[i] = (uint8_t)((first + i) % 10);
        for (int c = 0; c < 3; c++)
            for (int h = 0; h < 32; h++)
                for (int w = 0; w < 32; w++)
                    px[(size_t)i * BN_CIFAR_DIM + c * 1024 + h * 32 + w] = pixel(first + i, c, h, w);
    }
}

static void write_numbered_cifar(const char *path, long first, long n)
{
    uint8_t *labels = malloc((size_t)n), *px = malloc((size_t)n * BN_CIFAR_DIM);
    assert_non_null(labels);
    assert_non_null(px);
    make_records(labels, px, first, n);
    tu_write_cifar(path, labels, px, n);
    free(labels);
    free(px);
}

/* ---------- CIFAR-10 batch files ---------- */

static void cifar_read_returns_labels_and_pixels_exactly(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "data_batch_1.bin");
    write_numbered_cifar(path, 0, 12);
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), 0);
    assert_int_equal(r.n, 12);
    assert_int_equal(r.dim, 3072);
    uint8_t labels[12], *px = malloc(12 * BN_CIFAR_DIM);
    assert_non_null(px);
    make_records(labels, px, 0, 12);
    assert_memory_equal(r.labels, labels, 12);
    assert_memory_equal(r.px, px, 12 * BN_CIFAR_DIM);
    free(px);
    bn_records_free(&r);
    assert_null(r.px);
    assert_int_equal(r.n, 0);
}

static void cifar_read_takes_any_whole_number_of_records(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "seven.bin");
    write_numbered_cifar(path, 100, 7);
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), 0);
    assert_int_equal(r.n, 7);
    for (long i = 0; i < 7; i++) assert_int_equal(r.labels[i], (100 + i) % 10);
    /* last pixel of the last record: the buffer holds all of them */
    assert_int_equal(r.px[7L * BN_CIFAR_DIM - 1], pixel(106, 2, 31, 31));
    bn_records_free(&r);
}

static void cifar_read_rejects_truncated_file_naming_it(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "cut.bin");
    uint8_t labels[3], *px = malloc(3 * BN_CIFAR_DIM);
    assert_non_null(px);
    make_records(labels, px, 0, 3);
    uint8_t *bytes = tu_cifar_bytes(labels, px, 3);
    /* three records less 100 bytes: 9119 bytes, 2973 left over after two whole records */
    tu_write_file(path, bytes, 3 * BN_CIFAR_RECORD - 100);
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a whole number"));
    assert_non_null(strstr(err, "9119"));
    assert_null(r.px);
    free(bytes);
    free(px);
}

static void cifar_read_rejects_label_above_9(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "badlabel.bin");
    uint8_t labels[4], *px = calloc(4, BN_CIFAR_DIM);
    assert_non_null(px);
    make_records(labels, px, 0, 4);
    labels[2] = 10;
    tu_write_cifar(path, labels, px, 4);
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "record 2"));
    assert_non_null(strstr(err, "label 10"));
    free(px);
}

static void cifar_read_rejects_missing_file_naming_it(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "no_such_batch.bin");
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, strerror(ENOENT)));
}

static void cifar_read_rejects_empty_file_and_folder(void **state)
{
    char path[256], err[512] = "";
    tu_path(path, sizeof path, *state, "empty.bin");
    tu_write_file(path, "", 0);
    bn_records r;
    assert_int_equal(bn_cifar_read(&r, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "empty"));
    /* a folder is not a batch file */
    assert_int_equal(bn_cifar_read(&r, *state, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
}

static void cifar_parse_from_memory(void **state)
{
    (void)state;
    char err[512] = "";
    uint8_t labels[2] = {9, 0}, *px = malloc(2 * BN_CIFAR_DIM);
    assert_non_null(px);
    for (int j = 0; j < 2 * BN_CIFAR_DIM; j++) px[j] = (uint8_t)(255 - j % 256);
    uint8_t *bytes = tu_cifar_bytes(labels, px, 2);
    bn_records r;
    assert_int_equal(bn_cifar_parse(&r, bytes, 2 * BN_CIFAR_RECORD, err, sizeof err), 0);
    assert_int_equal(r.n, 2);
    assert_memory_equal(r.labels, labels, 2);
    assert_memory_equal(r.px, px, 2 * BN_CIFAR_DIM);
    bn_records_free(&r);
    /* one byte short */
    assert_int_equal(bn_cifar_parse(&r, bytes, 2 * BN_CIFAR_RECORD - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a whole number"));
    assert_int_equal(bn_cifar_parse(&r, bytes, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "empty"));
    free(bytes);
    free(px);
}

/* ---------- IDX (Fashion-MNIST) files ---------- */

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* IDX image file bytes: magic 0x803, n, rows, cols, then pixels (i*13 + k) % 256. */
static uint8_t *idx_images(uint32_t n, uint32_t rows, uint32_t cols, size_t *len)
{
    *len = 16 + (size_t)n * rows * cols;
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    put_be32(b, 0x803);
    put_be32(b + 4, n);
    put_be32(b + 8, rows);
    put_be32(b + 12, cols);
    for (size_t k = 0; k < (size_t)n * rows * cols; k++) b[16 + k] = (uint8_t)((k / (rows * cols)) * 13 + k % 256);
    return b;
}

/* IDX label file bytes: magic 0x801, n, then labels (i*3) % 10. */
static uint8_t *idx_labels(uint32_t n, size_t *len)
{
    *len = 8 + (size_t)n;
    uint8_t *b = malloc(*len);
    assert_non_null(b);
    put_be32(b, 0x801);
    put_be32(b + 4, n);
    for (uint32_t i = 0; i < n; i++) b[8 + i] = (uint8_t)(i * 3 % 10);
    return b;
}

static void idx_read_gzipped_images_and_labels(void **state)
{
    char ip[256], lp[256], err[512] = "";
    size_t ni, nl;
    uint8_t *im = idx_images(5, 28, 28, &ni), *lb = idx_labels(5, &nl);
    tu_write_gz(tu_path(ip, sizeof ip, *state, "train-images-idx3-ubyte.gz"), im, ni);
    tu_write_gz(tu_path(lp, sizeof lp, *state, "train-labels-idx1-ubyte.gz"), lb, nl);
    bn_records r;
    assert_int_equal(bn_idx_read(&r, ip, lp, err, sizeof err), 0);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.dim, 784);
    assert_memory_equal(r.px, im + 16, 5 * 784);
    assert_memory_equal(r.labels, lb + 8, 5);
    bn_records_free(&r);
    /* uncompressed files are read too (gzopen passes them through) */
    tu_write_file(ip, im, ni);
    tu_write_file(lp, lb, nl);
    assert_int_equal(bn_idx_read(&r, ip, lp, err, sizeof err), 0);
    assert_memory_equal(r.px, im + 16, 5 * 784);
    bn_records_free(&r);
    free(im);
    free(lb);
}

static void idx_parse_rejects_bad_magic(void **state)
{
    (void)state;
    char err[512] = "";
    size_t ni, nl;
    uint8_t *im = idx_images(2, 4, 4, &ni), *lb = idx_labels(2, &nl);
    bn_records r;
    /* labels' magic on an image file and the other way round */
    put_be32(im, 0x801);
    assert_int_equal(bn_idx_parse_images(&r, im, ni, err, sizeof err), -1);
    assert_non_null(strstr(err, "magic"));
    put_be32(im, 0x803);
    memset(&r, 0, sizeof r);
    put_be32(lb, 0x803);
    assert_int_equal(bn_idx_parse_labels(&r, lb, nl, err, sizeof err), -1);
    assert_non_null(strstr(err, "magic"));
    /* the good pair parses */
    put_be32(lb, 0x801);
    assert_int_equal(bn_idx_parse_images(&r, im, ni, err, sizeof err), 0);
    assert_int_equal(bn_idx_parse_labels(&r, lb, nl, err, sizeof err), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.dim, 16);
    bn_records_free(&r);
    free(im);
    free(lb);
}

static void idx_parse_rejects_truncated_and_mismatched_data(void **state)
{
    (void)state;
    char err[512] = "";
    size_t ni, nl;
    uint8_t *im = idx_images(3, 4, 4, &ni), *lb = idx_labels(3, &nl);
    bn_records r;
    /* header says 3 images of 4x4: 64 bytes in all, one missing */
    assert_int_equal(bn_idx_parse_images(&r, im, ni - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "truncated"));
    /* header itself cut short */
    assert_int_equal(bn_idx_parse_images(&r, im, 10, err, sizeof err), -1);
    assert_non_null(strstr(err, "truncated"));
    memset(&r, 0, sizeof r);
    assert_int_equal(bn_idx_parse_labels(&r, lb, nl - 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "truncated"));
    /* a label outside 0-9 */
    lb[8 + 1] = 12;
    assert_int_equal(bn_idx_parse_labels(&r, lb, nl, err, sizeof err), -1);
    assert_non_null(strstr(err, "outside 0-9"));
    free(lb);
    /* 2 labels for 3 images */
    lb = idx_labels(2, &nl);
    assert_int_equal(bn_idx_parse_images(&r, im, ni, err, sizeof err), 0);
    assert_int_equal(bn_idx_parse_labels(&r, lb, nl, err, sizeof err), -1);
    assert_non_null(strstr(err, "2 labels for 3 images"));
    bn_records_free(&r);
    free(im);
    free(lb);
}

static void idx_read_rejects_truncated_gzip_and_names_the_file(void **state)
{
    char ip[256], lp[256], gz[256], err[512] = "";
    size_t ni, nl, ng;
    uint8_t *im = idx_images(20, 28, 28, &ni), *lb = idx_labels(20, &nl);
    tu_path(ip, sizeof ip, *state, "images.gz");
    tu_path(lp, sizeof lp, *state, "labels.gz");
    tu_path(gz, sizeof gz, *state, "whole.gz");
    tu_write_gz(gz, im, ni);
    tu_write_gz(lp, lb, nl);
    /* the same gzip stream cut in half */
    uint8_t *z = tu_read_file(gz, &ng);
    tu_write_file(ip, z, ng / 2);
    bn_records r;
    assert_int_equal(bn_idx_read(&r, ip, lp, err, sizeof err), -1);
    assert_non_null(strstr(err, ip));
    assert_non_null(strstr(err, "truncated"));
    assert_null(r.px);
    /* a missing label file is named, and the images read so far are released */
    tu_write_gz(ip, im, ni);
    tu_path(lp, sizeof lp, *state, "missing-labels.gz");
    assert_int_equal(bn_idx_read(&r, ip, lp, err, sizeof err), -1);
    assert_non_null(strstr(err, lp));
    assert_null(r.px);
    free(z);
    free(im);
    free(lb);
}

/* ---------- datasets ---------- */

/* Five training batches of 6 records numbered 0..29 and a test batch numbered 1000.., in dir. */
static void write_numbered_batches(const char *dir)
{
    char path[256];
    for (int b = 1; b <= 5; b++) {
        char name[32];
        snprintf(name, sizeof name, "data_batch_%d.bin", b);
        write_numbered_cifar(tu_path(path, sizeof path, dir, name), 6L * (b - 1), 6);
    }
    write_numbered_cifar(tu_path(path, sizeof path, dir, "test_batch.bin"), 1000, 6);
}

static void dataset_load_splits_records_and_computes_the_mean_image(void **state)
{
    const char *dir = *state;
    write_numbered_batches(dir);
    /* 13 training records span batches 1-3; the 8 validation records continue in 3 and 4 */
    bn_dataset ds;
    bn_dataset_load(&ds, BN_DS_CIFAR10, dir, 13, 13, 8, 4);
    assert_int_equal(ds.dim, 3072);
    assert_int_equal(ds.classes, 10);
    assert_int_equal(ds.train_records, 13);
    assert_int_equal(ds.train.n, 13);
    assert_int_equal(ds.val.n, 8);
    assert_int_equal(ds.test.n, 4);
    assert_string_equal(ds.dir, dir);
    /* split boundaries: training records 0..12, validation 13..20, test 1000..1003 */
    for (long i = 0; i < 13; i++) {
        assert_int_equal(ds.train.labels[i], i % 10);
        assert_int_equal(ds.train.px[i * 3072 + 5], pixel(i, 0, 0, 5));
    }
    for (long i = 0; i < 8; i++) {
        assert_int_equal(ds.val.labels[i], (13 + i) % 10);
        assert_int_equal(ds.val.px[i * 3072 + 2047], pixel(13 + i, 1, 31, 31));
    }
    for (long i = 0; i < 4; i++) assert_int_equal(ds.test.px[i * 3072], pixel(1000 + i, 0, 0, 0));

    /* the mean image of the 13 training records, summed here independently: sums of small
     * integers are exact, so the one division gives the same double */
    double *want = tu_doubles(3072);
    for (int c = 0; c < 3; c++)
        for (int h = 0; h < 32; h++)
            for (int w = 0; w < 32; w++) {
                long s = 0;
                for (long i = 0; i < 13; i++) s += pixel(i, c, h, w);
                want[c * 1024 + h * 32 + w] = (double)s / 13.0;
            }
    assert_memory_equal(ds.mean, want, 3072 * sizeof(double));

    /* rows 2..4 of validation: pixel minus exactly that mean, in (C,H,W) order, labels as ints */
    double *X = tu_doubles(3 * 3072);
    int y[3];
    bn_dataset_rows(&ds, &ds.val, 2, 3, X, y);
    for (long i = 0; i < 3; i++) {
        assert_int_equal(y[i], (15 + i) % 10);
        for (int c = 0; c < 3; c++)
            for (int h = 0; h < 32; h++)
                for (int w = 0; w < 32; w++) {
                    int j = c * 1024 + h * 32 + w;
                    assert_true(X[i * 3072 + j] == (double)pixel(15 + i, c, h, w) - want[j]);
                }
    }
    free(X);
    free(want);
    bn_dataset_free(&ds);
    assert_null(ds.mean);
}

/* The four Fashion-MNIST files in dir, the training and the test pair alike: 10 images of 28 x 28
 * (idx_images) and their labels; *im and *lb get the files' bytes, headers included. */
static void write_fashion_mnist(const char *dir, uint8_t **im, uint8_t **lb)
{
    char path[256];
    size_t ni, nl;
    *im = idx_images(10, 28, 28, &ni);
    *lb = idx_labels(10, &nl);
    tu_write_gz(tu_path(path, sizeof path, dir, "train-images-idx3-ubyte.gz"), *im, ni);
    tu_write_gz(tu_path(path, sizeof path, dir, "train-labels-idx1-ubyte.gz"), *lb, nl);
    tu_write_gz(tu_path(path, sizeof path, dir, "t10k-images-idx3-ubyte.gz"), *im, ni);
    tu_write_gz(tu_path(path, sizeof path, dir, "t10k-labels-idx1-ubyte.gz"), *lb, nl);
}

/* Fashion-MNIST through the same load, keeping the first `keep` of 6 training records: the kept
 * rows, the validation rows after all 6, and the mean image of all 6 (when fewer are kept, it is
 * not the mean of the kept ones, so a load that averaged those would fail here). */
static void fashion_mnist_load_keeping(const char *dir, int keep)
{
    uint8_t *im, *lb;
    write_fashion_mnist(dir, &im, &lb);
    bn_dataset ds;
    bn_dataset_load(&ds, BN_DS_FASHION_MNIST, dir, 6, keep, 3, 2);
    assert_int_equal(ds.dim, 784);
    assert_int_equal(ds.train_records, 6);
    assert_int_equal(ds.train.n, keep);
    assert_int_equal(ds.val.n, 3);
    assert_int_equal(ds.test.n, 2);
    assert_memory_equal(ds.train.px, im + 16, (size_t)keep * 784);
    assert_memory_equal(ds.train.labels, lb + 8, (size_t)keep);
    assert_memory_equal(ds.val.px, im + 16 + 6 * 784, 3 * 784);
    assert_memory_equal(ds.val.labels, lb + 8 + 6, 3);
    int differs = 0;
    for (int j = 0; j < 784; j++) {
        long s = 0, kept = 0;
        for (int i = 0; i < 6; i++) s += im[16 + i * 784 + j];
        for (int i = 0; i < keep; i++) kept += im[16 + i * 784 + j];
        assert_true(ds.mean[j] == (double)s / 6.0);
        differs |= ds.mean[j] != (double)kept / keep;
    }
    assert_true(keep == 6 || differs);
    bn_dataset_free(&ds);
    free(im);
    free(lb);
}

static void dataset_load_fashion_mnist_idx_files(void **state) { fashion_mnist_load_keeping(*state, 6); }

/* The mean image of records first..first+n-1 (numbered as make_records numbers them), summed
 * here independently of the loader. */
static void numbered_mean(double *mean, long first, long n)
{
    for (int c = 0; c < 3; c++)
        for (int h = 0; h < 32; h++)
            for (int w = 0; w < 32; w++) {
                long s = 0;
                for (long i = first; i < first + n; i++) s += pixel(i, c, h, w);
                mean[c * 1024 + h * 32 + w] = (double)s / (double)n;
            }
}

/* Keeping only the first `keep` training records changes nothing else: the kept rows are
 * records 0..keep-1, and the mean image is still that of all n_train training records (the
 * same doubles as when all are kept), although the records beyond keep are not in memory. */
static void dataset_load_keeps_the_first_rows_and_the_mean_of_all(void **state)
{
    const char *dir = *state;
    write_numbered_batches(dir);
    double *want = tu_doubles(3072), *first8 = tu_doubles(3072);
    numbered_mean(want, 0, 13);
    /* the mean of the kept rows alone differs, so a load that averaged those would fail here */
    numbered_mean(first8, 0, 8);
    assert_memory_not_equal(first8, want, 3072 * sizeof(double));
    uint8_t labels[13], *px = malloc(13 * BN_CIFAR_DIM);
    assert_non_null(px);
    make_records(labels, px, 0, 13);

    bn_dataset all;
    bn_dataset_load(&all, BN_DS_CIFAR10, dir, 13, 13, 8, 4);
    /* 0 and 1 keep nothing or only part of batch 1; 8 ends inside batch 2, 12 inside batch 3 */
    const long keeps[] = {0, 1, 8, 12};
    for (size_t k = 0; k < sizeof keeps / sizeof *keeps; k++) {
        long keep = keeps[k];
        bn_dataset ds;
        bn_dataset_load(&ds, BN_DS_CIFAR10, dir, 13, keep, 8, 4);
        assert_int_equal(ds.train_records, 13);
        assert_int_equal(ds.train.n, keep);
        assert_int_equal(ds.train.dim, 3072);
        if (keep) {
            assert_memory_equal(ds.train.labels, labels, (size_t)keep);
            assert_memory_equal(ds.train.px, px, (size_t)keep * BN_CIFAR_DIM);
        }
        assert_memory_equal(ds.mean, want, 3072 * sizeof(double));
        assert_memory_equal(ds.mean, all.mean, 3072 * sizeof(double));
        /* validation still starts at record 13, whatever was kept before it */
        assert_int_equal(ds.val.n, 8);
        assert_memory_equal(ds.val.px, all.val.px, 8 * BN_CIFAR_DIM);
        assert_memory_equal(ds.val.labels, all.val.labels, 8);
        assert_int_equal(ds.test.n, 4);
        assert_memory_equal(ds.test.px, all.test.px, 4 * BN_CIFAR_DIM);
        bn_dataset_free(&ds);
    }
    bn_dataset_free(&all);
    free(px);
    free(first8);
    free(want);
}

static void dataset_load_fashion_mnist_keeps_the_first_rows_and_the_mean_of_all(void **state)
{
    fashion_mnist_load_keeping(*state, 2);
}

static void mean_image_of_no_records_is_zero(void **state)
{
    (void)state;
    uint8_t px[4] = {1, 2, 3, 4};
    bn_records r = {1, 4, px, NULL};
    double m[4] = {9, 9, 9, 9};
    bn_mean_image(m, &r, 0);
    for (int j = 0; j < 4; j++) assert_true(m[j] == 0.0);
    bn_mean_image(m, &r, 1);
    for (int j = 0; j < 4; j++) assert_true(m[j] == px[j]);
}

/* bn_dataset_load ends the process on any fault: run it in a child and read what it printed. */
typedef struct {
    const char *dir;
    long n_train, keep, n_val, n_test;
} load_args;

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void load_in_child(void *ctx)
{
    load_args *a = ctx;
    bn_dataset ds;
    bn_dataset_load(&ds, BN_DS_CIFAR10, a->dir, a->n_train, a->keep, a->n_val, a->n_test);
    bn_dataset_free(&ds);
}

static void dataset_load_faults_exit_with_one_line_naming_the_file(void **state)
{
    const char *dir = *state;
    char path[256], err[2048];
    for (int b = 1; b <= 5; b++) {
        char name[32];
        snprintf(name, sizeof name, "data_batch_%d.bin", b);
        write_numbered_cifar(tu_path(path, sizeof path, dir, name), 0, 3);
    }
    /* no test_batch.bin */
    load_args a = {dir, 5, 5, 2, 1};
    assert_int_equal(tu_run_child(load_in_child, &a, err, sizeof err), 1);
    tu_path(path, sizeof path, dir, "test_batch.bin");
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "bnlab: "));
    assert_int_equal(count_lines(err), 1);
    /* with it, asking for more training records than the 15 there are */
    write_numbered_cifar(path, 0, 3);
    load_args b = {dir, 14, 14, 2, 1};
    assert_int_equal(tu_run_child(load_in_child, &b, err, sizeof err), 1);
    assert_non_null(strstr(err, dir));
    assert_non_null(strstr(err, "15 training records, need 16"));
    /* and the request that fits loads */
    load_args c = {dir, 13, 13, 2, 3};
    assert_int_equal(tu_run_child(load_in_child, &c, err, sizeof err), 0);
    /* keeping more training records than the split has is a caller's error */
    load_args e = {dir, 13, 14, 2, 3};
    assert_int_equal(tu_run_child(load_in_child, &e, err, sizeof err), 1);
    assert_non_null(strstr(err, "internal: keeping 14 of 13 training records"));
    /* a truncated batch file met while reading is named */
    tu_path(path, sizeof path, dir, "data_batch_2.bin");
    tu_write_file(path, "x", 1);
    load_args d = {dir, 5, 5, 2, 3};
    assert_int_equal(tu_run_child(load_in_child, &d, err, sizeof err), 1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a whole number"));
}

/* The same truncated file must be named when the records are needed from all five files.
 * bn_dataset_load first counts records from the file sizes (size / 3073, rounding the broken
 * file's 1 byte down to 0 records) and reports "12 training records, need 15" for the folder,
 * which sends the user looking for missing data instead of at the damaged file. */
static void dataset_load_names_a_truncated_batch_file_even_when_records_fall_short(void **state)
{
    const char *dir = *state;
    char path[256], err[2048];
    for (int b = 1; b <= 5; b++) {
        char name[32];
        snprintf(name, sizeof name, "data_batch_%d.bin", b);
        write_numbered_cifar(tu_path(path, sizeof path, dir, name), 0, 3);
    }
    write_numbered_cifar(tu_path(path, sizeof path, dir, "test_batch.bin"), 0, 3);
    tu_path(path, sizeof path, dir, "data_batch_2.bin");
    tu_write_file(path, "x", 1);
    load_args a = {dir, 13, 13, 2, 3};
    assert_int_equal(tu_run_child(load_in_child, &a, err, sizeof err), 1);
    if (!strstr(err, path)) print_error("the error does not name %s:\n%s", path, err);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a whole number"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(cifar_read_returns_labels_and_pixels_exactly, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(cifar_read_takes_any_whole_number_of_records, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(cifar_read_rejects_truncated_file_naming_it, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(cifar_read_rejects_label_above_9, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(cifar_read_rejects_missing_file_naming_it, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(cifar_read_rejects_empty_file_and_folder, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test(cifar_parse_from_memory),
        cmocka_unit_test_setup_teardown(idx_read_gzipped_images_and_labels, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test(idx_parse_rejects_bad_magic),
        cmocka_unit_test(idx_parse_rejects_truncated_and_mismatched_data),
        cmocka_unit_test_setup_teardown(idx_read_rejects_truncated_gzip_and_names_the_file, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(dataset_load_splits_records_and_computes_the_mean_image, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test_setup_teardown(dataset_load_fashion_mnist_idx_files, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(dataset_load_keeps_the_first_rows_and_the_mean_of_all, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test_setup_teardown(dataset_load_fashion_mnist_keeps_the_first_rows_and_the_mean_of_all, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test(mean_image_of_no_records_is_zero),
        cmocka_unit_test_setup_teardown(dataset_load_faults_exit_with_one_line_naming_the_file, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test_setup_teardown(dataset_load_names_a_truncated_batch_file_even_when_records_fall_short,
                                        tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
