/* test_verdict.c - the study's verdicts (src/study/verdict.c) fed with measures of real small nets and
 * layers: a backward pass wrong by 1% fails as a fault, even where a kink or curvature is present;
 * a ReLU kink, curvature within h and a bias feeding batchnorm pass, each with its reason. Then the
 * single-layer, forward, initial-loss, training-study and across-seed verdicts, and the verdict
 * files' columns.
 *
 * The nets are the assignment's gradient-check net (15 inputs, hidden 20 and 30, 10 classes,
 * 2 samples, weights 0.05 N(0,1)), drawn from a mt19937 seeded with a fixed seed; the cases were
 * found by measuring seeds 1-40 (TU_VERBOSE=1 prints each measure). Every case first asserts the
 * measures that make it the case it is, so a platform that measures differently fails loudly here
 * rather than testing something else. */
#include "testutil.h"

#include "alloc.h"
#include "layers.h"
#include "net.h"
#include "netcheck.h"
#include "tsv.h"
#include "verdict.h"

enum { GN = 2, GD = 15, GC = 10 };
static const int hidden[2] = {20, 30};
#define H 1e-5
#define SMALL_H 1e-6

/* A check net as experiment 4 makes it, from seed; g receives the analytic gradient (nparams). */
static bn_net *check_net(unsigned long seed, bn_norm norm, double *X, int *y, double **g)
{
    gsl_rng *r = tu_rng(seed);
    tu_fill_gaussian(X, GN * GD, r, 1.0, 0.0);
    for (int i = 0; i < GN; i++) y[i] = (int)gsl_rng_uniform_int(r, GC);
    bn_net *net = bn_net_new(hidden, 2, GD, GC, norm, 0.0, GN);
    bn_net_init(net, r, 5e-2);
    gsl_rng_free(r);
    bn_net_loss(net, X, y, GN);
    *g = tu_doubles(net->nparams);
    memcpy(*g, net->grads, sizeof(double) * (size_t)net->nparams);
    return net;
}

/* Measures of parameter `name` with the analytic gradient scaled by `scale` (1.01: a backward
 * pass wrong by 1%). */
static long measure(bn_net *net, const double *g, const char *name, double scale, const double *X, const int *y,
                    bn_gc_measure *m)
{
    const bn_slice *s = bn_net_slice(net, name);
    assert_non_null(s);
    double *gs = tu_doubles(net->nparams);
    for (long i = 0; i < net->nparams; i++) gs[i] = scale * g[i];
    long kinks = bn_netcheck_slice(net, s, gs, X, y, GN, H, SMALL_H, m);
    free(gs);
    if (tu_verbose())
        print_message("%s x%.2f: kinks %ld, rel_error %.3g, smooth %.3g, small h %.3g, |g| %.3g, |num| %.3g -> %s\n",
                      name, scale, kinks, m->rel_error, m->rel_error_smooth, m->rel_error_small_h, m->max_abs_grad,
                      m->max_abs_num_grad, bn_gc_reason_name(bn_verdict_net_gradcheck(m)));
    return kinks;
}

static void expect(const bn_gc_measure *m, bn_gc_reason want)
{
    bn_gc_reason got = bn_verdict_net_gradcheck(m);
    if (got != want) fail_msg("verdict %s, expected %s", bn_gc_reason_name(got), bn_gc_reason_name(want));
    assert_int_equal(bn_gc_passes(got), want != BN_GC_FAULT && want != BN_GC_NONFINITE);
}

/* ---------- the net gradient check ---------- */

/* A correct batchnorm net passes; the same net with every gradient 1% too large fails, for
 * every parameter whose gradient is not zero, as a fault. */
