/* test_noise.c - the noise model of src/aggregation/noise.c: worked examples, then synthetic studies. A
 * synthetic configuration gives each seed a value drawn from N(mu, sigma^2); a study of n seeds
 * measures sigma, and two further runs A and B are judged against it. With no true difference
 * the model must flag at about its nominal rate, with Holm's correction at most about alpha of the
 * families, and a true shift must be flagged. Every replication is seeded: the counts are fixed. */
#include "testutil.h"

#include <math.h>
#include "noise.h"

/* lo <= value <= hi (NaN fails); prints the measurement under TU_VERBOSE. */
static void range_at(const char *what, double value, double lo, double hi, const char *file, int line)
{
    if (tu_verbose()) print_message("[ measure  ] %-46s %.4f  (bounds %.3f to %.3f)\n", what, value, lo, hi);
    if (!(value >= lo && value <= hi)) {
        print_error("%s = %.6f, expected from %.3f to %.3f\n", what, value, lo, hi);
        _fail(file, line);
    }
}
#define tu_check_range(what, value, lo, hi) range_at((what), (value), (lo), (hi), __FILE__, __LINE__)

/* The 97.5% quantile of t on 4 degrees of freedom is 2.7764451051977987 and of the normal
 * 1.959963984540054: each gives p = 0.05 back. */
static void p_and_quantile_by_hand(void **state)
{
    (void)state;
    tu_assert_near(bn_noise_p(2.7764451051977987, 4), 0.05, 1e-12);
    tu_assert_near(bn_noise_p(-1.959963984540054, INFINITY), 0.05, 1e-12);
    tu_assert_near(bn_noise_quantile(0.05, 4), 2.7764451051977987, 1e-9);
    tu_assert_near(bn_noise_quantile(0.05, INFINITY), 1.959963984540054, 1e-9);
    tu_assert_near(bn_noise_p(0.0, 4), 1.0, 0.0);
    tu_assert_near(bn_noise_p(INFINITY, 4), 0.0, 0.0);
    assert_true(isnan(bn_noise_p(NAN, 4)));
}

/* sqrt(0.5 * 0.5 / 100) = 0.05; sqrt(0.1 * 0.9 / 1000) = sqrt(9e-5); outside [0, 1]: NaN. */
static void within_run_parts_by_hand(void **state)
{
    (void)state;
    tu_assert_near(bn_binomial_se(0.5, 100), 0.05, 1e-15);
    tu_assert_near(bn_binomial_se(0.1, 1000), sqrt(9e-5), 1e-15);
    assert_true(isnan(bn_binomial_se(1.5, 100)));
    const double x[] = {100, 1, 2, 3, 4};
    tu_assert_near(bn_tail_mean_se(x, 5, 4), sqrt(5.0 / 3.0) / 2.0, 1e-15);
}

/* a 0.5 (se 0.03), b 0.6 (se 0.04), seed sd 0.05 over 5 seeds: se = sqrt(0.0009 + 0.0016 +
 * 2 * 0.0025) = sqrt(0.0075), t = 0.1 / se = 1.1547, 4 degrees of freedom: p = 0.3125..., the
 * interval diff -/+ 2.776 se contains 0. Without the study: se 0.05, z = 2, normal: p = 0.0455. */
static void test_by_hand(void **state)
{
    (void)state;
    bn_noise_test r;
    bn_noise_test_of(&r, 0.5, 0.6, 0.03, 0.04, 0.05, 5);
    assert_int_equal(r.seed, 1);
    tu_assert_near(r.se, sqrt(0.0075), 1e-15);
    tu_assert_near(r.df, 4.0, 0.0);
    tu_assert_near(r.t, 0.1 / sqrt(0.0075), 1e-12);
    tu_assert_near(r.p, bn_noise_p(0.1 / sqrt(0.0075), 4), 1e-15);
    assert_true(r.p > 0.3 && r.p < 0.32);
    tu_assert_near(r.lo, 0.1 - 2.7764451051977987 * sqrt(0.0075), 1e-9);
    assert_true(r.lo < 0 && r.hi > 0);
    bn_noise_test_of(&r, 0.5, 0.6, 0.03, 0.04, NAN, 0);
    assert_int_equal(r.seed, 0);
    tu_assert_near(r.se, 0.05, 1e-15);
    assert_true(isinf(r.df));
    tu_assert_near(r.p, 0.04550026389635842, 1e-9);
    /* a study of one seed has no SD: sampling only */
    bn_noise_test_of(&r, 0.5, 0.6, 0.03, 0.04, 0.0, 1);
    assert_int_equal(r.seed, 0);
    /* one run diverged: p 0 whatever the noise; neither finite, or no noise known: not tested */
    bn_noise_test_of(&r, 2.3, INFINITY, 0.01, 0.01, 0.1, 5);
    tu_assert_near(r.p, 0.0, 0.0);
    assert_true(isinf(r.t));
    bn_noise_test_of(&r, NAN, INFINITY, 0.01, 0.01, 0.1, 5);
    assert_true(isnan(r.p));
    bn_noise_test_of(&r, 0.5, 0.6, NAN, 0.01, NAN, 0);
    assert_true(isnan(r.p));
    /* with the study, an unknown within-run part counts as none */
    bn_noise_test_of(&r, 0.5, 0.6, NAN, NAN, 0.05, 5);
    tu_assert_near(r.se, sqrt(2 * 0.0025), 1e-15);
}

