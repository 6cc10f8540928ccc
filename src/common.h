/* common.h - checked allocation, errors, atomic output files, RNG streams, timing. */
#ifndef BN_COMMON_H
#define BN_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>

/* Allocation that never returns NULL: on failure it reports the caller's file and line and exits. */
void *bn_malloc_at(size_t n, const char *file, int line);
void *bn_calloc_at(size_t count, size_t size, const char *file, int line);
#define bn_malloc(n) bn_malloc_at((n), __FILE__, __LINE__)
#define bn_calloc(c, s) bn_calloc_at((c), (s), __FILE__, __LINE__)

/* Program name used as the prefix of every error line. */
extern const char *bn_progname;
/* Quiet flag: when set, progress lines are suppressed (errors never are). */
extern int bn_quiet;

/* Print "prog: message" on stderr and exit with `status`. */
void bn_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Print "prog: message" on stderr (a warning; execution continues). */
void bn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress line on stderr, silenced by bn_quiet. */
void bn_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An output file written to "<path>.tmp.<pid>" and renamed onto <path> by bn_out_commit,
 * so a reader never sees a half-written result. Any write error is fatal and names the file. */
typedef struct {
    FILE *f;
    char path[4096];
    char tmp[4200];
} bn_out;
void bn_out_open(bn_out *o, const char *dir, const char *name);
void bn_out_printf(bn_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bn_out_commit(bn_out *o);
/* Remove every temporary file still open (called on fatal errors and signals). */
void bn_out_abort_all(void);

/* Write a one-line reason into err (for functions that report instead of exiting); returns -1. */
int bn_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A whole file in memory, NUL-terminated, its length in *len (the NUL not counted); NULL with
 * "<path>: problem" in err if it cannot be read. */
char *bn_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Remove temporary files in dir whose writing process no longer exists (killed outright). */
void bn_remove_stale_tmp(const char *dir);

/* Create directory `dir` (and parents); fatal error naming it on failure. */
void bn_mkdir_p(const char *dir);

/* 64-bit stream key from (seed, experiment name, point, stream name): FNV-1a over the
 * bytes, finished with splitmix64, so every independent training gets its own generator. */
uint64_t bn_stream_key(unsigned long seed, const char *experiment, long point, const char *stream);
/* A gsl_rng_mt19937 seeded from bn_stream_key(...). Caller frees with gsl_rng_free. */
gsl_rng *bn_rng_new(unsigned long seed, const char *experiment, long point, const char *stream);

/* Monotonic wall-clock seconds. */
double bn_now(void);

/* Format a double for data files: shortest "%.17g"-exact text; non-finite as nan/inf/-inf. */
void bn_fmt(char *buf, size_t n, double v);

/* Make every BLAS call in this process single-threaded (parallelism is across processes). */
void bn_blas_single_thread(void);
/* OpenBLAS build configuration and core name, for provenance. */
const char *bn_blas_config(void);
const char *bn_blas_corename(void);

#endif
