/* test_layers.c - every layer's forward values and its analytic gradients against centred
 * differences (bn_num_grad / bn_num_grad_array), plus the gradcheck helpers themselves.
 *
 * Gradient bounds. A centred difference with h = 1e-5 carries truncation error O(h^2 f''') and
 * rounding noise ~1e-16 |f| / h ~ 1e-11 absolute for the O(1) sums used here. Two measures are
 * bounded (see tu_err in testutil.h): the assignment's element-wise bn_rel_error, which that
 * noise inflates wherever one gradient element happens to be tiny, and the scale-aware
 * max|a - b| / max|a|, which it does not. Each check runs several seeds and shapes; every bound
 * sits about 10x or more above the worst value measured over them, and the measurements are
 * written next to each bound (TU_VERBOSE=1 prints them again). A wrong formula gives errors of
 * 1e-2 and more in both measures (see the negative control for batchnorm). */
#include "testutil.h"

#include <float.h>

#include "gradcheck.h"
#include "layers.h"

#define H_STEP 1e-5

/* ---------- gradcheck helpers ---------- */

static void rel_error_is_worst_elementwise_relative_difference(void **state)
{
    (void)state;
    const double a[] = {1.0, 2.0, -3.0, 0.0};
    const double b[] = {1.0, 2.1, -3.0, 0.0};
    /* 0.1 / (2 + 2.1); identical and all-zero elements contribute 0 */
    tu_assert_rel(bn_rel_error(a, b, 4), 0.1 / 4.1, 1e-15);
    /* symmetric */
    tu_assert_rel(bn_rel_error(b, a, 4), 0.1 / 4.1, 1e-15);
    /* the denominator is floored at 1e-8: a 1e-9 difference between tiny values is 0.1, not 1 */
    const double c[] = {1e-9}, z[] = {0.0};
    tu_assert_rel(bn_rel_error(c, z, 1), 0.1, 1e-12);
    /* opposite signs give the maximum, 1 */
    const double p[] = {2.0}, m[] = {-2.0};
    tu_assert_rel(bn_rel_error(p, m, 1), 1.0, 0.0);
    /* a NaN anywhere must not be hidden by a later finite element */
    const double n1[] = {NAN, 1.0}, n2[] = {1.0, 1.0};
    assert_true(isnan(bn_rel_error(n1, n2, 2)));
    assert_true(bn_rel_error(a, a, 4) == 0.0);
}

typedef struct {
    double *x;
    long n;
} cube_ctx;

/* f(x) = sum x_i^3 */
static double cube_sum(void *ctx)
{
    cube_ctx *c = ctx;
    double s = 0.0;
    for (long i = 0; i < c->n; i++) s += c->x[i] * c->x[i] * c->x[i];
    return s;
}

/* f_k(x) = x_k^2 * x_{(k+1) mod n} */
static void square_times_next(void *ctx, double *out)
{
    cube_ctx *c = ctx;
    for (long k = 0; k < c->n; k++) out[k] = c->x[k] * c->x[k] * c->x[(k + 1) % c->n];
}

static void num_grad_matches_known_derivatives_and_restores_input(void **state)
{
    (void)state;
    enum { N = 6 };
    double x[N] = {0.5, -1.25, 2.0, 3.5, -0.75, 1.0}, x0[N], g[N];
    memcpy(x0, x, sizeof x);
    cube_ctx c = {x, N};
    bn_num_grad(g, x, N, cube_sum, &c, 1e-4);
    /* centred difference of x^3 is exactly 3x^2 + h^2: error h^2 = 1e-8 plus rounding */
    for (int i = 0; i < N; i++) tu_assert_near(g[i], 3.0 * x0[i] * x0[i], 2e-8);
    assert_memory_equal(x, x0, sizeof x);

    /* d/dx_i sum_k dout_k f_k = dout_i * 2 x_i x_{i+1} + dout_{i-1} * x_{i-1}^2 */
    double dout[N] = {1.0, -2.0, 0.5, 3.0, 1.5, -1.0}, op[N], om[N];
    bn_num_grad_array(g, x, N, square_times_next, &c, dout, N, op, om, 1e-5);
    for (int i = 0; i < N; i++) {
        int p = (i + N - 1) % N, q = (i + 1) % N;
        double want = dout[i] * 2.0 * x0[i] * x0[q] + dout[p] * x0[p] * x0[p];
        tu_assert_near(g[i], want, 1e-9);
    }
    assert_memory_equal(x, x0, sizeof x);
}

/* ---------- affine ---------- */

static void affine_forward_hand_computed(void **state)
{
    (void)state;
    /* small integers: every product and sum is exact */
    const double x[2 * 3] = {1, 2, 3, -1, 0, 2};
    const double w[3 * 2] = {1, -1, 0, 2, 3, 1};
    const double b[2] = {10, 20};
    const double want[2 * 2] = {1 + 0 + 9 + 10, -1 + 4 + 3 + 20, -1 + 0 + 6 + 10, 1 + 0 + 2 + 20};
    double out[4];
    bn_affine_forward(out, x, w, b, 2, 3, 2);
    assert_memory_equal(out, want, sizeof want);
}

typedef struct {
    double *x, *w, *b;
    int N, D, M;
} affine_ctx;

static void affine_fn(void *ctx, double *out)
{
    affine_ctx *c = ctx;
    bn_affine_forward(out, c->x, c->w, c->b, c->N, c->D, c->M);
}

