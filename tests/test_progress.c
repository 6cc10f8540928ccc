/* test_progress.c - the status line (src/base/progress.c) and the kernel record (src/compute/machine.c).
 * The line: its text (count, elapsed, time left from the rate so far); when stderr is not a
 * terminal, no line while trainings complete within BN_PROGRESS_EVERY seconds, then one, and
 * exactly one final line; nothing at all under -q; only ever on fd 2. The record: each
 * experiment's kernel is replaced when it reruns, and the run's list holds each distinct kernel
 * of its current experiments once. */
#include "testutil.h"

#include "error.h"
#include "machine.h"
#include "progress.h"

static void format_counts_and_extrapolates(void **state)
{
    (void)state;
    char b[256];
    bn_progress_format(b, sizeof b, "sweep", 0, 40, 3.2);
    assert_string_equal(b, "sweep: 0/40 trainings done, elapsed 0:00:03, left ~?");
    bn_progress_format(b, sizeof b, "sweep", 10, 40, 30.0);   /* 3 s each: 30 left = 90 s */
    assert_string_equal(b, "sweep: 10/40 trainings done, elapsed 0:00:30, left ~0:01:30");
    bn_progress_format(b, sizeof b, "deepnet", 1, 2, 3725.0);
    assert_string_equal(b, "deepnet: 1/2 trainings done, elapsed 1:02:05, left ~1:02:05");
}

/* Run fn with fd 2 on a file (not a terminal) and fd 1 on another; returns fd 2's text. */
static char *capture(const char *dir, void (*fn)(void), char **out1)
{
    char p2[256], p1[256];
    tu_path(p2, sizeof p2, dir, "err");
    tu_path(p1, sizeof p1, dir, "out");
    int e = open(p2, O_WRONLY | O_CREAT | O_TRUNC, 0644), o = open(p1, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(e >= 0 && o >= 0);
    fflush(stdout);
    int se = dup(2), so = dup(1);
    dup2(e, 2);
    dup2(o, 1);
    fn();
    fflush(stdout);
    dup2(se, 2);
    dup2(so, 1);
    close(se); close(so); close(e); close(o);
    size_t len;
    *out1 = (char *)tu_read_file(p1, &len);
    return (char *)tu_read_file(p2, &len);
}

static void ten_quick_trainings(void)
{
    bn_progress_line p;
    bn_progress_start(&p, "batchsize", 10);
    for (int i = 1; i < 10; i++) bn_progress_update(&p, i);
    p.last -= BN_PROGRESS_EVERY + 1;   /* as if the last line were older than the interval */
    bn_progress_update(&p, 9);         /* no change since: still nothing */
    bn_progress_finish(&p);
}

static void one_due_line(void)
{
    bn_progress_line p;
    bn_progress_start(&p, "sweep", 4);
    bn_progress_update(&p, 1);
    p.last -= BN_PROGRESS_EVERY + 1;
    bn_progress_update(&p, 2);   /* due: one line */
    bn_progress_update(&p, 3);   /* not due again */
    bn_progress_finish(&p);
}

static void plain_lines_are_few_and_on_fd2_only(void **state)
{
    char *out, *err;
    bn_quiet = 0;
    err = capture(*state, ten_quick_trainings, &out);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "batchsize: 10/10 trainings done, elapsed 0:00:00, left ~0:00:00\n"));
    assert_null(strchr(err, '\r'));                           /* not a terminal: no rewriting */
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err));   /* exactly one line */
    free(out); free(err);

    err = capture(*state, one_due_line, &out);
    assert_non_null(strstr(err, "sweep: 2/4 trainings done"));
    assert_null(strstr(err, "sweep: 3/4"));
    assert_non_null(strstr(err, "sweep: 4/4 trainings done"));
    free(out); free(err);

    bn_quiet = 1;
    err = capture(*state, one_due_line, &out);
    bn_quiet = 0;
    assert_string_equal(err, "");
    assert_string_equal(out, "");
    free(out); free(err);
}

static void kernel_record_replaces_and_lists(void **state)
{
    const char *dir = *state;
    char v[1024];
    assert_int_equal(bn_machine_get(dir, "blas_core", v, sizeof v), -1);
    bn_machine_note(dir, "deepnet", "Haswell", "CPU A");
    bn_machine_note(dir, "sweep", "SkylakeX; Haswell", "CPU B; CPU A");   /* parts from two machines */
    assert_int_equal(bn_machine_get(dir, "blas_core", v, sizeof v), 0);
    assert_string_equal(v, "Haswell; SkylakeX");
    assert_int_equal(bn_machine_get(dir, "cpu_model", v, sizeof v), 0);
    assert_string_equal(v, "CPU A; CPU B");
    bn_machine_note(dir, "sweep", "Haswell", "CPU A");   /* the sweep rerun on the first machine */
    assert_int_equal(bn_machine_get(dir, "blas_core", v, sizeof v), 0);
    assert_string_equal(v, "Haswell");
    assert_int_equal(bn_machine_get(dir, "blas_core:sweep", v, sizeof v), 0);
    assert_string_equal(v, "Haswell");
    bn_machine_note(dir, "activations", NULL, NULL);   /* this process's kernel and CPU */
    assert_int_equal(bn_machine_get(dir, "blas_core:activations", v, sizeof v), 0);
    assert_true(strlen(v) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_counts_and_extrapolates),
        cmocka_unit_test_setup_teardown(plain_lines_are_few_and_on_fd2_only, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(kernel_record_replaces_and_lists, tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
