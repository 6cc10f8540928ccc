/* exp_activations_impl.h - experiment 8's measurements of one training, for one dtype (included by
 * exp_activations.c once per dtype, with BN_F32 set; see real.h): the trainings run in the
 * study's dtype, the rescaling measurement in double (rescale). */
#include "real.h"

/* ||a||, summed in double whatever the dtype */
static double BN_FN(norm2)(const REAL *a, long n)
{
    double s = 0.0;
    for (long i = 0; i < n; i++) {
        double x = a[i];
        s += x * x;
    }
    return sqrt(s);
}

/* ||P||^2 and ||W - P||^2 in one pass, summed in double in four interleaved partial sums (a fixed
 * order, so the same bits at any -j; independent sums let the loop run at the adds' throughput
 * rather than wait on each one's latency, as the watcher runs after every update) */
static void BN_FN(norms2)(const REAL *W, const REAL *P, long n, double *pp, double *dd)
{
    double p[4] = {0.0, 0.0, 0.0, 0.0}, d[4] = {0.0, 0.0, 0.0, 0.0};
    long i = 0;
    for (; i + 4 <= n; i += 4)
        for (int k = 0; k < 4; k++) {
            double x = P[i + k], y = (double)W[i + k] - x;
            p[k] += x * x;
            d[k] += y * y;
        }
    for (; i < n; i++) {
        double x = P[i], y = (double)W[i] - x;
        p[0] += x * x;
        d[0] += y * y;
    }
    *pp = (p[0] + p[1]) + (p[2] + p[3]);
    *dd = (d[0] + d[1]) + (d[2] + d[3]);
}

/* The weights before the last update, and each layer's sum of ||dW|| / ||W|| over the epoch. */
typedef struct {
    BN_FN(bn_net) *net;
    slab *f;
    const char *prefix;       /* "norm\tpoint\tweight_scale" of the rows */
    REAL *prev;
    double sum[BN_MAX_LAYERS];
    double last_norm[BN_MAX_LAYERS];   /* ||W|| at the last epoch's end */
    long steps;
    int epoch, epochs;
    long watched;   /* how many first iterations get a row each: ACT_WATCH_ITERS, or all of a short training */
} BN_FN(watch);

static long BN_FN(wsize)(const BN_FN(bn_net) *net, int l) { return (long)net->dims[l] * net->dims[l + 1]; }

/* After update t: ||W|| before it and ||W_after - W_before|| / ||W_before||, per layer; `last` marks
 * the rows of the final epoch. */
static void BN_FN(watch_step)(void *ctx, long t, int epoch_end)
{
    BN_FN(watch) *w = ctx;
    BN_FN(bn_net) *net = w->net;
    char a[64], b[64];
    for (int l = 0; l < net->L; l++) {
        const REAL *W = net->W[l], *P = w->prev + (net->W[l] - net->params);
        double pp, dd;
        BN_FN(norms2)(W, P, BN_FN(wsize)(net, l), &pp, &dd);
        double before = sqrt(pp), rel = sqrt(dd) / before;
        w->sum[l] += rel;
        if (t < ACT_WATCH_ITERS) {
            bn_fmt(a, sizeof a, before);
            bn_fmt(b, sizeof b, rel);
            /* last: the last iteration watched (fewer than ACT_WATCH_ITERS when the training is short) */
            slab_printf(w->f, "%s\t%d\t%d\titer\t%ld\t%s\t%s\t%d\n", w->prefix, l + 1, net->dims[l], t + 1, a, b,
                          t + 1 == w->watched);
        }
    }
    w->steps++;
    if (epoch_end) {
        w->epoch++;
        for (int l = 0; l < net->L; l++) {
            w->last_norm[l] = BN_FN(norm2)(net->W[l], BN_FN(wsize)(net, l));
            bn_fmt(a, sizeof a, w->last_norm[l]);
            bn_fmt(b, sizeof b, w->sum[l] / (double)w->steps);
            slab_printf(w->f, "%s\t%d\t%d\tepoch\t%d\t%s\t%s\t%d\n", w->prefix, l + 1, net->dims[l], w->epoch, a, b,
                          w->epoch == w->epochs);
            w->sum[l] = 0.0;
        }
        w->steps = 0;
    }
    memcpy(w->prev, net->params, (size_t)net->nparams * sizeof(REAL));
}

/* Per layer at initialisation: fan-in, the root mean square of its input over the measured batch
 * (mean-subtracted pixels for layer 1, the previous ReLU's output after), the weight scale that
 * would give its pre-activations unit variance, 1 / (rms * sqrt(fan-in)) (since Var z = fan-in *
 * scale^2 * E[x^2] for weights of mean 0) and ||W||, from a forward pass over X just done: the
 * mean square of each layer's input into ms, ||W|| into wn. */
static void BN_FN(layer_init)(const BN_FN(bn_net) *net, const REAL *X, int N, double *ms, double *wn)
{
    for (int l = 0; l < net->L; l++) {
        int D = net->dims[l];
        const REAL *in = l ? net->a[l - 1] : X;
        double sum = 0.0;
        for (long i = 0; i < (long)N * D; i++) sum += (double)in[i] * in[i];
        ms[l] = sum / ((double)N * D);
        wn[l] = BN_FN(norm2)(net->W[l], BN_FN(wsize)(net, l));
    }
}

/* The rows of layer_init's measurements, written once the training is done: with ||W|| at the end
 * of the last epoch (w_end, the watcher's) and its relative change over the training,
 * w_norm_end / w_norm - 1. */