/* Analytic affine gradients against numerical ones for one seed. */
static void affine_gradcheck(unsigned long seed, int N, int D, int M, tu_err e[3])
{
    gsl_rng *r = tu_rng(seed);
    long nx = (long)N * D, nw = (long)D * M, no = (long)N * M;
    double *x = tu_doubles(nx), *w = tu_doubles(nw), *b = tu_doubles(M), *dout = tu_doubles(no);
    double *dx = tu_doubles(nx), *dw = tu_doubles(nw), *db = tu_doubles(M);
    double *ndx = tu_doubles(nx), *ndw = tu_doubles(nw), *ndb = tu_doubles(M);
    double *op = tu_doubles(no), *om = tu_doubles(no), *dw2 = tu_doubles(nw), *db2 = tu_doubles(M);
    tu_fill_gaussian(x, nx, r, 1.0, 0.0);
    tu_fill_gaussian(w, nw, r, 1.0, 0.0);
    tu_fill_gaussian(b, M, r, 1.0, 0.0);
    tu_fill_gaussian(dout, no, r, 1.0, 0.0);
    affine_ctx c = {x, w, b, N, D, M};
    bn_affine_backward(dx, dw, db, dout, x, w, N, D, M);
    bn_num_grad_array(ndx, x, nx, affine_fn, &c, dout, no, op, om, H_STEP);
    bn_num_grad_array(ndw, w, nw, affine_fn, &c, dout, no, op, om, H_STEP);
    bn_num_grad_array(ndb, b, M, affine_fn, &c, dout, no, op, om, H_STEP);
    tu_err_add(&e[0], dx, ndx, nx);
    tu_err_add(&e[1], dw, ndw, nw);
    tu_err_add(&e[2], db, ndb, M);
    /* dx == NULL skips the input gradient without changing the others */
    bn_affine_backward(NULL, dw2, db2, dout, x, w, N, D, M);
    assert_memory_equal(dw2, dw, sizeof(double) * nw);
    assert_memory_equal(db2, db, sizeof(double) * M);
    free(x); free(w); free(b); free(dout); free(dx); free(dw); free(db); free(ndx); free(ndw); free(ndb);
    free(op); free(om); free(dw2); free(db2);
    gsl_rng_free(r);
}

static void affine_backward_matches_numerical_gradient(void **state)
{
    (void)state;
    tu_err e[3] = {{0, 0}, {0, 0}, {0, 0}};
    for (unsigned long seed = 1; seed <= 5; seed++) {
        affine_gradcheck(seed, 4, 5, 3, e);
        affine_gradcheck(seed + 10, 10, 6, 5, e);
    }
    /* affine is linear: the centred difference is exact up to rounding. Worst of the 10 runs
     * measured: rel 1.0e-9 (dx), scaled 2.9e-11; the bounds leave 100x and 30x. */
    tu_assert_below("affine dx rel error", e[0].rel, 1e-7);
    tu_assert_below("affine dw rel error", e[1].rel, 1e-7);
    tu_assert_below("affine db rel error", e[2].rel, 1e-7);
    tu_assert_below("affine dx scaled error", e[0].scaled, 1e-9);
    tu_assert_below("affine dw scaled error", e[1].scaled, 1e-9);
    tu_assert_below("affine db scaled error", e[2].scaled, 1e-9);
}

/* ---------- relu ---------- */

typedef struct {
    double *x;
    long n;
} relu_ctx;

static void relu_fn(void *ctx, double *out)
{
    relu_ctx *c = ctx;
    bn_relu_forward(out, c->x, c->n);
}

static void relu_forward_and_backward_match_definition_and_numerical_gradient(void **state)
{
    (void)state;
    enum { N = 200 };
    gsl_rng *r = tu_rng(7);
    double x[N], dout[N], out[N], dx[N], ndx[N], op[N], om[N];
    /* keep every input at least 0.1 away from the kink at 0, so x +- h never crosses it */
    for (int i = 0; i < N; i++) {
        double g = gsl_ran_gaussian(r, 1.0);
        x[i] = g >= 0 ? 0.1 + g : -0.1 + g;
    }
    tu_fill_gaussian(dout, N, r, 1.0, 0.0);
    bn_relu_forward(out, x, N);
    int npos = 0;
    for (int i = 0; i < N; i++) {
        assert_true(out[i] == (x[i] > 0 ? x[i] : 0.0));
        npos += x[i] > 0;
    }
    assert_in_range(npos, 60, 140);   /* both branches are exercised */
    bn_relu_backward(dx, dout, x, N);
    for (int i = 0; i < N; i++) assert_true(dx[i] == (x[i] > 0 ? dout[i] : 0.0));
    relu_ctx c = {x, N};
    bn_num_grad_array(ndx, x, N, relu_fn, &c, dout, N, op, om, H_STEP);
    /* piecewise linear away from kinks: rounding only, measured 3.3e-12 */
    tu_assert_below("relu dx rel error", bn_rel_error(dx, ndx, N), 1e-9);

    /* documented: dx may alias dout */
    double d2[N];
    memcpy(d2, dout, sizeof d2);
    bn_relu_backward(d2, d2, x, N);
    assert_memory_equal(d2, dx, sizeof dx);
    gsl_rng_free(r);
}

/* ---------- softmax loss ---------- */

static void softmax_loss_of_zero_scores_is_log_C(void **state)
{
    (void)state;
    enum { N = 7, C = 10 };
    double s[N * C] = {0}, d[N * C];
    int y[N] = {0, 1, 2, 3, 9, 9, 5};
    double loss = bn_softmax_loss(d, s, y, N, C);
    /* log(sum of ten exp(0)) = log(10), averaged over N: a few rounding steps at most */
    tu_assert_rel(loss, log((double)C), 1e-15);
    /* dscores = (1/C - onehot) / N */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < C; j++) tu_assert_near(d[i * C + j], (0.1 - (j == y[i])) / N, 1e-16);
    /* NULL dscores: same loss */
    assert_true(bn_softmax_loss(NULL, s, y, N, C) == loss);
}