static void backward_wrong_by_one_percent_fails_as_fault(void **state)
{
    (void)state;
    const char *names[] = {"W1", "W2", "W3", "b3", "beta1", "beta2", "gamma1", "gamma2"};
    double X[GN * GD], *g;
    int y[GN];
    bn_net *net = check_net(1, BN_NORM_BATCH, X, y, &g);
    for (int k = 0; k < 8; k++) {
        bn_gc_measure m;
        measure(net, g, names[k], 1.0, X, y, &m);
        assert_string_equal(bn_gc_zero_name(&m), "none");
        assert_true(bn_gc_passes(bn_verdict_net_gradcheck(&m)));
        measure(net, g, names[k], 1.01, X, y, &m);
        /* 0.01 / 2.01 at every element, whatever the step */
        tu_assert_near(m.rel_error_smooth, 0.01 / 2.01, 1e-3);
        tu_assert_near(m.rel_error_small_h, 0.01 / 2.01, 1e-3);
        expect(&m, BN_GC_FAULT);
    }
    free(g);
    bn_net_free(net);
}

/* Without normalisation, seed 2's b2 has one element whose +-h straddles a ReLU kink: a large
 * error there, a tiny one without it. Wrong by 1%, the same parameter fails. */
static void relu_kink_passes_as_kink(void **state)
{
    (void)state;
    double X[GN * GD], *g;
    int y[GN];
    bn_net *net = check_net(2, BN_NORM_NONE, X, y, &g);
    bn_gc_measure m;
    long kinks = measure(net, g, "b2", 1.0, X, y, &m);
    assert_true(kinks >= 1);
    assert_string_equal(bn_gc_zero_name(&m), "none");
    assert_true(m.rel_error > BN_VERDICT_NET_TOL);
    tu_assert_below("b2 error without kinks", m.rel_error_smooth, BN_VERDICT_NET_TOL / 100);
    expect(&m, BN_GC_KINK);
    measure(net, g, "b2", 1.01, X, y, &m);
    expect(&m, BN_GC_FAULT);
    free(g);
    bn_net_free(net);
}

/* With batchnorm over two samples, seed 25's W1 has no kink but an error above the threshold
 * with h that drops below it with the smaller step: curvature within h. Wrong by 1%: a fault. */
static void curvature_within_h_passes_as_curvature(void **state)
{
    (void)state;
    double X[GN * GD], *g;
    int y[GN];
    bn_net *net = check_net(25, BN_NORM_BATCH, X, y, &g);
    bn_gc_measure m;
    long kinks = measure(net, g, "W1", 1.0, X, y, &m);
    assert_int_equal(kinks, 0);
    assert_string_equal(bn_gc_zero_name(&m), "none");
    assert_true(m.rel_error_smooth > BN_VERDICT_NET_TOL);
    assert_true(m.rel_error_small_h < m.rel_error_smooth / 4);   /* the h^2 error shrinks with h */
    tu_assert_below("W1 error with the smaller step", m.rel_error_small_h, BN_VERDICT_NET_TOL);
    expect(&m, BN_GC_CURVATURE);
    measure(net, g, "W1", 1.01, X, y, &m);
    expect(&m, BN_GC_FAULT);
    free(g);
    bn_net_free(net);
}

/* Batchnorm subtracts each feature's batch mean, and with it the bias before it: b1 and b2 have
 * true gradient zero, and both measured gradients are rounding noise, whatever their relative
 * error. Without normalisation the same biases have real gradients and are judged as such. */
static void bias_feeding_batchnorm_passes_as_zero_gradient(void **state)
{
    (void)state;
    const char *names[] = {"b1", "b2"};
    for (unsigned long seed = 1; seed <= 3; seed++) {
        double X[GN * GD], *g;
        int y[GN];
        bn_net *net = check_net(seed, BN_NORM_BATCH, X, y, &g);
        for (int k = 0; k < 2; k++) {
            bn_gc_measure m;
            measure(net, g, names[k], 1.0, X, y, &m);
            tu_assert_below("bias gradient by backprop.", m.max_abs_grad, BN_VERDICT_ZERO_GRAD);
            tu_assert_below("bias gradient by finite diff.", m.max_abs_num_grad, BN_VERDICT_ZERO_GRAD);
            assert_string_equal(bn_gc_zero_name(&m), "both");
            expect(&m, BN_GC_ZERO_GRADIENT);
        }
        free(g);
        bn_net_free(net);
        net = check_net(seed, BN_NORM_NONE, X, y, &g);
        bn_gc_measure m;
        measure(net, g, "b1", 1.0, X, y, &m);
        assert_string_equal(bn_gc_zero_name(&m), "none");
        assert_true(bn_verdict_net_gradcheck(&m) != BN_GC_ZERO_GRADIENT);
        free(g);
        bn_net_free(net);
    }
}

