/* exp_activations.c - experiment 8: why the sweep (experiment 6) looks as it does. For a few of
 * the sweep's weight scales, the sweep's net with and without batchnorm is measured at
 * initialisation and after training: per hidden layer the spread of the pre-activations (what
 * batchnorm divides by, compared with its eps) and of the normalised output, and the spread of
 * the output scores, which no normalisation touches. During training, per layer, the weight
 * norm ||W|| and the relative size of each update ||dW|| / ||W|| (the effective learning rate),
 * over the first iterations and per epoch; at initialisation each layer's fan-in and the size
 * of its input; and the loss and gradient when one weight matrix is multiplied by a factor (a
 * matrix feeding batchnorm leaves the loss unchanged and divides its gradient by the factor). */
#define _DEFAULT_SOURCE
#include "experiments.h"
#include "progress.h"
#include "common.h"
#include "rng.h"
#include "timing.h"
#include "layers.h"
#include "net.h"
#include "solver.h"
#include "runner.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ACT_NSCALES 6        /* sweep points measured, spread evenly over the sweep's grid */
#define ACT_ROWS 500         /* validation images in the measured batch (fewer if there are fewer) */

static const int act_hidden[] = {50, 50, 50, 50, 50, 50, 50};   /* the sweep's net */
#define ACT_NHIDDEN 7
#define ACT_WATCH_ITERS 10   /* iterations recorded one by one at the start of training */
#define ACT_RESCALE_ROWS 100 /* validation images of the rescaling measurement (a cheaper batch) */

static double norm2(const double *a, long n)
{
    double s = 0.0;
    for (long i = 0; i < n; i++) s += a[i] * a[i];
    return sqrt(s);
}