static void softmax_loss_is_stable_for_large_scores(void **state)
{
    (void)state;
    /* exp(1001) overflows; shifted by the row max it is 1 + e^-1 */
    const double s[2 * 2] = {1000.0, 1001.0, -1000.0, -1001.0};
    const int y[2] = {0, 1};
    /* row 0: -log p_0 = log(e^1000 + e^1001) - 1000 = 1 + log(1 + e^-1);
     * row 1: -log p_1 = log(e^-1000 + e^-1001) + 1001 = 1 + log(1 + e^-1) as well */
    double want = 0.5 * ((log1p(exp(-1.0)) + 1.0) + (log1p(exp(-1.0)) + 1.0));
    double d[4];
    double loss = bn_softmax_loss(d, s, y, 2, 2);
    assert_true(isfinite(loss));
    tu_assert_rel(loss, want, 1e-14);
    /* each row of dscores sums to zero, to the rounding of its probabilities: each is an exp of
     * an exp-and-log expression (1 ulp each, fixedmath.h), halved by N = 2, so within 2 eps */
    tu_assert_near(d[0] + d[1], 0.0, 2 * DBL_EPSILON);
    tu_assert_near(d[2] + d[3], 0.0, 2 * DBL_EPSILON);
}

static void softmax_loss_of_nonfinite_scores_is_nonfinite(void **state)
{
    (void)state;
    const double s[3] = {INFINITY, 0.0, 1.0};
    const int y[1] = {1};
    assert_false(isfinite(bn_softmax_loss(NULL, s, y, 1, 3)));
    const double s2[3] = {NAN, 0.0, 1.0};
    assert_false(isfinite(bn_softmax_loss(NULL, s2, y, 1, 3)));
}

typedef struct {
    double *s;
    const int *y;
    int N, C;
} softmax_ctx;

static double softmax_fn(void *ctx)
{
    softmax_ctx *c = ctx;
    return bn_softmax_loss(NULL, c->s, c->y, c->N, c->C);
}

static void softmax_loss_gradient_matches_numerical_gradient(void **state)
{
    (void)state;
    enum { C = 10 };
    const int sizes[] = {5, 50};
    tu_err e = {0, 0};
    for (int k = 0; k < 2; k++)
        for (unsigned long seed = 1; seed <= 5; seed++) {
            int N = sizes[k];
            gsl_rng *r = tu_rng(seed);
            double *s = tu_doubles((long)N * C), *d = tu_doubles((long)N * C), *nd = tu_doubles((long)N * C);
            int *y = malloc(sizeof(int) * (size_t)N);
            assert_non_null(y);
            tu_fill_gaussian(s, (long)N * C, r, 1.0, 0.0);
            for (int i = 0; i < N; i++) y[i] = (int)gsl_rng_uniform_int(r, C);
            double loss = bn_softmax_loss(d, s, y, N, C);
            /* unit-scale scores against 10 classes: the loss is near log(10) = 2.3 (loosely: N may be 5) */
            assert_true(loss > 0.5 && loss < 5.0);
            softmax_ctx c = {s, y, N, C};
            bn_num_grad(nd, s, (long)N * C, softmax_fn, &c, H_STEP);
            tu_err_add(&e, d, nd, (long)N * C);
            free(s); free(d); free(nd); free(y);
            gsl_rng_free(r);
        }
    /* measured over the 10 runs: rel 2.5e-7 (an element p/N ~ 1e-4 of a 50-row batch against
     * rounding noise ~3e-11), scaled 2.1e-9; bounds leave 12x and 14x */
    tu_assert_below("softmax dscores rel error", e.rel, 3e-6);
    tu_assert_below("softmax dscores scaled error", e.scaled, 3e-8);
}

/* ---------- batchnorm ---------- */

static void column_mean_std(const double *a, int N, int D, int j, double *mean, double *sd)
{
    double m = 0.0, v = 0.0;
    for (int i = 0; i < N; i++) m += a[i * D + j];
    m /= N;
    for (int i = 0; i < N; i++) v += (a[i * D + j] - m) * (a[i * D + j] - m);
    *mean = m;
    *sd = sqrt(v / N);   /* population std, as the layer's biased variance */
}

static void batchnorm_train_output_has_mean_beta_and_std_gamma(void **state)
{
    (void)state;
    enum { N = 200, D = 3 };
    gsl_rng *r = tu_rng(1);
    double x[N * D], out[N * D], cache[BN_CACHE_SIZE(N, D)];
    /* features of very different location and scale */
    const double loc[D] = {12.0, -40.0, 0.5}, scale[D] = {5.0, 0.3, 20.0};
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) x[i * D + j] = loc[j] + scale[j] * gsl_ran_gaussian(r, 1.0);
    const double gamma[D] = {1.0, 2.0, 3.0}, beta[D] = {11.0, 12.0, 13.0};
    bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
    for (int j = 0; j < D; j++) {
        double m, sd, xm, xsd;
        column_mean_std(out, N, D, j, &m, &sd);
        column_mean_std(x, N, D, j, &xm, &xsd);
        tu_assert_near(m, beta[j], 1e-12);
        /* exactly gamma * sqrt(var / (var + eps)) */
        tu_assert_rel(sd, gamma[j] * sqrt(xsd * xsd / (xsd * xsd + BN_EPS)), 1e-12);
        /* so within eps/(2 var) <= 6e-5 of gamma for the smallest variance here (0.09) */
        tu_assert_rel(sd, gamma[j], 1e-4);
        /* the cache holds the batch mean and 1/sqrt(var + eps) */
        tu_assert_rel(cache[N * D + j], xm, 1e-13);
        tu_assert_rel(cache[N * D + D + j], 1.0 / sqrt(xsd * xsd + BN_EPS), 1e-12);
    }
    gsl_rng_free(r);
}

