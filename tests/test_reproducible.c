/* test_reproducible.c - the real binary ($BNLAB) gives byte-identical result files for the same
 * seed, whatever the number of worker processes, and different ones for a different seed.
 * Timing files (*.timing.tsv) measure the machine, not the computation, and are left out. */
#include "testutil.h"


static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every result file (*.tsv but not *.timing.tsv) of folder a must exist in b with the same bytes,
 * and b must hold no result file that a lacks. Returns how many files were compared. */
static int compare_result_files(const char *a, const char *b)
{
    int compared = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *from = pass ? b : a, *to = pass ? a : b;
        DIR *d = opendir(from);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!ends_with(e->d_name, ".tsv") || ends_with(e->d_name, ".timing.tsv")) continue;
            char pa[4200], pb[4200];
            tu_path(pa, sizeof pa, from, e->d_name);
            tu_path(pb, sizeof pb, to, e->d_name);
            if (access(pb, F_OK) != 0) {
                print_error("%s has no counterpart %s\n", pa, pb);
                fail();
            }
            if (pass == 0) {
                if (!tu_files_equal(pa, pb)) {
                    print_error("%s and %s differ\n", pa, pb);
                    fail();
                }
                compared++;
            }
        }
        closedir(d);
    }
    return compared;
}

static void checks_with_the_same_seed_are_byte_identical(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    char a[256], b[256], c[256], f1[300], f2[300];
    tu_path(a, sizeof a, dir, "A");
    tu_path(b, sizeof b, dir, "B");
    tu_path(c, sizeof c, dir, "C");
    /* --speed-reps 1: experiment 3's timing goes to a .timing.tsv file and is not compared */
    assert_int_equal(tu_system("'%s' -q --speed-reps 1 --seed 7 --out '%s' checks", bnlab, a), 0);
    assert_int_equal(tu_system("'%s' -q --speed-reps 1 --seed 7 --out '%s' checks", bnlab, b), 0);
    int n = compare_result_files(a, b);
    /* experiments 1-4 write at least exp1..exp4 */
    assert_true(n >= 4);
    const char *must[] = {"exp1_forward_train.tsv", "exp2_forward_test.tsv", "exp3_bn_gradcheck.tsv",
                          "exp4_net_gradcheck.tsv"};
    for (int k = 0; k < 4; k++) assert_int_equal(access(tu_path(f1, sizeof f1, a, must[k]), F_OK), 0);

    /* another seed draws other data: experiment 1's statistics change */
    assert_int_equal(tu_system("'%s' -q --speed-reps 1 --seed 8 --out '%s' forward-train", bnlab, c), 0);
    tu_path(f1, sizeof f1, a, "exp1_forward_train.tsv");
    tu_path(f2, sizeof f2, c, "exp1_forward_train.tsv");
    assert_false(tu_files_equal(f1, f2));
}

/* Every training result file of a and b byte-identical (the files of experiment 6). */
static void assert_sweep_files_equal(const char *a, const char *b)
{
    const char *files[] = {"exp6_sweep.tsv", "exp6_sweep_loss.tsv", "exp6_sweep_acc.tsv"};
    for (int k = 0; k < 3; k++) {
        char fa[300], fb[300];
        tu_path(fa, sizeof fa, a, files[k]);
        tu_path(fb, sizeof fb, b, files[k]);
        if (!tu_files_equal(fa, fb)) {
            print_error("%s and %s differ\n", fa, fb);
            fail();
        }
    }
}

/* In each training dtype, -j 1 and -j 2 give the same bytes; the two dtypes give different
 * losses (float32 is really float32), and params.info.tsv says which dtype a run used. */
