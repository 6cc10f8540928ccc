/* runner.h - independent trainings run in parallel worker processes, results in shared memory. */
#ifndef BN_RUNNER_H
#define BN_RUNNER_H

#include <stddef.h>
#include "net.h"
#include "solver.h"

/* One training: a net built from these fields, trained on the given data. Streams are keyed by
 * (seed, experiment, point) only, so variants at the same point draw the same weights and batches. */
typedef struct {
    const char *experiment;
    long point;
    char label[96];
    int hidden[BN_MAX_LAYERS], nhidden;
    bn_norm norm;
    double weight_scale;
    bn_solver_cfg cfg;
    /* filled by bn_run_jobs */
    bn_history h;
    double seconds;
} bn_job;

/* Training data shared by all jobs (read-only; inherited by the worker processes), in the
 * training dtype: Xtr/Xval for float64, Xtr32/Xval32 for float32. */
typedef struct {
    const double *Xtr, *Xval;
    const int *ytr, *yval;
    int Ntr, Nval, dim, classes;
    bn_dtype dtype;
    const float *Xtr32, *Xval32;
} bn_trainset;

/* The memory the histories live in, shared with the worker processes. */
typedef struct {
    void *base;
    size_t size;
} bn_shared;

/* Run every job with `workers` processes (1: in this process). The jobs' histories point into the
 * returned mapping; release it when they are written. Results do not depend on workers or order. */
bn_shared bn_run_jobs(bn_job *jobs, int njobs, int workers, unsigned long seed, const bn_trainset *d);
void bn_shared_release(bn_shared *s);

/* Run task(0..n-1, ctx) with `workers` processes (1: in this process), under a progress line
 * NAME. Tasks return their results through memory they share with this process (MAP_SHARED):
 * a worker's own memory is gone when it ends. A worker that fails stops the others, and the
 * error names each failure. */
void bn_run_parallel(int n, int workers, const char *name, void (*task)(int i, void *ctx), void *ctx);

#endif