static void batchnorm_running_stats_update_from_zero(void **state)
{
    (void)state;
    enum { N = 4, D = 2 };
    /* column 0: 1,2,3,4 -> mean 2.5, biased var 1.25; column 1: -2,0,2,8 -> mean 2, var 14 */
    const double x1[N * D] = {1, -2, 2, 0, 3, 2, 4, 8};
    /* column 0: constant 10 -> mean 10, var 0; column 1: 0,0,4,4 -> mean 2, var 4 */
    const double x2[N * D] = {10, 0, 10, 0, 10, 4, 10, 4};
    const double gamma[D] = {1, 1}, beta[D] = {0, 0};
    double out[N * D], cache[BN_CACHE_SIZE(N, D)], rm[D] = {0, 0}, rv[D] = {0, 0};
    bn_forward(out, cache, rm, rv, x1, gamma, beta, N, D);
    /* m = 0.9*0 + 0.1*stat */
    tu_assert_near(rm[0], 0.25, 1e-15);
    tu_assert_near(rm[1], 0.2, 1e-15);
    tu_assert_near(rv[0], 0.125, 1e-15);
    tu_assert_near(rv[1], 1.4, 1e-15);
    bn_forward(out, cache, rm, rv, x2, gamma, beta, N, D);
    tu_assert_near(rm[0], 0.9 * 0.25 + 0.1 * 10, 1e-14);   /* 1.225 */
    tu_assert_near(rm[1], 0.9 * 0.2 + 0.1 * 2, 1e-14);     /* 0.38 */
    tu_assert_near(rv[0], 0.9 * 0.125 + 0.1 * 0, 1e-14);   /* 0.1125 */
    tu_assert_near(rv[1], 0.9 * 1.4 + 0.1 * 4, 1e-14);     /* 1.66 */
    /* a constant feature normalises to beta, not NaN (eps keeps the division finite) */
    for (int i = 0; i < N; i++) assert_true(out[i * D] == 0.0);
}

static void batchnorm_test_mode_uses_running_statistics(void **state)
{
    (void)state;
    enum { N = 3, D = 2 };
    const double x[N * D] = {3, -1, 5, 0, 1, 2};
    /* var + eps = 4 and 0.25: standard deviations 2 and 0.5 */
    const double rm[D] = {1, -2}, rv[D] = {4 - BN_EPS, 0.25 - BN_EPS};
    const double gamma[D] = {2, -1}, beta[D] = {0.5, 3};
    /* feature 0: 2*(x-1)/2 + 0.5 = x - 0.5; feature 1: -(x+2)/0.5 + 3 = -2x - 1 */
    const double want[N * D] = {2.5, 1, 4.5, -1, 0.5, -5};
    double out[N * D];
    bn_forward_test(out, x, gamma, beta, rm, rv, N, D);
    for (int k = 0; k < N * D; k++) tu_assert_near(out[k], want[k], 1e-12);
    /* row by row the same: test mode does not look at the rest of the batch */
    for (int i = 0; i < N; i++) {
        double o1[D];
        bn_forward_test(o1, x + i * D, gamma, beta, rm, rv, 1, D);
        assert_memory_equal(o1, out + i * D, sizeof o1);
    }
    /* whereas train mode on the same rows gives batch-normalised values (feature 0 mean 3) */
    double tr[N * D], cache[BN_CACHE_SIZE(N, D)];
    bn_forward(tr, cache, NULL, NULL, x, gamma, beta, N, D);
    assert_true(fabs(tr[0] - want[0]) > 0.1);
}

typedef struct {
    double *x, *gamma, *beta, *cache;
    int N, D;
} norm_ctx;

static void bn_fn(void *ctx, double *out)
{
    norm_ctx *c = ctx;
    bn_forward(out, c->cache, NULL, NULL, c->x, c->gamma, c->beta, c->N, c->D);
}

static void ln_fn(void *ctx, double *out)
{
    norm_ctx *c = ctx;
    bn_layernorm_forward(out, c->cache, c->x, c->gamma, c->beta, c->N, c->D);
}

/* Analytic (simplified and staged) batchnorm gradients against numerical ones for an N x D input
 * of scale 5 around 12, as the assignment's check. e: dx, dgamma, dbeta, then the staged three. */
static void bn_gradcheck(unsigned long seed, int N, int D, tu_err e[6])
{
    gsl_rng *r = tu_rng(seed);
    long n = (long)N * D;
    double *x = tu_doubles(n), *dout = tu_doubles(n), *out = tu_doubles(n), *op = tu_doubles(n), *om = tu_doubles(n);
    double *dx = tu_doubles(n), *sdx = tu_doubles(n), *ndx = tu_doubles(n);
    double *gamma = tu_doubles(D), *beta = tu_doubles(D), *dg = tu_doubles(D), *db = tu_doubles(D);
    double *sdg = tu_doubles(D), *sdb = tu_doubles(D), *ndg = tu_doubles(D), *ndb = tu_doubles(D);
    double *work = tu_doubles(2L * D), *cache = tu_doubles(BN_CACHE_SIZE(N, D));
    tu_fill_gaussian(x, n, r, 5.0, 12.0);
    tu_fill_gaussian(gamma, D, r, 1.0, 0.0);
    tu_fill_gaussian(beta, D, r, 1.0, 0.0);
    tu_fill_gaussian(dout, n, r, 1.0, 0.0);
    norm_ctx c = {x, gamma, beta, cache, N, D};
    bn_num_grad_array(ndx, x, n, bn_fn, &c, dout, n, op, om, H_STEP);
    bn_num_grad_array(ndg, gamma, D, bn_fn, &c, dout, n, op, om, H_STEP);
    bn_num_grad_array(ndb, beta, D, bn_fn, &c, dout, n, op, om, H_STEP);
    bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
    bn_backward(dx, dg, db, dout, cache, gamma, N, D);
    bn_backward_staged(sdx, sdg, sdb, dout, cache, gamma, work, N, D);
    tu_err_add(&e[0], dx, ndx, n);
    tu_err_add(&e[1], dg, ndg, D);
    tu_err_add(&e[2], db, ndb, D);
    tu_err_add(&e[3], sdx, ndx, n);
    tu_err_add(&e[4], sdg, ndg, D);
    tu_err_add(&e[5], sdb, ndb, D);
    free(x); free(dout); free(out); free(op); free(om); free(dx); free(sdx); free(ndx);
    free(gamma); free(beta); free(dg); free(db); free(sdg); free(sdb); free(ndg); free(ndb);
    free(work); free(cache);
    gsl_rng_free(r);
}

