/* data.c - see data.h. */
#define _POSIX_C_SOURCE 200809L
#include "data.h"
#include "common.h"
#include "guard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

void bn_records_free(bn_records *r)
{
    free(r->px);
    free(r->labels);
    memset(r, 0, sizeof *r);
}

/* Allocate r for n records of dim values. */
static void records_alloc(bn_records *r, long n, int dim)
{
    r->n = n;
    r->dim = dim;
    r->px = bn_malloc((size_t)(n ? n : 1) * dim);
    r->labels = bn_malloc((size_t)(n ? n : 1));
}

/* Record rec (label byte, then pixels) of a CIFAR-10 file as record i of r. */
static void put_record(bn_records *r, long i, const uint8_t *rec)
{
    r->labels[i] = rec[0];
    memcpy(r->px + (size_t)i * BN_CIFAR_DIM, rec + 1, BN_CIFAR_DIM);
}

/* Records in a CIFAR-10 file's bytes: whole records, labels 0-9. -1 with the problem (without
 * the file name) in err. */
static long cifar_count(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    if (len == 0) return bn_errf(err, errlen, "empty file (a CIFAR-10 record is %d bytes)", BN_CIFAR_RECORD);
    if (len % BN_CIFAR_RECORD)
        return bn_errf(err, errlen, "size %zu bytes is not a whole number of %d-byte CIFAR-10 records (%zu left over)",
                    len, BN_CIFAR_RECORD, len % BN_CIFAR_RECORD);
    long n = (long)(len / BN_CIFAR_RECORD);
    for (long i = 0; i < n; i++) {
        uint8_t lab = buf[(size_t)i * BN_CIFAR_RECORD];
        if (lab > 9) return bn_errf(err, errlen, "record %ld has label %u, outside 0-9", i, lab);
    }
    return n;
}

/* The n records of checked CIFAR-10 bytes, as records. */
static void cifar_records(bn_records *out, const uint8_t *buf, long n)
{
    records_alloc(out, n, BN_CIFAR_DIM);
    for (long i = 0; i < n; i++) put_record(out, i, buf + (size_t)i * BN_CIFAR_RECORD);
}

int bn_cifar_parse(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    long n = cifar_count(buf, len, err, errlen);
    if (n < 0) return -1;
    cifar_records(out, buf, n);
    return 0;
}

/* A CIFAR-10 batch file's bytes, checked, with its record count in *n; NULL with
 * "<path>: <problem>" in err. The dataset load takes the records it keeps straight from these
 * bytes: parsing all of them into records first would hold the batch twice. */
static uint8_t *cifar_file(const char *path, long *n, char *err, size_t errlen)
{
    size_t len = 0;
    char e[512];
    /* bnlab reads at most 1,000,000 training records: a larger batch cannot be one */
    uint8_t *buf = (uint8_t *)bn_read_file_max(path, (unsigned long long)BN_CIFAR_RECORD * 1000000, "a CIFAR-10 batch",
                                               &len, err, errlen);
    if (!buf) return NULL;
    *n = cifar_count(buf, len, e, sizeof e);
    if (*n < 0) {
        free(buf);
        bn_errf(err, errlen, "%s: %s", path, e);
        return NULL;
    }
    return buf;
}

int bn_cifar_read(bn_records *out, const char *path, char *err, size_t errlen)
{
    long n;
    memset(out, 0, sizeof *out);
    uint8_t *buf = cifar_file(path, &n, err, errlen);
    if (!buf) return -1;
    cifar_records(out, buf, n);
    free(buf);
    return 0;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int bn_idx_parse_images(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len == 0) return bn_errf(err, errlen, "empty file (an IDX image file starts with a 16-byte header)");
    if (len < 16) return bn_errf(err, errlen, "IDX image header truncated (%zu bytes, need 16)", len);
    if (be32(buf) != 0x803) return bn_errf(err, errlen, "bad IDX image magic number 0x%08x (want 0x00000803)", be32(buf));
    uint32_t n = be32(buf + 4), rows = be32(buf + 8), cols = be32(buf + 12);
    if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
        return bn_errf(err, errlen, "IDX image size %ux%u out of range", rows, cols);
    unsigned long long need = 16ULL + (unsigned long long)n * rows * cols;
    if (need != len)
        return bn_errf(err, errlen, "IDX image data is %zu bytes, header says %llu (%u images of %ux%u)%s",
                    len, need, n, rows, cols, len < need ? ": truncated" : "");
    if (n == 0) return bn_errf(err, errlen, "IDX image file holds no images");
    out->n = n;
    out->dim = (int)(rows * cols);
    out->px = bn_malloc((size_t)n * out->dim);
    memcpy(out->px, buf + 16, (size_t)n * out->dim);
    return 0;
}

