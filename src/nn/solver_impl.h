/* solver_impl.h - training and accuracy for one dtype (included by solver.c once per dtype, with
 * BN_F32 set; see real.h). */
#include "real.h"

double BN_FN(bn_accuracy)(BN_FN(bn_net) *net, const REAL *X, const int *y, int N, int *pred)
{
    int D = net->dims[0], correct = 0;
    for (int s = 0; s < N; s += BN_PREDICT_BATCH) {
        int n = N - s < BN_PREDICT_BATCH ? N - s : BN_PREDICT_BATCH;
        BN_FN(bn_net_predict)(net, X + (long)s * D, n, pred + s);
    }
    for (int i = 0; i < N; i++) correct += pred[i] == y[i];
    return N ? (double)correct / N : 0.0;
}

void BN_FN(bn_solver_train)(BN_FN(bn_net) *net, const bn_solver_cfg *cfg, const REAL *Xtr, const int *ytr, int Ntr,
                            const REAL *Xval, const int *yval, int Nval, gsl_rng *r, bn_history *h)
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
    REAL *Xb = bn_malloc((size_t)B * D * sizeof(REAL));
    int *yb = bn_malloc((size_t)B * sizeof(int));
    int *pred = bn_malloc((size_t)(npred ? npred : 1) * sizeof(int));
    REAL *best = bn_malloc((size_t)net->nparams * sizeof(REAL));
    REAL *bstate = NULL;
    long nstate = 0;
    for (int l = 0; l < net->L - 1; l++) nstate += 2L * net->dims[l + 1];
    bstate = bn_malloc((size_t)(nstate ? nstate : 1) * sizeof(REAL));
    REAL *Xsub = NULL;
    int *ysub = NULL;
    if (nsub < Ntr) {
        Xsub = bn_malloc((size_t)nsub * D * sizeof(REAL));
        ysub = bn_malloc((size_t)nsub * sizeof(int));
    }
    BN_FN(bn_optim) opt;
    BN_FN(bn_optim_init)(&opt, cfg->rule, cfg->lr, net->nparams);

    double eps_saved = bn_eps;
    if (cfg->eps > 0) bn_eps = cfg->eps;
    h->best_val = -1.0;
    h->nonfinite = 0;
    int epoch = 0, c = 0;
    double t0 = bn_now();
    /* seconds by phase (timing.h): tp marks the end of the last one timed */   /* bench */
    double ph[BN_PHASE_COUNT] = {0}, tp = t0;   /* bench */
