/* test_holds.c - in how many seeds a statement of the several-seed page holds (src/aggregation/aggregate.c):
 * each function fed with hand-made seeds that make it go every way it can, the answers worked out
 * by hand in the comments. */
#include "testutil.h"

#include "aggregate.h"

/* a - b = {+0.1, +0.2, -0.05, 0}: mean > 0, so the statement is "first", held by the 2 wins; the
 * same seeds the other way round: "second", held by the 2 losses; all equal: "neither", 3 ties. */
static void paired_side_goes_every_way(void **state)
{
    (void)state;
    const double a[] = {0.6, 0.7, 0.45, 0.5}, b[] = {0.5, 0.5, 0.5, 0.5}, c[] = {0.3, 0.3, 0.3};
    bn_paired p;
    int holds = -1;
    bn_paired_of(&p, a, b, 4);
    assert_string_equal(bn_paired_side(&p, "batchnorm", "baseline", &holds), "batchnorm");
    assert_int_equal(holds, 2);
    bn_paired_of(&p, b, a, 4);
    assert_string_equal(bn_paired_side(&p, "batchnorm", "baseline", &holds), "baseline");
    assert_int_equal(holds, 2);
    bn_paired_of(&p, c, c, 3);
    assert_string_equal(bn_paired_side(&p, "batchnorm", "baseline", &holds), "neither");
    assert_int_equal(holds, 3);
    /* no finite pair: no direction, held nowhere */
    const double nan2[] = {NAN, NAN};
    bn_paired_of(&p, nan2, b, 2);
    assert_string_equal(bn_paired_side(&p, "batchnorm", "baseline", &holds), "neither");
    assert_int_equal(holds, 0);
}

/* Five seeds' own verdicts; the interval over the seeds decides the word, the seeds that gave it
 * are counted. */
static void holds_compare_goes_every_way(void **state)
{
    (void)state;
    const char *v[] = {"higher", "within", "higher", "lower", "higher"};
    int holds = -1;
    /* interval above zero: "higher", in 3 of 5 */
    assert_string_equal(bn_holds_compare(0.01, 0.2, v, 5, &holds), "higher");
    assert_int_equal(holds, 3);
    /* below zero: "lower", in 1 of 5 */
    assert_string_equal(bn_holds_compare(-0.3, -0.02, v, 5, &holds), "lower");
    assert_int_equal(holds, 1);
    /* containing zero: "within", in 1 of 5 */
    assert_string_equal(bn_holds_compare(-0.1, 0.1, v, 5, &holds), "within");
    assert_int_equal(holds, 1);
    /* an interval touching zero does not lie above it */
    assert_string_equal(bn_holds_compare(0.0, 0.1, v, 5, &holds), "within");
    /* fewer than two seeds: no interval (NaN), nothing told apart */
    assert_string_equal(bn_holds_compare(NAN, NAN, v, 1, &holds), "within");
    assert_int_equal(holds, 0);
}

/* The commonest verdict and its count; a tie goes to the word an earlier seed gave. */
static void holds_mode_counts_the_commonest(void **state)
{
    (void)state;
    const char *v[] = {"equal", "differs", "equal", "reference_fails", "equal"};
    int holds = -1;
    assert_string_equal(bn_holds_mode(v, 5, &holds), "equal");
    assert_int_equal(holds, 3);
    const char *w[] = {"differs", "equal", "equal", "differs"};
    assert_string_equal(bn_holds_mode(w, 4, &holds), "differs");
    assert_int_equal(holds, 2);
    assert_null(bn_holds_mode(w, 0, &holds));
    assert_int_equal(holds, 0);
}

/* Seeds of mean 2.0 and SD 0.1 over n = 5: the band is 2 -/+ t(0.975, 4) 0.1 sqrt(1.2), with
 * t(0.975, 4) = 2.7764451051977987, i.e. 2 -/+ 0.30414..., so 2.3 is within and 2.31 is not. */
static void seed_band_goes_both_ways(void **state)
{
    (void)state;
    double lo, hi, h = 2.7764451051977987 * 0.1 * sqrt(1.2);
    assert_string_equal(bn_seed_band(2.3, 2.0, 0.1, 5, &lo, &hi), "within_seed_noise");
    tu_assert_near(lo, 2.0 - h, 1e-12);
    tu_assert_near(hi, 2.0 + h, 1e-12);
    assert_string_equal(bn_seed_band(2.31, 2.0, 0.1, 5, &lo, &hi), "outside_seed_noise");
    assert_string_equal(bn_seed_band(1.69, 2.0, 0.1, 5, &lo, &hi), "outside_seed_noise");
    /* more seeds narrow it only towards mean -/+ 1.96 SD, never to nothing: 2.18 is one more seed
     * at n = 1000 (1.96 x 0.1 = 0.196), 2.2 is not */
    assert_string_equal(bn_seed_band(2.18, 2.0, 0.1, 1000, &lo, &hi), "within_seed_noise");
    assert_string_equal(bn_seed_band(2.2, 2.0, 0.1, 1000, &lo, &hi), "outside_seed_noise");
    /* one seed, or a value that is not a number: unknown, NaN bounds */
    assert_string_equal(bn_seed_band(2.0, 2.0, 0.0, 1, &lo, &hi), "unknown");
    assert_true(isnan(lo) && isnan(hi));
    assert_string_equal(bn_seed_band(NAN, 2.0, 0.1, 5, &lo, &hi), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paired_side_goes_every_way),
        cmocka_unit_test(holds_compare_goes_every_way),
        cmocka_unit_test(holds_mode_counts_the_commonest),
        cmocka_unit_test(seed_band_goes_both_ways),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