static void batchnorm_backward_both_forms_match_numerical_gradient(void **state)
{
    (void)state;
    /* the assignment's 4 x 5 and two other shapes, five seeds each */
    const int shapes[][2] = {{4, 5}, {10, 3}, {32, 8}};
    static const char *names[6][2] = {
        {"bn dx rel error", "bn dx scaled error"}, {"bn dgamma rel error", "bn dgamma scaled error"},
        {"bn dbeta rel error", "bn dbeta scaled error"}, {"bn staged dx rel error", "bn staged dx scaled error"},
        {"bn staged dgamma rel error", "bn staged dgamma scaled error"},
        {"bn staged dbeta rel error", "bn staged dbeta scaled error"}};
    tu_err e[6] = {{0, 0}};
    for (int s = 0; s < 3; s++)
        for (unsigned long seed = 1; seed <= 5; seed++) bn_gradcheck(seed, shapes[s][0], shapes[s][1], e);
    /* Measured worst over the 15 runs, identical for both forms:
     *   dx      rel 1.06e-6, scaled 7.9e-10
     *   dgamma  rel 4.1e-11, scaled 1.3e-11;  dbeta rel 3.5e-11, scaled 1.7e-11.
     * dx's element-wise error cannot be held at 1e-7 for every seed: dx_i is a difference of
     * three terms, and in about one batch in five some element nearly cancels (e.g. 7e-6
     * against a typical 1e-2), so ~1e-11 of numerical noise becomes 1e-6 relative. The dx
     * rel bound therefore leaves 10x over the measurement, and the scale-aware error, which
     * a wrong formula would push to ~1e-1, is held to 1e-8. */
    const double rel_bound[6] = {1e-5, 1e-9, 1e-9, 1e-5, 1e-9, 1e-9};
    const double scaled_bound[6] = {1e-8, 1e-9, 1e-9, 1e-8, 1e-9, 1e-9};
    for (int k = 0; k < 6; k++) {
        tu_assert_below(names[k][0], e[k].rel, rel_bound[k]);
        tu_assert_below(names[k][1], e[k].scaled, scaled_bound[k]);
    }
}

/* Negative control: the same check on a gradient missing its path through the variance
 * (a classic mistake) must fail by orders of magnitude, so the bounds above are not vacuous. */
static void batchnorm_gradcheck_rejects_gradient_without_variance_path(void **state)
{
    (void)state;
    enum { N = 4, D = 5 };
    gsl_rng *r = tu_rng(1);
    double x[N * D], dout[N * D], out[N * D], op[N * D], om[N * D], dx[N * D], ndx[N * D];
    double gamma[D], beta[D], dg[D], db[D], cache[BN_CACHE_SIZE(N, D)];
    tu_fill_gaussian(x, N * D, r, 5.0, 12.0);
    tu_fill_gaussian(gamma, D, r, 1.0, 0.0);
    tu_fill_gaussian(beta, D, r, 1.0, 0.0);
    tu_fill_gaussian(dout, N * D, r, 1.0, 0.0);
    norm_ctx c = {x, gamma, beta, cache, N, D};
    bn_num_grad_array(ndx, x, N * D, bn_fn, &c, dout, N * D, op, om, H_STEP);
    bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
    bn_backward(dx, dg, db, dout, cache, gamma, N, D);
    const double *xhat = cache, *rstd = cache + N * D + D;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++)   /* the true dx plus its dropped term gamma*rstd/N * xhat*dgamma */
            dx[i * D + j] += gamma[j] * rstd[j] / N * xhat[i * D + j] * dg[j];
    tu_err e = {0, 0};
    tu_err_add(&e, dx, ndx, N * D);
    assert_true(e.rel > 1e-2);
    assert_true(e.scaled > 1e-2);
    gsl_rng_free(r);
}

static void batchnorm_staged_backward_equals_simplified(void **state)
{
    (void)state;
    /* several shapes, including the realistic 100 x 500 layer */
    const int shapes[][2] = {{3, 4}, {8, 2}, {16, 7}, {64, 33}, {100, 500}};
    double worst = 0.0;
    for (int s = 0; s < 5; s++) {
        int N = shapes[s][0], D = shapes[s][1];
        long n = (long)N * D;
        gsl_rng *r = tu_rng(100 + (unsigned long)s);
        double *x = tu_doubles(n), *dout = tu_doubles(n), *out = tu_doubles(n), *dx1 = tu_doubles(n);
        double *dx2 = tu_doubles(n), *gamma = tu_doubles(D), *beta = tu_doubles(D), *g = tu_doubles(4L * D);
        double *work = tu_doubles(2L * D), *cache = tu_doubles(BN_CACHE_SIZE(N, D));
        tu_fill_gaussian(x, n, r, 5.0, 12.0);
        tu_fill_gaussian(gamma, D, r, 1.0, 0.0);
        tu_fill_gaussian(beta, D, r, 1.0, 0.0);
        tu_fill_gaussian(dout, n, r, 1.0, 0.0);
        bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
        bn_backward(dx1, g, g + D, dout, cache, gamma, N, D);
        bn_backward_staged(dx2, g + 2 * D, g + 3 * D, dout, cache, gamma, work, N, D);
        double e = bn_rel_error(dx1, dx2, n);
        if (!(e <= worst)) worst = e;
        /* dgamma and dbeta are the same sums in both forms */
        assert_memory_equal(g, g + 2 * D, sizeof(double) * D);
        assert_memory_equal(g + D, g + 3 * D, sizeof(double) * D);
        free(x); free(dout); free(out); free(dx1); free(dx2); free(gamma); free(beta); free(g); free(work);
        free(cache);
        gsl_rng_free(r);
    }
    /* two algebraically equal forms in double precision: measured 4.7e-12 worst (the brief's
     * bar is 1e-10) */
    tu_assert_below("bn staged vs simplified dx rel error", worst, 1e-10);
}

/* ---------- layernorm ---------- */

