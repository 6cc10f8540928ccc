/* testutil.h - helpers shared by the cmocka unit tests: numeric assertions that print what they
 * measured, seeded random buffers, temporary folders, small generated data files, running commands.
 *
 * Include this header first in every test file: it selects the POSIX interfaces (mkdtemp, fork,
 * opendir, setenv) before any system header is read.
 *
 * Set TU_VERBOSE=1 in the environment to have every bounded check print the value it measured,
 * e.g.  TU_VERBOSE=1 build/tests/test_layers  (that is how the bounds in these files were chosen). */
#ifndef BN_TESTUTIL_H
#define BN_TESTUTIL_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "data.h"
#include "gradcheck.h"

/* ---------- numeric assertions ---------- */

static inline int tu_verbose(void)
{
    const char *v = getenv("TU_VERBOSE");
    return v && *v && strcmp(v, "0") != 0;
}

static inline void tu_below_at(const char *what, double value, double bound, const char *file, int line)
{
    if (tu_verbose()) print_message("[ measure  ] %-46s %.3e  (bound %.1e)\n", what, value, bound);
    /* written so that NaN fails */
    if (!(value <= bound)) {
        print_error("%s = %.6e, expected at most %.1e\n", what, value, bound);
        _fail(file, line);
    }
}
/* value <= bound (NaN fails); prints the measurement under TU_VERBOSE. */
#define tu_assert_below(what, value, bound) tu_below_at((what), (value), (bound), __FILE__, __LINE__)

static inline void tu_near_at(double actual, double expected, double tol, const char *expr, const char *file,
                              int line)
{
    if (!(fabs(actual - expected) <= tol)) {
        print_error("%s = %.17g, expected %.17g (difference %.3e, tolerance %.1e)\n", expr, actual, expected,
                    fabs(actual - expected), tol);
        _fail(file, line);
    }
}
/* max that propagates NaN (fmax would drop it and hide a broken value). */
static inline double tu_max(double a, double b)
{
    if (isnan(a) || isnan(b)) return NAN;
    return a > b ? a : b;
}

/* |actual - expected| <= tol (absolute); NaN fails. */
#define tu_assert_near(actual, expected, tol) tu_near_at((actual), (expected), (tol), #actual, __FILE__, __LINE__)

static inline void tu_rel_at(double actual, double expected, double rtol, const char *expr, const char *file, int line)
{
    double den = fabs(expected) > 0.0 ? fabs(expected) : 1.0;
    if (!(fabs(actual - expected) / den <= rtol)) {
        print_error("%s = %.17g, expected %.17g (relative difference %.3e, tolerance %.1e)\n", expr, actual,
                    expected, fabs(actual - expected) / den, rtol);
        _fail(file, line);
    }
}
/* |actual - expected| <= rtol*|expected| (absolute when expected is 0); NaN fails. */
#define tu_assert_rel(actual, expected, rtol) tu_rel_at((actual), (expected), (rtol), #actual, __FILE__, __LINE__)

/* ---------- gradient-check errors ---------- */

/* Worst errors of analytic against numerical gradients over several arrays / seeds.
 * rel is the assignment's element-wise bn_rel_error. It is only as small as the rounding noise
 * of the numerical gradient (~1e-11 absolute with h = 1e-5) divided by the smallest |element|,
 * so an element that happens to nearly cancel (|g| ~ 1e-6) drives it to ~1e-5 with nothing
 * wrong. scaled = max|a - b| / max(max|a|, max|b|) measures the same noise against the size of
 * the whole gradient and does not depend on such accidents; a wrong formula shows up in both. */
typedef struct {
    double rel, scaled;
} tu_err;

static inline double tu_scaled_error(const double *a, const double *b, long n)
{
    double num = 0.0, den = 0.0;
    for (long i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= num)) num = d;   /* NaN propagates */
        if (fabs(a[i]) > den) den = fabs(a[i]);
        if (fabs(b[i]) > den) den = fabs(b[i]);
    }
    return num / (den > 0.0 ? den : 1.0);
}

