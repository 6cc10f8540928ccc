/* test_aggregate.c - the across-seed statistics (src/aggregation/aggregate.c) on hand-made inputs whose
 * answers are worked out by hand in the comments, and the table they write, byte for byte. */
#include "testutil.h"

#include <math.h>
#include "aggregate.h"

/* {1, 2, 3, nan}: the non-finite value is left out; mean 2, sample sd sqrt(((1)^2+0+(1)^2)/2) = 1. */
static void stat_of_skips_nonfinite_and_uses_sample_sd(void **state)
{
    (void)state;
    const double v[] = {1.0, 2.0, 3.0, NAN};
    bn_stat s;
    bn_stat_of(&s, v, 4);
    assert_int_equal(s.n, 3);
    tu_assert_near(s.mean, 2.0, 1e-15);
    tu_assert_near(s.sd, 1.0, 1e-15);
    tu_assert_near(s.min, 1.0, 0.0);
    tu_assert_near(s.max, 3.0, 0.0);
}

/* One finite value: sd 0; none: every statistic NaN and n 0. */
static void stat_of_degenerate_inputs(void **state)
{
    (void)state;
    const double one[] = {INFINITY, 0.25}, none[] = {NAN, -INFINITY};
    bn_stat s;
    bn_stat_of(&s, one, 2);
    assert_int_equal(s.n, 1);
    tu_assert_near(s.mean, 0.25, 0.0);
    tu_assert_near(s.sd, 0.0, 0.0);
    bn_stat_of(&s, none, 2);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.mean) && isnan(s.sd) && isnan(s.min) && isnan(s.max));
}

/* a - b = {0.2, 0, -0.1, 0.3} (the fifth pair has a NaN and is left out): mean 0.1,
 * sample sd sqrt((0.01 + 0.01 + 0.04 + 0.04)/3) = sqrt(0.1/3), se = sd/2, one tie, one loss, two
 * wins; the 95% interval is mean -/+ t(0.975, 3) se with t = 3.182446305284263. */
static void paired_differences_by_hand(void **state)
{
    (void)state;
    const double a[] = {0.5, 0.6, 0.4, 0.9, NAN}, b[] = {0.3, 0.6, 0.5, 0.6, 0.1};
    bn_paired p;
    bn_paired_of(&p, a, b, 5);
    double sd = sqrt(0.1 / 3.0), se = sd / 2.0, t = 3.182446305284263;
    assert_int_equal(p.n, 4);
    assert_int_equal(p.wins, 2);
    assert_int_equal(p.losses, 1);
    assert_int_equal(p.ties, 1);
    tu_assert_near(p.mean, 0.1, 1e-15);
    tu_assert_rel(p.sd, sd, 1e-12);
    tu_assert_rel(p.se, se, 1e-12);
    tu_assert_rel(p.lo, 0.1 - t * se, 1e-9);
    tu_assert_rel(p.hi, 0.1 + t * se, 1e-9);
}

/* One pair: no spread, so no standard error and no interval. */
static void paired_single_pair_has_no_interval(void **state)
{
    (void)state;
    const double a[] = {0.4}, b[] = {0.1};
    bn_paired p;
    bn_paired_of(&p, a, b, 1);
    assert_int_equal(p.n, 1);
    tu_assert_near(p.mean, 0.3, 1e-15);
    assert_true(isnan(p.se) && isnan(p.lo) && isnan(p.hi));
}

static void parse(bn_tsv *t, const char *name, const char *text)
{
    char err[256];
    assert_int_equal(bn_tsv_parse(t, name, text, strlen(text), err, sizeof err), 0);
}

