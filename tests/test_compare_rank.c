/* test_compare_rank.c - the compare page's ranking (src/aggregation/compare_rank.c; the noise model itself is
 * tested in test_noise.c) on hand-made inputs whose answers are worked out in the comments. */
#include "testutil.h"

#include <errno.h>
#include <math.h>
#include "agg_tools.h"
#include "compare_rank.h"
#include "tsv.h"

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
    assert_int_equal(bn_compare_rank(out, A, B, NULL, err, sizeof err), 0);
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_ranked.tsv"), err, sizeof err), 0);
    assert_int_equal(t.nrows, 6);   /* 2 nets x 3 metrics */
    int col = bn_tsv_col(&t, "column"), ex = bn_tsv_col(&t, "flagged"), z = bn_tsv_col(&t, "t"), se = bn_tsv_col(&t, "se");
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
    assert_non_null(strstr(noise, "\nflagged\t2\n"));
    assert_non_null(strstr(noise, "\nnum_val_a\t1000\n"));
    /* no study beside the runs: sampling noise only */
    assert_non_null(strstr(noise, "\nstudy\t0\n"));
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
    assert_int_equal(bn_compare_rank(out, A, A, NULL, err, sizeof err), 0);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\ncompared\t6\n"));
    assert_non_null(strstr(noise, "\nflagged\t0\n"));
    /* no loss file: the final losses have no noise model */
    assert_non_null(strstr(noise, "\ntested\t4\n"));
    assert_non_null(strstr(noise, "\nsame_config\t1\n"));
    free(noise);
    tu_rm_rf(dir);
}

/* A study folder seeds-NAME in dir whose runs.info.tsv lists the folders runs[0..n-1] (seeds
 * 0..n-1); returns nothing, fails the test on error. */
static void study_of(const char *dir, const char *name, const char *const *runs, int n)
{
    char sx[300], buf[4096];
    snprintf(sx, sizeof sx, "%s/seeds-%s", dir, name);
    assert_int_equal(mkdir(sx, 0755), 0);
    int len = snprintf(buf, sizeof buf, "run\tseed\tfolder\n");
    for (int i = 0; i < n; i++) len += snprintf(buf + len, sizeof buf - (size_t)len, "%d\t%d\t%s\n", i, i, runs[i]);
    put(sx, "runs.info.tsv", buf);
}

/* A run folder dir/NAME of the deep net's configuration (epochs EPOCHS) with these best
 * validation accuracies, its path into path (300 bytes). */
static void deepnet_run(const char *dir, const char *name, int seed, int epochs, double bn, double base, char *path)
{
    char buf[512];
    snprintf(path, 300, "%s/%s", dir, name);
    if (mkdir(path, 0755)) assert_int_equal(errno, EEXIST);
    snprintf(buf, sizeof buf, "key\tvalue\nseed\t%d\nepochs\t%d\nnum_val\t1000\n", seed, epochs);
    put(path, "params.info.tsv", buf);
    snprintf(buf, sizeof buf, "point\tweight_scale\tbatchnorm_best_val\tbaseline_best_val\n0\t0.02\t%.17g\t%.17g\n", bn, base);
    put(path, "exp5_deepnet.tsv", buf);
}

/* Runs A (seed 0) and B (seed 1) of one configuration, and beside them a study of 5 seeds of it
 * (seeds-x: A, B and three others whose batchnorm best validation accuracies are 0.45, 0.50,
 * 0.55: SD 0.05) and one of 5 seeds of another configuration (seeds-y, epochs 9, SD 0.0001),
 * which must not be taken. A and B are left out of the spread: it rests on the 3 others.
 * Batchnorm's best validation accuracy moves 0.50 -> 0.60 (binomial SEs on 1000 images: 0.0158,
 * 0.0155): SE = sqrt(0.00049 + 2 * 0.0025) = 0.0741, t = 1.35 on 2 degrees of freedom: within
 * seed noise, not flagged (sampling noise alone would flag it, z = 4.5). B with other options:
 * not one configuration, and the option is named. */
