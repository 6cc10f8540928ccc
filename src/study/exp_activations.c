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

/* What every training of the experiment shares, and the slabs its rows go to. */
enum { ACT_FILES = 4 };   /* updates, layers, rescale, activations: the slabs' order */
typedef struct {
    const bn_opts *o;
    const double *Xtr;       /* float64 rows (the float64 trainings and the rescaling) */
    const int *ytr;
    int ntr;
    const double *Xval;
    const int *yval;
    int nval, M, D, classes, maxb;
    long iters;
    int np;
    const int *pts;
    const bn_norm *norms;
    slab *slabs;             /* ACT_FILES per training */
    const float *Xtr_f32, *Xval_f32;   /* the float32 trainings' rows, rounded once */
} act_ctx;

static void scale_rows(slab *f, bn_net *net, const double *X, const int *y, int N, int l, const char *prefix);
/* The rescaling rows of layers 2 and L, in double whatever the dtype: the loss's invariance is
 * exact in real arithmetic, and float32 rounding would hide it below 1e-7. A float32 net is
 * measured through a double copy of its weights (float to double is exact). */
static void rescale(slab *f, void *net, const double *X, const int *y, int N, const char *prefix, int f32);

#define BN_F32 0
#include "exp_activations_impl.h"
#define BN_F32 1
#include "exp_activations_impl.h"

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

static void rescale(slab *f, void *net, const double *X, const int *y, int N, const char *prefix, int f32)
{
    bn_net *d = net;
    if (f32) {
        const bn_net_f32 *s = net;
        d = bn_net_new(act_hidden, ACT_NHIDDEN, s->dims[0], s->dims[s->L], s->norm, 0.0, N);
        for (long i = 0; i < s->nparams; i++) d->params[i] = s->params[i];
        long nstate = 0;
        for (int k = 0; k < s->L - 1; k++) nstate += 2L * s->dims[k + 1];
        for (long i = 0; i < nstate; i++) d->state[i] = s->state[i];
    }
    scale_rows(f, d, X, y, N, 1, prefix);
    scale_rows(f, d, X, y, N, d->L - 1, prefix);
    if (f32) bn_net_free(d);
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
    /* the float32 trainings' rows: the float64 ones rounded once, as the other trainings' */
    float *X32 = NULL;
    if (o->dtype == BN_FLOAT32) {
        X32 = bn_malloc(sizeof(float) * (size_t)(ntr + nval) * D);
        for (long i = 0; i < ntr * D; i++) X32[i] = (float)Xtr[i];
        for (long i = 0; i < (long)nval * D; i++) X32[ntr * D + i] = (float)Xval[i];
    }

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
    bn_out_printf(&f, "dtype\t%s\n", bn_dtype_name(o->dtype));
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
    act_ctx c = {o, Xtr, ytr, (int)ntr, Xval, yval, nval, M, D, ds->classes, maxb, iters, np, pts, norms, NULL,
                 X32, X32 ? X32 + ntr * D : NULL};
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
    bn_run_parallel(ntasks, o->jobs, "activations", o->dtype == BN_FLOAT32 ? act_task_f32 : act_task, &c);

    static const char *const names[ACT_FILES] = {"exp8_updates.tsv", "exp8_layers.tsv", "exp8_rescale.tsv", "exp8_activations.tsv"};
    static const char *const headers[ACT_FILES] = {
        "norm\tpoint\tweight_scale\tlayer\tfan_in\twhen\tstep\tw_norm\trel_update\tlast\n",
        "norm\tpoint\tweight_scale\tlayer\tkind\tfan_in\tin_rms\tunit_scale\tw_norm\tlargest\tw_norm_end\tw_change\n",
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
    free(X32);
    free(Xtr);
    free(Xval);
    free(ytr);
    free(yval);
}