/* One run's own difference 0.1 with within-run SE 0.03 and a seed SD of 0.04 over 5 seeds: SE =
 * 0.05, t = 2 on 4 degrees of freedom, p = 0.116: within the noise. Without the study: SE 0.03,
 * z = 3.33, p = 0.00086: beyond sampling noise. */
static void single_by_hand(void **state)
{
    (void)state;
    bn_noise_test r;
    bn_noise_single(&r, 0.1, 0.03, 0.04, 5);
    tu_assert_near(r.se, 0.05, 1e-15);
    tu_assert_near(r.t, 2.0, 1e-12);
    tu_assert_near(r.p, bn_noise_p(2.0, 4), 1e-15);
    assert_true(r.p > 0.1 && r.p < 0.13 && r.lo < 0);
    bn_noise_single(&r, 0.1, 0.03, NAN, 0);
    tu_assert_near(r.se, 0.03, 1e-15);
    assert_true(r.p < 0.001 && r.lo > 0);
    bn_noise_single(&r, NAN, 0.03, 0.04, 5);
    assert_true(isnan(r.p));
}

/* p = {0.01, 0.04, 0.03, 0.005, NaN}: m = 4 tests; sorted 0.005, 0.01, 0.03, 0.04 give
 * 4 * 0.005 = 0.02, 3 * 0.01 = 0.03, 2 * 0.03 = 0.06, max(0.06, 1 * 0.04) = 0.06: two at 0.05. */
static void holm_by_hand(void **state)
{
    (void)state;
    const double p[] = {0.01, 0.04, 0.03, 0.005, NAN};
    double adj[5];
    assert_int_equal(bn_holm(p, 5, 0.05, adj), 2);
    tu_assert_near(adj[0], 0.03, 1e-15);
    tu_assert_near(adj[1], 0.06, 1e-15);
    tu_assert_near(adj[2], 0.06, 1e-15);
    tu_assert_near(adj[3], 0.02, 1e-15);
    assert_true(isnan(adj[4]));
    const double big[] = {0.5, 0.9};   /* (m - k + 1) p is capped at 1 */
    assert_int_equal(bn_holm(big, 2, 0.05, adj), 0);
    tu_assert_near(adj[0], 1.0, 0.0);
    tu_assert_near(adj[1], 1.0, 0.0);
}

/* The t interval of the mean of {1, 2, 3}: mean 2, sd 1, 2 degrees of freedom, q = 4.302652729911275. */
static void mean_interval_by_hand(void **state)
{
    (void)state;
    double lo, hi;
    bn_noise_mean_interval(2.0, 1.0, 3, 0.05, &lo, &hi);
    tu_assert_near(lo, 2.0 - 4.302652729911275 / sqrt(3.0), 1e-9);
    tu_assert_near(hi, 2.0 + 4.302652729911275 / sqrt(3.0), 1e-9);
    bn_noise_mean_interval(2.0, 1.0, 1, 0.05, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

/* The sample SD of a study of n seeds of N(mu, sigma^2). */
static double study_sd(gsl_rng *g, double mu, double sigma, int n)
{
    double v[64], m = 0, ss = 0;
    for (int i = 0; i < n; i++) m += v[i] = mu + gsl_ran_gaussian(g, sigma);
    m /= n;
    for (int i = 0; i < n; i++) ss += (v[i] - m) * (v[i] - m);
    return sqrt(ss / (n - 1));
}

/* The share of R replications in which one metric is flagged at the 5% level (no correction):
 * a study of n seeds, then A and B drawn from the configuration (B shifted by shift sigma), each
 * with within-run SE `within` added to the model (and, when noisy, to the values too); n = 0:
 * no study, sampling noise only. */
static double flag_rate(unsigned long seed, int R, int n, double shift, double within, int noisy)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, seed);
    const double mu = 0.4, sigma = 0.03;
    int flagged = 0;
    for (int r = 0; r < R; r++) {
        double sd = n ? study_sd(g, mu, sigma, n) : NAN;
        double a = mu + gsl_ran_gaussian(g, sigma), b = mu + shift * sigma + gsl_ran_gaussian(g, sigma);
        if (noisy) { a += gsl_ran_gaussian(g, within); b += gsl_ran_gaussian(g, within); }
        bn_noise_test t;
        bn_noise_test_of(&t, a, b, within, within, sd, n);
        flagged += t.p <= 0.05;
    }
    gsl_rng_free(g);
    return (double)flagged / R;
}