/* The rule's edges, on typed measures: one gradient zero and the other not; a non-finite measure;
 * the threshold itself. */
static void rule_edges(void **state)
{
    (void)state;
    const double t = BN_VERDICT_NET_TOL, z = BN_VERDICT_ZERO_GRAD;
    bn_gc_measure m = {1.0, 1.0, 1.0, 0.5, 0.0};    /* backprop says 0.5, finite differences 0 */
    expect(&m, BN_GC_FAULT);
    assert_string_equal(bn_gc_zero_name(&m), "finite_diff");
    m = (bn_gc_measure){1.0, 1.0, 1.0, z / 2, 1e-3};  /* backprop says 0, finite differences not */
    expect(&m, BN_GC_FAULT);
    assert_string_equal(bn_gc_zero_name(&m), "backprop");
    m = (bn_gc_measure){t / 2, t / 2, t / 2, z / 2, z * 2};   /* both tiny and in agreement */
    expect(&m, BN_GC_OK);
    m = (bn_gc_measure){t, t, t, 1, 1};
    expect(&m, BN_GC_OK);                           /* at most the threshold passes */
    m = (bn_gc_measure){t * 1.0001, t * 1.0001, t * 1.0001, 1, 1};
    expect(&m, BN_GC_FAULT);
    m = (bn_gc_measure){NAN, 0, 0, 1, 1};
    expect(&m, BN_GC_NONFINITE);
    m = (bn_gc_measure){0, 0, 0, INFINITY, 1};
    expect(&m, BN_GC_NONFINITE);
}

/* ---------- single layers and forward passes ---------- */

typedef struct {
    double *x, *gamma, *beta, *cache;
    int N, D;
} layer_ctx;

static void bn_fn(void *ctx, double *out)
{
    layer_ctx *c = ctx;
    bn_forward(out, c->cache, NULL, NULL, c->x, c->gamma, c->beta, c->N, c->D);
}

/* Experiment 3's check of the batchnorm layer passes; dx wrong by 1% fails. */
static void single_layer_check_passes_and_one_percent_fails(void **state)
{
    (void)state;
    enum { N = 4, D = 5 };
    gsl_rng *r = tu_rng(7);
    double x[N * D], gamma[D], beta[D], dout[N * D], cache[BN_CACHE_SIZE(N, D)], out[N * D];
    double dx[N * D], dg[D], db[D], ndx[N * D], op[N * D], om[N * D];
    tu_fill_gaussian(x, N * D, r, 5.0, 12.0);
    tu_fill_gaussian(gamma, D, r, 1.0, 0.0);
    tu_fill_gaussian(beta, D, r, 1.0, 0.0);
    tu_fill_gaussian(dout, N * D, r, 1.0, 0.0);
    gsl_rng_free(r);
    layer_ctx c = {x, gamma, beta, cache, N, D};
    bn_num_grad_array(ndx, x, N * D, bn_fn, &c, dout, N * D, op, om, 1e-5);
    bn_forward(out, cache, NULL, NULL, x, gamma, beta, N, D);
    bn_backward(dx, dg, db, dout, cache, gamma, N, D);
    double e = bn_rel_error(ndx, dx, N * D);
    assert_true(bn_verdict_layer(e));
    for (int i = 0; i < N * D; i++) dx[i] *= 1.01;
    assert_false(bn_verdict_layer(bn_rel_error(ndx, dx, N * D)));
    assert_false(bn_verdict_layer(NAN));
    assert_true(bn_verdict_layer(BN_VERDICT_LAYER_TOL));
}