static void judges_against_the_study_of_a(void **state)
{
    (void)state;
    char dir[64], A[256], B[256], out[256], p[512], err[256];
    run_folders(dir, A, B, out);
    char pa[300], pb[300], r[3][300], o[5][300];
    deepnet_run(dir, "a", 0, 5, 0.5, 0.3, pa);
    deepnet_run(dir, "b", 1, 5, 0.6, 0.3, pb);
    deepnet_run(dir, "r2", 2, 5, 0.45, 0.3, r[0]);
    deepnet_run(dir, "r3", 3, 5, 0.50, 0.31, r[1]);
    deepnet_run(dir, "r4", 4, 5, 0.55, 0.29, r[2]);
    const char *xs[] = {A, B, r[0], r[1], r[2]};
    study_of(dir, "x", xs, 5);
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "o%d", i);
        deepnet_run(dir, name, 7 + i, 9, 0.5 + 0.0001 * i, 0.3, o[i]);
    }
    const char *ys[] = {o[0], o[1], o[2], o[3], o[4]};
    study_of(dir, "y", ys, 5);
    assert_int_equal(bn_compare_rank(out, A, B, dir, err, sizeof err), 0);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\nstudy\t1\n"));
    assert_non_null(strstr(noise, "\nstudy_seeds\t5\nstudy_used\t3\nstudy_left_out\t2\nstudy_df\t2\n"));
    assert_non_null(strstr(noise, "\nstudy_has_a\t1\nstudy_has_b\t1\n"));
    assert_non_null(strstr(noise, "\nsame_config\t1\n"));
    assert_non_null(strstr(noise, "\nflagged\t0\n"));
    assert_non_null(strstr(noise, "\nwith_seed_noise\t2\n"));
    free(noise);
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_ranked.tsv"), err, sizeof err), 0);
    int col = bn_tsv_col(&t, "column"), se = bn_tsv_col(&t, "se"), df = bn_tsv_col(&t, "df");
    assert_string_equal(bn_tsv_cell(&t, 0, col), "batchnorm_best_val");
    double v;
    assert_int_equal(bn_tsv_num(&t, 0, se, &v), 0);
    tu_assert_near(v, sqrt(0.5 * 0.5 / 1000 + 0.6 * 0.4 / 1000 + 2 * 0.05 * 0.05), 1e-12);
    assert_int_equal(bn_tsv_num(&t, 0, df, &v), 0);
    tu_assert_near(v, 2.0, 0.0);
    bn_tsv_free(&t);
    /* B with another option: not one configuration, and the page is told which */
    put(B, "params.info.tsv", "key\tvalue\nseed\t1\nepochs\t6\nnum_val\t1000\n");
    assert_int_equal(bn_compare_rank(out, A, B, dir, err, sizeof err), 0);
    noise = noise_of(out);
    assert_non_null(strstr(noise, "\nsame_config\t0\nsame_seed\t0\nconfig_differs\tparams.info.tsv: epochs is '5' in "));
    free(noise);
    tu_rm_rf(dir);
}

/* The runs judged are left out of the spread. A and B of one configuration, in a study of 5
 * seeds with three others whose batchnorm best validation accuracies are 0.500, 0.501, 0.499 (SD
 * 0.001); A has 0.40 and B 0.60. Left out, SE = sqrt(0.24/1000 + 0.24/1000 + 2 * 1e-6) = 0.02195,
 * t = 9.11 on 2 degrees of freedom, p = 0.0118, and Holm over the 2 metrics tested gives 0.0237:
 * flagged. With A and B inside the spread its SD would be 0.0707 and |B - A| could never exceed
 * 0.0707 * sqrt(8) = 0.2 for any two of the 5 runs: t = 1.95 on 4 degrees of freedom, p = 0.12. */
static void the_runs_judged_are_left_out(void **state)
{
    (void)state;
    char dir[64], A[256], B[256], out[256], p[512], err[256];
    run_folders(dir, A, B, out);
    char pa[300], pb[300], r[3][300];
    deepnet_run(dir, "a", 0, 5, 0.40, 0.3, pa);
    deepnet_run(dir, "b", 1, 5, 0.60, 0.3, pb);
    deepnet_run(dir, "r2", 2, 5, 0.500, 0.3, r[0]);
    deepnet_run(dir, "r3", 3, 5, 0.501, 0.31, r[1]);
    deepnet_run(dir, "r4", 4, 5, 0.499, 0.29, r[2]);
    const char *xs[] = {r[0], A, r[1], B, r[2]};
    study_of(dir, "x", xs, 5);
    assert_int_equal(bn_compare_rank(out, A, B, dir, err, sizeof err), 0);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\nstudy_used\t3\nstudy_left_out\t2\nstudy_df\t2\n"));
    assert_non_null(strstr(noise, "\nflagged\t1\n"));
    free(noise);
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_ranked.tsv"), err, sizeof err), 0);
    int col = bn_tsv_col(&t, "column"), sd = bn_tsv_col(&t, "sd_seed"), ph = bn_tsv_col(&t, "p_holm"), fl = bn_tsv_col(&t, "flagged");
    assert_string_equal(bn_tsv_cell(&t, 0, col), "batchnorm_best_val");
    assert_string_equal(bn_tsv_cell(&t, 0, fl), "1");
    double v;
    assert_int_equal(bn_tsv_num(&t, 0, sd, &v), 0);
    tu_assert_near(v, 0.001, 1e-12);
    assert_int_equal(bn_tsv_num(&t, 0, ph, &v), 0);
    assert_true(v > 0.02 && v < 0.03);
    bn_tsv_free(&t);
    /* B of another configuration with seed 1 is not the study's own seed-1 run (s1): only A is
     * left out */
    char s1[300];
    deepnet_run(dir, "s1", 1, 5, 0.5, 0.3, s1);
    deepnet_run(dir, "b", 1, 6, 0.60, 0.3, pb);
    const char *ys[] = {r[0], A, s1, r[1], r[2]};
    tu_rm_rf(tu_path(p, sizeof p, dir, "seeds-x"));
    study_of(dir, "x", ys, 5);
    assert_int_equal(bn_compare_rank(out, A, B, dir, err, sizeof err), 0);
    noise = noise_of(out);
    assert_non_null(strstr(noise, "\nstudy_used\t4\nstudy_left_out\t1\n"));
    assert_non_null(strstr(noise, "\nstudy_has_a\t1\nstudy_has_b\t0\n"));
    free(noise);
    tu_rm_rf(dir);
}

