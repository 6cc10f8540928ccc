/* exp_checks.c - experiments 1-4: batchnorm forward (train and test mode), batchnorm backward
 * gradient check and speed, and the gradient check of a small net with batchnorm. */
#include "experiments.h"
#include "common.h"
#include "rng.h"
#include "blas.h"
#include "timing.h"
#include "fixedmath.h"
#include "gemm.h"
#include "gradcheck.h"
#include "layers.h"
#include "net.h"
#include "netcheck.h"
#include "verdict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>

void bn_write_timing(const bn_opts *o, const char *name, const char *const *keys, const double *vals, int n)
{
    bn_out f;
    char v[64];
    bn_out_open(&f, o->out, name);
    bn_out_printf(&f, "key\tvalue\n");
    for (int i = 0; i < n; i++) {
        bn_fmt(v, sizeof v, vals[i]);
        bn_out_printf(&f, "%s\t%s\n", keys[i], v);
    }
    bn_out_commit(&f);
}

static void fill_gaussian(double *x, long n, gsl_rng *r, double scale, double shift)
{
    for (long i = 0; i < n; i++) x[i] = scale * bn_gaussian(r, 1.0) + shift;
}

/* a (N,D3) = relu(X (N,D1) . W1 (D1,D2)) . W2 (D2,D3); h is N*D2 scratch */
static void two_layer(double *a, double *h, const double *X, const double *W1, const double *W2, int N, int D1, int D2, int D3)
{
    bn_gemm(0, 0, N, D2, D1, X, W1, 0.0, h);
    bn_relu_forward(h, h, (long)N * D2);
    bn_gemm(0, 0, N, D3, D2, h, W2, 0.0, a);
}

/* Per-feature mean and population std of column j of a (N,D). */
static void col_stats(const double *a, int N, int D, int j, double *mean, double *sd)
{
    *mean = gsl_stats_mean(a + j, D, N);
    /* biased (population) std, as numpy's default ddof=0 */
    *sd = sqrt(gsl_stats_variance_with_fixed_mean(a + j, D, N, *mean));
}

static void row_stats(bn_out *f, const char *stage, const double *a, int N, int D)
{
    char m[64], s[64];
    for (int j = 0; j < D; j++) {
        double mean, sd;
        col_stats(a, N, D, j, &mean, &sd);
        bn_fmt(m, sizeof m, mean);
        bn_fmt(s, sizeof s, sd);
        bn_out_printf(f, "%s\t%d\t%s\t%s\n", stage, j, m, s);
    }
}

enum { N1 = 200, D1 = 50, D2 = 60, D3 = 3 };

/* Buffers of experiments 1 and 2, carved from one allocation. */
typedef struct {
    double *mem, *X, *W1, *W2, *h, *a, *out, *cache;
} tl_bufs;

static void tl_alloc(tl_bufs *b)
{
    long n[] = {N1 * D1, D1 * D2, D2 * D3, N1 * D2, N1 * D3, N1 * D3, BN_CACHE_SIZE(N1, D3)};
    double **slot[] = {&b->X, &b->W1, &b->W2, &b->h, &b->a, &b->out, &b->cache};
    long total = 0;
    for (int i = 0; i < 7; i++) total += n[i];
    b->mem = bn_malloc(sizeof(double) * (size_t)total);
    for (long i = 0, off = 0; i < 7; off += n[i], i++) *slot[i] = b->mem + off;
}

/* The fixed sizes of the check experiments, for the report to quote rather than restate. Every
 * check writes the same file, so any one of them, run alone, leaves it complete. */
static void write_check_params(const bn_opts *o)
{
    bn_out f;
    bn_out_open(&f, o->out, "checks.info.tsv");
    bn_out_printf(&f, "key\tvalue\n");
    bn_out_printf(&f, "fwd_N\t200\nfwd_D1\t50\nfwd_D2\t60\nfwd_D3\t3\nfwd_gamma\t1, 2, 3\nfwd_beta\t11, 12, 13\n");
    bn_out_printf(&f, "test_warmup_batches\t50\n");
    bn_out_printf(&f, "bwd_N\t4\nbwd_D\t5\nbwd_x_scale\t5\nbwd_x_shift\t12\nbwd_h\t1e-05\n");
    bn_out_printf(&f, "speed_N\t100\nspeed_D\t500\nspeed_reps\t%d\nspeed_rounds\t5\n", o->speed_reps);
    bn_out_printf(&f, "net_N\t2\nnet_input\t15\nnet_hidden\t20, 30\nnet_classes\t10\nnet_weight_scale\t0.05\n");
    bn_out_printf(&f, "net_regs\t0, 3.14\nnet_h\t1e-05\nnet_small_h\t1e-06\n");
    bn_out_printf(&f, "ln_N\t4\nln_D\t60\nln_gamma\t3\nln_beta\t5\nln_x_scale\t4\nln_x_shift\t7\n");
    bn_out_commit(&f);
}