static void forward_checks(void **state)
{
    (void)state;
    enum { N = 200, D = 3 };
    gsl_rng *r = tu_rng(3);
    double *x = tu_doubles(N * D), *out = tu_doubles(N * D), *cache = tu_doubles(BN_CACHE_SIZE(N, D));
    const double ones[D] = {1, 1, 1}, zeros[D] = {0, 0, 0};
    tu_fill_gaussian(x, N * D, r, 30.0, 5.0);
    gsl_rng_free(r);
    bn_forward(out, cache, NULL, NULL, x, ones, zeros, N, D);
    for (int j = 0; j < D; j++) {
        double s = 0, ss = 0;
        for (int i = 0; i < N; i++) s += out[i * D + j];
        for (int i = 0; i < N; i++) ss += (out[i * D + j] - s / N) * (out[i * D + j] - s / N);
        double sd = sqrt(ss / N);
        assert_true(bn_verdict_train_std(sd));          /* sqrt(var / (var + eps)) < 1 */
        assert_true(bn_verdict_test_stats(s / N, sd));
    }
    assert_false(bn_verdict_train_std(1.0));
    assert_true(bn_verdict_test_stats(0.5, 1.5));
    assert_false(bn_verdict_test_stats(0.51, 1.0));
    assert_false(bn_verdict_test_stats(0.0, 0.49));
    free(x);
    free(out);
    free(cache);
}

/* A net with zero weights scores every class alike: loss ln 10, the centre of the check. */
static void initial_loss_around_ln_C(void **state)
{
    (void)state;
    double X[GN * GD];
    int y[GN] = {3, 7};
    gsl_rng *r = tu_rng(5);
    tu_fill_gaussian(X, GN * GD, r, 1.0, 0.0);
    bn_net *net = bn_net_new(hidden, 2, GD, GC, BN_NORM_BATCH, 0.0, GN);
    bn_net_init(net, r, 0.0);
    gsl_rng_free(r);
    double loss = bn_net_loss(net, X, y, GN);
    tu_assert_rel(loss, log(10.0), 1e-15);
    assert_true(bn_verdict_initial_loss(loss, GC, 0.0));
    assert_true(bn_verdict_initial_loss(log(10.0) + 0.099, GC, 0.0));
    assert_false(bn_verdict_initial_loss(log(10.0) + 0.101, GC, 0.0));
    assert_false(bn_verdict_initial_loss(log(10.0) - 0.101, GC, 0.0));
    assert_true(bn_verdict_initial_loss(log(2.0), 2, 0.0));
    /* with regularisation the penalty adds to ln C: 4.7 over it passes with l2 = 4.7, not without */
    assert_true(bn_verdict_initial_loss(log(10.0) + 4.75, GC, 4.7));
    assert_false(bn_verdict_initial_loss(log(10.0) + 4.75, GC, 0.0));
    assert_false(bn_verdict_initial_loss(log(10.0) + 4.95, GC, 4.7));
    bn_net_free(net);
}

/* ---------- training studies and seeds ---------- */

static void study_verdicts(void **state)
{
    (void)state;
    assert_true(bn_verdict_fails_to_learn(0.1));
    assert_true(bn_verdict_fails_to_learn(BN_VERDICT_CHANCE_ACC));
    assert_false(bn_verdict_fails_to_learn(0.121));
    assert_true(bn_verdict_loss_at_chance(2.30, 10));
    assert_false(bn_verdict_loss_at_chance(2.41, 10));
    assert_true(bn_verdict_loss_explodes(2.41, 10));
    assert_true(bn_verdict_loss_explodes(INFINITY, 10));
    assert_false(bn_verdict_loss_explodes(NAN, 10));
    assert_false(bn_verdict_loss_explodes(2.40, 10));
    assert_string_equal(bn_verdict_interval(0.01, 0.2, "a", "b"), "a");
    assert_string_equal(bn_verdict_interval(-0.2, -0.01, "a", "b"), "b");
    assert_string_equal(bn_verdict_interval(-0.1, 0.1, "a", "b"), "undecided");
    assert_string_equal(bn_verdict_interval(NAN, NAN, "a", "b"), "undecided");
}

