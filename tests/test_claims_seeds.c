/* test_claims_seeds.c - the several-seed page's statements over the seeds (src/aggregation/
 * agg_findings.c, bnagg claims; agg_seeds.c, which net depends more on a setting): hand-made seeds
 * whose answers are worked out in the comments, each statement made to go every way it can. */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include "agg_tools.h"
#include "error.h"
#include "noise.h"
#include "tsv.h"

/* Four seeds' pages, three comparisons each (b - a, as bnagg findings writes claims.tsv):
 *   row 0: {+0.10, +0.12, +0.11, +0.13}: mean 0.115, SD sqrt(0.0005 / 3), t = 17.8 on 3 df
 *   row 1: {+0.03, -0.01, +0.05, +0.01}: mean 0.02, SD sqrt(0.002 / 3), t = 1.55: p about 0.22
 *   row 2: {+0.02, +0.03, +0.025, +0.005}: mean 0.02, SD sqrt(0.00035 / 3), t = 3.70: p about
 *          0.034, below 0.05 alone but not after Holm (2 p > 0.05: the second smallest of 3)
 * Every seed's own page said "within" for rows 0 and 2 (its own threshold was wider): the seeds
 * it holds in are those whose own difference has the sign of the mean, not those whose page
 * said the same. */
static const double diffs[3][4] = {{0.10, 0.12, 0.11, 0.13}, {0.03, -0.01, 0.05, 0.01}, {0.02, 0.03, 0.025, 0.005}};
static const char *const said[3][4] = {{"within", "within", "within", "within"},
                                       {"within", "within", "higher", "within"},
                                       {"within", "within", "within", "within"}};

static double cellnum(const bn_tsv *t, long r, const char *col)
{
    double v;
    int c = bn_tsv_col(t, col);
    assert_true(c >= 0);
    assert_int_equal(bn_tsv_num(t, r, c, &v), 0);
    return v;
}

static const char *cellstr(const bn_tsv *t, long r, const char *col)
{
    int c = bn_tsv_col(t, col);
    assert_true(c >= 0);
    return bn_tsv_cell(t, r, c);
}

/* the two-sided p-value of the paired t-test of row k, worked out here from the values */
static double p_of(const double *d, int n)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++) m += d[i] / n;
    for (int i = 0; i < n; i++) ss += (d[i] - m) * (d[i] - m);
    double se = sqrt(ss / (n - 1)) / sqrt((double)n);
    return 2 * gsl_cdf_tdist_Q(fabs(m / se), n - 1);
}

static void claims_are_holm_corrected_and_hold_by_sign(void **state)
{
    const char *dir = *state;
    char runs[4][128], *rp[4], path[1024], out[160];
    bn_quiet = 1;
    for (int s = 0; s < 4; s++) {
        snprintf(runs[s], sizeof runs[s], "%s/seed-%d", dir, s);
        rp[s] = runs[s];
        snprintf(path, sizeof path, "%s/report", runs[s]);
        assert_int_equal(tu_system("mkdir -p '%s'", path), 0);
        char text[2048];
        int k = snprintf(text, sizeof text, "claim\tnorm\tweight_scale\tmetric\tat_a\tat_b\ta\tb\tdiff\tthreshold\tverdict\tcovers\n");
        for (int r = 0; r < 3; r++)
            k += snprintf(text + k, sizeof text - (size_t)k, "c%d\tbatchnorm\t\tbest_val\t5\t50\t0.5\t%.17g\t%.17g\t0.1\t%s\tseed\n", r,
                          0.5 + diffs[r][s], diffs[r][s], said[r][s]);
        snprintf(path, sizeof path, "%s/report/claims.tsv", runs[s]);
        tu_write_file(path, text, (size_t)k);
    }
    snprintf(out, sizeof out, "%s/study", dir);
    assert_int_equal(bn_agg_findings_seeds(out, rp, 4), 0);
    bn_tsv t;
    char err[512];
    snprintf(path, sizeof path, "%s/claims_seeds.tsv", out);
    assert_int_equal(bn_tsv_read(&t, path, err, sizeof err), 0);
    assert_int_equal(t.nrows, 3);
    double p[3];
    for (int r = 0; r < 3; r++) {
        p[r] = p_of(diffs[r], 4);
        tu_assert_rel(cellnum(&t, r, "p"), p[r], 1e-9);
    }
    assert_true(p[0] < p[2] && p[2] < p[1]);
    assert_true(p[2] < 0.05 && 2 * p[2] > 0.05);
    /* Holm: the smallest times 3, the next times 2 (at least the one before), the largest times 1 */
    tu_assert_rel(cellnum(&t, 0, "p_holm"), 3 * p[0], 1e-9);
    tu_assert_rel(cellnum(&t, 2, "p_holm"), 2 * p[2], 1e-9);
    tu_assert_rel(cellnum(&t, 1, "p_holm"), p[1], 1e-9);
    /* row 0: higher with or without the correction, in all 4 seeds, though no page said so */
    assert_string_equal(cellstr(&t, 0, "verdict"), "higher");
    assert_string_equal(cellstr(&t, 0, "verdict_holm"), "higher");
    assert_string_equal(cellstr(&t, 0, "side"), "higher");
    assert_int_equal((int)cellnum(&t, 0, "holds"), 4);
    assert_int_equal((int)cellnum(&t, 0, "pages_higher"), 0);
    assert_int_equal((int)cellnum(&t, 0, "pages_within"), 4);
    /* row 1: within either way; higher on average, in the 3 seeds of positive difference */
    assert_string_equal(cellstr(&t, 1, "verdict"), "within");
    assert_string_equal(cellstr(&t, 1, "verdict_holm"), "within");
    assert_string_equal(cellstr(&t, 1, "side"), "higher");
    assert_int_equal((int)cellnum(&t, 1, "holds"), 3);
    assert_int_equal((int)cellnum(&t, 1, "pages_higher"), 1);
    /* row 2: higher alone, within after Holm's correction */
    assert_string_equal(cellstr(&t, 2, "verdict"), "higher");
    assert_string_equal(cellstr(&t, 2, "verdict_holm"), "within");
    assert_int_equal((int)cellnum(&t, 2, "holds"), 4);
    bn_tsv_free(&t);

    /* the other way round (a - b): "lower", held by the seeds of negative difference */
    for (int s = 0; s < 4; s++) {
        char text[2048];
        int k = snprintf(text, sizeof text, "claim\tnorm\tweight_scale\tmetric\tat_a\tat_b\ta\tb\tdiff\tthreshold\tverdict\tcovers\n");
        for (int r = 0; r < 3; r++)
            k += snprintf(text + k, sizeof text - (size_t)k, "c%d\tbatchnorm\t\tbest_val\t5\t50\t0.5\t%.17g\t%.17g\t0.1\t%s\tseed\n", r,
                          0.5 - diffs[r][s], -diffs[r][s], said[r][s]);
        snprintf(path, sizeof path, "%s/report/claims.tsv", runs[s]);
        tu_write_file(path, text, (size_t)k);
    }
    assert_int_equal(bn_agg_findings_seeds(out, rp, 4), 0);
    snprintf(path, sizeof path, "%s/claims_seeds.tsv", out);
    assert_int_equal(bn_tsv_read(&t, path, err, sizeof err), 0);
    assert_string_equal(cellstr(&t, 0, "verdict_holm"), "lower");
    assert_string_equal(cellstr(&t, 0, "side"), "lower");
    assert_int_equal((int)cellnum(&t, 0, "holds"), 4);
    assert_string_equal(cellstr(&t, 1, "side"), "lower");
    assert_int_equal((int)cellnum(&t, 1, "holds"), 3);
    bn_tsv_free(&t);
}