/* Wall time of an experiment into <name>.timing.tsv, apart from its results. */
static void write_wall(const bn_opts *o, const char *name, double t0)
{
    const char *k[] = {"wall_seconds"};
    double v[] = {bn_now() - t0};
    bn_write_timing(o, name, k, v, 1);
}

void bn_exp_forward_train(const bn_opts *o)
{
    double t0 = bn_now();
    write_check_params(o);
    gsl_rng *r = bn_rng_new(o->seed, "forward-train", 0, "data");
    tl_bufs b;
    tl_alloc(&b);
    double *X = b.X, *W1 = b.W1, *W2 = b.W2, *h = b.h, *a = b.a, *out = b.out, *cache = b.cache;
    fill_gaussian(X, N1 * D1, r, 1.0, 0.0);
    fill_gaussian(W1, D1 * D2, r, 1.0, 0.0);
    fill_gaussian(W2, D2 * D3, r, 1.0, 0.0);
    two_layer(a, h, X, W1, W2, N1, D1, D2, D3);

    bn_out f;
    bn_out_open(&f, o->out, "exp1_forward_train.tsv");
    bn_out_printf(&f, "stage\tfeature\tmean\tstd\n");
    row_stats(&f, "before", a, N1, D3);
    const double ones[D3] = {1, 1, 1}, zeros[D3] = {0, 0, 0};
    bn_forward(out, cache, NULL, NULL, a, ones, zeros, N1, D3);
    row_stats(&f, "gamma1_beta0", out, N1, D3);
    /* the verdict file first: exp1_forward_train.tsv, committed last, marks the experiment done */
    bn_out fv;
    bn_out_open(&fv, o->out, "exp1_forward_train_verdict.tsv");
    bn_out_printf(&fv, "stage\tfeature\tstd\tstd_below\tverdict\n");
    for (int j = 0; j < D3; j++) {
        double mean, sd;
        char sv[64], bv[64];
        col_stats(out, N1, D3, j, &mean, &sd);
        bn_fmt(sv, sizeof sv, sd);
        bn_fmt(bv, sizeof bv, BN_VERDICT_TRAIN_STD_BELOW);
        bn_out_printf(&fv, "gamma1_beta0\t%d\t%s\t%s\t%s\n", j, sv, bv, bn_verdict_train_std(sd) ? "pass" : "fail");
    }
    bn_out_commit(&fv);
    const double gamma[D3] = {1, 2, 3}, beta[D3] = {11, 12, 13};
    bn_forward(out, cache, NULL, NULL, a, gamma, beta, N1, D3);
    row_stats(&f, "gamma123_beta111213", out, N1, D3);
    bn_out_commit(&f);
    write_wall(o, "exp1_forward_train.timing.tsv", t0);
    bn_progress("exp1 forward-train: wrote %s", f.path);

    free(b.mem);
    gsl_rng_free(r);
}

