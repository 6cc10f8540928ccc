/* test_compare_rank.c - the compare page's noise models and ranking (src/compare_rank.c) on
 * hand-made inputs whose answers are worked out in the comments. */
#include "testutil.h"

#include <math.h>
#include "compare_rank.h"
#include "tsv.h"

/* sqrt(0.5 * 0.5 / 100) = 0.05; sqrt(0.1 * 0.9 / 1000) = sqrt(9e-5); p outside [0, 1] or no
 * items: no standard error. */
static void binomial_se_by_hand(void **state)
{
    (void)state;
    tu_assert_near(bn_binomial_se(0.5, 100), 0.05, 1e-15);
    tu_assert_near(bn_binomial_se(0.1, 1000), sqrt(9e-5), 1e-15);
    tu_assert_near(bn_binomial_se(1.0, 1000), 0.0, 0.0);
    assert_true(isnan(bn_binomial_se(1.5, 100)));
    assert_true(isnan(bn_binomial_se(NAN, 100)));
    assert_true(isnan(bn_binomial_se(0.5, 0)));
}

/* The last 4 of {100, 1, 2, 3, 4}: mean 2.5, sample sd sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3) =
 * sqrt(5/3), se = sqrt(5/3) / 2 (the 100 outside the window plays no part). A non-finite value
 * inside the window: no se; a window longer than the series uses all of it. */
static void tail_mean_se_by_hand(void **state)
{
    (void)state;
    const double x[] = {100, 1, 2, 3, 4}, y[] = {1, NAN, 3, 4}, z[] = {NAN, 2, 4};
    tu_assert_near(bn_tail_mean_se(x, 5, 4), sqrt(5.0 / 3.0) / 2.0, 1e-15);
    assert_true(isnan(bn_tail_mean_se(y, 4, 3)));
    /* window 2 of z: {2, 4}, sd sqrt(2), se 1 */
    tu_assert_near(bn_tail_mean_se(z, 3, 2), 1.0, 1e-15);
    assert_true(isnan(bn_tail_mean_se(z, 3, 10)));
    assert_true(isnan(bn_tail_mean_se(x, 1, 10)));
}

/* a 0.5 (se 0.03) to b 0.6 (se 0.04): diff 0.1, se 0.05, interval 0.1 -/+ 0.098 = [0.002, 0.198]:
 * exceeds. b 0.58: interval [-0.018, 0.178]: does not. One value non-finite: exceeds, no se. */
static void noise_diff_by_hand(void **state)
{
    (void)state;
    bn_noise_diff d;
    bn_noise_diff_of(&d, 0.5, 0.6, 0.03, 0.04);
    tu_assert_near(d.diff, 0.1, 1e-15);
    tu_assert_near(d.se, 0.05, 1e-15);
    tu_assert_near(d.lo, 0.1 - BN_RANK_Z95 * 0.05, 1e-15);
    tu_assert_near(d.hi, 0.1 + BN_RANK_Z95 * 0.05, 1e-15);
    tu_assert_near(d.z, 2.0, 1e-13);
    assert_int_equal(d.exceeds, 1);
    bn_noise_diff_of(&d, 0.5, 0.58, 0.03, 0.04);
    assert_int_equal(d.exceeds, 0);
    tu_assert_near(d.z, 1.6, 1e-13);
    bn_noise_diff_of(&d, 0.5, 0.4, 0.03, 0.04);   /* the sign does not matter */
    assert_int_equal(d.exceeds, 1);
    bn_noise_diff_of(&d, 2.3, INFINITY, 0.01, 0.01);
    assert_int_equal(d.exceeds, 1);
    assert_true(isnan(d.se) && isinf(d.z));
    bn_noise_diff_of(&d, 0.5, 0.5, 0.0, 0.0);     /* no noise and no change */
    assert_int_equal(d.exceeds, 0);
    bn_noise_diff_of(&d, 0.5, 0.5, NAN, 0.01);    /* no noise model: never a finding */
    assert_int_equal(d.exceeds, 0);
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    tu_write_file(tu_path(p, sizeof p, dir, name), text, strlen(text));
}