#define PHASE_END(p) do { double tn_ = bn_now(); ph[p] += tn_ - tp; tp = tn_; } while (0)   /* bench */
    for (long t = 0; t < iters; t++) {
        for (int i = 0; i < B; i++) {
            int k = (int)gsl_rng_uniform_int(r, (unsigned long)Ntr);   /* with replacement */
            memcpy(Xb + (long)i * D, Xtr + (long)k * D, (size_t)D * sizeof(REAL));
            yb[i] = ytr[k];
        }
        PHASE_END(BN_PHASE_COPIES);   /* bench */
        double g0 = bn_gemm_seconds;   /* bench */
        double loss = BN_FN(bn_net_loss)(net, Xb, yb, B);
        ph[BN_PHASE_PRODUCTS] += bn_gemm_seconds - g0;   /* bench */
        PHASE_END(BN_PHASE_ELEMENTWISE);   /* bench */
        ph[BN_PHASE_ELEMENTWISE] -= bn_gemm_seconds - g0;   /* bench */
        h->loss[t] = loss;
        if (!isfinite(loss)) h->nonfinite++;
        BN_FN(bn_optim_step)(&opt, net->params, net->grads);
        PHASE_END(BN_PHASE_UPDATE);   /* bench */

        int epoch_end = (t + 1) % ipe == 0;
        if (cfg->after_step) cfg->after_step(cfg->step_ctx, t, epoch_end);
        if (epoch_end) {
            epoch++;
            opt.lr *= cfg->lr_decay;
        }
        PHASE_END(BN_PHASE_OTHER);   /* bench */
        if (t == 0 || t == iters - 1 || epoch_end) {
            g0 = bn_gemm_seconds;   /* bench */
            const REAL *Xc = Xtr;
            const int *yc = ytr;
            if (Xsub) {
                for (int i = 0; i < nsub; i++) {
                    int k = (int)gsl_rng_uniform_int(r, (unsigned long)Ntr);
                    memcpy(Xsub + (long)i * D, Xtr + (long)k * D, (size_t)D * sizeof(REAL));
                    ysub[i] = ytr[k];
                }
                Xc = Xsub;
                yc = ysub;
            }
            double tr = BN_FN(bn_accuracy)(net, Xc, yc, nsub, pred);
            double va = BN_FN(bn_accuracy)(net, Xval, yval, Nval, pred);
            h->train_acc[c] = tr;
            h->val_acc[c] = va;
            h->check_iter[c] = t + 1;
            h->check_epoch[c] = epoch;
            c++;
            ph[BN_PHASE_CHECK_PRODUCTS] += bn_gemm_seconds - g0;   /* bench */
            PHASE_END(BN_PHASE_CHECKS);   /* bench */
            if (va > h->best_val) {
                h->best_val = va;
                memcpy(best, net->params, (size_t)net->nparams * sizeof(REAL));
                memcpy(bstate, net->state, (size_t)nstate * sizeof(REAL));
            }
            PHASE_END(BN_PHASE_COPIES);   /* bench */
            if (bn_verbose)   /* per-epoch detail only with -v; the status line counts trainings */
                bn_progress("  %s: epoch %d/%d  loss %.4f  train acc %.3f  val acc %.3f  (%.1f s)",
                            cfg->label ? cfg->label : "train", epoch, cfg->epochs, loss, tr, va, bn_now() - t0);
        }
    }
    /* Keep the best parameters, as the assignment's Solver does. */
    memcpy(net->params, best, (size_t)net->nparams * sizeof(REAL));
    memcpy(net->state, bstate, (size_t)nstate * sizeof(REAL));
    PHASE_END(BN_PHASE_COPIES);   /* bench */
#undef PHASE_END   /* bench */
    memcpy(h->phase, ph, sizeof ph);   /* bench */

    bn_eps = eps_saved;
    BN_FN(bn_optim_free)(&opt);
    free(Xb); free(yb); free(pred); free(best); free(bstate); free(Xsub); free(ysub);
}

void BN_FN(bn_solver_train_new)(const int *hidden, int nhidden, bn_norm norm, double weight_scale,
                                const bn_solver_cfg *cfg, const REAL *Xtr, const int *ytr, int Ntr, const REAL *Xval,
                                const int *yval, int Nval, int dim, int classes, gsl_rng *ri, gsl_rng *rb,
                                bn_history *h)
{
    int maxb = cfg->batch_size > BN_PREDICT_BATCH ? cfg->batch_size : BN_PREDICT_BATCH;
    BN_FN(bn_net) *net = BN_FN(bn_net_new)(hidden, nhidden, dim, classes, norm, 0.0, maxb);
    BN_FN(bn_net_init)(net, ri, weight_scale);
    if (cfg->out_scale > 0) {   /* the same draws, the output layer's at another scale */
        int l = net->L - 1;
        long n = (long)net->dims[l] * net->dims[l + 1];
        for (long i = 0; i < n; i++) net->W[l][i] = (REAL)(net->W[l][i] * (cfg->out_scale / weight_scale));
    }
    BN_FN(bn_solver_train)(net, cfg, Xtr, ytr, Ntr, Xval, yval, Nval, rb, h);
    BN_FN(bn_net_free)(net);
}

#undef BN_F32
#include "real.h"
