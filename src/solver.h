/* solver.h - minibatch training with the assignment's Solver semantics. */
#ifndef BN_SOLVER_H
#define BN_SOLVER_H

#include <gsl/gsl_rng.h>
#include "net.h"
#include "optim.h"

#define BN_PREDICT_BATCH 100

typedef struct {
    bn_rule rule;
    double lr, lr_decay;     /* lr *= lr_decay at the end of every epoch */
    int epochs, batch_size;
    int num_train_samples;   /* accuracy checks on at most this many training samples */
    const char *label;       /* progress prefix, e.g. "deepnet batchnorm" */
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
} bn_history;

long bn_solver_iters(int epochs, int N, int batch_size);
int bn_solver_checks(long iters, long iters_per_epoch);
/* Point the history's arrays at `mem` (from bn_history_doubles(...) doubles, 8-byte aligned),
 * so histories can live in memory shared between processes. */
long bn_history_doubles(long iters, int checks);
void bn_history_bind(bn_history *h, double *mem, long iters, int checks);

/* Train net from its current parameters. r draws the minibatches and any accuracy subsample. */
void bn_solver_train(bn_net *net, const bn_solver_cfg *cfg, const double *Xtr, const int *ytr, int Ntr,
                     const double *Xval, const int *yval, int Nval, gsl_rng *r, bn_history *h);

/* Fraction of rows of X (N) predicted as y, predicting in batches of BN_PREDICT_BATCH. pred: N ints. */
double bn_accuracy(bn_net *net, const double *X, const int *y, int N, int *pred);

#endif