/* Two runs of a two-point study: the written table, every byte. */
static void agg_write_exact_table(void **state)
{
    (void)state;
    bn_tsv t[2];
    parse(&t[0], "a.tsv", "point\tws\tbn\tbase\n0\t0.1\t0.5\t0.25\n1\t1\t0.75\tnan\n");
    parse(&t[1], "b.tsv", "point\tws\tbn\tbase\n0\t0.1\t0.25\t0.25\n1\t1\t0.25\t0.5\n");
    const char *keys[] = {"point", "ws"};
    const bn_agg_col cols[] = {{"bn", "bn", NULL}, {"gap", "bn", "base"}};
    char dir[256], path[512], err[256];
    tu_mkdtemp(dir, sizeof dir);
    assert_int_equal(bn_agg_write(dir, "out.tsv", t, 2, keys, 2, cols, 2, err, sizeof err), 0);
    size_t len;
    char *got = (char *)tu_read_file(tu_path(path, sizeof path, dir, "out.tsv"), &len);
    /* point 0: bn {0.5, 0.25} mean 0.375 sd 0.1767766952966369; gap {0.25, 0}: mean 0.125,
     * sd 0.1767766952966369, se 0.125, t(0.975, 1) = 12.7062047361747: lo = 0.125 - 12.70620... *
     * 0.125 and hi = 0.125 + ..., which GSL's t quantile gives as -1.463275592021837 and
     * 1.713275592021837 (1e-15 from the rounded hand value; paired_differences_by_hand checks the
     * interval itself); one win, one tie.
     * bn's interval of the mean: 0.375 -/+ 12.70620... * 0.1767766952966369 / sqrt(2) = 0.375 -/+
     * 1.58827..., [-1.2132755920218372, 1.9632755920218372]; its 10% and 90% quantiles, linear
     * between the two sorted values: 0.25 + 0.1 * 0.25 = 0.275 and 0.25 + 0.9 * 0.25 = 0.475.
     * point 1: bn {0.75, 0.25}: interval 0.5 -/+ 12.70620... * 0.25 = 0.5 -/+ 3.1765..., quantiles
     * 0.25 + 0.1 * 0.5 = 0.3 and 0.7 (as doubles: 0.30000000000000004, 0.7000000000000001); gap
     * only {-0.25} (run a's base is nan): no spread. */
    const char *want =
        "point\tws\tbn_mean\tbn_sd\tbn_min\tbn_max\tbn_n\tbn_mean_lo\tbn_mean_hi\tbn_q10\tbn_q90\tgap_diff_mean\tgap_diff_sd\tgap_diff_se\tgap_diff_lo\tgap_diff_hi\tgap_n\tgap_wins\tgap_losses\tgap_ties\n"
        "0\t0.1\t0.375\t0.1767766952966369\t0.25\t0.5\t2\t-1.2132755920218372\t1.9632755920218372\t0.275\t0.475\t0.125\t0.1767766952966369\t0.125\t-1.463275592021837\t1.713275592021837\t2\t1\t0\t1\n"
        "1\t1\t0.5\t0.3535533905932738\t0.25\t0.75\t2\t-2.6765511840436744\t3.6765511840436744\t0.30000000000000004\t0.7000000000000001\t-0.25\t0\tnan\tnan\tnan\t1\t0\t1\t0\n";
    assert_string_equal(got, want);
    free(got);
    tu_rm_rf(dir);
    bn_tsv_free(&t[0]);
    bn_tsv_free(&t[1]);
}

/* Runs that disagree on a key cell are not of one configuration: refused, nothing written. */
static void agg_write_refuses_mismatched_runs(void **state)
{
    (void)state;
    bn_tsv t[2];
    parse(&t[0], "a.tsv", "point\tws\tbn\n0\t0.1\t0.5\n");
    parse(&t[1], "b.tsv", "point\tws\tbn\n0\t0.2\t0.5\n");
    const char *keys[] = {"point", "ws"};
    const bn_agg_col cols[] = {{"bn", "bn", NULL}};
    char dir[256], path[512], err[256];
    tu_mkdtemp(dir, sizeof dir);
    assert_int_equal(bn_agg_write(dir, "out.tsv", t, 2, keys, 2, cols, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "not of one configuration"));
    assert_int_equal(access(tu_path(path, sizeof path, dir, "out.tsv"), F_OK), -1);
    tu_rm_rf(dir);
    bn_tsv_free(&t[0]);
    bn_tsv_free(&t[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stat_of_skips_nonfinite_and_uses_sample_sd),
        cmocka_unit_test(stat_of_degenerate_inputs),
        cmocka_unit_test(paired_differences_by_hand),
        cmocka_unit_test(paired_single_pair_has_no_interval),
        cmocka_unit_test(agg_write_exact_table),
        cmocka_unit_test(agg_write_refuses_mismatched_runs),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
