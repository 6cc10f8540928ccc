/* solver.c - see solver.h. The training loop is written once, in solver_impl.h, and compiled
 * here for double and for float. */
#include "solver.h"
#include "common.h"
#include "timing.h"
#include "layers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

long bn_solver_iters(int epochs, int N, int batch_size)
{
    long ipe = N / batch_size;
    if (ipe < 1) ipe = 1;
    return ipe * epochs;
}

int bn_solver_checks(long iters, long ipe)
{
    int c = 0;
    for (long t = 0; t < iters; t++)
        if (t == 0 || t == iters - 1 || (t + 1) % ipe == 0) c++;
    return c;
}

long bn_history_doubles(long iters, int checks)
{
    /* loss, check_iter, check_epoch (as doubles' worth of space), train_acc, val_acc, phase */
    return iters + 4L * checks + BN_PHASE_COUNT;
}

void bn_history_bind(bn_history *h, double *mem, long iters, int checks)
{
    memset(h, 0, sizeof *h);
    h->iters = iters;
    h->checks = checks;
    h->loss = mem;
    h->train_acc = mem + iters;
    h->val_acc = h->train_acc + checks;
    h->check_iter = (long *)(h->val_acc + checks);
    h->check_epoch = (int *)(h->check_iter + checks);
    h->phase = mem + iters + 4L * checks;
}

#define BN_F32 0
#include "solver_impl.h"
#define BN_F32 1
#include "solver_impl.h"