int bn_idx_parse_labels(bn_records *out, const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    if (len == 0) return bn_errf(err, errlen, "empty file (an IDX label file starts with an 8-byte header)");
    if (len < 8) return bn_errf(err, errlen, "IDX label header truncated (%zu bytes, need 8)", len);
    if (be32(buf) != 0x801) return bn_errf(err, errlen, "bad IDX label magic number 0x%08x (want 0x00000801)", be32(buf));
    uint32_t n = be32(buf + 4);
    if ((unsigned long long)len != 8ULL + n)
        return bn_errf(err, errlen, "IDX label data is %zu bytes, header says %llu%s", len, 8ULL + n,
                    len < 8ULL + n ? ": truncated" : "");
    for (uint32_t i = 0; i < n; i++)
        if (buf[8 + i] > 9) return bn_errf(err, errlen, "label %u of record %u is outside 0-9", buf[8 + i], i);
    if (out->px && (long)n != out->n)
        return bn_errf(err, errlen, "%u labels for %ld images", n, out->n);
    out->labels = bn_malloc(n ? n : 1);
    memcpy(out->labels, buf + 8, n);
    return 0;
}

/* Decompress a gzip (or plain) file wholly into memory. */
static int gunzip_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) return bn_errf(err, errlen, "%s: %s", path, strerror(errno));
    /* gzopen accepts a folder; only its first read would fail, with a less clear message */
    if (!S_ISREG(st.st_mode)) return bn_errf(err, errlen, "%s: not a regular file", path);
    errno = 0;
    gzFile g = gzopen(path, "rb");
    if (!g) return bn_errf(err, errlen, "%s: %s", path, errno ? strerror(errno) : "cannot open");
    size_t cap = 1 << 20, n = 0;
    uint8_t *b = bn_malloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > ((size_t)1 << 31)) { free(b); gzclose(g); return bn_errf(err, errlen, "%s: larger than 2 GiB uncompressed", path); }
            uint8_t *nb = realloc(b, cap * 2);
            if (!nb) { free(b); gzclose(g); return bn_errf(err, errlen, "%s: out of memory", path); }
            b = nb;
            cap *= 2;
        }
        int got = gzread(g, b + n, (unsigned)(cap - n));
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(g, &zerr);
            char m[256];
            /* zlib's message starts "<path>: "; the path is already at the front of ours */
            size_t pl = strlen(path);
            if (!strncmp(msg, path, pl) && msg[pl] == ':') msg += pl + 1 + strspn(msg + pl + 1, " ");
            snprintf(m, sizeof m, "%s", msg);
            free(b);
            gzclose(g);
            if (zerr == Z_ERRNO) return bn_errf(err, errlen, "%s: read error (%s)", path, m);
            if (zerr == Z_BUF_ERROR) return bn_errf(err, errlen, "%s: truncated gzip data (%s)", path, m);
            return bn_errf(err, errlen, "%s: corrupt gzip data (%s)", path, m);
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    /* zlib reports a gzip stream cut short only through gzerror after the last read */
    int zerr = Z_OK;
    gzerror(g, &zerr);
    gzclose(g);
    if (zerr != Z_OK && zerr != Z_STREAM_END) { free(b); return bn_errf(err, errlen, "%s: truncated gzip data", path); }
    *buf = b;
    *len = n;
    return 0;
}

int bn_idx_read(bn_records *out, const char *images_path, const char *labels_path, char *err, size_t errlen)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char e[512];
    memset(out, 0, sizeof *out);
    if (gunzip_file(images_path, &buf, &len, err, errlen)) return -1;
    int r = bn_idx_parse_images(out, buf, len, e, sizeof e);
    free(buf);
    if (r) return bn_errf(err, errlen, "%s: %s", images_path, e);
    if (gunzip_file(labels_path, &buf, &len, err, errlen)) { bn_records_free(out); return -1; }
    r = bn_idx_parse_labels(out, buf, len, e, sizeof e);
    free(buf);
    if (r) { bn_records_free(out); return bn_errf(err, errlen, "%s: %s", labels_path, e); }
    return 0;
}

