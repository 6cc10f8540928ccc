/* exp_training.c - the training experiments: 5 (deep net, batchnorm vs baseline), 6 (weight-scale
 * sweep) and 7b (batch size with batchnorm, layernorm and no normalisation). */
#include "experiments.h"
#include "common.h"
#include "timing.h"
#include "layers.h"
#include "runner.h"
#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The variants compared at every point of a study. */
static const bn_norm variants[] = {BN_NORM_BATCH, BN_NORM_NONE};
static const char *variant_names[] = {"batchnorm", "baseline"};
#define NVAR 2

typedef struct {
    bn_trainset ts;
    double *X;
    float *X32;
    int *y;
} trainset_mem;

/* The training and validation rows in the training dtype. float32 rows are the float64 ones
 * rounded once, as the assignment's model casts its input; no float64 copy is kept. */
static void trainset_make(trainset_mem *m, const bn_opts *o, const bn_dataset *ds)
{
    int D = ds->dim;
    long ntr = o->num_train, nval = ds->val.n;
    if (ntr > ds->train_records) bn_die(2, "--num-train %ld exceeds the %ld training records", ntr, ds->train_records);
    memset(m, 0, sizeof *m);
    m->y = bn_malloc(sizeof(int) * (size_t)(ntr + nval));
    if (o->dtype == BN_FLOAT32) {
        double *row = bn_malloc(sizeof(double) * (size_t)D);
        m->X32 = bn_malloc(sizeof(float) * (size_t)(ntr + nval) * D);
        for (long i = 0; i < ntr + nval; i++) {
            const bn_records *split = i < ntr ? &ds->train : &ds->val;
            bn_dataset_rows(ds, split, i < ntr ? i : i - ntr, 1, row, m->y + i);
            for (int k = 0; k < D; k++) m->X32[i * D + k] = (float)row[k];
        }
        free(row);
    } else {
        m->X = bn_malloc(sizeof(double) * (size_t)(ntr + nval) * D);
        bn_dataset_rows(ds, &ds->train, 0, ntr, m->X, m->y);
        bn_dataset_rows(ds, &ds->val, 0, nval, m->X + ntr * D, m->y + ntr);
    }
    m->ts = (bn_trainset){m->X, m->X ? m->X + ntr * D : NULL, m->y, m->y + ntr, (int)ntr, (int)nval, D, ds->classes,
                          o->dtype, m->X32, m->X32 ? m->X32 + ntr * D : NULL};
}

static void trainset_free(trainset_mem *m)
{
    free(m->X);
    free(m->X32);
    free(m->y);
}

static void job_setup(bn_job *j, const bn_opts *o, const char *exp, long point, int npoints, const int *hidden,
                      int nhidden, int v, double ws)
{
    memset(j, 0, sizeof *j);
    j->experiment = exp;
    j->point = point;
    snprintf(j->label, sizeof j->label, "%s point %ld/%d ws %.3g %s", exp, point + 1, npoints, ws, variant_names[v]);
    memcpy(j->hidden, hidden, sizeof(int) * (size_t)nhidden);
    j->nhidden = nhidden;
    j->norm = variants[v];
    j->weight_scale = ws;
    j->cfg = (bn_solver_cfg){o->rule, o->lr, 1.0, o->epochs, o->batch_size, 1000, NULL, NULL, NULL, 0, 0};
}

static double hmax(const double *v, int n)
{
    double m = -INFINITY;
    for (int i = 0; i < n; i++) if (v[i] > m) m = v[i];
    return m;
}

/* Mean of the last (up to) 100 losses, as the assignment's "final training loss". */
#define FINAL_LOSS_WINDOW 100
static double final_loss(const bn_history *h)
{
    long k = h->iters < FINAL_LOSS_WINDOW ? h->iters : FINAL_LOSS_WINDOW;
    double s = 0.0;
    for (long i = h->iters - k; i < h->iters; i++) s += h->loss[i];
    return s / (double)k;
}

/* jobs are laid out [point - first][variant], for points first..first+count-1. Writes
 * <prefix>_loss.tsv, <prefix>_acc.tsv, then the summary <prefix>.tsv last, so that the summary's
 * presence means the experiment is complete. Rows are grouped by point, so the files of the
 * parts of a study, joined in point order, are the study's files (parts.c). */