/* The paired t-test's p-value at its edges: seeds that all agree exactly (SE 0) are a sure
 * difference unless the mean is 0; fewer than two seeds are no test. */
static void mean_p_edges(void **state)
{
    (void)state;
    tu_assert_near(bn_noise_mean_p(0.1, 0.0, 3), 0.0, 0.0);
    tu_assert_near(bn_noise_mean_p(0.0, 0.0, 3), 1.0, 0.0);
    tu_assert_rel(bn_noise_mean_p(0.1, 0.05, 5), 2 * gsl_cdf_tdist_Q(2.0, 4), 1e-12);
    assert_true(isnan(bn_noise_mean_p(0.1, 0.05, 1)));
    assert_true(isnan(bn_noise_mean_p(NAN, 0.05, 5)));
}

/* {1, 2, 3, NaN}: the NaN is left out, SD 1; one finite value: no spread, NaN. */
static void sd_across_skips_nonfinite(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, NAN}, y[] = {NAN, 0.4};
    tu_assert_near(bn_sd_across(x, 4), 1.0, 1e-15);
    assert_true(isnan(bn_sd_across(y, 2)));
}

/* Per-seed SDs across the scales, a = {0.05, 0.04, 0.06}, b = {0.07, 0.06, 0.065}: the paired
 * difference a - b = {-0.02, -0.02, -0.005}, mean -0.015, SD sqrt((0.000025 x 2 + 0.0001) / 2)
 * = sqrt(0.000075), SE = SD / sqrt(3), interval mean -/+ t(0.975, 2) SE with t = 4.302652729749464:
 * -0.015 -/+ 0.0215, containing zero: undecided, though b's is larger on average and in all 3
 * seeds. Tighter seeds (b = {0.07, 0.06, 0.08}, a - b = {-0.02, -0.02, -0.02}, SD 0): b depends
 * more; swapped: a. */
static void dependence_goes_every_way(void **state)
{
    (void)state;
    const double a[] = {0.05, 0.04, 0.06}, b[] = {0.07, 0.06, 0.065}, c[] = {0.07, 0.06, 0.08};
    bn_dependence r;
    bn_dependence_of(&r, a, b, 3, "batchnorm", "baseline");
    double se = sqrt(0.000075) / sqrt(3.0), h = 4.302652729749464 * se;
    tu_assert_near(r.d.mean, -0.015, 1e-15);
    tu_assert_rel(r.d.se, se, 1e-12);
    tu_assert_rel(r.d.lo, -0.015 - h, 1e-9);
    tu_assert_rel(r.d.hi, -0.015 + h, 1e-9);
    tu_assert_near(r.a.mean, 0.05, 1e-15);
    tu_assert_near(r.b.mean, 0.065, 1e-15);
    assert_string_equal(r.more, "undecided");
    assert_string_equal(r.side, "baseline");
    assert_int_equal(r.holds, 3);
    bn_dependence_of(&r, a, c, 3, "batchnorm", "baseline");
    assert_string_equal(r.more, "baseline");
    assert_int_equal(r.holds, 3);
    bn_dependence_of(&r, c, a, 3, "batchnorm", "baseline");
    assert_string_equal(r.more, "batchnorm");
    assert_string_equal(r.side, "batchnorm");
    /* one seed: no interval, nothing decided */
    bn_dependence_of(&r, a, c, 1, "batchnorm", "baseline");
    assert_string_equal(r.more, "undecided");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(claims_are_holm_corrected_and_hold_by_sign, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test(mean_p_edges),
        cmocka_unit_test(sd_across_skips_nonfinite),
        cmocka_unit_test(dependence_goes_every_way),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