/* The study file's columns and values, read back as the report reads them. */
static void study_file_columns(void **state)
{
    const double ws[3] = {1e-4, 0.02, 1.0};
    const char *nets[2] = {"batchnorm", "baseline"};
    const bn_train_outcome out[6] = {
        {0.30, 1.5, 0}, {0.10, 2.30, 0},      /* baseline at chance, loss ln 10 */
        {0.35, 1.2, 0}, {0.35, 1.3, 0},       /* a tie */
        {0.25, 3.0, 0}, {0.11, NAN, 4},       /* batchnorm's loss above ln 10 + tol; baseline diverged */
    };
    bn_verdict_write_study(*state, "s_verdict.tsv", 0, 3, ws, 2, nets, out, 10);
    char p[256], err[512];
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, *state, "s_verdict.tsv"), err, sizeof err), 0);
    const char *want_cols[] = {"point", "weight_scale", "batchnorm_fails_to_learn", "batchnorm_loss_at_chance",
                               "batchnorm_loss_explodes", "batchnorm_diverged", "baseline_fails_to_learn",
                               "baseline_loss_at_chance", "baseline_loss_explodes", "baseline_diverged", "better",
                               "chance_acc", "loss_expected", "loss_tol"};
    assert_int_equal(t.ncols, 14);
    for (int j = 0; j < 14; j++) assert_string_equal(t.cols[j], want_cols[j]);
    assert_int_equal(t.nrows, 3);
    const char *rows[3][14] = {
        {"0", "0.0001", "0", "0", "0", "0", "1", "1", "0", "0", "batchnorm", "0.12", "2.302585092994046", "0.1"},
        {"1", "0.02", "0", "0", "0", "0", "0", "0", "0", "0", "tie", "0.12", "2.302585092994046", "0.1"},
        {"2", "1", "0", "0", "1", "0", "1", "0", "0", "1", "batchnorm", "0.12", "2.302585092994046", "0.1"}};
    for (int r = 0; r < 3; r++)
        for (int j = 0; j < 14; j++) assert_string_equal(bn_tsv_cell(&t, r, j), rows[r][j]);
    bn_tsv_free(&t);
}

/* The gradient-check file: measures copied, the verdict columns, the thresholds quoted. */
static void gradcheck_file_columns(void **state)
{
    bn_out f;
    bn_out_open(&f, *state, "g_verdict.tsv");
    bn_verdict_gc_header(&f, "reg\tparam");
    const bn_gc_measure a = {0.02, 1e-9, 1e-9, 0.09, 0.09}, b = {5e-3, 5e-3, 5e-3, 1.5, 1.5};
    const bn_gc_measure c = {0.5, 0.5, 0.25, 1e-16, 0};
    bn_verdict_gc_row(&f, "0\tb2", &a);
    bn_verdict_gc_row(&f, "0\tW1", &b);
    bn_verdict_gc_row(&f, "3.14\tb1", &c);
    bn_out_commit(&f);
    char p[256], err[512];
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, *state, "g_verdict.tsv"), err, sizeof err), 0);
    assert_int_equal(t.nrows, 3);
    const char *cols[] = {"zero", "above_tol", "small_h_worse", "verdict", "reason", "tol", "zero_grad"};
    const char *want[3][7] = {{"none", "1", "0", "pass", "kink", "0.004", "1e-08"},
                              {"none", "1", "0", "fail", "fault", "0.004", "1e-08"},
                              {"both", "1", "0", "pass", "zero_gradient", "0.004", "1e-08"}};
    for (int r = 0; r < 3; r++)
        for (int j = 0; j < 7; j++) {
            int col = bn_tsv_col(&t, cols[j]);
            assert_true(col >= 0);
            assert_string_equal(bn_tsv_cell(&t, r, col), want[r][j]);
        }
    assert_string_equal(bn_tsv_cell(&t, 1, bn_tsv_col(&t, "rel_error")), "0.005");
    bn_tsv_free(&t);
}

/* ---------- the verdict files a real run writes ---------- */

static void read_tsv(bn_tsv *t, const char *dir, const char *name)
{
    char p[512], err[1024];
    tu_path(p, sizeof p, dir, name);
    if (bn_tsv_read(t, p, err, sizeof err)) fail_msg("%s", err);
}

static double num(const bn_tsv *t, long r, const char *col)
{
    double v;
    int c = bn_tsv_col(t, col);
    if (c < 0) fail_msg("%s has no column %s", t->name, col);
    if (bn_tsv_num(t, r, c, &v)) fail_msg("%s row %ld column %s is not a number", t->name, r, col);
    return v;
}