/* bnagg noise: a run (seed 0, 1000 validation images) whose sweep has batchnorm - baseline = 0.2
 * at point 0 and 0.02 at point 1, beside a study of 5 seeds whose SD of that difference is 0.05
 * and 0.01. Point 0: SE = sqrt(0.05^2 + (0.5 * 0.5 + 0.3 * 0.7) / 1000) = sqrt(0.00296), threshold
 * 2.776 * 0.0544 = 0.151 < 0.2: batchnorm. Point 1: SE = sqrt(0.01^2 + (0.25 + 0.48 * 0.52) /
 * 1000) = 0.0245, threshold 0.068 > 0.02: within. Without the study: the binomial SEs alone and
 * the normal quantile, and the model says it covers sampling only. */
static void run_noise_from_its_study(void **state)
{
    (void)state;
    char dir[64], A[256], out[256], p[512], err[256], buf[512], sx[300];
    run_folders(dir, A, NULL, out);
    put(A, "params.info.tsv", "key\tvalue\nseed\t0\nnum_val\t1000\n");
    put(A, "exp6_sweep.tsv", "point\tweight_scale\tbatchnorm_best_val\tbaseline_best_val\n0\t0.01\t0.5\t0.3\n1\t0.1\t0.5\t0.48\n");
    snprintf(sx, sizeof sx, "%s/seeds-x", dir);
    assert_int_equal(mkdir(sx, 0755), 0);
    snprintf(buf, sizeof buf, "run\tseed\tfolder\n0\t0\t%s\n1\t1\tb\n2\t2\tc\n3\t3\td\n4\t4\te\n", A);
    put(sx, "runs.info.tsv", buf);
    put(sx, "exp6_sweep_seeds.tsv", "point\tweight_scale\tbest_val_diff_sd\tbest_val_n\n0\t0.01\t0.05\t5\n1\t0.1\t0.01\t5\n");
    assert_int_equal(bn_agg_noise(out, A), 0);
    bn_tsv t;
    double v;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "noise.tsv"), err, sizeof err), 0);
    int cv = bn_tsv_col(&t, "verdict"), cs = bn_tsv_col(&t, "se"), ct = bn_tsv_col(&t, "threshold");
    assert_int_equal(t.nrows, 2);
    assert_string_equal(bn_tsv_cell(&t, 0, cv), "batchnorm");
    assert_string_equal(bn_tsv_cell(&t, 1, cv), "within");
    assert_int_equal(bn_tsv_num(&t, 0, cs, &v), 0);
    tu_assert_near(v, sqrt(0.0025 + 0.46 / 1000), 1e-12);
    assert_int_equal(bn_tsv_num(&t, 1, ct, &v), 0);
    tu_assert_near(v, 2.7764451051977987 * sqrt(0.0001 + (0.25 + 0.48 * 0.52) / 1000), 1e-9);
    bn_tsv_free(&t);
    size_t len;
    char *model = (char *)tu_read_file(tu_path(p, sizeof p, out, "noise_model.tsv"), &len);
    assert_non_null(strstr(model, "\nstudy\t1\n"));
    assert_non_null(strstr(model, "\nstudy_has_run\t1\n"));
    free(model);
    /* no study: sampling noise only */
    tu_rm_rf(sx);
    assert_int_equal(bn_agg_noise(out, A), 0);
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "noise.tsv"), err, sizeof err), 0);
    assert_string_equal(bn_tsv_cell(&t, 0, cv), "batchnorm");
    assert_string_equal(bn_tsv_cell(&t, 1, cv), "within");
    assert_int_equal(bn_tsv_num(&t, 1, ct, &v), 0);
    tu_assert_near(v, 1.959963984540054 * sqrt((0.25 + 0.48 * 0.52) / 1000), 1e-9);
    bn_tsv_free(&t);
    model = (char *)tu_read_file(tu_path(p, sizeof p, out, "noise_model.tsv"), &len);
    assert_non_null(strstr(model, "\nstudy\t0\n"));
    assert_non_null(strstr(model, "\ncovers\tonly the sampling"));
    free(model);
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

