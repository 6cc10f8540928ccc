/* test_guard.c - the process hygiene of src/base/guard.c: control characters escaped in
 * echoed values, inputs that are not regular files or are too large refused without being
 * opened, memory refused before it is asked for, completion files removed, closed standard
 * descriptors reopened on /dev/null so that no file opened later takes one. */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "guard.h"

static void escape_control_characters(void **state)
{
    (void)state;
    char out[64];
    const char in[] = "5\r\n\t\x1b[2J\x7f" "ok";
    size_t n = bn_escape(out, sizeof out, in, sizeof in - 1);
    assert_string_equal(out, "5\\r\\n\\t\\x1b[2J\\x7fok");
    assert_int_equal(n, strlen(out));
    /* UTF-8 bytes are not control characters: kept as they are */
    bn_escape(out, sizeof out, "\xc3\xa9t\xc3\xa9", 5);
    assert_string_equal(out, "\xc3\xa9t\xc3\xa9");
    /* a full buffer cuts between escapes, never inside one, and stays terminated */
    char small[6];
    bn_escape(small, sizeof small, "ab\r\rcd", 6);
    assert_string_equal(small, "ab\\r");
}

static void regular_files_only(void **state)
{
    const char *dir = *state;
    char p[256], err[512];
    tu_write_file(tu_path(p, sizeof p, dir, "small.tsv"), "a\tb\n", 4);
    assert_int_equal(bn_check_regular(p, 4, "a data file", err, sizeof err), 0);
    assert_int_equal(bn_check_regular(p, 3, "a data file", err, sizeof err), -1);
    assert_non_null(strstr(err, "small.tsv: 4 bytes, too large for a data file (at most 3)"));
    tu_path(p, sizeof p, dir, "fifo.tsv");
    assert_int_equal(mkfifo(p, 0600), 0);
    /* a FIFO without a writer would block an open(): refused from its type alone */
    assert_int_equal(bn_check_regular(p, 1000, "a data file", err, sizeof err), -1);
    assert_non_null(strstr(err, "fifo.tsv: not a regular file"));
    size_t len;
    assert_null(bn_read_file(p, &len, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(bn_check_regular(dir, 1000, "a data file", err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    assert_int_equal(bn_check_regular(tu_path(p, sizeof p, dir, "absent"), 1000, "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file or directory"));
}

static void memory_refused_before_it_is_asked_for(void **state)
{
    (void)state;
    char why[160];
    assert_int_equal(bn_mem_room(1 << 20, 1, why, sizeof why), 0);
    /* more than any machine has: refused with the machine's figure, nothing allocated */
    assert_int_equal(bn_mem_room((size_t)1 << 60, 1, why, sizeof why), -1);
    assert_true(strstr(why, "available") || strstr(why, "ulimit -v"));
}

static void completion_file_removed(void **state)
{
    const char *dir = *state;
    char p[256];
    tu_write_file(tu_path(p, sizeof p, dir, "runs.info.tsv"), "x\n", 2);
    bn_remove_done(dir, "runs.info.tsv");
    assert_int_equal(access(p, F_OK), -1);
    bn_remove_done(dir, "runs.info.tsv");   /* already absent: not an error */
}

/* In a child with descriptor 2 closed, the next file opened must not become descriptor 2. */
static void closed_stderr_is_reopened(void **state)
{
    const char *dir = *state;
    char p[256];
    tu_path(p, sizeof p, dir, "result.tsv");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(2);
        bn_guard_stdfds();
        int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        _exit(fd == 2 || fcntl(2, F_GETFD) == -1 ? 1 : 0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

static void signal_names(void **state)
{
    (void)state;
    assert_string_equal(bn_signame(SIGKILL), "KILL");
    assert_string_equal(bn_signame(SIGTERM), "TERM");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_control_characters),
        cmocka_unit_test_setup_teardown(regular_files_only, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test(memory_refused_before_it_is_asked_for),
        cmocka_unit_test_setup_teardown(completion_file_removed, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(closed_stderr_is_reopened, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test(signal_names),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