static void BN_FN(layer_rows)(slab *f, const BN_FN(bn_net) *net, const double *ms, const double *wn, const double *w_end,
                              const char *prefix, int largest)
{
    char a[64], b[64], c[64], d[64], e[64];
    for (int l = 0; l < net->L; l++) {
        int D = net->dims[l];
        bn_fmt(a, sizeof a, sqrt(ms[l]));
        bn_fmt(b, sizeof b, 1.0 / sqrt(ms[l] * D));
        bn_fmt(c, sizeof c, wn[l]);
        bn_fmt(d, sizeof d, w_end[l]);
        bn_fmt(e, sizeof e, w_end[l] / wn[l] - 1.0);
        slab_printf(f, "%s\t%d\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\n", prefix, l + 1, l == net->L - 1 ? "scores" : "hidden", D, a,
                    b, c, largest, d, e);
    }
}

/* sqrt of the mean over columns of each column's variance over the N rows (divided by N, as
 * batchnorm computes it): the typical spread of one unit across the batch. */
static double BN_FN(unit_sd)(const REAL *a, int N, int H)
{
    double acc = 0.0;
    for (int j = 0; j < H; j++) {
        double m = 0.0, v = 0.0;
        for (int i = 0; i < N; i++) m += a[(long)i * H + j];
        m /= N;
        for (int i = 0; i < N; i++) {
            double d = a[(long)i * H + j] - m;
            v += d * d;
        }
        acc += v / N;
    }
    return sqrt(acc / H);
}

/* One row per layer of the net as it is now, measured with a train-mode pass over X. */
static void BN_FN(measure)(slab *f, BN_FN(bn_net) *net, const REAL *X, const int *y, int N, int point, const char *ws,
                    const char *stage)
{
    char a[64], b[64], c[64], d[64];
    double loss = BN_FN(bn_net_loss)(net, X, y, N);
    bn_fmt(d, sizeof d, loss);
    for (int l = 0; l < net->L; l++) {
        int H = net->dims[l + 1];
        int out = l == net->L - 1;
        double pre = BN_FN(unit_sd)(out ? net->scores : net->z[l], N, H);
        double post = out || net->norm == BN_NORM_NONE ? pre : BN_FN(unit_sd)(net->hn[l], N, H);
        bn_fmt(a, sizeof a, pre);
        bn_fmt(b, sizeof b, post);
        bn_fmt(c, sizeof c, pre * pre / BN_EPS);
        slab_printf(f, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", bn_norm_name(net->norm), point, ws, stage, l + 1,
                      out ? "scores" : "hidden", a, b, c, d);
    }
}

/* Training i: point pts[i / 2], batchnorm (i even) or none (i odd), measured into its slabs. */
static void BN_FN(act_task)(int i, void *ctx)
{
    const act_ctx *c = ctx;
    const bn_opts *o = c->o;
    int k = i / 2, n = i % 2;
    slab *su = &c->slabs[i * ACT_FILES], *sl = su + 1, *ss = su + 2, *sa = su + 3;
    char w[64];
    double ws = bn_sweep_scale(o, c->pts[k]);
    bn_fmt(w, sizeof w, ws);
    BN_FN(bn_net) *net = BN_FN(bn_net_new)(act_hidden, ACT_NHIDDEN, c->D, c->classes, c->norms[n], 0.0, c->maxb);
    /* both nets of a point draw the same weights and minibatches, as in the sweep */
    gsl_rng *ri = bn_rng_new(o->seed, "activations", c->pts[k], "init");
    gsl_rng *rb = bn_rng_new(o->seed, "activations", c->pts[k], "batch");
    BN_FN(bn_net_init)(net, ri, ws);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s\t%d\t%s", bn_norm_name(c->norms[n]), c->pts[k], w);
    int mr = c->M < ACT_RESCALE_ROWS ? c->M : ACT_RESCALE_ROWS;
    rescale(ss, net, c->Xval, c->yval, mr, prefix, BN_F32);
    BN_FN(measure)(sa, net, c->BN_FN(Xval), c->yval, c->M, c->pts[k], w, "init");
    double ms[BN_MAX_LAYERS], wn[BN_MAX_LAYERS];
    BN_FN(layer_init)(net, c->BN_FN(Xval), c->M, ms, wn);
    REAL *prev = bn_malloc(sizeof(REAL) * (size_t)net->nparams);
    memcpy(prev, net->params, sizeof(REAL) * (size_t)net->nparams);
    BN_FN(watch) wt = {.net = net, .f = su, .prefix = prefix, .prev = prev, .epochs = o->epochs,
                .watched = c->iters < ACT_WATCH_ITERS ? c->iters : ACT_WATCH_ITERS};
    int checks = bn_solver_checks(c->iters, c->iters / o->epochs);
    double *hmem = bn_malloc(sizeof(double) * (size_t)bn_history_doubles(c->iters, checks));
    bn_history h;
    bn_history_bind(&h, hmem, c->iters, checks);
    char label[96];
    snprintf(label, sizeof label, "activations ws %.3g %s", ws, bn_norm_name(c->norms[n]));
    bn_solver_cfg cfg = {o->rule, o->lr, 1.0, o->epochs, o->batch_size, 1000, label, BN_FN(watch_step), &wt, 0, 0};
    BN_FN(bn_solver_train)(net, &cfg, c->BN_FN(Xtr), c->ytr, c->ntr, c->BN_FN(Xval), c->yval, c->nval, rb, &h);
    BN_FN(layer_rows)(sl, net, ms, wn, wt.last_norm, prefix, k == c->np - 1);
    BN_FN(measure)(sa, net, c->BN_FN(Xval), c->yval, c->M, c->pts[k], w, "trained");
    gsl_rng_free(ri);
    gsl_rng_free(rb);
    free(hmem);
    free(prev);
    BN_FN(bn_net_free)(net);
}

#undef BN_F32
#include "real.h"