static inline void tu_err_add(tu_err *e, const double *analytic, const double *numeric, long n)
{
    double r = bn_rel_error(analytic, numeric, n), s = tu_scaled_error(analytic, numeric, n);
    if (!(r <= e->rel)) e->rel = r;
    if (!(s <= e->scaled)) e->scaled = s;
}

/* ---------- random buffers ---------- */

/* A mt19937 generator with an explicit seed; free with gsl_rng_free. */
static inline gsl_rng *tu_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* x (n) = shift + scale * N(0,1) */
static inline void tu_fill_gaussian(double *x, long n, gsl_rng *r, double scale, double shift)
{
    for (long i = 0; i < n; i++) x[i] = shift + scale * gsl_ran_gaussian(r, 1.0);
}

/* n zeroed doubles (test memory is freed by the test; ASan checks that it is). */
static inline double *tu_doubles(long n)
{
    double *p = calloc((size_t)(n > 0 ? n : 1), sizeof(double));
    assert_non_null(p);
    return p;
}

/* ---------- files and folders ---------- */

/* Create a fresh folder /tmp/bnlab-test-XXXXXX into dir (at least 64 bytes). */
static inline void tu_mkdtemp(char *dir, size_t n)
{
    assert_true(n >= 32);
    snprintf(dir, n, "/tmp/bnlab-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

/* Remove path and, if it is a folder, everything under it. */
static inline void tu_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            assert_non_null(sub);
            snprintf(sub, n, "%s/%s", path, e->d_name);
            tu_rm_rf(sub);
            free(sub);
        }
        closedir(d);
        assert_int_equal(rmdir(path), 0);
    } else {
        assert_int_equal(unlink(path), 0);
    }
}

/* cmocka setup/teardown: a fresh temporary folder for one test (its path in *state), removed after. */
static inline int tu_setup_dir(void **state)
{
    char *dir = malloc(64);
    assert_non_null(dir);
    tu_mkdtemp(dir, 64);
    *state = dir;
    return 0;
}

static inline int tu_teardown_dir(void **state)
{
    tu_rm_rf(*state);
    free(*state);
    return 0;
}

/* buf = "dir/name" */
static inline const char *tu_path(char *buf, size_t n, const char *dir, const char *name)
{
    int k = snprintf(buf, n, "%s/%s", dir, name);
    assert_true(k > 0 && (size_t)k < n);
    return buf;
}

static inline void tu_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len) assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Whole file into a malloc'd buffer (NUL-terminated for convenience); *len gets its size. */
static inline uint8_t *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) print_error("cannot open %s: %s\n", path, strerror(errno));
    assert_non_null(f);
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap + 1);
    assert_non_null(b);
    for (;;) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        cap *= 2;
        uint8_t *nb = realloc(b, cap + 1);
        assert_non_null(nb);
        b = nb;
    }
    assert_int_equal(ferror(f), 0);
    fclose(f);
    b[n] = 0;
    *len = n;
    return b;
}

/* 1 if both files exist and hold the same bytes. */
static inline int tu_files_equal(const char *a, const char *b)
{
    size_t na, nb;
    uint8_t *x = tu_read_file(a, &na), *y = tu_read_file(b, &nb);
    int eq = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return eq;
}

/* Write gzip-compressed data with zlib, as the real Fashion-MNIST files are. */
static inline void tu_write_gz(const char *path, const void *data, size_t len)
{
    gzFile g = gzopen(path, "wb");
    assert_non_null(g);
    if (len) assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(g), Z_OK);
}

/* ---------- generated CIFAR-10 batches ---------- */

/* n CIFAR-10 records as laid out on disk: label byte, then 3072 pixel bytes (R, G, B planes).
 * Returns a malloc'd buffer of n * BN_CIFAR_RECORD bytes. */