static double diff_norm2(const double *a, const double *b, long n)
{
    double s = 0.0;
    for (long i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

/* One training's rows of one file, in memory it shares with the process that writes the files
 * (the trainings run in worker processes); the rows are written in the trainings' order, so
 * the files do not depend on the number of workers. */
typedef struct {
    char *p;
    size_t len, cap;
} slab;

#define ACT_ROW_MAX 512   /* longest row: a prefix of at most 128 bytes and a few numbers */

static void slab_printf(slab *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void slab_printf(slab *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->p + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= s->cap - s->len) bn_die(1, "experiment 8: more rows than the %zu bytes set aside for them", s->cap);
    s->len += (size_t)n;
}

/* The weights before the last update, and each layer's sum of ||dW|| / ||W|| over the epoch. */
typedef struct {
    bn_net *net;
    slab *f;
    const char *prefix;       /* "norm\tpoint\tweight_scale" of the rows */
    double *prev;
    double sum[BN_MAX_LAYERS];
    long steps;
    int epoch, epochs;
    long watched;   /* how many first iterations get a row each: ACT_WATCH_ITERS, or all of a short training */
} watch;

static long wsize(const bn_net *net, int l) { return (long)net->dims[l] * net->dims[l + 1]; }

/* After update t: ||W|| before it and ||W_after - W_before|| / ||W_before||, per layer; `last` marks
 * the rows of the final epoch. */
static void watch_step(void *ctx, long t, int epoch_end)
{
    watch *w = ctx;
    bn_net *net = w->net;
    char a[64], b[64];
    for (int l = 0; l < net->L; l++) {
        const double *W = net->W[l], *P = w->prev + (net->W[l] - net->params);
        double before = norm2(P, wsize(net, l)), rel = diff_norm2(W, P, wsize(net, l)) / before;
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
            bn_fmt(a, sizeof a, norm2(net->W[l], wsize(net, l)));
            bn_fmt(b, sizeof b, w->sum[l] / (double)w->steps);
            slab_printf(w->f, "%s\t%d\t%d\tepoch\t%d\t%s\t%s\t%d\n", w->prefix, l + 1, net->dims[l], w->epoch, a, b,
                          w->epoch == w->epochs);
            w->sum[l] = 0.0;
        }
        w->steps = 0;
    }
    memcpy(w->prev, net->params, (size_t)net->nparams * sizeof(double));
}

/* Per layer at initialisation: fan-in, the root mean square of its input over the measured batch
 * (mean-subtracted pixels for layer 1, the previous ReLU's output after), the weight scale that
 * would give its pre-activations unit variance, 1 / (rms * sqrt(fan-in)) (since Var z = fan-in *
 * scale^2 * E[x^2] for weights of mean 0), ||W||, and whether this is the largest scale measured. Needs a forward pass over X just done. */
static void layer_rows(slab *f, const bn_net *net, const double *X, int N, const char *prefix, int largest)
{
    char a[64], b[64], c[64];
    for (int l = 0; l < net->L; l++) {
        int D = net->dims[l];
        const double *in = l ? net->a[l - 1] : X;
        double ms = 0.0;
        for (long i = 0; i < (long)N * D; i++) ms += in[i] * in[i];
        ms /= (double)N * D;
        bn_fmt(a, sizeof a, sqrt(ms));
        bn_fmt(b, sizeof b, 1.0 / sqrt(ms * D));
        bn_fmt(c, sizeof c, norm2(net->W[l], wsize(net, l)));
        slab_printf(f, "%s\t%d\t%s\t%d\t%s\t%s\t%s\t%d\n", prefix, l + 1, l == net->L - 1 ? "scores" : "hidden", D, a, b, c,
                      largest);
    }
}

/* Loss and ||dL/dW_l|| with W_l multiplied by each factor (l: 0-based layer). The weights and the
 * running statistics (which a train-mode pass updates) are restored afterwards, so the training
 * that follows starts where it would have without this. */
static void scale_rows(slab *f, bn_net *net, const double *X, const int *y, int N, int l, const char *prefix)
{
    static const double factors[] = {0.1, 1.0, 10.0};
    char a[64], b[64], c[64], d[64];
    long n = wsize(net, l), nstate = 0;
    for (int k = 0; k < net->L - 1; k++) nstate += 2L * net->dims[k + 1];
    double *W0 = bn_malloc(sizeof(double) * (size_t)n), *S0 = bn_malloc(sizeof(double) * (size_t)(nstate ? nstate : 1));
    memcpy(W0, net->W[l], sizeof(double) * (size_t)n);
    memcpy(S0, net->state, sizeof(double) * (size_t)nstate);
    for (int k = 0; k < 3; k++) {
        for (long i = 0; i < n; i++) net->W[l][i] = W0[i] * factors[k];
        double loss = bn_net_loss(net, X, y, N), g = norm2(net->dW[l], n);
        memcpy(net->W[l], W0, sizeof(double) * (size_t)n);
        memcpy(net->state, S0, sizeof(double) * (size_t)nstate);
        bn_fmt(a, sizeof a, factors[k]);
        bn_fmt(b, sizeof b, loss);
        bn_fmt(c, sizeof c, g);
        bn_fmt(d, sizeof d, g * factors[k]);
        slab_printf(f, "%s\t%d\t%s\t%s\t%s\t%s\n", prefix, l + 1, a, b, c, d);
    }
    free(W0);
    free(S0);
}

/* sqrt of the mean over columns of each column's variance over the N rows (divided by N, as
 * batchnorm computes it): the typical spread of one unit across the batch. */
static double unit_sd(const double *a, int N, int H)
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
static void measure(slab *f, bn_net *net, const double *X, const int *y, int N, int point, const char *ws,
                    const char *stage)
{
    char a[64], b[64], c[64], d[64];
    double loss = bn_net_loss(net, X, y, N);
    bn_fmt(d, sizeof d, loss);
    for (int l = 0; l < net->L; l++) {
        int H = net->dims[l + 1];
        int out = l == net->L - 1;
        double pre = unit_sd(out ? net->scores : net->z[l], N, H);
        double post = out || net->norm == BN_NORM_NONE ? pre : unit_sd(net->hn[l], N, H);
        bn_fmt(a, sizeof a, pre);
        bn_fmt(b, sizeof b, post);
        bn_fmt(c, sizeof c, pre * pre / BN_EPS);
        slab_printf(f, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", bn_norm_name(net->norm), point, ws, stage, l + 1,
                      out ? "scores" : "hidden", a, b, c, d);
    }
}

/* What every training of the experiment shares, and the slabs its rows go to. */
enum { ACT_FILES = 4 };   /* updates, layers, rescale, activations: the slabs' order */
typedef struct {
    const bn_opts *o;
    const double *Xtr;
    const int *ytr;
    int ntr;
    const double *Xval;
    const int *yval;
    int nval, M, D, classes, maxb;
    long iters;
    int np;
    const int *pts;
    const bn_norm *norms;
    slab *slabs;   /* ACT_FILES per training */
} act_ctx;

/* Training i: point pts[i / 2], batchnorm (i even) or none (i odd), measured into its slabs. */
static void act_task(int i, void *ctx)
{
    const act_ctx *c = ctx;
    const bn_opts *o = c->o;
    int k = i / 2, n = i % 2;
    slab *su = &c->slabs[i * ACT_FILES], *sl = su + 1, *ss = su + 2, *sa = su + 3;
    char w[64];
    double ws = bn_sweep_scale(o, c->pts[k]);
    bn_fmt(w, sizeof w, ws);
    bn_net *net = bn_net_new(act_hidden, ACT_NHIDDEN, c->D, c->classes, c->norms[n], 0.0, c->maxb);
    /* both nets of a point draw the same weights and minibatches, as in the sweep */
    gsl_rng *ri = bn_rng_new(o->seed, "activations", c->pts[k], "init");
    gsl_rng *rb = bn_rng_new(o->seed, "activations", c->pts[k], "batch");
    bn_net_init(net, ri, ws);
    char prefix[128];
    snprintf(prefix, sizeof prefix, "%s\t%d\t%s", bn_norm_name(c->norms[n]), c->pts[k], w);
    int mr = c->M < ACT_RESCALE_ROWS ? c->M : ACT_RESCALE_ROWS;
    scale_rows(ss, net, c->Xval, c->yval, mr, 1, prefix);
    scale_rows(ss, net, c->Xval, c->yval, mr, net->L - 1, prefix);
    measure(sa, net, c->Xval, c->yval, c->M, c->pts[k], w, "init");
    layer_rows(sl, net, c->Xval, c->M, prefix, k == c->np - 1);
    double *prev = bn_malloc(sizeof(double) * (size_t)net->nparams);
    memcpy(prev, net->params, sizeof(double) * (size_t)net->nparams);
    watch wt = {.net = net, .f = su, .prefix = prefix, .prev = prev, .epochs = o->epochs,
                .watched = c->iters < ACT_WATCH_ITERS ? c->iters : ACT_WATCH_ITERS};
    int checks = bn_solver_checks(c->iters, c->iters / o->epochs);
    double *hmem = bn_malloc(sizeof(double) * (size_t)bn_history_doubles(c->iters, checks));
    bn_history h;
    bn_history_bind(&h, hmem, c->iters, checks);
    char label[96];
    snprintf(label, sizeof label, "activations ws %.3g %s", ws, bn_norm_name(c->norms[n]));
    bn_solver_cfg cfg = {o->rule, o->lr, 1.0, o->epochs, o->batch_size, 1000, label, watch_step, &wt, 0, 0};
    bn_solver_train(net, &cfg, c->Xtr, c->ytr, c->ntr, c->Xval, c->yval, c->nval, rb, &h);
    measure(sa, net, c->Xval, c->yval, c->M, c->pts[k], w, "trained");
    gsl_rng_free(ri);
    gsl_rng_free(rb);
    free(hmem);
    free(prev);
    bn_net_free(net);
}

void bn_exp_activations(const bn_opts *o, const bn_dataset *ds)
{
    double t0 = bn_now();
    int D = ds->dim;
    long ntr = o->num_train;
    if (ntr > ds->train_records) bn_die(2, "--num-train %ld exceeds the %ld training records", ntr, ds->train_records);
    int M = ds->val.n < ACT_ROWS ? (int)ds->val.n : ACT_ROWS;
    int nval = (int)ds->val.n;
    double *Xtr = bn_malloc(sizeof(double) * (size_t)ntr * D), *Xval = bn_malloc(sizeof(double) * (size_t)nval * D);
    int *ytr = bn_malloc(sizeof(int) * (size_t)ntr), *yval = bn_malloc(sizeof(int) * (size_t)nval);
    bn_dataset_rows(ds, &ds->train, 0, ntr, Xtr, ytr);
    bn_dataset_rows(ds, &ds->val, 0, nval, Xval, yval);

    /* the sweep's grid (as bn_exp_sweep makes it) and the points measured on it */
    int pts[ACT_NSCALES], np = 0;
    for (int k = 0; k < ACT_NSCALES; k++) {
        int p = o->points > 1 ? (int)lround((double)k * (o->points - 1) / (ACT_NSCALES - 1)) : 0;
        if (!np || pts[np - 1] != p) pts[np++] = p;
    }

    bn_out f;
    char v[64];
    bn_out_open(&f, o->out, "exp8_activations.info.tsv");
    bn_out_printf(&f, "key\tvalue\n");
    bn_fmt(v, sizeof v, BN_EPS);
    bn_out_printf(&f, "eps\t%s\nmeasured_rows\t%d\nrescale_rows\t%d\nhidden\t50x7\n", v, M,
                  M < ACT_RESCALE_ROWS ? M : ACT_RESCALE_ROWS);
    /* the standard error of one accuracy on nval images, sqrt(p(1-p)/n), is largest at p = 1/2 */
    bn_fmt(v, sizeof v, 0.5 / sqrt((double)nval));
    bn_out_printf(&f, "val_images\t%d\nval_acc_se_max\t%s\n", nval, v);
    bn_fmt(v, sizeof v, sqrt(0.5) / sqrt((double)nval));
    bn_out_printf(&f, "val_acc_diff_se_max\t%s\n", v);
    bn_fmt(v, sizeof v, 2.0 * sqrt(0.5) / sqrt((double)nval));
    bn_out_printf(&f, "val_acc_diff_noise\t%s\n", v);
    bn_out_commit(&f);

    static const bn_norm norms[] = {BN_NORM_BATCH, BN_NORM_NONE};
    int maxb = o->batch_size > M ? o->batch_size : M;
    if (maxb < BN_PREDICT_BATCH) maxb = BN_PREDICT_BATCH;
    long iters = bn_solver_iters(o->epochs, (int)ntr, o->batch_size);
    int L = ACT_NHIDDEN + 1;
    act_ctx c = {o, Xtr, ytr, (int)ntr, Xval, yval, nval, M, D, ds->classes, maxb, iters, np, pts, norms, NULL};
    /* each training's rows per file: updates (watched iterations and epochs), layers, rescaling
     * (two layers, three factors), activations (at initialisation and trained) */
    long rows[ACT_FILES] = {L * ((iters < ACT_WATCH_ITERS ? iters : ACT_WATCH_ITERS) + o->epochs), L, 6, 2L * L};
    int ntasks = 2 * np;
    size_t bytes = 0;
    for (int k = 0; k < ACT_FILES; k++) bytes += (size_t)ntasks * ((size_t)rows[k] * ACT_ROW_MAX + 1);
    char *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) bn_die(1, "cannot map %zu bytes of shared memory: %s", bytes, strerror(errno));
    /* the slabs' lengths change in the workers: they live in the shared mapping too */
    slab *slabs = mmap(NULL, sizeof(slab) * ACT_FILES * (size_t)ntasks, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (slabs == MAP_FAILED) bn_die(1, "cannot map shared memory: %s", strerror(errno));
    char *at = mem;
    for (int i = 0; i < ntasks; i++)
        for (int k = 0; k < ACT_FILES; k++) {
            slab *sl = &slabs[i * ACT_FILES + k];
            sl->p = at;
            sl->len = 0;
            sl->cap = (size_t)rows[k] * ACT_ROW_MAX + 1;
            at += sl->cap;
        }
    c.slabs = slabs;
    bn_progress("activations: %d trainings (%d scales x 2 nets), %d at a time", ntasks, np, o->jobs < ntasks ? o->jobs : ntasks);
    bn_run_parallel(ntasks, o->jobs, "activations", act_task, &c);

    static const char *const names[ACT_FILES] = {"exp8_updates.tsv", "exp8_layers.tsv", "exp8_rescale.tsv", "exp8_activations.tsv"};
    static const char *const headers[ACT_FILES] = {
        "norm\tpoint\tweight_scale\tlayer\tfan_in\twhen\tstep\tw_norm\trel_update\tlast\n",
        "norm\tpoint\tweight_scale\tlayer\tkind\tfan_in\tin_rms\tunit_scale\tw_norm\tlargest\n",
        "norm\tpoint\tweight_scale\tlayer\tfactor\tloss\tgrad_norm\tgrad_norm_times_factor\n",
        "norm\tpoint\tweight_scale\tstage\tlayer\tkind\tpre_sd\tpost_sd\tpre_var_over_eps\tloss\n"};
    /* exp8_activations.tsv, the completion file, is committed last */
    for (int k = 0; k < ACT_FILES; k++) {
        bn_out_open(&f, o->out, names[k]);
        bn_out_printf(&f, "%s", headers[k]);
        for (int i = 0; i < ntasks; i++) {
            const slab *sl = &slabs[i * ACT_FILES + k];
            bn_out_printf(&f, "%.*s", (int)sl->len, sl->p);
        }
        bn_out_commit(&f);
    }
    munmap(slabs, sizeof(slab) * ACT_FILES * (size_t)ntasks);
    munmap(mem, bytes);
    const char *keys[] = {"wall_seconds"};
    double vals[] = {bn_now() - t0};
    bn_write_timing(o, "exp8_activations.timing.tsv", keys, vals, 1);
    bn_progress("activations: done in %.1f s", vals[0]);
    free(Xtr);
    free(Xval);
    free(ytr);
    free(yval);
}
