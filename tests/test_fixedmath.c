/* test_fixedmath.c - exp, log and pow of fixedmath.h, and the Gaussian draws built on them:
 *   - exp and log within 1 ulp of long double's expl and logl over a million arguments spread
 *     over their whole ranges (and the small and subnormal ones), and exact where IEEE says so;
 *   - the special values: NaN, infinities, zero, negative arguments, overflow and underflow;
 *   - pow(x, y) = exp(y log x) within (2 + |y ln x|) ulp, as fixedmath.h states;
 *   - bn_gaussian draws what GSL's gsl_ran_gaussian draws from the same stream: same count of
 *     uniforms consumed (the streams stay in step) and values within 4 ulp. */
#include "testutil.h"
#include "fixedmath.h"
#include "rng.h"

#include <float.h>
#include <gsl/gsl_randist.h>

static double ulps(double got, long double exact)
{
    double e = (double)exact;
    double ulp = nextafter(fabs(e), INFINITY) - fabs(e);
    return (double)(fabsl((long double)got - exact) / ulp);
}

static void exp_and_log_within_one_ulp(void **state)
{
    (void)state;
    gsl_rng *r = tu_rng(3);
    double worst_e = 0, worst_l = 0;
    for (int i = 0; i < 1000000; i++) {
        double u = gsl_rng_uniform(r);
        double x = i % 3 == 0 ? (u * 2 - 1) * 708 : i % 3 == 1 ? (u * 2 - 1) * 8 : (u * 2 - 1) * 1e-7;
        worst_e = tu_max(worst_e, ulps(bn_exp(x), expl((long double)x)));
        double y = i % 2 ? ldexp(1.0 + u, (int)(gsl_rng_uniform_int(r, 2000)) - 1000) : 0.5 + u;
        worst_l = tu_max(worst_l, ulps(bn_log(y), logl((long double)y)));
    }
    tu_assert_below("exp: worst error (ulp) over 1e6 arguments", worst_e, 1.0);
    tu_assert_below("log: worst error (ulp) over 1e6 arguments", worst_l, 1.0);
    /* subnormal results and arguments */
    volatile double sub = 5e-320;   /* as a double: subnormal, 4.99994e-320 */
    tu_assert_below("exp(-740) (ulp)", ulps(bn_exp(-740.0), expl(-740.0L)), 1.0);
    tu_assert_below("log(5e-320) (ulp)", ulps(bn_log(sub), logl((long double)sub)), 1.0);
    gsl_rng_free(r);
}

static void special_values(void **state)
{
    (void)state;
    assert_true(bn_exp(0.0) == 1.0);
    assert_true(bn_log(1.0) == 0.0 && !signbit(bn_log(1.0)));
    assert_true(bn_exp(1000.0) == INFINITY);
    assert_true(bn_exp(-1000.0) == 0.0);
    assert_true(bn_exp(INFINITY) == INFINITY);
    assert_true(bn_exp(-INFINITY) == 0.0);
    assert_true(isnan(bn_exp(NAN)));
    assert_true(bn_log(0.0) == -INFINITY);
    assert_true(bn_log(INFINITY) == INFINITY);
    assert_true(isnan(bn_log(-1.0)));
    assert_true(isnan(bn_log(NAN)));
    assert_true(bn_log(2.0) == (double)logl(2.0L));
    assert_true(bn_expf(0.0f) == 1.0f && bn_logf(1.0f) == 0.0f);
    tu_assert_near(bn_expf(1.0f), 2.71828182845904523536, 1.5e-7);
}

static void pow_as_stated(void **state)
{
    (void)state;
    static const double xy[][2] = {{10, -3.5}, {0.9, 2000}, {0.999, 1}, {0.999, 2000}, {2, 10}, {1e-4, 0.25}};
    for (size_t i = 0; i < sizeof xy / sizeof *xy; i++) {
        double x = xy[i][0], y = xy[i][1];
        double bound = 2.0 + fabs(y * log(x));
        tu_assert_below("pow: error (ulp) over its bound", ulps(bn_pow(x, y), powl(x, y)) / bound, 1.0);
    }
    assert_true(bn_pow(0.5, 0.0) == 1.0 && bn_pow(1.0, 1e9) == 1.0);
}

static void gaussian_as_gsl_draws_it(void **state)
{
    (void)state;
    gsl_rng *a = tu_rng(11), *b = tu_rng(11);
    double worst = 0;
    for (int i = 0; i < 100000; i++) {
        double x = bn_gaussian(a, 1.0), y = gsl_ran_gaussian(b, 1.0);
        worst = tu_max(worst, ulps(x, (long double)y));
    }
    tu_assert_below("bn_gaussian against gsl_ran_gaussian (ulp)", worst, 4.0);
    assert_true(gsl_rng_get(a) == gsl_rng_get(b));   /* the streams are still in step */
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp_and_log_within_one_ulp),
        cmocka_unit_test(special_values),
        cmocka_unit_test(pow_as_stated),
        cmocka_unit_test(gaussian_as_gsl_draws_it),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