static const char *cell(const bn_tsv *t, long r, const char *col)
{
    int c = bn_tsv_col(t, col);
    if (c < 0) fail_msg("%s has no column %s", t->name, col);
    return bn_tsv_cell(t, r, c);
}

/* Each gradient-check verdict row: the same keys and measures (the same text) as the result row,
 * and the verdict and reason that the rule gives for them. */
static void check_gc_file(const char *dir, const char *result, const char *verdict, int nkeys)
{
    bn_tsv a, v;
    read_tsv(&a, dir, result);
    read_tsv(&v, dir, verdict);
    assert_int_equal(a.nrows, v.nrows);
    assert_true(a.nrows > 0);
    const char *measures[] = {"rel_error", "rel_error_smooth", "rel_error_small_h", "max_abs_grad", "max_abs_num_grad"};
    for (long r = 0; r < a.nrows; r++) {
        for (int k = 0; k < nkeys; k++) assert_string_equal(bn_tsv_cell(&a, r, k), bn_tsv_cell(&v, r, k));
        for (int k = 0; k < 5; k++) assert_string_equal(cell(&a, r, measures[k]), cell(&v, r, measures[k]));
        bn_gc_measure m = {num(&a, r, "rel_error"), num(&a, r, "rel_error_smooth"), num(&a, r, "rel_error_small_h"),
                           num(&a, r, "max_abs_grad"), num(&a, r, "max_abs_num_grad")};
        bn_gc_reason want = bn_verdict_net_gradcheck(&m);
        assert_string_equal(cell(&v, r, "reason"), bn_gc_reason_name(want));
        assert_string_equal(cell(&v, r, "verdict"), bn_gc_passes(want) ? "pass" : "fail");
        assert_int_equal(num(&v, r, "above_tol"), m.rel_error > BN_VERDICT_NET_TOL);
        tu_assert_rel(num(&v, r, "tol"), BN_VERDICT_NET_TOL, 0);
        tu_assert_rel(num(&v, r, "zero_grad"), BN_VERDICT_ZERO_GRAD, 0);
    }
    bn_tsv_free(&a);
    bn_tsv_free(&v);
}

static void checks_write_verdicts_of_their_results(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    assert_int_equal(tu_system("'%s' -q --speed-reps 1 --seed 5 --out '%s' checks", bnlab, dir), 0);
    check_gc_file(dir, "exp4_net_gradcheck.tsv", "exp4_net_gradcheck_verdict.tsv", 2);
    check_gc_file(dir, "exp7_net_gradcheck_norms.tsv", "exp7_net_gradcheck_norms_verdict.tsv", 3);

    bn_tsv a, v;
    read_tsv(&a, dir, "exp3_bn_gradcheck.tsv");
    read_tsv(&v, dir, "exp3_bn_gradcheck_verdict.tsv");
    assert_int_equal(a.nrows, v.nrows);
    for (long r = 0; r < a.nrows; r++) {
        assert_string_equal(cell(&a, r, "check"), cell(&v, r, "check"));
        assert_string_equal(cell(&v, r, "kind"), strncmp(cell(&a, r, "check"), "simplified_vs_", 14) ? "numeric" : "forms");
        assert_string_equal(cell(&v, r, "verdict"), bn_verdict_layer(num(&a, r, "rel_error")) ? "pass" : "fail");
    }
    bn_tsv_free(&a);
    bn_tsv_free(&v);

    read_tsv(&a, dir, "exp4_initial_loss.tsv");
    read_tsv(&v, dir, "exp4_initial_loss_verdict.tsv");
    assert_int_equal(a.nrows, v.nrows);
    for (long r = 0; r < a.nrows; r++) {
        assert_string_equal(cell(&a, r, "initial_loss"), cell(&v, r, "initial_loss"));
        /* expected: ln 10 without regularisation, ln 10 plus the penalty with it */
        double l2 = num(&v, r, "expected") - log(10.0);
        if (num(&v, r, "reg") == 0.0) tu_assert_rel(num(&v, r, "expected"), log(10.0), 0);
        else assert_true(l2 > 0.0);
        assert_string_equal(cell(&v, r, "verdict"), bn_verdict_initial_loss(num(&a, r, "initial_loss"), 10, l2) ? "pass" : "fail");
    }
    bn_tsv_free(&a);
    bn_tsv_free(&v);

    read_tsv(&a, dir, "exp1_forward_train.tsv");
    read_tsv(&v, dir, "exp1_forward_train_verdict.tsv");
    long k = 0;
    for (long r = 0; r < a.nrows; r++) {
        if (strcmp(cell(&a, r, "stage"), "gamma1_beta0")) continue;
        assert_string_equal(cell(&a, r, "std"), cell(&v, k, "std"));
        assert_string_equal(cell(&v, k, "verdict"), bn_verdict_train_std(num(&a, r, "std")) ? "pass" : "fail");
        k++;
    }
    assert_int_equal(k, v.nrows);
    bn_tsv_free(&a);
    bn_tsv_free(&v);

    read_tsv(&a, dir, "exp2_forward_test.tsv");
    read_tsv(&v, dir, "exp2_forward_test_verdict.tsv");
    assert_int_equal(a.nrows, v.nrows);
    for (long r = 0; r < a.nrows; r++)
        assert_string_equal(cell(&v, r, "verdict"),
                            bn_verdict_test_stats(num(&a, r, "mean"), num(&a, r, "std")) ? "pass" : "fail");
    bn_tsv_free(&a);
    bn_tsv_free(&v);
}