static inline uint8_t *tu_cifar_bytes(const uint8_t *labels, const uint8_t *px, long n)
{
    uint8_t *buf = malloc((size_t)(n > 0 ? n : 1) * BN_CIFAR_RECORD);
    assert_non_null(buf);
    for (long i = 0; i < n; i++) {
        buf[(size_t)i * BN_CIFAR_RECORD] = labels[i];
        memcpy(buf + (size_t)i * BN_CIFAR_RECORD + 1, px + (size_t)i * BN_CIFAR_DIM, BN_CIFAR_DIM);
    }
    return buf;
}

static inline void tu_write_cifar(const char *path, const uint8_t *labels, const uint8_t *px, long n)
{
    uint8_t *buf = tu_cifar_bytes(labels, px, n);
    tu_write_file(path, buf, (size_t)n * BN_CIFAR_RECORD);
    free(buf);
}

/* A CIFAR-10 batch file of n records with labels uniform in 0-9 and pixels uniform in 0-255. */
static inline void tu_write_cifar_random(const char *path, long n, gsl_rng *r)
{
    uint8_t *labels = malloc((size_t)(n > 0 ? n : 1)), *px = malloc((size_t)(n > 0 ? n : 1) * BN_CIFAR_DIM);
    assert_non_null(labels);
    assert_non_null(px);
    for (long i = 0; i < n; i++) {
        labels[i] = (uint8_t)gsl_rng_uniform_int(r, 10);
        for (int j = 0; j < BN_CIFAR_DIM; j++) px[(size_t)i * BN_CIFAR_DIM + j] = (uint8_t)gsl_rng_uniform_int(r, 256);
    }
    tu_write_cifar(path, labels, px, n);
    free(labels);
    free(px);
}

/* A CIFAR-10 folder (data_batch_1..5.bin, test_batch.bin) of n random records per file. */
static inline void tu_write_cifar_folder(const char *dir, long n, unsigned long seed)
{
    gsl_rng *r = tu_rng(seed);
    char path[4200];
    for (int b = 1; b <= 5; b++) {
        char name[32];
        snprintf(name, sizeof name, "data_batch_%d.bin", b);
        tu_write_cifar_random(tu_path(path, sizeof path, dir, name), n, r);
    }
    tu_write_cifar_random(tu_path(path, sizeof path, dir, "test_batch.bin"), n, r);
    gsl_rng_free(r);
}

/* ---------- processes ---------- */

/* Run a shell command; returns its exit status, or -1 if it did not exit normally. */
static inline int tu_system(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int tu_system(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_true(k > 0 && (size_t)k < sizeof cmd);
    fflush(NULL);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

/* Run fn(ctx) in a child process whose stderr goes to a file; returns the child's exit status
 * (0 if fn returns, -1 if the child was killed) and its stderr in err. For library paths that
 * end the process with a one-line error (bn_die). */
static inline int tu_run_child(void (*fn)(void *), void *ctx, char *err, size_t errlen)
{
    char dir[64], path[128];
    tu_mkdtemp(dir, sizeof dir);
    tu_path(path, sizeof path, dir, "stderr");
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, 2) < 0) _exit(127);
        close(fd);
        fn(ctx);
        fflush(NULL);
        _exit(0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) assert_int_equal(errno, EINTR);
    size_t n;
    uint8_t *b = tu_read_file(path, &n);
    snprintf(err, errlen, "%s", (const char *)b);
    free(b);
    tu_rm_rf(dir);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Path of the real binary from $BNLAB; skips the calling test when it is not set. */
#define TU_BNLAB_OR_SKIP(var)                                              \
    const char *var = getenv("BNLAB");                                     \
    do {                                                                   \
        if (!var || !*var) {                                               \
            print_message("BNLAB is not set: skipping (run via make)\n");  \
            skip();                                                        \
        }                                                                  \
    } while (0)

/* BN_TEST=PATTERN runs only the cases whose names match it (cmocka's * and ? wildcards):
   `make unit BN_TEST='*staged*'`. Called by each test program's main before its group runs. */
static inline void tu_filter(void)
{
    const char *f = getenv("BN_TEST");
    if (f && *f) cmocka_set_test_filter(f);
}

#endif