/* bnagg compare's noise bands (compare_band_sweep.tsv): each run's value -/+ the 95% interval of
 * the noise model for one value. A beside a 3-seed study of its configuration whose SD of
 * batchnorm's best validation accuracy is 0.05 at point 0: A's 0.5 on 1000 validation images has
 * SE sqrt(0.05^2 + 0.25 / 1000) and t(0.975, 2 df) = 4.3027; B's 0.6, sqrt(0.05^2 + 0.24 / 1000).
 * The final loss has no SD in the study: the window's SE alone with the normal quantile (A's last
 * 3 losses {1, 2, 1.5}: sd 0.5, SE 0.5 / sqrt(3)). Point 1 is in A only: B's cells are nan. */
static void bands_of_each_run(void **state)
{
    (void)state;
    char dir[64], A[256], B[256], out[256], p[512], err[256], buf[512], sx[300];
    run_folders(dir, A, B, out);
    put(A, "params.info.tsv", "key\tvalue\nseed\t0\nnum_val\t1000\nfinal_loss_window\t3\n");
    put(B, "params.info.tsv", "key\tvalue\nseed\t1\nnum_val\t1000\nfinal_loss_window\t3\n");
    const char *head = "point\tweight_scale\tbatchnorm_best_val\tbatchnorm_final_loss\n";
    snprintf(buf, sizeof buf, "%s0\t0.01\t0.5\t1.5\n1\t0.1\t0.4\t2\n", head);
    put(A, "exp6_sweep.tsv", buf);
    snprintf(buf, sizeof buf, "%s0\t0.01\t0.6\t1.5\n", head);
    put(B, "exp6_sweep.tsv", buf);
    put(A, "exp6_sweep_loss.tsv", "point\tweight_scale\titeration\tbatchnorm\n0\t0.01\t1\t3\n0\t0.01\t2\t1\n0\t0.01\t3\t2\n0\t0.01\t4\t1.5\n");
    snprintf(sx, sizeof sx, "%s/seeds-x", dir);
    assert_int_equal(mkdir(sx, 0755), 0);
    snprintf(buf, sizeof buf, "run\tseed\tfolder\n0\t0\t%s\n1\t1\tb\n2\t2\tc\n", A);
    put(sx, "runs.info.tsv", buf);
    put(sx, "exp6_sweep_seeds.tsv", "point\tweight_scale\tbatchnorm_best_val_sd\tbatchnorm_best_val_n\n0\t0.01\t0.05\t3\n");
    assert_int_equal(bn_agg_compare(out, A, B), 0);
    bn_tsv t;
    double v;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_band_sweep.tsv"), err, sizeof err), 0);
    assert_int_equal(t.nrows, 2);
    const double q = 4.302652729911275, z = 1.959963984540054;
    const struct { long row; const char *col; double want; } cells[] = {
        {0, "weight_scale", 0.01},
        {0, "batchnorm_best_val_a", 0.5},
        {0, "batchnorm_best_val_a_lo", 0.5 - q * sqrt(0.0025 + 0.25 / 1000)},
        {0, "batchnorm_best_val_a_hi", 0.5 + q * sqrt(0.0025 + 0.25 / 1000)},
        {0, "batchnorm_best_val_b_hi", 0.6 + q * sqrt(0.0025 + 0.24 / 1000)},
        {0, "batchnorm_final_loss_a_lo", 1.5 - z * 0.5 / sqrt(3.0)},
        {1, "batchnorm_best_val_a", 0.4},
    };
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        int c = bn_tsv_col(&t, cells[i].col);
        assert_true(c >= 0);
        assert_int_equal(bn_tsv_num(&t, cells[i].row, c, &v), 0);
        tu_assert_near(v, cells[i].want, 1e-9);
    }
    /* B has no point 1; B's final loss has no loss file, so no within-run SE and no band */
    assert_int_equal(bn_tsv_num(&t, 1, bn_tsv_col(&t, "batchnorm_best_val_b"), &v), 0);
    assert_true(isnan(v));
    assert_int_equal(bn_tsv_num(&t, 0, bn_tsv_col(&t, "batchnorm_final_loss_b_lo"), &v), 0);
    assert_true(isnan(v));
    bn_tsv_free(&t);
    tu_rm_rf(dir);
}