static void sweep_results_do_not_depend_on_the_number_of_workers(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    char data[256];
    tu_path(data, sizeof data, dir, "cifar");
    assert_int_equal(mkdir(data, 0700), 0);
    /* five training batches and a test batch of 60 random records: 300 training records */
    tu_write_cifar_folder(data, 60, 2024);
    const char *args = "--train-records 200 --val-records 50 --test-records 50 --num-train 100 --points 3 "
                       "--epochs 2 --seed 3";
    const char *dtypes[] = {"float32", "float64"};
    char a[2][256], b[2][256];
    for (int t = 0; t < 2; t++) {
        char na[32], nb[32];
        snprintf(na, sizeof na, "A-%s", dtypes[t]);
        snprintf(nb, sizeof nb, "B-%s", dtypes[t]);
        tu_path(a[t], sizeof a[t], dir, na);
        tu_path(b[t], sizeof b[t], dir, nb);
        assert_int_equal(tu_system("'%s' -q --data '%s' %s --dtype %s -j 1 --out '%s' sweep", bnlab, data, args,
                                   dtypes[t], a[t]), 0);
        assert_int_equal(tu_system("'%s' -q --data '%s' %s --dtype %s -j 2 --out '%s' sweep", bnlab, data, args,
                                   dtypes[t], b[t]), 0);
        assert_sweep_files_equal(a[t], b[t]);
        /* and every other result file as well */
        assert_true(compare_result_files(a[t], b[t]) >= 3);

        char fp[300], want[64];
        size_t plen;
        uint8_t *params = tu_read_file(tu_path(fp, sizeof fp, a[t], "params.info.tsv"), &plen);
        snprintf(want, sizeof want, "\ndtype\t%s\n", dtypes[t]);
        assert_non_null(strstr((const char *)params, want));
        free(params);
    }
    /* the default is float32: a run without --dtype matches the float32 one */
    char c[256];
    tu_path(c, sizeof c, dir, "C-default");
    assert_int_equal(tu_system("'%s' -q --data '%s' %s -j 2 --out '%s' sweep", bnlab, data, args, c), 0);
    assert_sweep_files_equal(a[0], c);
    char f32[300], f64[300];
    tu_path(f32, sizeof f32, a[0], "exp6_sweep_loss.tsv");
    tu_path(f64, sizeof f64, a[1], "exp6_sweep_loss.tsv");
    assert_false(tu_files_equal(f32, f64));

    /* the files hold 3 points x 2 epochs x 2 iterations of losses, one row each */
    size_t len;
    uint8_t *loss = tu_read_file(f32, &len);
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += loss[i] == '\n';
    assert_int_equal(lines, 1 + 3 * 4);
    free(loss);
}

/* Experiment 8 runs its trainings in worker processes: -j 1 and -j 2 write the same bytes in
 * both dtypes; its info file names the dtype, and the float32 measurement differs from the
 * float64 one (it trains in the study's dtype), except the rescaling rows, which are float64 in
 * both and so differ only through the weights' rounding to float. */
static void activations_do_not_depend_on_the_number_of_workers(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    char data[256];
    tu_path(data, sizeof data, dir, "cifar");
    assert_int_equal(mkdir(data, 0700), 0);
    tu_write_cifar_folder(data, 60, 2025);
    const char *args = "--train-records 200 --val-records 50 --test-records 50 --num-train 100 --points 4 "
                       "--epochs 2 --seed 5";
    const char *dtypes[] = {"float32", "float64"};
    char a[2][256], b[2][256];
    for (int t = 0; t < 2; t++) {
        char na[32], nb[32], fp[300], want[64];
        snprintf(na, sizeof na, "A-%s", dtypes[t]);
        snprintf(nb, sizeof nb, "B-%s", dtypes[t]);
        tu_path(a[t], sizeof a[t], dir, na);
        tu_path(b[t], sizeof b[t], dir, nb);
        assert_int_equal(tu_system("'%s' -q --data '%s' %s --dtype %s -j 1 --out '%s' activations", bnlab, data, args,
                                   dtypes[t], a[t]), 0);
        assert_int_equal(tu_system("'%s' -q --data '%s' %s --dtype %s -j 2 --out '%s' activations", bnlab, data, args,
                                   dtypes[t], b[t]), 0);
        /* exp8_activations, .info, _updates, _layers, _rescale, and params/dataset/config files */
        assert_true(compare_result_files(a[t], b[t]) >= 5);
        size_t len;
        uint8_t *info = tu_read_file(tu_path(fp, sizeof fp, a[t], "exp8_activations.info.tsv"), &len);
        snprintf(want, sizeof want, "\ndtype\t%s\n", dtypes[t]);
        assert_non_null(strstr((const char *)info, want));
        free(info);
    }
    char f32[300], f64[300];
    tu_path(f32, sizeof f32, a[0], "exp8_updates.tsv");
    tu_path(f64, sizeof f64, a[1], "exp8_updates.tsv");
    assert_false(tu_files_equal(f32, f64));
}

static void bad_dataset_fails_before_writing_any_output(void **state)
{
    TU_BNLAB_OR_SKIP(bnlab);
    const char *dir = *state;
    char data[256], out[256];
    tu_path(data, sizeof data, dir, "no-such-dataset");
    tu_path(out, sizeof out, dir, "out");
    /* stderr to /dev/null: the one-line error is expected; the exit status is what is checked */
    int st = tu_system("'%s' -q --data '%s' --out '%s' sweep 2>/dev/null", bnlab, data, out);
    assert_int_equal(st, 1);
    /* the dataset is loaded before the output folder is created */
    assert_int_not_equal(access(out, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(checks_with_the_same_seed_are_byte_identical, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(sweep_results_do_not_depend_on_the_number_of_workers, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test_setup_teardown(activations_do_not_depend_on_the_number_of_workers, tu_setup_dir,
                                        tu_teardown_dir),
        cmocka_unit_test_setup_teardown(bad_dataset_fails_before_writing_any_output, tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