static void layernorm_forward_normalises_each_row(void **state)
{
    (void)state;
    enum { N = 5, D = 40 };
    gsl_rng *r = tu_rng(3);
    double x[N * D], out[N * D], cache[BN_LN_CACHE_SIZE(N, D)], gamma[D], beta[D];
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) x[i * D + j] = 10.0 * i - 7.0 + (1.0 + i) * gsl_ran_gaussian(r, 1.0);
    for (int j = 0; j < D; j++) { gamma[j] = 1.0; beta[j] = 0.0; }
    bn_layernorm_forward(out, cache, x, gamma, beta, N, D);
    for (int i = 0; i < N; i++) {
        double m = 0.0, v = 0.0;
        for (int j = 0; j < D; j++) m += out[i * D + j];
        m /= D;
        for (int j = 0; j < D; j++) v += (out[i * D + j] - m) * (out[i * D + j] - m);
        tu_assert_near(m, 0.0, 1e-13);
        /* std 1 up to eps/(2 var) <= 5e-6 for the row of variance 1 */
        tu_assert_near(sqrt(v / D), 1.0, 1e-5);
    }
    /* gamma and beta act per feature (column), after the per-row normalisation */
    double out2[N * D];
    for (int j = 0; j < D; j++) { gamma[j] = 0.5 * j; beta[j] = j - 3.0; }
    bn_layernorm_forward(out2, cache, x, gamma, beta, N, D);
    for (int k = 0; k < N * D; k++) tu_assert_near(out2[k], gamma[k % D] * out[k] + beta[k % D], 1e-13);
    gsl_rng_free(r);
}

static void layernorm_backward_matches_numerical_gradient(void **state)
{
    (void)state;
    const int shapes[][2] = {{4, 5}, {3, 20}, {10, 7}};
    tu_err e[3] = {{0, 0}, {0, 0}, {0, 0}};
    for (int s = 0; s < 3; s++)
        for (unsigned long seed = 1; seed <= 5; seed++) {
            int N = shapes[s][0], D = shapes[s][1];
            long n = (long)N * D;
            gsl_rng *r = tu_rng(seed);
            double *x = tu_doubles(n), *dout = tu_doubles(n), *out = tu_doubles(n), *op = tu_doubles(n);
            double *om = tu_doubles(n), *dx = tu_doubles(n), *ndx = tu_doubles(n);
            double *gamma = tu_doubles(D), *beta = tu_doubles(D), *dg = tu_doubles(D), *db = tu_doubles(D);
            double *ndg = tu_doubles(D), *ndb = tu_doubles(D), *cache = tu_doubles(BN_LN_CACHE_SIZE(N, D));
            tu_fill_gaussian(x, n, r, 5.0, 12.0);
            tu_fill_gaussian(gamma, D, r, 1.0, 0.0);
            tu_fill_gaussian(beta, D, r, 1.0, 0.0);
            tu_fill_gaussian(dout, n, r, 1.0, 0.0);
            norm_ctx c = {x, gamma, beta, cache, N, D};
            bn_num_grad_array(ndx, x, n, ln_fn, &c, dout, n, op, om, H_STEP);
            bn_num_grad_array(ndg, gamma, D, ln_fn, &c, dout, n, op, om, H_STEP);
            bn_num_grad_array(ndb, beta, D, ln_fn, &c, dout, n, op, om, H_STEP);
            bn_layernorm_forward(out, cache, x, gamma, beta, N, D);
            bn_layernorm_backward(dx, dg, db, dout, cache, gamma, N, D);
            tu_err_add(&e[0], dx, ndx, n);
            tu_err_add(&e[1], dg, ndg, D);
            tu_err_add(&e[2], db, ndb, D);
            free(x); free(dout); free(out); free(op); free(om); free(dx); free(ndx); free(gamma); free(beta);
            free(dg); free(db); free(ndg); free(ndb); free(cache);
            gsl_rng_free(r);
        }
    /* measured worst over the 15 runs: dx rel 4.3e-8, scaled 5.9e-10; dgamma rel 1.1e-10,
     * scaled 2.8e-11; dbeta rel 2.3e-10, scaled 1.2e-11. Bounds leave 20x or more. */
    tu_assert_below("ln dx rel error", e[0].rel, 1e-6);
    tu_assert_below("ln dgamma rel error", e[1].rel, 1e-8);
    tu_assert_below("ln dbeta rel error", e[2].rel, 1e-8);
    tu_assert_below("ln dx scaled error", e[0].scaled, 1e-8);
    tu_assert_below("ln dgamma scaled error", e[1].scaled, 1e-9);
    tu_assert_below("ln dbeta scaled error", e[2].scaled, 1e-9);
}

/* ---------- float32 layers against float64 ones ----------
 *
 * The float layers (the _f32 instantiation of the same source) are checked against the double
 * layers, which the tests above check against numerical gradients. Both run on the same inputs,
 * rounded to float first, so the only difference is the float arithmetic. Measured by the
 * scale-aware error max|f32 - f64| / max|f64| per output. Float's unit roundoff is
 * u = 2^-24 = 6.0e-8; a sum of K terms carries at most ~K u of its terms' magnitude (K <= 40
 * here: 2.4e-6), and batchnorm/layernorm's backward subtracts three such sums of similar size,
 * which can lose one more order. Bounds: 1e-5 (~170 u) for every output, 10x or more above the
 * worst measured (written in the test); a wrong or missing term gives ~1e-2 and more. */
typedef struct {
    int N, D, M;
    double *x, *w, *b, *gamma, *beta, *dout, *dsc, *rm, *rv;   /* inputs, float-representable */
    int *y;
} f32_case;

static double *rounded_gaussian(long n, gsl_rng *r, double scale, double shift)
{
    double *v = tu_doubles(n);
    tu_fill_gaussian(v, n, r, scale, shift);
    for (long i = 0; i < n; i++) v[i] = (float)v[i];
    return v;
}

static float *as_f32(const double *v, long n)
{
    float *f = malloc(sizeof(float) * (size_t)(n ? n : 1));
    assert_non_null(f);
    for (long i = 0; i < n; i++) f[i] = (float)v[i];
    return f;
}

