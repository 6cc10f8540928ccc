/* fuzz_idx.c - libFuzzer target for the IDX (Fashion-MNIST) reader. The first byte chooses what
 * the rest is:
 *   0  an image file, given to bn_idx_parse_images
 *   1  a label file, given to bn_idx_parse_labels
 *   2  two bytes (little-endian) giving the image file's length, then the image file and the
 *      label file: parsed as bn_idx_read pairs them, so the count check is reached
 *   3  as 2, but both parts are written to files and read by bn_idx_read, through zlib: gzip
 *      streams that are truncated or corrupt, or plain (non-gzip) files
 * Every accepted input must describe exactly the bytes given; every failure must come with a
 * one-line reason. Built and run by `make fuzz` (tests/tests.mk). */
#define _POSIX_C_SOURCE 200809L
#include "common.h"
#include "data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void check_err(const char *err)
{
    if (!err[0] || strchr(err, '\n')) abort();
}

static void check_images(const bn_records *r, const uint8_t *buf, size_t len)
{
    if (len < 16 || r->n != (long)be32(buf + 4) || r->dim != (int)(be32(buf + 8) * be32(buf + 12))) abort();
    if (16 + (size_t)r->n * (size_t)r->dim != len || memcmp(r->px, buf + 16, len - 16)) abort();
}

/* Two files for mode 3, made once per fuzzing process and removed at its exit. */
static char dir[4096], img_path[4200], lab_path[4200];

static void remove_files(void)
{
    unlink(img_path);
    unlink(lab_path);
    rmdir(dir);
}

static int put(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int bad = fwrite(p, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int mode = data[0] % 4;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    bn_records r;
    char err[1024] = "";
    memset(&r, 0, sizeof r);

    if (mode == 0) {
        if (bn_idx_parse_images(&r, p, n, err, sizeof err) == 0) check_images(&r, p, n);
        else check_err(err);
    } else if (mode == 1) {
        if (bn_idx_parse_labels(&r, p, n, err, sizeof err) == 0) {
            if (n < 8 || 8 + (size_t)be32(p + 4) != n) abort();
            for (size_t i = 8; i < n; i++) if (p[i] > 9) abort();
        } else {
            check_err(err);
        }
    } else {
        if (n < 2) return 0;
        size_t k = (size_t)p[0] | (size_t)p[1] << 8;
        p += 2;
        n -= 2;
        if (k > n) k = n;
        if (mode == 2) {
            if (bn_idx_parse_images(&r, p, k, err, sizeof err) == 0) {
                check_images(&r, p, k);
                if (bn_idx_parse_labels(&r, p + k, n - k, err, sizeof err) == 0) {
                    if ((size_t)r.n + 8 != n - k) abort();
                } else {
                    check_err(err);
                }
            } else {
                check_err(err);
            }
        } else {
            if (!dir[0]) {
                const char *t = getenv("TMPDIR");
                snprintf(dir, sizeof dir, "%s/fuzz_idx.XXXXXX", t && *t ? t : "/tmp");
                if (!mkdtemp(dir)) abort();
                snprintf(img_path, sizeof img_path, "%s/images.gz", dir);
                snprintf(lab_path, sizeof lab_path, "%s/labels.gz", dir);
                atexit(remove_files);
            }
            if (put(img_path, p, k) || put(lab_path, p + k, n - k)) abort();
            if (bn_idx_read(&r, img_path, lab_path, err, sizeof err) == 0) {
                if (r.n < 1 || r.dim < 1 || !r.px || !r.labels) abort();
                for (long i = 0; i < r.n; i++) if (r.labels[i] > 9) abort();
            } else {
                check_err(err);
            }
        }
    }
    bn_records_free(&r);
    return 0;
}