static void sweep_writes_the_verdicts_of_its_summary(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    char data[256], out[256];
    tu_path(data, sizeof data, dir, "cifar");
    tu_path(out, sizeof out, dir, "run");
    assert_int_equal(mkdir(data, 0700), 0);
    tu_write_cifar_folder(data, 60, 77);
    /* scales from 1e-4 to 100 and plain SGD with a learning rate far too large: nets that learn,
     * nets at chance, losses that explode and trainings that diverge (checked below) */
    assert_int_equal(tu_system("'%s' -q --data '%s' --train-records 200 --val-records 50 --test-records 50 "
                               "--num-train 100 --points 4 --epochs 2 --ws-max 100 --lr 10 --update-rule sgd --seed 3 "
                               "--out '%s' sweep 2>/dev/null", bnlab, data, out), 0);
    bn_tsv a, v;
    read_tsv(&a, out, "exp6_sweep.tsv");
    read_tsv(&v, out, "exp6_sweep_verdict.tsv");
    assert_int_equal(a.nrows, 4);
    assert_int_equal(v.nrows, 4);
    const char *nets[] = {"batchnorm", "baseline"};
    int seen_diverged = 0, seen_explodes = 0;
    for (long r = 0; r < a.nrows; r++) {
        assert_string_equal(cell(&a, r, "weight_scale"), cell(&v, r, "weight_scale"));
        for (int n = 0; n < 2; n++) {
            char c[64];
            snprintf(c, sizeof c, "%s_best_val", nets[n]);
            double best = num(&a, r, c);
            snprintf(c, sizeof c, "%s_final_loss", nets[n]);
            double loss;
            if (bn_tsv_num(&a, r, bn_tsv_col(&a, c), &loss)) loss = NAN;
            snprintf(c, sizeof c, "%s_nonfinite", nets[n]);
            double nf = num(&a, r, c);
            snprintf(c, sizeof c, "%s_fails_to_learn", nets[n]);
            assert_int_equal(num(&v, r, c), bn_verdict_fails_to_learn(best));
            snprintf(c, sizeof c, "%s_loss_at_chance", nets[n]);
            assert_int_equal(num(&v, r, c), bn_verdict_loss_at_chance(loss, 10));
            snprintf(c, sizeof c, "%s_loss_explodes", nets[n]);
            assert_int_equal(num(&v, r, c), bn_verdict_loss_explodes(loss, 10));
            snprintf(c, sizeof c, "%s_diverged", nets[n]);
            assert_int_equal(num(&v, r, c), nf > 0);
            seen_diverged |= nf > 0;
            seen_explodes |= bn_verdict_loss_explodes(loss, 10);
        }
        double b0 = num(&a, r, "batchnorm_best_val"), b1 = num(&a, r, "baseline_best_val");
        assert_string_equal(cell(&v, r, "better"), b0 > b1 ? "batchnorm" : b1 > b0 ? "baseline" : "tie");
    }
    assert_true(seen_diverged);
    assert_true(seen_explodes);
    bn_tsv_free(&a);
    bn_tsv_free(&v);
}

