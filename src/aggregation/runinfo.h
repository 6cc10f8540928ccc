/* runinfo.h - what a run folder says about itself: its files and its key<TAB>value *.info.tsv
 * files (seed, options, dataset, commit, GEMM kernels), as the bnagg tools read them. */
#ifndef BN_RUNINFO_H
#define BN_RUNINFO_H

#include <stddef.h>

/* What a run folder says about itself (from its *.info.tsv files; "unknown" where they are
 * silent). Each value is allocated whole, however long: what the project's own scripts write
 * (a dirty checkout's list of changed files, a long dataset path) is never refused for its length. */
typedef struct {
    char *seed, *bnflags, *dataset, *commit, *dirty;
    /* the GEMM kernels and CPU model(s) its trainings were made with (machine.info.tsv;
     * several joined by "; " when they were made on different machines) */
    char *blas_core, *cpu_model;
    /* where its bytes can be made again (machine.info.tsv's reproducible_on; older runs: only
     * with the same kernels) */
    char *reproducible_on;
} bn_run_info;

/* 1 when the run's bytes do not depend on the CPU (fixed-order arithmetic) */
int bn_run_any_cpu(const bn_run_info *ri);

/* True if dir/name is a regular file. */
int bn_run_has(const char *dir, const char *name);
/* The value of `key` in the run's key<TAB>value file `file`, allocated (free it); NULL if the
 * file or the key is absent (a file that cannot be parsed is a fatal error naming it). */
char *bn_run_kv(const char *dir, const char *file, const char *key);
void bn_run_info_get(const char *dir, bn_run_info *ri);
void bn_run_info_free(bn_run_info *ri);
/* The first key whose value differs between two runs' key<TAB>value files `file` (rows with
 * key `skip` aside), into why; 0 if they agree or either run lacks the file. */
int bn_run_kv_differ(const char *a, const char *b, const char *file, const char *skip, char *why, size_t n);
/* The path of folder `to` relative to folder `from` ("../../seed-0"), both taken from the working
 * folder with "." and ".." resolved by name, as a browser resolves a link; -1 if it does not fit. */
int bn_rel_path(const char *from, const char *to, char *out, size_t n);

#endif