/* No true difference: with a study of 5 seeds (and of 3, the fewest the pages use) the model
 * flags at its nominal 5% (4000 replications: a binomial SD of 0.0034, so 0.035-0.065 is 4.4 SD
 * either way); with the within-run part added on top of seed noise that already holds it, at
 * most that. Sampling noise alone, against values that move from seed to seed, flags far more
 * often: what the pages must not do. */
static void null_flags_at_the_nominal_rate(void **state)
{
    (void)state;
    double r5 = flag_rate(1, 4000, 5, 0.0, 0.0, 0), r3 = flag_rate(2, 4000, 3, 0.0, 0.0, 0);
    double rw = flag_rate(3, 4000, 5, 0.0, 0.01, 1), rs = flag_rate(4, 4000, 0, 0.0, 0.01, 1);
    tu_check_range("null rate, 5 seeds", r5, 0.035, 0.065);
    tu_check_range("null rate, 3 seeds", r3, 0.035, 0.065);
    tu_check_range("null rate, within-run part added", rw, 0.0, 0.065);
    tu_check_range("null rate, sampling noise only", rs, 0.3, 1.0);
}

/* A true shift of 8 seed SDs is flagged in most replications with a 5-seed study, and one of
 * 6 SDs with a 20-seed study; a shift of 1 SD rarely. */
static void a_true_shift_is_flagged(void **state)
{
    (void)state;
    tu_check_range("shift 8 SD, 5 seeds", flag_rate(5, 2000, 5, 8.0, 0.0, 0), 0.85, 1.0);
    tu_check_range("shift 6 SD, 20 seeds", flag_rate(6, 2000, 20, 6.0, 0.0, 0), 0.85, 1.0);
    tu_check_range("shift 1 SD, 5 seeds", flag_rate(7, 2000, 5, 1.0, 0.0, 0), 0.0, 0.3);
}

/* Families as the compare page tests them: 150 metrics, each with its own 5-seed study. With no
 * difference, Holm flags any metric in at most about 5% of 1000 families (binomial SD 0.007);
 * with 10 of them shifted by 20 SDs, Holm flags most of the 10 and hardly any of the others.
 * (Holm over 150 tests asks p <= 0.05 / 150, t beyond 9 on 4 degrees of freedom: with 5 seeds
 * only a shift of about 13 SDs or more is likely to be found; more seeds lower that.) */
static void holm_controls_the_family(void **state)
{
    (void)state;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 8);
    enum { M = 150, F = 1000, SHIFTED = 10 };
    double p[M], adj[M];
    int any_null = 0;
    long true_found = 0, false_found = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int f = 0; f < F; f++) {
            for (int m = 0; m < M; m++) {
                double sd = study_sd(g, 0.4, 0.03, 5);
                double shift = pass && m < SHIFTED ? 20 * 0.03 : 0.0;
                bn_noise_test t;
                bn_noise_test_of(&t, 0.4 + gsl_ran_gaussian(g, 0.03), 0.4 + shift + gsl_ran_gaussian(g, 0.03), 0.0, 0.0, sd, 5);
                p[m] = t.p;
            }
            long k = bn_holm(p, M, 0.05, adj);
            if (!pass) any_null += k > 0;
            for (int m = 0; pass && m < M; m++) {
                if (adj[m] > 0.05) continue;
                if (m < SHIFTED) true_found++;
                else false_found++;
            }
        }
    }
    gsl_rng_free(g);
    tu_check_range("families with any flag, no difference", (double)any_null / F, 0.0, 0.07);
    tu_check_range("shifted metrics flagged", (double)true_found / (F * SHIFTED), 0.5, 1.0);
    tu_check_range("unshifted metrics flagged", (double)false_found / (F * (M - SHIFTED)), 0.0, 0.001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(p_and_quantile_by_hand),
        cmocka_unit_test(within_run_parts_by_hand),
        cmocka_unit_test(test_by_hand),
        cmocka_unit_test(single_by_hand),
        cmocka_unit_test(holm_by_hand),
        cmocka_unit_test(mean_interval_by_hand),
        cmocka_unit_test(null_flags_at_the_nominal_rate),
        cmocka_unit_test(a_true_shift_is_flagged),
        cmocka_unit_test(holm_controls_the_family),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