void bn_exp_forward_test(const bn_opts *o)
{
    double t0 = bn_now();
    write_check_params(o);
    gsl_rng *r = bn_rng_new(o->seed, "forward-test", 0, "data");
    tl_bufs b;
    tl_alloc(&b);
    double *X = b.X, *W1 = b.W1, *W2 = b.W2, *h = b.h, *a = b.a, *out = b.out, *cache = b.cache;
    double run_mean[D3] = {0}, run_var[D3] = {0};
    const double ones[D3] = {1, 1, 1}, zeros[D3] = {0, 0, 0};
    fill_gaussian(W1, D1 * D2, r, 1.0, 0.0);
    fill_gaussian(W2, D2 * D3, r, 1.0, 0.0);
    const int warm = 50;
    for (int t = 0; t < warm; t++) {
        fill_gaussian(X, N1 * D1, r, 1.0, 0.0);
        two_layer(a, h, X, W1, W2, N1, D1, D2, D3);
        bn_forward(out, cache, run_mean, run_var, a, ones, zeros, N1, D3);
    }
    fill_gaussian(X, N1 * D1, r, 1.0, 0.0);
    two_layer(a, h, X, W1, W2, N1, D1, D2, D3);
    bn_forward_test(out, a, ones, zeros, run_mean, run_var, N1, D3);

    bn_out f, fv;
    char m[64], s[64], rm[64], rv[64], bm[64], bs[64], tol[64];
    bn_out_open(&fv, o->out, "exp2_forward_test_verdict.tsv");
    bn_out_printf(&fv, "feature\tmean\tstd\ttol\tverdict\n");
    bn_fmt(tol, sizeof tol, BN_VERDICT_TEST_TOL);
    bn_out_open(&f, o->out, "exp2_forward_test.tsv");
    bn_out_printf(&f, "feature\tmean\tstd\tinput_mean\tinput_std\trunning_mean\trunning_var\n");
    for (int j = 0; j < D3; j++) {
        double mean, sd, im, is;
        col_stats(out, N1, D3, j, &mean, &sd);
        col_stats(a, N1, D3, j, &im, &is);
        bn_fmt(m, sizeof m, mean); bn_fmt(s, sizeof s, sd);
        bn_fmt(bm, sizeof bm, im); bn_fmt(bs, sizeof bs, is);
        bn_fmt(rm, sizeof rm, run_mean[j]); bn_fmt(rv, sizeof rv, run_var[j]);
        bn_out_printf(&f, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", j, m, s, bm, bs, rm, rv);
        bn_out_printf(&fv, "%d\t%s\t%s\t%s\t%s\n", j, m, s, tol, bn_verdict_test_stats(mean, sd) ? "pass" : "fail");
    }
    bn_out_commit(&fv);
    bn_out_commit(&f);
    write_wall(o, "exp2_forward_test.timing.tsv", t0);
    bn_progress("exp2 forward-test: wrote %s (%d warm-up batches)", f.path, warm);

    free(b.mem);
    gsl_rng_free(r);
}

/* Context for numerical gradients of batchnorm's output. */
typedef struct {
    double *x, *gamma, *beta, *cache;
    int N, D;
} bn_ctx;

static void bn_out_fn(void *ctx, double *out)
{
    bn_ctx *c = ctx;
    bn_forward(out, c->cache, NULL, NULL, c->x, c->gamma, c->beta, c->N, c->D);
}

static double seconds_per_call(int staged, double *dx, double *dg, double *db, const double *dout,
                               const double *cache, const double *gamma, double *work, int N, int D, int reps)
{
    double best = 1e300;
    /* best of 5 rounds: the least disturbed measurement of each form */
    for (int round = 0; round < 5; round++) {
        double t0 = bn_now();
        for (int i = 0; i < reps; i++) {
            if (staged) bn_backward_staged(dx, dg, db, dout, cache, gamma, work, N, D);
            else bn_backward(dx, dg, db, dout, cache, gamma, N, D);
        }
        double t = (bn_now() - t0) / reps;
        if (t < best) best = t;
    }
    return best;
}

void bn_exp_bn_gradcheck(const bn_opts *o)
{
    double t0 = bn_now();
    write_check_params(o);
    enum { N = 4, D = 5 };
    gsl_rng *r = bn_rng_new(o->seed, "bn-gradcheck", 0, "data");
    double x[N * D], gamma[D], beta[D], dout[N * D], cache[BN_CACHE_SIZE(N, D)], out[N * D];
    double dx[N * D], dg[D], db[D], sdx[N * D], sdg[D], sdb[D], work[2 * D];
    double ndx[N * D], ndg[D], ndb[D], op[N * D], om[N * D];
    fill_gaussian(x, N * D, r, 5.0, 12.0);
    fill_gaussian(gamma, D, r, 1.0, 0.0);
    fill_gaussian(beta, D, r, 1.0, 0.0);
    fill_gaussian(dout, N * D, r, 1.0, 0.0);

    bn_ctx c = {x, gamma, beta, cache, N, D};
    bn_num_grad_array(ndx, x, N * D, bn_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_num_grad_array(ndg, gamma, D, bn_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_num_grad_array(ndb, beta, D, bn_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
    bn_backward(dx, dg, db, dout, cache, gamma, N, D);
    bn_backward_staged(sdx, sdg, sdb, dout, cache, gamma, work, N, D);

    const char *names[] = {"dx", "dgamma", "dbeta", "dx_staged", "dgamma_staged", "dbeta_staged"};
    double errs[] = {bn_rel_error(ndx, dx, N * D), bn_rel_error(ndg, dg, D), bn_rel_error(ndb, db, D),
                     bn_rel_error(ndx, sdx, N * D), bn_rel_error(ndg, sdg, D), bn_rel_error(ndb, sdb, D)};

    /* Simplified vs staged on a realistic layer, and the speed of each. */
    const int NB = 100, DB = 500;
    double *bx = bn_malloc(sizeof(double) * NB * DB), *bg = bn_malloc(sizeof(double) * DB);
    double *bb = bn_malloc(sizeof(double) * DB), *bdo = bn_malloc(sizeof(double) * NB * DB);
    double *bc = bn_malloc(sizeof(double) * BN_CACHE_SIZE(NB, DB)), *bo = bn_malloc(sizeof(double) * NB * DB);
    double *dx1 = bn_malloc(sizeof(double) * NB * DB), *dx2 = bn_malloc(sizeof(double) * NB * DB);
    double *g1 = bn_malloc(sizeof(double) * 4 * DB), *g2 = g1 + DB, *b1 = g1 + 2 * DB, *b2 = g1 + 3 * DB;
    double *bw = bn_malloc(sizeof(double) * 2 * DB);
    fill_gaussian(bx, (long)NB * DB, r, 5.0, 12.0);
    fill_gaussian(bg, DB, r, 1.0, 0.0);
    fill_gaussian(bb, DB, r, 1.0, 0.0);
    fill_gaussian(bdo, (long)NB * DB, r, 1.0, 0.0);
    bn_forward(bo, bc, NULL, NULL, bx, bg, bb, NB, DB);
    bn_backward(dx1, g1, b1, bdo, bc, bg, NB, DB);
    bn_backward_staged(dx2, g2, b2, bdo, bc, bg, bw, NB, DB);
    double cmp_dx = bn_rel_error(dx1, dx2, (long)NB * DB), cmp_dg = bn_rel_error(g1, g2, DB), cmp_db = bn_rel_error(b1, b2, DB);

    /* Speed first: the gradient-check file is what make takes as the experiment being done, so
     * it is written last, after everything the report reads from this experiment. */
    int reps = o->speed_reps;
    double ts = seconds_per_call(1, dx2, g2, b2, bdo, bc, bg, bw, NB, DB, reps);
    double tf = seconds_per_call(0, dx1, g1, b1, bdo, bc, bg, bw, NB, DB, reps);
    const char *tk[] = {"N", "D", "reps", "staged_seconds_per_call", "simplified_seconds_per_call", "speedup",
                        "wall_seconds"};
    double tv[] = {NB, DB, reps, ts, tf, ts / tf, bn_now() - t0};
    bn_write_timing(o, "exp3_bn_speed.timing.tsv", tk, tv, 7);
    bn_out f, fv;
    char v[64];
    bn_out_open(&fv, o->out, "exp3_bn_gradcheck_verdict.tsv");
    bn_verdict_layer_header(&fv);
    bn_out_open(&f, o->out, "exp3_bn_gradcheck.tsv");
    bn_out_printf(&f, "check\tN\tD\trel_error\n");
    for (int i = 0; i < 6; i++) {
        bn_fmt(v, sizeof v, errs[i]);
        bn_out_printf(&f, "%s\t%d\t%d\t%s\n", names[i], N, D, v);
        bn_verdict_layer_row(&fv, names[i], "numeric", errs[i]);
    }
    const char *cn[] = {"simplified_vs_staged_dx", "simplified_vs_staged_dgamma", "simplified_vs_staged_dbeta"};
    double cv[] = {cmp_dx, cmp_dg, cmp_db};
    for (int i = 0; i < 3; i++) {
        bn_fmt(v, sizeof v, cv[i]);
        bn_out_printf(&f, "%s\t%d\t%d\t%s\n", cn[i], NB, DB, v);
        bn_verdict_layer_row(&fv, cn[i], "forms", cv[i]);
    }
    bn_out_commit(&fv);
    bn_out_commit(&f);

    bn_progress("exp3 bn-gradcheck: dx %.2e dgamma %.2e dbeta %.2e; simplified vs staged dx %.2e; speedup %.2fx",
                errs[0], errs[1], errs[2], cmp_dx, ts / tf);

    free(bx); free(bg); free(bb); free(bdo); free(bc); free(bo); free(dx1); free(dx2); free(g1); free(bw);
    gsl_rng_free(r);
}

enum { GN = 2, GD = 15, GH1 = 20, GH2 = 30, GC = 10 };

/* The small net of experiment 4: X (GN, GD) and labels y drawn from the experiment's stream. */
static void gradcheck_data(const bn_opts *o, double *X, int *y)
{
    gsl_rng *r = bn_rng_new(o->seed, "net-gradcheck", 0, "data");
    fill_gaussian(X, GN * GD, r, 1.0, 0.0);
    for (int i = 0; i < GN; i++) y[i] = (int)gsl_rng_uniform_int(r, GC);
    gsl_rng_free(r);
}

/* Gradient check of every parameter of a fresh net with this normalisation and reg; one row per
 * parameter into f, prefixed by `prefix` (already tab-terminated). Returns the initial loss, and
 * its L2 penalty 0.5 reg sum W^2 into *l2 unless l2 is NULL.
 * rel_error is the assignment's (h = 1e-5, every element). Two things make it large without any
 * fault in backpropagation, so they are measured too: elements whose +-h straddle a ReLU kink
 * (counted in kinks, left out of rel_error_smooth), and strong curvature, where batchnorm over two
 * samples bends the loss within h (rel_error_small_h: h = 1e-6, kinks left out). */
static double net_gradcheck(bn_out *f, bn_out *fv, const char *prefix, const bn_opts *o, bn_norm norm, double reg,
                            long point, const double *X, const int *y, double *l2)
{
    const int hidden[] = {GH1, GH2};
    char v[64], vs[64], v6[64];
    bn_net *net = bn_net_new(hidden, 2, GD, GC, norm, reg, GN);
    gsl_rng *ri = bn_rng_new(o->seed, "net-gradcheck", point, "init");
    bn_net_init(net, ri, 5e-2);
    gsl_rng_free(ri);
    double loss = bn_net_loss(net, X, y, GN);
    if (l2) {
        double ss = 0.0;
        for (int l = 0; l < net->L; l++)
            for (long i = 0; i < (long)net->dims[l] * net->dims[l + 1]; i++) ss += net->W[l][i] * net->W[l][i];
        *l2 = 0.5 * reg * ss;
    }
    long np = net->nparams;
    double *g = bn_malloc(sizeof(double) * (size_t)np);
    memcpy(g, net->grads, sizeof(double) * (size_t)np);
    /* the assignment lists the parameters in sorted name order */
    const char *order[] = {"W1", "W2", "W3", "b1", "b2", "b3", "beta1", "beta2", "gamma1", "gamma2"};
    for (int k = 0; k < 10; k++) {
        const bn_slice *s = bn_net_slice(net, order[k]);
        if (!s) continue;   /* no gamma/beta without normalisation */
        bn_gc_measure gm;
        long kinks = bn_netcheck_slice(net, s, g, X, y, GN, 1e-5, 1e-6, &gm);
        double e = gm.rel_error, es = gm.rel_error_smooth, e6 = gm.rel_error_small_h;
        double ga = gm.max_abs_grad, gn = gm.max_abs_num_grad;
        char va[64], vn[64];
        bn_fmt(v, sizeof v, e);
        bn_fmt(vs, sizeof vs, es);
        bn_fmt(v6, sizeof v6, e6);
        bn_fmt(va, sizeof va, ga);
        bn_fmt(vn, sizeof vn, gn);
        bn_out_printf(f, "%s%s\t%s\t%ld\t%s\t%s\t%s\t%s\n", prefix, s->name, v, kinks, vs, v6, va, vn);
        char kv[128];
        snprintf(kv, sizeof kv, "%s%s", prefix, s->name);
        bn_verdict_gc_row(fv, kv, &gm);
        bn_progress("  %-9s %-7s relative error %.3e (%ld at ReLU kinks; %.3e without them; %.3e with h = 1e-6)",
                    bn_norm_name(norm), s->name, e, kinks, es, e6);
    }
    free(g);
    bn_net_free(net);
    return loss;
}

void bn_exp_net_gradcheck(const bn_opts *o)
{
    double t0 = bn_now();
    write_check_params(o);
    const double regs[] = {0.0, 3.14};
    double X[GN * GD];
    int y[GN];
    gradcheck_data(o, X, y);

    bn_out f, fl, fv, flv;
    char v[64], rv[64], prefix[80], ex[64], tol[64], lo[64], hi[64];
    bn_out_open(&f, o->out, "exp4_net_gradcheck.tsv");
    bn_out_open(&fl, o->out, "exp4_initial_loss.tsv");
    bn_out_open(&fv, o->out, "exp4_net_gradcheck_verdict.tsv");
    bn_out_open(&flv, o->out, "exp4_initial_loss_verdict.tsv");
    bn_verdict_gc_header(&fv, "reg\tparam");
    bn_out_printf(&flv, "reg\tinitial_loss\texpected\ttol\tlo\thi\tverdict\n");
    bn_fmt(tol, sizeof tol, BN_VERDICT_LOSS_TOL);
    bn_out_printf(&f, "reg\tparam\trel_error\tkinks\trel_error_smooth\trel_error_small_h\tmax_abs_grad\tmax_abs_num_grad\n");
    bn_out_printf(&fl, "reg\tinitial_loss\n");
    for (int k = 0; k < 2; k++) {
        bn_fmt(rv, sizeof rv, regs[k]);
        snprintf(prefix, sizeof prefix, "%s\t", rv);
        double l2;
        double loss = net_gradcheck(&f, &fv, prefix, o, BN_NORM_BATCH, regs[k], k + 1, X, y, &l2);
        /* expected: ln C for nearly equal scores, plus the penalty the regularisation adds */
        double want = bn_log((double)GC) + l2;
        bn_fmt(v, sizeof v, loss);
        bn_fmt(ex, sizeof ex, want);
        bn_fmt(lo, sizeof lo, want - BN_VERDICT_LOSS_TOL);
        bn_fmt(hi, sizeof hi, want + BN_VERDICT_LOSS_TOL);
        bn_out_printf(&fl, "%s\t%s\n", rv, v);
        bn_out_printf(&flv, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", rv, v, ex, tol, lo, hi,
                      bn_verdict_initial_loss(loss, GC, l2) ? "pass" : "fail");
        bn_progress("exp4 net-gradcheck: reg %s, initial loss %.6f", rv, loss);
    }
    bn_out_commit(&flv);
    bn_out_commit(&fv);
    bn_out_commit(&fl);
    bn_out_commit(&f);
    write_wall(o, "exp4_net_gradcheck.timing.tsv", t0);
}

/* Context for numerical gradients of layernorm's output. */
static void ln_out_fn(void *ctx, double *out)
{
    bn_ctx *c = ctx;
    bn_layernorm_forward(out, c->cache, c->x, c->gamma, c->beta, c->N, c->D);
}

void bn_exp_layernorm_checks(const bn_opts *o)
{
    double t0 = bn_now();
    write_check_params(o);
    enum { N = 4, D = 5, NF = 4, DF = 60 };
    gsl_rng *r = bn_rng_new(o->seed, "layernorm", 0, "data");
    char m[64], s[64], v[64], rv[64], prefix[80];
    bn_out f;

    /* forward: per-sample statistics of gamma*xhat + beta with gamma 3, beta 5 on shifted inputs */
    double *x = bn_malloc(sizeof(double) * NF * DF), *out = bn_malloc(sizeof(double) * NF * DF);
    double *cache = bn_malloc(sizeof(double) * BN_LN_CACHE_SIZE(NF, DF)), gamma[DF], beta[DF];
    fill_gaussian(x, NF * DF, r, 4.0, 7.0);
    for (int j = 0; j < DF; j++) { gamma[j] = 3.0; beta[j] = 5.0; }
    bn_layernorm_forward(out, cache, x, gamma, beta, NF, DF);
    bn_out_open(&f, o->out, "exp7_layernorm_forward.tsv");
    bn_out_printf(&f, "sample\tinput_mean\tinput_std\tmean\tstd\n");
    for (int i = 0; i < NF; i++) {
        double im = gsl_stats_mean(x + i * DF, 1, DF), is = sqrt(gsl_stats_variance_with_fixed_mean(x + i * DF, 1, DF, im));
        double om = gsl_stats_mean(out + i * DF, 1, DF), os = sqrt(gsl_stats_variance_with_fixed_mean(out + i * DF, 1, DF, om));
        char a[64], b[64];
        bn_fmt(a, sizeof a, im); bn_fmt(b, sizeof b, is); bn_fmt(m, sizeof m, om); bn_fmt(s, sizeof s, os);
        bn_out_printf(&f, "%d\t%s\t%s\t%s\t%s\n", i, a, b, m, s);
    }
    bn_out_commit(&f);
    free(x); free(out); free(cache);

    /* backward: centred differences, as experiment 3 */
    double gx[N * D], gg[D], gb[D], dout[N * D], gc[BN_LN_CACHE_SIZE(N, D)], go[N * D];
    double dx[N * D], dg[D], db[D], ndx[N * D], ndg[D], ndb[D], op[N * D], om[N * D];
    fill_gaussian(gx, N * D, r, 5.0, 12.0);
    fill_gaussian(gg, D, r, 1.0, 0.0);
    fill_gaussian(gb, D, r, 1.0, 0.0);
    fill_gaussian(dout, N * D, r, 1.0, 0.0);
    gsl_rng_free(r);
    bn_ctx c = {gx, gg, gb, gc, N, D};
    bn_num_grad_array(ndx, gx, N * D, ln_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_num_grad_array(ndg, gg, D, ln_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_num_grad_array(ndb, gb, D, ln_out_fn, &c, dout, N * D, op, om, 1e-5);
    bn_layernorm_forward(go, gc, gx, gg, gb, N, D);
    bn_layernorm_backward(dx, dg, db, dout, gc, gg, N, D);
    bn_out_open(&f, o->out, "exp7_layernorm_gradcheck.tsv");
    bn_out_printf(&f, "check\tN\tD\trel_error\n");
    const char *names[] = {"dx", "dgamma", "dbeta"};
    double errs[] = {bn_rel_error(ndx, dx, N * D), bn_rel_error(ndg, dg, D), bn_rel_error(ndb, db, D)};
    for (int i = 0; i < 3; i++) {
        bn_fmt(v, sizeof v, errs[i]);
        bn_out_printf(&f, "%s\t%d\t%d\t%s\n", names[i], N, D, v);
    }
    bn_out_commit(&f);
    bn_out fv;
    bn_out_open(&fv, o->out, "exp7_layernorm_gradcheck_verdict.tsv");
    bn_verdict_layer_header(&fv);
    for (int i = 0; i < 3; i++) bn_verdict_layer_row(&fv, names[i], "numeric", errs[i]);
    bn_out_commit(&fv);
    bn_progress("exp7 layernorm: dx %.2e dgamma %.2e dbeta %.2e", errs[0], errs[1], errs[2]);

    /* the net of experiment 4 with each normalisation */
    double X[GN * GD];
    int y[GN];
    gradcheck_data(o, X, y);
    const double regs[] = {0.0, 3.14};
    const bn_norm norms[] = {BN_NORM_NONE, BN_NORM_BATCH, BN_NORM_LAYER};
    bn_out_open(&fv, o->out, "exp7_net_gradcheck_norms_verdict.tsv");
    bn_verdict_gc_header(&fv, "norm\treg\tparam");
    bn_out_open(&f, o->out, "exp7_net_gradcheck_norms.tsv");
    bn_out_printf(&f, "norm\treg\tparam\trel_error\tkinks\trel_error_smooth\trel_error_small_h\tmax_abs_grad\tmax_abs_num_grad\n");
    for (int n = 0; n < 3; n++)
        for (int k = 0; k < 2; k++) {
            bn_fmt(rv, sizeof rv, regs[k]);
            snprintf(prefix, sizeof prefix, "%s\t%s\t", bn_norm_name(norms[n]), rv);
            net_gradcheck(&f, &fv, prefix, o, norms[n], regs[k], k + 1, X, y, NULL);
        }
    bn_out_commit(&fv);
    bn_out_commit(&f);
    write_wall(o, "exp7_layernorm_checks.timing.tsv", t0);
}
