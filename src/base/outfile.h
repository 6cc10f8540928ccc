/* outfile.h - result files written whole or not at all, and the folders that hold them. */
#ifndef BN_OUTFILE_H
#define BN_OUTFILE_H

#include <stdio.h>

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

/* Remove temporary files in dir whose writing process no longer exists (killed outright). */
void bn_remove_stale_tmp(const char *dir);

/* Create directory `dir` (and parents); fatal error naming it on failure. */
void bn_mkdir_p(const char *dir);

#endif
