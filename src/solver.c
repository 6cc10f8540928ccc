/* solver.c - see solver.h. */
#include "solver.h"
#include "common.h"

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
    /* loss, check_iter, check_epoch (as doubles' worth of space), train_acc, val_acc */
    return iters + 4L * checks;
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
}

double bn_accuracy(bn_net *net, const double *X, const int *y, int N, int *pred)
{
    int D = net->dims[0], correct = 0;
    for (int s = 0; s < N; s += BN_PREDICT_BATCH) {
        int n = N - s < BN_PREDICT_BATCH ? N - s : BN_PREDICT_BATCH;
        bn_net_predict(net, X + (long)s * D, n, pred + s);
    }
    for (int i = 0; i < N; i++) correct += pred[i] == y[i];
    return N ? (double)correct / N : 0.0;
}

void bn_solver_train(bn_net *net, const bn_solver_cfg *cfg, const double *Xtr, const int *ytr, int Ntr,
                     const double *Xval, const int *yval, int Nval, gsl_rng *r, bn_history *h)
{
    int D = net->dims[0], B = cfg->batch_size;
    long ipe = Ntr / B < 1 ? 1 : Ntr / B;
    long iters = ipe * cfg->epochs;
    if (iters != h->iters || bn_solver_checks(iters, ipe) != h->checks)
        bn_die(1, "internal: history sized for %ld iterations, training needs %ld", h->iters, iters);
    if (B > net->max_batch || net->max_batch < BN_PREDICT_BATCH)
        bn_die(1, "internal: net built for batches of %d, solver needs %d", net->max_batch, B);

    /* Everything the loop touches is allocated here, once. */
    int nsub = Ntr > cfg->num_train_samples ? cfg->num_train_samples : Ntr;
    int npred = nsub > Nval ? nsub : Nval;
    double *Xb = bn_malloc((size_t)B * D * sizeof(double));
    int *yb = bn_malloc((size_t)B * sizeof(int));
    int *pred = bn_malloc((size_t)(npred ? npred : 1) * sizeof(int));
    double *best = bn_malloc((size_t)net->nparams * sizeof(double));
    double *bstate = NULL;
    long nstate = 0;
    for (int l = 0; l < net->L - 1; l++) nstate += 2L * net->dims[l + 1];
    bstate = bn_malloc((size_t)(nstate ? nstate : 1) * sizeof(double));
    double *Xsub = NULL;
    int *ysub = NULL;
    if (nsub < Ntr) {
        Xsub = bn_malloc((size_t)nsub * D * sizeof(double));
        ysub = bn_malloc((size_t)nsub * sizeof(int));
    }
    bn_optim opt;
    bn_optim_init(&opt, cfg->rule, cfg->lr, net->nparams);

    h->best_val = -1.0;
    h->nonfinite = 0;
    int epoch = 0, c = 0;
    double t0 = bn_now();
    for (long t = 0; t < iters; t++) {
        for (int i = 0; i < B; i++) {
            int k = (int)gsl_rng_uniform_int(r, (unsigned long)Ntr);   /* with replacement */
            memcpy(Xb + (long)i * D, Xtr + (long)k * D, (size_t)D * sizeof(double));
            yb[i] = ytr[k];
        }
        double loss = bn_net_loss(net, Xb, yb, B);
        h->loss[t] = loss;
        if (!isfinite(loss)) h->nonfinite++;
        bn_optim_step(&opt, net->params, net->grads);

        int epoch_end = (t + 1) % ipe == 0;
        if (epoch_end) {
            epoch++;
            opt.lr *= cfg->lr_decay;
        }
        if (t == 0 || t == iters - 1 || epoch_end) {
            const double *Xc = Xtr;
            const int *yc = ytr;
            if (Xsub) {
                for (int i = 0; i < nsub; i++) {
                    int k = (int)gsl_rng_uniform_int(r, (unsigned long)Ntr);
                    memcpy(Xsub + (long)i * D, Xtr + (long)k * D, (size_t)D * sizeof(double));
                    ysub[i] = ytr[k];
                }
                Xc = Xsub;
                yc = ysub;
            }
            double tr = bn_accuracy(net, Xc, yc, nsub, pred);
            double va = bn_accuracy(net, Xval, yval, Nval, pred);
            h->train_acc[c] = tr;
            h->val_acc[c] = va;
            h->check_iter[c] = t + 1;
            h->check_epoch[c] = epoch;
            c++;
            if (va > h->best_val) {
                h->best_val = va;
                memcpy(best, net->params, (size_t)net->nparams * sizeof(double));
                memcpy(bstate, net->state, (size_t)nstate * sizeof(double));
            }
            bn_progress("  %s: epoch %d/%d  loss %.4f  train acc %.3f  val acc %.3f  (%.1f s)",
                        cfg->label ? cfg->label : "train", epoch, cfg->epochs, loss, tr, va, bn_now() - t0);
        }
    }
    /* Keep the best parameters, as the assignment's Solver does. */
    memcpy(net->params, best, (size_t)net->nparams * sizeof(double));
    memcpy(net->state, bstate, (size_t)nstate * sizeof(double));

    bn_optim_free(&opt);
    free(Xb); free(yb); free(pred); free(best); free(bstate); free(Xsub); free(ysub);
}