/* A difference is called only beyond its threshold, in either direction. */
static void compare_goes_both_ways(void **state)
{
    (void)state;
    assert_string_equal(bn_verdict_compare(0.05, 0.04), "higher");
    assert_string_equal(bn_verdict_compare(-0.05, 0.04), "lower");
    assert_string_equal(bn_verdict_compare(0.03, 0.04), "within");
    assert_string_equal(bn_verdict_compare(-0.04, 0.04), "within");   /* at the threshold: not beyond */
    assert_string_equal(bn_verdict_compare(NAN, 0.04), "unknown");
    /* a value that diverged is a change whatever the noise */
    assert_string_equal(bn_verdict_compare(INFINITY, 0.04), "higher");
    assert_string_equal(bn_verdict_compare(-INFINITY, 0.04), "lower");
    assert_string_equal(bn_verdict_compare(INFINITY, INFINITY), "unknown");
    assert_string_equal(bn_verdict_compare(0.5, NAN), "unknown");
}

/* Each ledger rule with data that makes it pass and fail. */
static void ledger_rules_go_every_way(void **state)
{
    (void)state;
    /* expect: means of a normalised batch against 0 */
    assert_string_equal(bn_verdict_ledger("expect", 2e-17, -3e-17, 1e-9, 0.0), "equal");
    /* the reference's test-mode means near 5694: it fails, this run does not */
    assert_string_equal(bn_verdict_ledger("expect", 5694.4, -0.01, 0.5, 0.0), "reference_fails");
    assert_string_equal(bn_verdict_ledger("expect", 0.01, 3.0, 0.5, 0.0), "differs");
    assert_string_equal(bn_verdict_ledger("expect", 5694.4, 3.0, 0.5, 0.0), "differs");
    /* below: relative errors against a pass threshold */
    assert_string_equal(bn_verdict_ledger("below", 1.77e-9, 2.92e-9, 1e-5, 0), "equal");
    assert_string_equal(bn_verdict_ledger("below", 2e-3, 2e-4, 1e-3, 0), "reference_fails");
    assert_string_equal(bn_verdict_ledger("below", 1e-9, 2e-3, 1e-3, 0), "differs");
    /* noise: accuracies against the noise of their difference */
    assert_string_equal(bn_verdict_ledger("noise", 0.808, 0.801, 0.04, 0), "within_noise");
    assert_string_equal(bn_verdict_ledger("noise", 0.808, 0.701, 0.04, 0), "differs");
    assert_string_equal(bn_verdict_ledger("noise", 0.808, NAN, 0.04, 0), "differs");
    assert_string_equal(bn_verdict_ledger("draw", -28.8, -21.8, 0, 0), "another_draw");
    assert_null(bn_verdict_ledger("nonsense", 1, 1, 1, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backward_wrong_by_one_percent_fails_as_fault),
        cmocka_unit_test(relu_kink_passes_as_kink),
        cmocka_unit_test(curvature_within_h_passes_as_curvature),
        cmocka_unit_test(bias_feeding_batchnorm_passes_as_zero_gradient),
        cmocka_unit_test(rule_edges),
        cmocka_unit_test(single_layer_check_passes_and_one_percent_fails),
        cmocka_unit_test(forward_checks),
        cmocka_unit_test(initial_loss_around_ln_C),
        cmocka_unit_test(study_verdicts),
        cmocka_unit_test(compare_goes_both_ways),
        cmocka_unit_test(ledger_rules_go_every_way),
        cmocka_unit_test_setup_teardown(study_file_columns, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(gradcheck_file_columns, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(checks_write_verdicts_of_their_results, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(sweep_writes_the_verdicts_of_its_summary, tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
