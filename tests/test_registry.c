/* test_registry.c - the experiment table: its word lists are read as written, and every row is
 * consistent with itself (what it compares, aggregates, judges and splits are files it writes),
 * so that bnlab, bnagg and make, which all derive from it, agree. */
#include "testutil.h"

#include "registry.h"

/* Is `word` one of the words of `list`? */
static int has_word(const char *list, const char *word)
{
    char w[256];
    for (int i = 0; bn_registry_word(list, i, w, sizeof w); i++)
        if (!strcmp(w, word)) return 1;
    return 0;
}

static int n_words(const char *list)
{
    char w[256];
    int n = 0;
    while (bn_registry_word(list, n, w, sizeof w)) n++;
    return n;
}

static void words_are_read_as_written(void **state)
{
    (void)state;
    char w[16];
    assert_int_equal(bn_registry_word("  a.tsv   bb.tsv c ", 0, w, sizeof w), 1);
    assert_string_equal(w, "a.tsv");
    assert_int_equal(bn_registry_word("  a.tsv   bb.tsv c ", 1, w, sizeof w), 1);
    assert_string_equal(w, "bb.tsv");
    assert_int_equal(bn_registry_word("  a.tsv   bb.tsv c ", 2, w, sizeof w), 1);
    assert_string_equal(w, "c");
    assert_int_equal(bn_registry_word("  a.tsv   bb.tsv c ", 3, w, sizeof w), 0);
    assert_int_equal(bn_registry_word("", 0, w, sizeof w), 0);
    assert_int_equal(bn_registry_word("   ", 0, w, sizeof w), 0);
    assert_int_equal(bn_registry_word(NULL, 0, w, sizeof w), 0);
    assert_int_equal(n_words("x y  z"), 3);
}

/* The aggregation of row e whose input is `in`, or NULL. */
static const bn_seed_agg *agg_of(const bn_experiment *e, const char *in)
{
    for (const bn_seed_agg *a = e->aggregate; a && a->in; a++)
        if (!strcmp(a->in, in)) return a;
    return NULL;
}

static void rows_are_consistent(void **state)
{
    (void)state;
    int split = 0;
    char w[256];
    assert_true(bn_n_experiments > 0);
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_experiment *e = &bn_experiments[i];
        assert_non_null(e->command);
        assert_ptr_equal(bn_experiment_find(e->command), e);   /* commands are unique */
        assert_non_null(e->files);
        assert_true(n_words(e->files) > 0);
        if (e->compared)
            for (int k = 0; bn_registry_word(e->compared, k, w, sizeof w); k++)
                if (!has_word(e->files, w)) fail_msg("%s compares %s, which it does not write", e->command, w);
        if (e->report)
            for (int k = 0; bn_registry_word(e->report, k, w, sizeof w); k++)
                if (!has_word(e->files, w)) fail_msg("%s's page quotes %s, which it does not write", e->command, w);
        for (const bn_seed_agg *a = e->aggregate; a && a->in; a++) {
            if (!has_word(e->files, a->in)) fail_msg("%s aggregates %s, which it does not write", e->command, a->in);
            assert_non_null(a->out);
            assert_true(n_words(a->keys) > 0 && n_words(a->cols) > 0);
            for (int k = 0; bn_registry_word(a->cols, k, w, sizeof w); k++) {
                char *eq = strchr(w, '='), *minus = eq ? strchr(eq + 1, '-') : NULL;
                if (eq && (!minus || eq == w || minus == eq + 1 || !minus[1]))
                    fail_msg("%s: aggregation word %s is neither NAME nor NAME=A-B", a->in, w);
            }
        }
        if (e->seeds)
            for (int k = 0; bn_registry_word(e->seeds, k, w, sizeof w); k++)
                assert_true(strstr(w, "_seeds") != NULL || strstr(w, "_by_seed") != NULL);
        const bn_judged *j = e->judged;
        if (j) {
            assert_true(e->training);
            if (!has_word(e->files, j->summary) || !has_word(e->files, j->loss))
                fail_msg("%s is judged by files it does not write", e->command);
            const bn_seed_agg *a = agg_of(e, j->summary);
            if (!a || strcmp(a->out, j->seeds)) fail_msg("%s's judged study file is not its summary's aggregation", e->command);
            assert_true(n_words(j->keys) >= 1 && n_words(j->keys) <= 2);
            assert_non_null(j->anchor);
            assert_non_null(j->label);
            if (j->seeds_verdict && !j->per_net) fail_msg("%s: the study's verdicts need per-net columns", e->command);
            if (j->band) {
                a = agg_of(e, j->band_file);
                if (!has_word(e->files, j->band_file) || !a || strcmp(a->out, j->band_seeds))
                    fail_msg("%s's compare band is not of a file it writes and aggregates", e->command);
                assert_true(n_words(j->band_keys) >= 1 && n_words(j->band_keys) <= 2);
                assert_int_equal(n_words(j->band_show), 2);
                assert_true(n_words(j->band_cols) >= 1 && n_words(j->band_cols) <= 6);
            }
        }
        if (e->split) {
            split++;
            assert_true(e->training);
            assert_true(n_words(e->files) <= 8);   /* what parts.c joins */
        }
    }
    assert_int_equal(split, 1);   /* bnlab --point and merge are for one experiment */
}

/* build/experiments.mk names the split experiment and every compared file, in the rows' order. */
static void make_variables_follow_the_rows(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    bn_registry_print_make(f);
    fclose(f);
    char want[4096] = "\nBN_SPLIT :=", all[4096] = "\nBN_COMPARED_FILES :=";
    for (int i = 0; i < bn_n_experiments; i++) {
        if (bn_experiments[i].split) snprintf(want + strlen(want), sizeof want - strlen(want), " %s", bn_experiments[i].command);
        if (bn_experiments[i].compared && *bn_experiments[i].compared)
            snprintf(all + strlen(all), sizeof all - strlen(all), " %s", bn_experiments[i].compared);
    }
    strcat(want, "\n");
    strcat(all, "\n");
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, all));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_read_as_written),
        cmocka_unit_test(rows_are_consistent),
        cmocka_unit_test(make_variables_follow_the_rows),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