static void write_study(const bn_opts *o, const char *prefix, const bn_job *jobs, int first, int count, const double *ws)
{
    bn_out f;
    char name[256], a[64], b[64], c[64], d[64], w[64];

    snprintf(name, sizeof name, "%s_loss.tsv", prefix);
    bn_out_open(&f, o->out, name);
    bn_out_printf(&f, "point\tweight_scale\titeration");
    for (int v = 0; v < NVAR; v++) bn_out_printf(&f, "\t%s", variant_names[v]);
    bn_out_printf(&f, "\n");
    for (int p = first; p < first + count; p++) {
        bn_fmt(w, sizeof w, ws[p]);
        for (long t = 0; t < jobs[(p - first) * NVAR].h.iters; t++) {
            bn_out_printf(&f, "%d\t%s\t%ld", p, w, t + 1);
            for (int v = 0; v < NVAR; v++) {
                bn_fmt(a, sizeof a, jobs[(p - first) * NVAR + v].h.loss[t]);
                bn_out_printf(&f, "\t%s", a);
            }
            bn_out_printf(&f, "\n");
        }
    }
    bn_out_commit(&f);

    snprintf(name, sizeof name, "%s_acc.tsv", prefix);
    bn_out_open(&f, o->out, name);
    bn_out_printf(&f, "point\tweight_scale\tcheck\titeration\tepoch");
    for (int v = 0; v < NVAR; v++) bn_out_printf(&f, "\t%s_train\t%s_val", variant_names[v], variant_names[v]);
    bn_out_printf(&f, "\n");
    for (int p = first; p < first + count; p++) {
        const bn_history *h0 = &jobs[(p - first) * NVAR].h;
        bn_fmt(w, sizeof w, ws[p]);
        for (int k = 0; k < h0->checks; k++) {
            bn_out_printf(&f, "%d\t%s\t%d\t%ld\t%d", p, w, k, h0->check_iter[k], h0->check_epoch[k]);
            for (int v = 0; v < NVAR; v++) {
                const bn_history *h = &jobs[(p - first) * NVAR + v].h;
                bn_fmt(a, sizeof a, h->train_acc[k]);
                bn_fmt(b, sizeof b, h->val_acc[k]);
                bn_out_printf(&f, "\t%s\t%s", a, b);
            }
            bn_out_printf(&f, "\n");
        }
    }
    bn_out_commit(&f);

    snprintf(name, sizeof name, "%s.tsv", prefix);
    bn_out_open(&f, o->out, name);
    bn_out_printf(&f, "point\tweight_scale");
    for (int v = 0; v < NVAR; v++)
        bn_out_printf(&f, "\t%s_best_train\t%s_best_val\t%s_final_loss\t%s_nonfinite", variant_names[v],
                      variant_names[v], variant_names[v], variant_names[v]);
    bn_out_printf(&f, "\n");
    for (int p = first; p < first + count; p++) {
        bn_fmt(w, sizeof w, ws[p]);
        bn_out_printf(&f, "%d\t%s", p, w);
        for (int v = 0; v < NVAR; v++) {
            const bn_history *h = &jobs[(p - first) * NVAR + v].h;
            bn_fmt(a, sizeof a, hmax(h->train_acc, h->checks));
            bn_fmt(b, sizeof b, hmax(h->val_acc, h->checks));
            bn_fmt(c, sizeof c, final_loss(h));
            snprintf(d, sizeof d, "%ld", h->nonfinite);
            bn_out_printf(&f, "\t%s\t%s\t%s\t%s", a, b, c, d);
        }
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
}

/* The wall time, the trainings' own seconds, and those by phase (<phase>_seconds, summed over
 * the trainings: what make bench's phase table reads). */
static void write_study_timing(const bn_opts *o, const char *prefix, const bn_job *jobs, int njobs, double wall)
{
    char name[256], pkeys[BN_PHASE_COUNT][48];
    const char *keys[4 + BN_PHASE_COUNT] = {"wall_seconds", "training_seconds_sum", "jobs", "workers"};
    double sum = 0.0, vals[4 + BN_PHASE_COUNT] = {0};
    for (int i = 0; i < njobs; i++) sum += jobs[i].seconds;
    vals[0] = wall; vals[1] = sum; vals[2] = njobs; vals[3] = o->jobs;
    for (int p = 0; p < BN_PHASE_COUNT; p++) {
        snprintf(pkeys[p], sizeof pkeys[p], "%s_seconds", bn_phase_name((bn_phase)p));
        keys[4 + p] = pkeys[p];
        for (int i = 0; i < njobs; i++) vals[4 + p] += jobs[i].h.phase[p];
    }
    snprintf(name, sizeof name, "%s.timing.tsv", prefix);
    bn_write_timing(o, name, keys, vals, 4 + BN_PHASE_COUNT);
}

/* The training parameters, for the report to quote rather than restate. */
static void write_params(const bn_opts *o, const bn_dataset *ds)
{
    bn_out f;
    char lr[64], bslr[64], w0[64], w1[64], dws[64];
    bn_fmt(lr, sizeof lr, o->lr);
    bn_fmt(bslr, sizeof bslr, o->bs_lr);
    bn_fmt(w0, sizeof w0, o->ws_min);
    bn_fmt(w1, sizeof w1, o->ws_max);
    bn_fmt(dws, sizeof dws, o->deep_ws);
    bn_out_open(&f, o->out, "params.info.tsv");
    bn_out_printf(&f, "key\tvalue\n");
    bn_out_printf(&f, "dtype\t%s\n", bn_dtype_name(o->dtype));
    bn_out_printf(&f, "seed\t%lu\nupdate_rule\t%s\nlearning_rate\t%s\nepochs\t%d\nbatch_size\t%d\n", o->seed,
                  bn_rule_name(o->rule), lr, o->epochs, o->batch_size);
    bn_out_printf(&f, "num_train\t%d\nnum_val\t%ld\naccuracy_train_samples\t%d\npredict_batch\t%d\n", o->num_train,
                  ds->val.n, o->num_train < 1000 ? o->num_train : 1000, BN_PREDICT_BATCH);
    bn_out_printf(&f, "final_loss_window\t%d\n", FINAL_LOSS_WINDOW);
    bn_out_printf(&f, "deep_hidden\t100x5\ndeep_weight_scale\t%s\n", dws);
    bn_out_printf(&f, "sweep_hidden\t50x7\nsweep_points\t%d\nsweep_ws_min\t%s\nsweep_ws_max\t%s\n", o->points, w0, w1);
    bn_out_printf(&f, "batchsize_learning_rate\t%s\nbatchsize_batch_sizes\t5,10,50\nbatchsize_baseline_batch\t5\n", bslr);
    bn_out_commit(&f);
}

/* The trainings of points first..first+count-1 of an npoints-point study (all of them: 0, npoints). */
static void run_study(const bn_opts *o, const bn_dataset *ds, const char *exp, const char *prefix,
                      const int *hidden, int nhidden, const double *ws, int npoints, int first, int count)
{
    trainset_mem m;
    trainset_make(&m, o, ds);
    write_params(o, ds);
    int njobs = count * NVAR;
    bn_job *jobs = bn_calloc((size_t)njobs, sizeof *jobs);
    for (int p = first; p < first + count; p++)
        for (int v = 0; v < NVAR; v++)
            job_setup(&jobs[(p - first) * NVAR + v], o, exp, p, npoints, hidden, nhidden, v, ws[p]);
    bn_progress("%s: %d trainings (%d points x %d nets), %d at a time", exp, njobs, count, NVAR, o->jobs);
    double t0 = bn_now();
    bn_shared sh = bn_run_jobs(jobs, njobs, o->jobs, o->seed, &m.ts);
    double wall = bn_now() - t0;
    /* <prefix>_verdict.tsv before the study's files: the summary, written last, marks it complete */
    bn_train_outcome *out = bn_malloc(sizeof *out * (size_t)njobs);
    for (int i = 0; i < njobs; i++)
        out[i] = (bn_train_outcome){hmax(jobs[i].h.val_acc, jobs[i].h.checks), final_loss(&jobs[i].h), jobs[i].h.nonfinite};
    char vname[256];
    snprintf(vname, sizeof vname, "%s_verdict.tsv", prefix);
    bn_verdict_write_study(o->out, vname, first, count, ws, NVAR, variant_names, out, ds->classes);
    free(out);
    write_study(o, prefix, jobs, first, count, ws);
    write_study_timing(o, prefix, jobs, njobs, wall);
    long nf = 0;
    for (int i = 0; i < njobs; i++) nf += jobs[i].h.nonfinite;
    bn_progress("%s: done in %.1f s; %ld non-finite losses recorded", exp, wall, nf);
    bn_shared_release(&sh);
    free(jobs);
    trainset_free(&m);
}

static const int deep_hidden[] = {100, 100, 100, 100, 100};
static const int sweep_hidden[] = {50, 50, 50, 50, 50, 50, 50};

static double study_gflop(const bn_opts *o, const int *hidden, int nhidden, int dim, int classes, int nval, int ntrainings)
{
    bn_net *net = bn_net_new(hidden, nhidden, dim, classes, BN_NORM_NONE, 0.0, 1);
    long iters = bn_solver_iters(o->epochs, o->num_train, o->batch_size);
    int checks = bn_solver_checks(iters, iters / o->epochs);
    int ncheck = (o->num_train < 1000 ? o->num_train : 1000) + nval;
    double f = (double)iters * bn_net_flops_step(net, o->batch_size) + (double)checks * bn_net_flops_predict(net, ncheck);
    bn_net_free(net);
    return f * ntrainings / 1e9;
}

double bn_exp_deepnet_gflop(const bn_opts *o, int dim, int classes, int nval)
{
    return study_gflop(o, deep_hidden, 5, dim, classes, nval, NVAR);
}

double bn_exp_sweep_gflop(const bn_opts *o, int dim, int classes, int nval)
{
    return study_gflop(o, sweep_hidden, 7, dim, classes, nval, NVAR * o->points);
}

void bn_exp_deepnet(const bn_opts *o, const bn_dataset *ds)
{
    const int *hidden = deep_hidden;
    run_study(o, ds, "deepnet", "exp5_deepnet", hidden, 5, &o->deep_ws, 1, 0, 1);
}

void bn_exp_sweep(const bn_opts *o, const bn_dataset *ds)
{
    if (o->point >= 0) bn_exp_sweep_points(o, ds, o->point, 1);
    else bn_exp_sweep_points(o, ds, 0, o->points);
}

void bn_exp_sweep_points(const bn_opts *o, const bn_dataset *ds, int first, int count)
{
    const int *hidden = sweep_hidden;
    double *ws = bn_malloc(sizeof(double) * (size_t)o->points);
    for (int i = 0; i < o->points; i++) ws[i] = bn_sweep_scale(o, i);
    run_study(o, ds, "sweep", "exp6_sweep", hidden, 7, ws, o->points, first, count);
    free(ws);
}

/* Experiment 7: batch size and normalisation. Every training starts from the same weights
 * (one init stream); the minibatch stream is shared too but consumed at each batch size's pace. */
typedef struct {
    bn_norm norm;
    int batch_size;
} bs_variant;

static const bs_variant bs_variants[] = {
    {BN_NORM_BATCH, 5}, {BN_NORM_BATCH, 10}, {BN_NORM_BATCH, 50},
    {BN_NORM_LAYER, 5}, {BN_NORM_LAYER, 10}, {BN_NORM_LAYER, 50},
    {BN_NORM_NONE, 5},
};
#define NBS ((int)(sizeof bs_variants / sizeof *bs_variants))

void bn_exp_batchsize(const bn_opts *o, const bn_dataset *ds)
{
    trainset_mem m;
    trainset_make(&m, o, ds);
    write_params(o, ds);
    /* The trainings start longest first (smallest batch: most iterations), so the workers finish
     * together instead of one waiting out a long training started last; results do not depend on
     * the order, and the files list the variants in the table's order (at[v]: variant v's job). */
    bn_job jobs[NBS];
    int at[NBS], r = 0;
    for (int b = 1; r < NBS; b++)
        for (int v = 0; v < NBS; v++)
            if (bs_variants[v].batch_size == b) at[v] = r++;
    for (int v = 0; v < NBS; v++) {
        bn_job *j = &jobs[at[v]];
        memset(j, 0, sizeof *j);
        j->experiment = "batchsize";
        j->point = 0;
        snprintf(j->label, sizeof j->label, "batchsize %s batch %d", bn_norm_name(bs_variants[v].norm),
                 bs_variants[v].batch_size);
        memcpy(j->hidden, deep_hidden, sizeof deep_hidden);
        j->nhidden = 5;
        j->norm = bs_variants[v].norm;
        j->weight_scale = o->deep_ws;
        j->cfg = (bn_solver_cfg){o->rule, o->bs_lr, 1.0, o->epochs, bs_variants[v].batch_size, 1000, NULL, NULL, NULL, 0, 0};
    }
    bn_progress("batchsize: %d trainings, %d at a time", NBS, o->jobs);
    double t0 = bn_now();
    bn_shared sh = bn_run_jobs(jobs, NBS, o->jobs, o->seed, &m.ts);
    double wall = bn_now() - t0;

    bn_out f;
    char a[64], b[64], c[64];
    bn_out_open(&f, o->out, "exp7_batchsize_loss.tsv");
    bn_out_printf(&f, "norm\tbatch_size\titeration\tloss\n");
    for (int v = 0; v < NBS; v++)
        for (long t = 0; t < jobs[at[v]].h.iters; t++) {
            bn_fmt(a, sizeof a, jobs[at[v]].h.loss[t]);
            bn_out_printf(&f, "%s\t%d\t%ld\t%s\n", bn_norm_name(jobs[at[v]].norm), bs_variants[v].batch_size, t + 1, a);
        }
    bn_out_commit(&f);

    bn_out_open(&f, o->out, "exp7_batchsize_acc.tsv");
    bn_out_printf(&f, "norm\tbatch_size\tcheck\titeration\tepoch\ttrain\tval\n");
    for (int v = 0; v < NBS; v++)
        for (int k = 0; k < jobs[at[v]].h.checks; k++) {
            bn_fmt(a, sizeof a, jobs[at[v]].h.train_acc[k]);
            bn_fmt(b, sizeof b, jobs[at[v]].h.val_acc[k]);
            bn_out_printf(&f, "%s\t%d\t%d\t%ld\t%d\t%s\t%s\n", bn_norm_name(jobs[at[v]].norm), bs_variants[v].batch_size, k,
                          jobs[at[v]].h.check_iter[k], jobs[at[v]].h.check_epoch[k], a, b);
        }
    bn_out_commit(&f);

    bn_out_open(&f, o->out, "exp7_batchsize.tsv");
    bn_out_printf(&f, "norm\tbatch_size\tbest_train\tbest_val\tfinal_loss\tnonfinite\n");
    for (int v = 0; v < NBS; v++) {
        const bn_history *h = &jobs[at[v]].h;
        bn_fmt(a, sizeof a, hmax(h->train_acc, h->checks));
        bn_fmt(b, sizeof b, hmax(h->val_acc, h->checks));
        bn_fmt(c, sizeof c, final_loss(h));
        bn_out_printf(&f, "%s\t%d\t%s\t%s\t%s\t%ld\n", bn_norm_name(jobs[at[v]].norm), bs_variants[v].batch_size, a, b, c,
                      h->nonfinite);
    }
    bn_out_commit(&f);
    write_study_timing(o, "exp7_batchsize", jobs, NBS, wall);
    bn_progress("batchsize: done in %.1f s", wall);
    bn_shared_release(&sh);
    trainset_free(&m);
}

/* Experiment 9: ablations. Each training is the sweep's batchnorm training at one point (the same
 * initial weights and minibatches: the sweep's streams) with one mechanism the findings name
 * switched off or changed; the page compares it with the sweep's own result at that point. */
typedef struct {
    const char *name;     /* what is changed */
    int at_end;           /* point counted from the largest scale (1) or from the smallest (0) */
    int offset;
    bn_rule rule;         /* BN_ADAM: the sweep's own rule */
    double eps, out_scale;
} ablation;

#define ABL_EPS 1e-12                    /* far below any pre-activation variance measured */
static const ablation ablations[] = {
    {"tiny_eps", 0, 0, BN_ADAM, ABL_EPS, 0},   /* smallest scale: does eps hold it back? */
    {"sgd", 0, 0, BN_SGD, 0, 0},          /* SGD's steps scale with the gradient, Adam's do not */
    {"sgd", 0, -1, BN_SGD, 0, 0},         /* the middle of the sweep (offset -1: points / 2) */
    {"sgd", 1, 0, BN_SGD, 0, 0},
    {"output", 1, 0, BN_ADAM, 0, -1},     /* output layer at sqrt(2 / fan-in) (out_scale -1) */
};
#define NABL ((int)(sizeof ablations / sizeof *ablations))

void bn_exp_ablations(const bn_opts *o, const bn_dataset *ds)
{
    trainset_mem m;
    trainset_make(&m, o, ds);
    write_params(o, ds);
    bn_job jobs[NABL];
    int pts[NABL];
    for (int k = 0; k < NABL; k++) {
        const ablation *a = &ablations[k];
        int p = a->offset < 0 ? o->points / 2 : a->at_end ? o->points - 1 - a->offset : a->offset;
        if (p < 0) p = 0;
        if (p > o->points - 1) p = o->points - 1;
        pts[k] = p;
        double ws = bn_sweep_scale(o, p);
        bn_job *j = &jobs[k];
        job_setup(j, o, "sweep", p, o->points, sweep_hidden, 7, 0, ws);
        snprintf(j->label, sizeof j->label, "ablation %s ws %.3g", a->name, ws);
        j->cfg.rule = a->rule;
        j->cfg.eps = a->eps;
        j->cfg.out_scale = a->out_scale < 0 ? sqrt(2.0 / sweep_hidden[6]) : a->out_scale;
    }
    bn_progress("ablations: %d trainings, %d at a time", NABL, o->jobs);
    double t0 = bn_now();
    bn_shared sh = bn_run_jobs(jobs, NABL, o->jobs, o->seed, &m.ts);
    double wall = bn_now() - t0;

    bn_out f;
    char a[64], b[64], c[64], w[64], e[64], s[64];
    bn_out_open(&f, o->out, "exp9_ablations_acc.tsv");
    bn_out_printf(&f, "ablation\tpoint\tweight_scale\tcheck\titeration\tepoch\ttrain\tval\n");
    for (int k = 0; k < NABL; k++) {
        const bn_history *h = &jobs[k].h;
        bn_fmt(w, sizeof w, jobs[k].weight_scale);
        for (int i = 0; i < h->checks; i++) {
            bn_fmt(a, sizeof a, h->train_acc[i]);
            bn_fmt(b, sizeof b, h->val_acc[i]);
            bn_out_printf(&f, "%s\t%d\t%s\t%d\t%ld\t%d\t%s\t%s\n", ablations[k].name, pts[k], w, i, h->check_iter[i],
                          h->check_epoch[i], a, b);
        }
    }
    bn_out_commit(&f);

    bn_out_open(&f, o->out, "exp9_ablations.tsv");
    bn_out_printf(&f, "ablation\tpoint\tweight_scale\tupdate_rule\teps\tout_scale\tbest_train\tbest_val\tfinal_loss\tnonfinite\n");
    for (int k = 0; k < NABL; k++) {
        const bn_history *h = &jobs[k].h;
        bn_fmt(w, sizeof w, jobs[k].weight_scale);
        bn_fmt(e, sizeof e, jobs[k].cfg.eps > 0 ? jobs[k].cfg.eps : BN_EPS);
        bn_fmt(s, sizeof s, jobs[k].cfg.out_scale > 0 ? jobs[k].cfg.out_scale : jobs[k].weight_scale);
        bn_fmt(a, sizeof a, hmax(h->train_acc, h->checks));
        bn_fmt(b, sizeof b, hmax(h->val_acc, h->checks));
        bn_fmt(c, sizeof c, final_loss(h));
        bn_out_printf(&f, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%ld\n", ablations[k].name, pts[k], w,
                      bn_rule_name(jobs[k].cfg.rule), e, s, a, b, c, h->nonfinite);
    }
    bn_out_commit(&f);
    write_study_timing(o, "exp9_ablations", jobs, NABL, wall);
    bn_progress("ablations: done in %.1f s", wall);
    bn_shared_release(&sh);
    trainset_free(&m);
}