/* A fresh folder dir with the run folders A and (unless B is NULL) B and the output folder out
 * in it; each buffer holds 256 bytes. */
static void run_folders(char *dir, char *A, char *B, char *out)
{
    tu_mkdtemp(dir, 64);
    snprintf(A, 256, "%s/a", dir);
    snprintf(out, 256, "%s/out", dir);
    assert_int_equal(mkdir(A, 0755), 0);
    assert_int_equal(mkdir(out, 0755), 0);
    if (B) {
        snprintf(B, 256, "%s/b", dir);
        assert_int_equal(mkdir(B, 0755), 0);
    }
}

/* compare_noise.tsv of an output folder, whole (free it) */
static char *noise_of(const char *out)
{
    char p[512];
    size_t len;
    return (char *)tu_read_file(tu_path(p, sizeof p, out, "compare_noise.tsv"), &len);
}

/* Two runs of the deep net, validated on 1000 images and 100 training images. Batchnorm's best
 * validation accuracy moves 0.50 -> 0.60: se sqrt(.25/1000 + .24/1000) = 0.02214, z = 4.52: a
 * finding. The baseline's moves 0.30 -> 0.31: se 0.0206, z = 0.49: noise. The baseline's final
 * loss (window 3: the last three losses {2, 2, 2} and {2, 2, 2}) does not move; batchnorm's goes
 * from finite to inf: a finding ranked first (|z| infinite). */
static void ranks_a_made_up_pair_of_runs(void **state)
{
    (void)state;
    char dir[64], A[256], B[256], out[256], p[512];
    run_folders(dir, A, B, out);
    const char *params = "key\tvalue\nnum_val\t1000\naccuracy_train_samples\t100\nfinal_loss_window\t3\n";
    put(A, "params.info.tsv", params);
    put(B, "params.info.tsv", params);
    const char *head = "point\tweight_scale\tbatchnorm_best_train\tbatchnorm_best_val\tbatchnorm_final_loss\tbatchnorm_nonfinite"
                       "\tbaseline_best_train\tbaseline_best_val\tbaseline_final_loss\tbaseline_nonfinite\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s0\t0.02\t0.5\t0.5\t1.5\t0\t0.4\t0.3\t2\t0\n", head);
    put(A, "exp5_deepnet.tsv", buf);
    snprintf(buf, sizeof buf, "%s0\t0.02\t0.5\t0.6\tinf\t1\t0.4\t0.31\t2\t0\n", head);
    put(B, "exp5_deepnet.tsv", buf);
    put(A, "exp5_deepnet_loss.tsv", "point\tweight_scale\titeration\tbatchnorm\tbaseline\n"
                                      "0\t0.02\t1\t3\t9\n0\t0.02\t2\t1\t2\n0\t0.02\t3\t2\t2\n0\t0.02\t4\t1.5\t2\n");
    put(B, "exp5_deepnet_loss.tsv", "point\tweight_scale\titeration\tbatchnorm\tbaseline\n"
                                      "0\t0.02\t1\t3\t9\n0\t0.02\t2\t1\t2\n0\t0.02\t3\t2\t2\n0\t0.02\t4\tinf\t2\n");
    char err[256];
    assert_int_equal(bn_compare_rank(out, A, B, err, sizeof err), 0);
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_ranked.tsv"), err, sizeof err), 0);
    assert_int_equal(t.nrows, 6);   /* 2 nets x 3 metrics */
    int col = bn_tsv_col(&t, "column"), ex = bn_tsv_col(&t, "exceeds"), z = bn_tsv_col(&t, "z"), se = bn_tsv_col(&t, "se");
    assert_string_equal(bn_tsv_cell(&t, 0, col), "batchnorm_final_loss");
    assert_string_equal(bn_tsv_cell(&t, 0, ex), "1");
    assert_string_equal(bn_tsv_cell(&t, 1, col), "batchnorm_best_val");
    assert_string_equal(bn_tsv_cell(&t, 1, ex), "1");
    double v;
    assert_int_equal(bn_tsv_num(&t, 1, se, &v), 0);
    tu_assert_near(v, sqrt(0.25 / 1000 + 0.24 / 1000), 1e-15);
    assert_int_equal(bn_tsv_num(&t, 1, z, &v), 0);
    tu_assert_near(v, 0.1 / sqrt(0.49 / 1000), 1e-9);
    for (long r = 2; r < t.nrows; r++) assert_string_equal(bn_tsv_cell(&t, r, ex), "0");
    /* the baseline's final loss: last three losses {2, 2, 2} in both, se 0, no change: z 0, last */
    assert_string_equal(bn_tsv_cell(&t, 5, col), "baseline_final_loss");
    bn_tsv_free(&t);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\ncompared\t6\n"));
    assert_non_null(strstr(noise, "\nexceeding\t2\n"));
    assert_non_null(strstr(noise, "\nnum_val_a\t1000\n"));
    free(noise);
    tu_rm_rf(dir);
}