/* First n records of src starting at start, copied into dst. */
static void take(bn_records *dst, const bn_records *src, long start, long n)
{
    records_alloc(dst, n, src->dim);
    memcpy(dst->px, src->px + (size_t)start * src->dim, (size_t)n * src->dim);
    memcpy(dst->labels, src->labels + start, (size_t)n);
}

/* Pixel sums into the mean image: n records summed, one division each, as bn_mean_image and the
 * streaming CIFAR-10 load both need, so that their means are the same doubles. */
static void mean_from_sums(double *mean, const uint64_t *sum, int dim, long n)
{
    for (int j = 0; j < dim; j++) mean[j] = n ? (double)sum[j] / (double)n : 0.0;
}

static void add_pixels(uint64_t *sum, const uint8_t *p, int dim)
{
    for (int j = 0; j < dim; j++) sum[j] += p[j];
}

void bn_mean_image(double *mean, const bn_records *r, long n)
{
    int D = r->dim;
    /* Exact integer sums: 49,000 x 255 fits easily, and the result is independent of order. */
    uint64_t *sum = bn_calloc((size_t)D, sizeof *sum);
    for (long i = 0; i < n; i++) add_pixels(sum, r->px + (size_t)i * D, D);
    mean_from_sums(mean, sum, D, n);
    free(sum);
}

/* Training records the CIFAR-10 batches hold, judged from their sizes; -1 if a file is missing,
 * empty or not whole records (reading it then names that problem). Lets a request for more
 * records than there are fail before the splits are allocated: --train-records 1000000 would
 * otherwise ask for 3 GB. */
static long cifar_train_available(const char *dir)
{
    char path[4200];
    struct stat st;
    long n = 0;
    for (int b = 1; b <= 5; b++) {
        snprintf(path, sizeof path, "%s/data_batch_%d.bin", dir, b);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0 || st.st_size % BN_CIFAR_RECORD) return -1;
        n += (long)(st.st_size / BN_CIFAR_RECORD);
    }
    return n;
}

/* Exits with the one-line error if the training files' `have` records fall short. */
static void need_train(const char *dir, long have, long n_train, long n_val)
{
    if (have < n_train + n_val)
        bn_die(1, "dataset %s: %ld training records, need %ld (%ld training + %ld validation)",
               dir, have, n_train + n_val, n_train, n_val);
}

static void need_test(const char *dir, long have, long n_test)
{
    if (have < n_test) bn_die(1, "dataset %s: %ld test records, need %ld", dir, have, n_test);
}

/* CIFAR-10, one batch file in memory at a time: its training records go into the mean image's
 * sums, the first `keep` of them and the validation records are copied out, and the file is
 * freed before the next is read. Holding all 49,000 training records instead (150 MB) would put
 * them in every worker process's resident memory. */
static void load_cifar(bn_dataset *ds, const char *dir, long n_train, long keep, long n_val, long n_test)
{
    char err[1024], path[4200];
    long avail = cifar_train_available(dir);
    if (avail >= 0) need_train(dir, avail, n_train, n_val);
    ds->dim = BN_CIFAR_DIM;
    records_alloc(&ds->train, keep, BN_CIFAR_DIM);
    records_alloc(&ds->val, n_val, BN_CIFAR_DIM);
    /* Exact integer sums, as bn_mean_image's: the same mean, whatever the order of reading. */
    uint64_t *sum = bn_calloc(BN_CIFAR_DIM, sizeof *sum);
    long have = 0, seen = 0;   /* records of the training files read, and passed into a split */
    for (int b = 1; b <= 5 && seen < n_train + n_val; b++) {
        long n;
        snprintf(path, sizeof path, "%s/data_batch_%d.bin", dir, b);
        uint8_t *buf = cifar_file(path, &n, err, sizeof err);
        if (!buf) bn_die(1, "%s", err);
        have += n;
        for (long i = 0; i < n && seen < n_train + n_val; i++, seen++) {
            const uint8_t *rec = buf + (size_t)i * BN_CIFAR_RECORD;
            if (seen >= n_train) {
                put_record(&ds->val, seen - n_train, rec);
                continue;
            }
            add_pixels(sum, rec + 1, BN_CIFAR_DIM);
            if (seen < keep) put_record(&ds->train, seen, rec);
        }
        free(buf);
    }
    long test_have;
    snprintf(path, sizeof path, "%s/test_batch.bin", dir);
    uint8_t *test = cifar_file(path, &test_have, err, sizeof err);
    if (!test) bn_die(1, "%s", err);
    need_train(dir, have, n_train, n_val);
    need_test(dir, test_have, n_test);
    records_alloc(&ds->test, n_test, BN_CIFAR_DIM);
    for (long i = 0; i < n_test; i++) put_record(&ds->test, i, test + (size_t)i * BN_CIFAR_RECORD);
    free(test);
    ds->mean = bn_malloc(BN_CIFAR_DIM * sizeof(double));
    mean_from_sums(ds->mean, sum, BN_CIFAR_DIM, n_train);
    free(sum);
}