/* scaled error of a float result against a double one */
static double f32_err(const float *a, const double *b, long n)
{
    double *ad = tu_doubles(n);
    for (long i = 0; i < n; i++) ad[i] = a[i];
    double e = tu_scaled_error(ad, b, n);
    free(ad);
    return e;
}

enum { F_AFF_OUT, F_AFF_DX, F_AFF_DW, F_AFF_DB, F_RELU, F_SOFT_LOSS, F_SOFT_D, F_BN_OUT, F_BN_RUN, F_BN_TEST,
       F_BN_DX, F_BN_DG, F_BN_DB, F_BNS_DX, F_LN_OUT, F_LN_DX, F_LN_DG, F_LN_DB, F_COUNT };
static const char *const f32_names[F_COUNT] = {
    "f32 affine out", "f32 affine dx", "f32 affine dw", "f32 affine db", "f32 relu out+dx",
    "f32 softmax loss", "f32 softmax dscores", "f32 batchnorm out", "f32 batchnorm running stats",
    "f32 batchnorm test out", "f32 batchnorm dx", "f32 batchnorm dgamma", "f32 batchnorm dbeta",
    "f32 batchnorm staged dx", "f32 layernorm out", "f32 layernorm dx", "f32 layernorm dgamma",
    "f32 layernorm dbeta"};

static void f32_layers_case(unsigned long seed, int N, int D, int M, double err[F_COUNT])
{
    gsl_rng *r = tu_rng(seed);
    long nx = (long)N * D, no = (long)N * M;
    /* affine: x (N,D) . w (D,M) + b; scores for softmax are its output; norms act on x (N,D) around 12 */
    double *x = rounded_gaussian(nx, r, 1.0, 0.0), *w = rounded_gaussian((long)D * M, r, 0.3, 0.0);
    double *b = rounded_gaussian(M, r, 0.1, 0.0), *g = rounded_gaussian(no, r, 1.0, 0.0);
    double *xn = rounded_gaussian(nx, r, 5.0, 12.0), *gamma = rounded_gaussian(D, r, 1.0, 1.0);
    double *beta = rounded_gaussian(D, r, 1.0, 0.0), *dn = rounded_gaussian(nx, r, 1.0, 0.0);
    int *y = malloc(sizeof(int) * (size_t)N);
    assert_non_null(y);
    for (int i = 0; i < N; i++) y[i] = (int)gsl_rng_uniform_int(r, (unsigned long)M);
    float *xf = as_f32(x, nx), *wf = as_f32(w, (long)D * M), *bf = as_f32(b, M), *gf = as_f32(g, no);
    float *xnf = as_f32(xn, nx), *gammaf = as_f32(gamma, D), *betaf = as_f32(beta, D), *dnf = as_f32(dn, nx);

    double *od = tu_doubles(no), *dxd = tu_doubles(nx), *dwd = tu_doubles((long)D * M), *dbd = tu_doubles(M);
    float *of = as_f32(od, no), *dxf = as_f32(dxd, nx), *dwf = as_f32(dwd, (long)D * M), *dbf = as_f32(dbd, M);
    bn_affine_forward(od, x, w, b, N, D, M);
    bn_affine_forward_f32(of, xf, wf, bf, N, D, M);
    err[F_AFF_OUT] = tu_max(err[F_AFF_OUT], f32_err(of, od, no));
    bn_affine_backward(dxd, dwd, dbd, g, x, w, N, D, M);
    bn_affine_backward_f32(dxf, dwf, dbf, gf, xf, wf, N, D, M);
    err[F_AFF_DX] = tu_max(err[F_AFF_DX], f32_err(dxf, dxd, nx));
    err[F_AFF_DW] = tu_max(err[F_AFF_DW], f32_err(dwf, dwd, (long)D * M));
    err[F_AFF_DB] = tu_max(err[F_AFF_DB], f32_err(dbf, dbd, M));

    /* relu: a select, so float and double agree exactly */
    double *rd = tu_doubles(nx), *rdx = tu_doubles(nx);
    float *rf = as_f32(rd, nx), *rfx = as_f32(rdx, nx);
    bn_relu_forward(rd, x, nx);
    bn_relu_forward_f32(rf, xf, nx);
    bn_relu_backward(rdx, dn, x, nx);
    bn_relu_backward_f32(rfx, dnf, xf, nx);
    err[F_RELU] = tu_max(err[F_RELU], tu_max(f32_err(rf, rd, nx), f32_err(rfx, rdx, nx)));

    /* softmax on the affine output (scores of O(1)) */
    double *dsd = tu_doubles(no);
    float *dsf = as_f32(dsd, no);
    double ld = bn_softmax_loss(dsd, od, y, N, M);
    float lf = bn_softmax_loss_f32(dsf, of, y, N, M);
    err[F_SOFT_LOSS] = tu_max(err[F_SOFT_LOSS], fabs(lf - ld) / fabs(ld));
    err[F_SOFT_D] = tu_max(err[F_SOFT_D], f32_err(dsf, dsd, no));

    /* batchnorm train mode, running statistics from zero, test mode, both backward forms */
    double *bo = tu_doubles(nx), *cache = tu_doubles(BN_CACHE_SIZE(N, D)), *run = tu_doubles(2L * D);
    double *bdx = tu_doubles(nx), *bdg = tu_doubles(D), *bdb = tu_doubles(D), *work = tu_doubles(2L * D);
    float *bof = as_f32(bo, nx), *cachef = as_f32(cache, BN_CACHE_SIZE(N, D)), *runf = as_f32(run, 2L * D);
    float *bdxf = as_f32(bdx, nx), *bdgf = as_f32(bdg, D), *bdbf = as_f32(bdb, D), *workf = as_f32(work, 2L * D);
    bn_forward(bo, cache, run, run + D, xn, gamma, beta, N, D);
    bn_forward_f32(bof, cachef, runf, runf + D, xnf, gammaf, betaf, N, D);
    err[F_BN_OUT] = tu_max(err[F_BN_OUT], f32_err(bof, bo, nx));
    err[F_BN_RUN] = tu_max(err[F_BN_RUN], tu_max(f32_err(runf, run, D), f32_err(runf + D, run + D, D)));
    bn_backward(bdx, bdg, bdb, dn, cache, gamma, N, D);
    bn_backward_f32(bdxf, bdgf, bdbf, dnf, cachef, gammaf, N, D);
    err[F_BN_DX] = tu_max(err[F_BN_DX], f32_err(bdxf, bdx, nx));
    err[F_BN_DG] = tu_max(err[F_BN_DG], f32_err(bdgf, bdg, D));
    err[F_BN_DB] = tu_max(err[F_BN_DB], f32_err(bdbf, bdb, D));
    bn_backward_staged_f32(bdxf, bdgf, bdbf, dnf, cachef, gammaf, workf, N, D);
    err[F_BNS_DX] = tu_max(err[F_BNS_DX], f32_err(bdxf, bdx, nx));
    /* test mode with the float-rounded running statistics in both */
    for (long k = 0; k < 2L * D; k++) run[k] = runf[k];
    bn_forward_test(bo, xn, gamma, beta, run, run + D, N, D);
    bn_forward_test_f32(bof, xnf, gammaf, betaf, runf, runf + D, N, D);
    err[F_BN_TEST] = tu_max(err[F_BN_TEST], f32_err(bof, bo, nx));

    /* layernorm */
    double *lcache = tu_doubles(BN_LN_CACHE_SIZE(N, D));
    float *lcachef = as_f32(lcache, BN_LN_CACHE_SIZE(N, D));
    bn_layernorm_forward(bo, lcache, xn, gamma, beta, N, D);
    bn_layernorm_forward_f32(bof, lcachef, xnf, gammaf, betaf, N, D);
    err[F_LN_OUT] = tu_max(err[F_LN_OUT], f32_err(bof, bo, nx));
    bn_layernorm_backward(bdx, bdg, bdb, dn, lcache, gamma, N, D);
    bn_layernorm_backward_f32(bdxf, bdgf, bdbf, dnf, lcachef, gammaf, N, D);
    err[F_LN_DX] = tu_max(err[F_LN_DX], f32_err(bdxf, bdx, nx));
    err[F_LN_DG] = tu_max(err[F_LN_DG], f32_err(bdgf, bdg, D));
    err[F_LN_DB] = tu_max(err[F_LN_DB], f32_err(bdbf, bdb, D));

    free(x); free(w); free(b); free(g); free(xn); free(gamma); free(beta); free(dn); free(y);
    free(xf); free(wf); free(bf); free(gf); free(xnf); free(gammaf); free(betaf); free(dnf);
    free(od); free(dxd); free(dwd); free(dbd); free(of); free(dxf); free(dwf); free(dbf);
    free(rd); free(rdx); free(rf); free(rfx); free(dsd); free(dsf);
    free(bo); free(cache); free(run); free(bdx); free(bdg); free(bdb); free(work);
    free(bof); free(cachef); free(runf); free(bdxf); free(bdgf); free(bdbf); free(workf);
    free(lcache); free(lcachef);
    gsl_rng_free(r);
}

