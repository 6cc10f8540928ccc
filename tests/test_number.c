/* test_number.c - the one number parser every reader uses (tsv.c, render.c, the aggregation), the
 * formatter's round trip, and the one whole-file reader's refusals. */
#include "testutil.h"

#include "number.h"
#include "readfile.h"
#include "render.h"
#include "tsv.h"

static void parser_accepts_what_data_files_write(void **state)
{
    (void)state;
    static const struct { const char *s; double v; } ok[] = {
        {"5", 5}, {"-5", -5}, {"+2.5", 2.5}, {"0.125", 0.125}, {".5", 0.5}, {"5.", 5}, {"1e-3", 1e-3},
        {"2.5E+10", 2.5e10}, {"-0", 0}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double v = -99;
        assert_int_equal(bn_parse_num(ok[i].s, &v), 1);
        assert_true(v == ok[i].v);
    }
    double v = 0;
    assert_int_equal(bn_parse_num("nan", &v), 1);
    assert_true(isnan(v));
    assert_int_equal(bn_parse_num("-inf", &v), 1);
    assert_true(isinf(v) && v < 0);
    assert_int_equal(bn_parse_num("Infinity", &v), 1);
    assert_true(isinf(v) && v > 0);
}

static void parser_rejects_blanks_hex_and_trailing_text(void **state)
{
    (void)state;
    static const char *bad[] = {"", " 5", "5 ", "\t5", "0x10", "0X1p3", "1e", "1e+", "e5", ".", "-", "+",
                                "5x", "1,5", "nan(1)", "infinit", "--5", "1e5.5", "\n5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double v = 42;
        if (bn_parse_num(bad[i], &v)) fail_msg("'%s' was accepted as a number", bad[i]);
        assert_true(v == 42);
    }
}

/* tsv.c reads cells with the parser the template engine uses: " 5" and 0x10 are refused (tsv.c
 * used to accept both). */
static void tsv_cells_are_read_strictly(void **state)
{
    (void)state;
    const char *text = "a\tb\tc\n 5\t0x10\t7\n";
    bn_tsv t;
    char err[256];
    assert_int_equal(bn_tsv_parse(&t, "x.tsv", text, strlen(text), err, sizeof err), 0);
    double v;
    assert_int_equal(bn_tsv_num(&t, 0, 0, &v), -1);
    assert_int_equal(bn_tsv_num(&t, 0, 1, &v), -1);
    assert_int_equal(bn_tsv_num(&t, 0, 2, &v), 0);
    assert_true(v == 7);
    bn_tsv_free(&t);
}

static void formatter_round_trips(void **state)
{
    (void)state;
    const double xs[] = {0.1, 1.0 / 3, 1e-300, -2.5e17, 123456789.0, 6.02214076e23, 1e-5};
    char buf[64];
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        bn_fmt(buf, sizeof buf, xs[i]);
        double v;
        assert_int_equal(bn_parse_num(buf, &v), 1);
        assert_true(v == xs[i]);
    }
    bn_fmt(buf, sizeof buf, -INFINITY);
    assert_string_equal(buf, "-inf");
}

static void reader_refuses_fifo_and_folder_without_blocking(void **state)
{
    char p[256], err[512];
    size_t n;
    tu_path(p, sizeof p, *state, "fifo.tsv");
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_null(bn_read_file(p, &n, err, sizeof err));   /* would block forever if it opened it */
    assert_non_null(strstr(err, "not a regular file"));
    assert_non_null(strstr(err, "fifo.tsv"));
    assert_null(bn_read_file(*state, &n, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    tu_path(p, sizeof p, *state, "absent");
    assert_null(bn_read_file(p, &n, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
}

static void reader_returns_bytes_nul_terminated(void **state)
{
    char p[256], err[512];
    size_t n = 0;
    tu_path(p, sizeof p, *state, "f.bin");
    const char data[] = {'a', 0, 'b', '\n'};
    tu_write_file(p, data, sizeof data);
    char *b = bn_read_file(p, &n, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(n, sizeof data);
    assert_memory_equal(b, data, sizeof data);
    assert_int_equal(b[n], 0);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parser_accepts_what_data_files_write),
        cmocka_unit_test(parser_rejects_blanks_hex_and_trailing_text),
        cmocka_unit_test(tsv_cells_are_read_strictly),
        cmocka_unit_test(formatter_round_trips),
        cmocka_unit_test_setup_teardown(reader_refuses_fifo_and_folder_without_blocking, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(reader_returns_bytes_nul_terminated, tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