/* Fashion-MNIST: the training and the test files read whole (the 60,000 training images are
 * 47 MB, freed once the splits are copied out). */
static void load_idx(bn_dataset *ds, const char *dir, long n_train, long keep, long n_val, long n_test)
{
    char err[1024], path[4200], lab[4200];
    bn_records all, test;
    snprintf(path, sizeof path, "%s/train-images-idx3-ubyte.gz", dir);
    snprintf(lab, sizeof lab, "%s/train-labels-idx1-ubyte.gz", dir);
    if (bn_idx_read(&all, path, lab, err, sizeof err)) bn_die(1, "%s", err);
    snprintf(path, sizeof path, "%s/t10k-images-idx3-ubyte.gz", dir);
    snprintf(lab, sizeof lab, "%s/t10k-labels-idx1-ubyte.gz", dir);
    if (bn_idx_read(&test, path, lab, err, sizeof err)) bn_die(1, "%s", err);
    /* One image size for all splits: rows are later read with the test split's size. */
    if (test.dim != all.dim)
        bn_die(1, "%s: images have %d pixels, the training images %d", path, test.dim, all.dim);
    need_train(dir, all.n, n_train, n_val);
    need_test(dir, test.n, n_test);
    ds->dim = test.dim;
    take(&ds->train, &all, 0, keep);
    take(&ds->val, &all, n_train, n_val);
    take(&ds->test, &test, 0, n_test);
    ds->mean = bn_malloc((size_t)ds->dim * sizeof(double));
    bn_mean_image(ds->mean, &all, n_train);
    bn_records_free(&all);
    bn_records_free(&test);
}

void bn_dataset_load(bn_dataset *ds, bn_ds_kind kind, const char *dir, long n_train, long keep, long n_val,
                     long n_test)
{
    struct stat st;
    memset(ds, 0, sizeof *ds);
    if (keep < 0 || keep > n_train) bn_die(1, "internal: keeping %ld of %ld training records", keep, n_train);
    ds->kind = kind;
    ds->classes = 10;
    ds->train_records = n_train;
    snprintf(ds->dir, sizeof ds->dir, "%s", dir);
    if (stat(dir, &st) != 0) bn_die(1, "dataset folder %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) bn_die(1, "dataset folder %s: not a folder", dir);
    if (kind == BN_DS_CIFAR10) load_cifar(ds, dir, n_train, keep, n_val, n_test);
    else load_idx(ds, dir, n_train, keep, n_val, n_test);
}

void bn_dataset_free(bn_dataset *ds)
{
    bn_records_free(&ds->train);
    bn_records_free(&ds->val);
    bn_records_free(&ds->test);
    free(ds->mean);
    ds->mean = NULL;
}

void bn_dataset_rows(const bn_dataset *ds, const bn_records *split, long start, long n, double *X, int *y)
{
    int D = ds->dim;
    if (start < 0 || start + n > split->n) bn_die(1, "internal: rows %ld..%ld of a %ld-record split", start, start + n, split->n);
    for (long i = 0; i < n; i++) {
        const uint8_t *p = split->px + (size_t)(start + i) * D;
        for (int j = 0; j < D; j++) X[i * D + j] = (double)p[j] - ds->mean[j];
        y[i] = split->labels[start + i];
    }
}