/* Two runs of one seed and one configuration whose batchnorm gradient check passes in A and
 * fails in B (a fault in B's code): the comparison says they are one seed (so any difference is
 * not noise) and counts the check that passes in A and fails in B, with both relative errors. */
static void same_seed_and_a_failing_check(void **state)
{
    (void)state;
    char dir[64], A[256], B[256], out[256], p[512], err[256];
    run_folders(dir, A, B, out);
    put(A, "params.info.tsv", "key\tvalue\nseed\t3\nnum_val\t1000\n");
    put(B, "params.info.tsv", "key\tvalue\nseed\t3\nnum_val\t1000\n");
    const char *head = "check\tkind\trel_error\ttol\tverdict\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%sdx\tnumeric\t2.9e-09\t1e-05\tpass\ndgamma\tnumeric\t1e-11\t1e-05\tpass\n", head);
    put(A, "exp3_bn_gradcheck_verdict.tsv", buf);
    snprintf(buf, sizeof buf, "%sdx\tnumeric\t0.005\t1e-05\tfail\ndgamma\tnumeric\t1e-11\t1e-05\tpass\n", head);
    put(B, "exp3_bn_gradcheck_verdict.tsv", buf);
    /* a verdict on a random quantity (no rel_error): changed, but not counted as a failing check */
    const char *il = "reg\tinitial_loss\texpected\ttol\tlo\thi\tverdict\n";
    snprintf(buf, sizeof buf, "%s0\t2.24\t2.3\t0.1\t2.2\t2.4\tpass\n3.14\t7.1\t2.3\t0.1\t2.2\t2.4\tfail\n", il);
    put(A, "exp4_initial_loss_verdict.tsv", buf);
    snprintf(buf, sizeof buf, "%s0\t2.52\t2.3\t0.1\t2.2\t2.4\tfail\n3.14\t6.9\t2.3\t0.1\t2.2\t2.4\tfail\n", il);
    put(B, "exp4_initial_loss_verdict.tsv", buf);
    assert_int_equal(bn_agg_compare(out, A, B), 0);
    char *noise = noise_of(out);
    assert_non_null(strstr(noise, "\nsame_config\t1\nsame_seed\t1\n"));
    free(noise);
    size_t len;
    char *info = (char *)tu_read_file(tu_path(p, sizeof p, out, "compare.info.tsv"), &len);
    assert_non_null(strstr(info, "\ngradchecks_pass_to_fail\t1\ngradchecks_fail_to_pass\t0\nverdicts_changed\t2\n"));
    free(info);
    bn_tsv t;
    assert_int_equal(bn_tsv_read(&t, tu_path(p, sizeof p, out, "compare_verdicts.tsv"), err, sizeof err), 0);
    assert_int_equal(t.nrows, 4);
    assert_string_equal(bn_tsv_cell(&t, 0, bn_tsv_col(&t, "name")), "check=dx, kind=numeric");
    assert_string_equal(bn_tsv_cell(&t, 2, bn_tsv_col(&t, "name")), "reg=0");
    assert_string_equal(bn_tsv_cell(&t, 0, bn_tsv_col(&t, "kind")), "gradient");
    assert_string_equal(bn_tsv_cell(&t, 0, bn_tsv_col(&t, "change")), "pass_to_fail");
    assert_string_equal(bn_tsv_cell(&t, 0, bn_tsv_col(&t, "rel_error_b")), "0.005");
    assert_string_equal(bn_tsv_cell(&t, 1, bn_tsv_col(&t, "change")), "same");
    assert_string_equal(bn_tsv_cell(&t, 2, bn_tsv_col(&t, "kind")), "other");
    assert_string_equal(bn_tsv_cell(&t, 2, bn_tsv_col(&t, "change")), "pass_to_fail");
    bn_tsv_free(&t);
    tu_rm_rf(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranks_a_made_up_pair_of_runs),
        cmocka_unit_test(identical_runs_have_no_findings),
        cmocka_unit_test(judges_against_the_study_of_a),
        cmocka_unit_test(the_runs_judged_are_left_out),
        cmocka_unit_test(run_noise_from_its_study),
        cmocka_unit_test(section_links_are_relative),
        cmocka_unit_test(bands_of_each_run),
        cmocka_unit_test(same_seed_and_a_failing_check),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
