/* solver.h - minibatch training with the assignment's Solver semantics, in double (bn_solver_train)
 * and float (bn_solver_train_f32): see solver_t.h. */
#ifndef BN_SOLVER_H
#define BN_SOLVER_H

#include <gsl/gsl_rng.h>
#include "net.h"
#include "optim.h"
#include "timing.h"   /* BN_PHASE_COUNT: the history's phase seconds */

#define BN_PREDICT_BATCH 100

typedef struct {
    bn_rule rule;
    double lr, lr_decay;     /* lr *= lr_decay at the end of every epoch */
    int epochs, batch_size;
    int num_train_samples;   /* accuracy checks on at most this many training samples */
    const char *label;       /* progress prefix, e.g. "deepnet batchnorm" */
    /* Called after every update (t: 0-based iteration; epoch_end: 1 at an epoch's last one), to
     * watch the weights change (experiment 8); NULL for none. */
    void (*after_step)(void *ctx, long t, int epoch_end);
    void *step_ctx;
    /* Ablations (experiment 9), 0 for none: the normalisation's eps during this training, and the
     * output layer's weight scale in place of the others' (bn_solver_train_new only). */
    double eps, out_scale;
} bn_solver_cfg;

/* Everything a training records. Sized by bn_history_alloc before training starts. */
typedef struct {
    long iters;              /* epochs * max(N / batch, 1) */
    int checks;              /* accuracy checks: first iteration, every epoch end, last (once) */
    double *loss;            /* (iters) loss per iteration, non-finite kept as is */
    long *check_iter;        /* (checks) iteration (1-based) after which each check ran */
    int *check_epoch;        /* (checks) epoch count at each check */
    double *train_acc, *val_acc;  /* (checks) */
    double best_val;         /* best validation accuracy; its parameters are left in the net */
    long nonfinite;          /* iterations whose loss was not finite */
    double *phase;           /* (BN_PHASE_COUNT) seconds of the training by phase (timing.h) */
} bn_history;

long bn_solver_iters(int epochs, int N, int batch_size);
int bn_solver_checks(long iters, long iters_per_epoch);
/* Point the history's arrays at `mem` (from bn_history_doubles(...) doubles, 8-byte aligned),
 * so histories can live in memory shared between processes. */
long bn_history_doubles(long iters, int checks);
void bn_history_bind(bn_history *h, double *mem, long iters, int checks);

#define BN_F32 0
#include "solver_t.h"
#define BN_F32 1
#include "solver_t.h"

#endif