static void f32_layers_agree_with_f64_layers_to_float_precision(void **state)
{
    (void)state;
    /* the assignment's 4 x 5 check shape, a batch of 50 (the trainings'), a wide one */
    const int shapes[][3] = {{4, 5, 3}, {50, 20, 10}, {10, 40, 7}};
    double err[F_COUNT] = {0};
    for (int s = 0; s < 3; s++)
        for (unsigned long seed = 1; seed <= 5; seed++) f32_layers_case(seed, shapes[s][0], shapes[s][1], shapes[s][2], err);
    /* Measured worst over the 15 cases (the bound of 1e-5 is explained above): affine out 1.8e-7,
     * dx 1.4e-7, dw 2.9e-7, db 1.4e-7; softmax loss 2.1e-7, dscores 2.1e-7; batchnorm out 3.2e-7,
     * running stats 2.7e-7, test mode 1.3e-7, dx 3.5e-7 (staged 3.6e-7), dgamma 9.2e-7, dbeta
     * 1.7e-7; layernorm out 3.4e-7, dx 3.4e-7, dgamma 3.5e-7, dbeta 1.7e-7; relu exactly 0. */
    for (int k = 0; k < F_COUNT; k++) tu_assert_below(f32_names[k], err[k], k == F_RELU ? 0.0 : 1e-5);
    /* and the float results are float results, not double ones rounded: some output differs */
    assert_true(err[F_AFF_OUT] > 0.0 && err[F_BN_DX] > 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rel_error_is_worst_elementwise_relative_difference),
        cmocka_unit_test(f32_layers_agree_with_f64_layers_to_float_precision),
        cmocka_unit_test(num_grad_matches_known_derivatives_and_restores_input),
        cmocka_unit_test(affine_forward_hand_computed),
        cmocka_unit_test(affine_backward_matches_numerical_gradient),
        cmocka_unit_test(relu_forward_and_backward_match_definition_and_numerical_gradient),
        cmocka_unit_test(softmax_loss_of_zero_scores_is_log_C),
        cmocka_unit_test(softmax_loss_is_stable_for_large_scores),
        cmocka_unit_test(softmax_loss_of_nonfinite_scores_is_nonfinite),
        cmocka_unit_test(softmax_loss_gradient_matches_numerical_gradient),
        cmocka_unit_test(batchnorm_train_output_has_mean_beta_and_std_gamma),
        cmocka_unit_test(batchnorm_running_stats_update_from_zero),
        cmocka_unit_test(batchnorm_test_mode_uses_running_statistics),
        cmocka_unit_test(batchnorm_backward_both_forms_match_numerical_gradient),
        cmocka_unit_test(batchnorm_gradcheck_rejects_gradient_without_variance_path),
        cmocka_unit_test(batchnorm_staged_backward_equals_simplified),
        cmocka_unit_test(layernorm_forward_normalises_each_row),
        cmocka_unit_test(layernorm_backward_matches_numerical_gradient),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