/* Identical runs: nothing exceeds the noise. */
static void identical_runs_have_no_findings(void **state)
{
    (void)state;
    char dir[64], A[256], out[256], err[256];
    run_folders(dir, A, NULL, out);
    put(A, "params.info.tsv", "key\tvalue\nnum_val\t1000\naccuracy_train_samples\t100\nfinal_loss_window\t3\n");
    put(A, "exp7_batchsize.tsv", "norm\tbatch_size\tbest_train\tbest_val\tfinal_loss\tnonfinite\n"
                                   "batchnorm\t5\t0.5\t0.4\t1.2\t0\nlayernorm\t5\t0.6\t0.45\t1.1\t0\n");
    assert_int_equal(bn_compare_rank(out, A, A, err, sizeof err), 0);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\ncompared\t6\n"));
    assert_non_null(strstr(noise, "\nexceeding\t0\n"));
    /* no loss file: the final losses have no noise model */
    assert_non_null(strstr(noise, "\nwith_noise_model\t4\n"));
    free(noise);
    tu_rm_rf(dir);
}

/* Links from data/runs/seeds-0-1/report to data/runs/seed-0's page sections. */
static void section_links_are_relative(void **state)
{
    (void)state;
    char dir[64], from[256], run[256], p[512], err[256];
    tu_mkdtemp(dir, sizeof dir);
    snprintf(from, sizeof from, "%s/runs/seeds-0-1/report", dir);
    snprintf(run, sizeof run, "%s/runs/./seed-0/", dir);
    char *runs[] = {run};
    assert_int_equal(bn_section_links(dir, "links.tsv", from, runs, NULL, 1, err, sizeof err), 0);
    size_t len;
    char *got = (char *)tu_read_file(tu_path(p, sizeof p, dir, "links.tsv"), &len);
    assert_string_equal(got, "run\tchecks\tdeepnet\tsweep\tbatchsize\tlayernorm\n"
                             "seed-0\t../../seed-0/report/index.html#sec-checks\t../../seed-0/report/index.html#sec-deepnet"
                             "\t../../seed-0/report/index.html#sec-sweep\t../../seed-0/report/index.html#sec-batchsize"
                             "\t../../seed-0/report/index.html#sec-layernorm\n");
    free(got);
    tu_rm_rf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(binomial_se_by_hand),
        cmocka_unit_test(tail_mean_se_by_hand),
        cmocka_unit_test(noise_diff_by_hand),
        cmocka_unit_test(ranks_a_made_up_pair_of_runs),
        cmocka_unit_test(identical_runs_have_no_findings),
        cmocka_unit_test(section_links_are_relative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
