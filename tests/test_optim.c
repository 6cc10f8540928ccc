/* test_optim.c - the four update rules against hand-computed steps.
 *
 * Every rule starts from w = (1, -2, 0.5) and takes three steps with the gradients
 * g1 = (0.1, -0.2, 0.3), g2 = (-0.4, 0.5, 0), g3 = (0.25, 0.25, -1). The expected weights were
 * computed outside this code base, by evaluating the assignment's formulas (written in each test)
 * line by line in Python doubles, and printed with 17 significant digits. They are compared to
 * 1e-14 relative: a few ulps, room for an algebraically equal arrangement of the same formula,
 * far below the ~1e-3 relative change any wrong constant or missing term makes. */
#include "testutil.h"

#include "optim.h"
#include "fixedmath.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { NW = 3, STEPS = 3 };
static const double w_start[NW] = {1.0, -2.0, 0.5};
static const double grads[STEPS][NW] = {{0.1, -0.2, 0.3}, {-0.4, 0.5, 0.0}, {0.25, 0.25, -1.0}};

/* Run rule for three steps, comparing w after each with want. */
static void check_steps(bn_rule rule, double lr, const double want[STEPS][NW])
{
    bn_optim o;
    bn_optim_init(&o, rule, lr, NW);
    double w[NW];
    memcpy(w, w_start, sizeof w);
    for (int t = 0; t < STEPS; t++) {
        bn_optim_step(&o, w, grads[t]);
        for (int i = 0; i < NW; i++) tu_assert_rel(w[i], want[t][i], 1e-14);
    }
    bn_optim_free(&o);
    assert_null(o.m);

    /* The float instantiation (bn_optim_step_f32) takes the same steps in float: its weights,
     * of size ~1, carry float rounding (u = 6.0e-8) from each of the three updates, and the
     * first rmsprop/adam step divides by sqrt of a float second moment. Measured worst relative
     * difference from the double values over the four rules: 9.2e-8; bound 1e-6. A wrong constant
     * moves the weights by ~1e-3 relative. */
    bn_optim_f32 of;
    bn_optim_init_f32(&of, rule, lr, NW);
    float wf[NW], gf[NW];
    for (int i = 0; i < NW; i++) wf[i] = (float)w_start[i];
    double worst = 0.0;
    for (int t = 0; t < STEPS; t++) {
        for (int i = 0; i < NW; i++) gf[i] = (float)grads[t][i];
        bn_optim_step_f32(&of, wf, gf);
        for (int i = 0; i < NW; i++) worst = fmax(worst, fabs(wf[i] - want[t][i]) / fabs(want[t][i]));
    }
    char what[64];
    snprintf(what, sizeof what, "f32 %s weights rel error", bn_rule_name(rule));
    tu_assert_below(what, worst, 1e-6);
    bn_optim_free_f32(&of);
    assert_null(of.m);
}

static void sgd_steps_match_hand_computation(void **state)
{
    (void)state;
    /* w -= lr * g, lr 0.1 */
    const double want[STEPS][NW] = {
        {0.99, -1.98, 0.47},
        {1.03, -2.03, 0.47},
        {1.0050000000000001, -2.0549999999999997, 0.57},
    };
    check_steps(BN_SGD, 0.1, want);
}

static void sgd_momentum_steps_match_hand_computation(void **state)
{
    (void)state;
    /* v = 0.9 v - lr g; w += v, lr 0.1, v from 0: the second step carries 0.9 of the first */
    const double want[STEPS][NW] = {
        {0.99, -1.98, 0.47},
        {1.021, -2.012, 0.44299999999999995},
        {1.0238999999999998, -2.0658, 0.5186999999999999},
    };
    check_steps(BN_SGD_MOMENTUM, 0.1, want);
}

static void rmsprop_steps_match_hand_computation(void **state)
{
    (void)state;
    /* c = 0.99 c + 0.01 g^2; w -= lr g / (sqrt(c) + 1e-8), lr 1e-2, c from 0. The first step
     * moves every weight by lr / sqrt(0.01) = 0.1 against its gradient's sign; a zero gradient
     * (third weight, step 2) leaves the weight exactly where it was. */
    const double want[STEPS][NW] = {
        {0.9000000999999, -1.900000049999975, 0.40000003333332224},
        {0.9970428726686518, -1.9929118010156806, 0.40000003333332224},
        {0.9449935383214919, -2.035217641769603, 0.49586144091433826},
    };
    check_steps(BN_RMSPROP, 1e-2, want);
}

static void adam_steps_match_hand_computation(void **state)
{
    (void)state;
    /* t += 1 first; m = 0.9 m + 0.1 g; v = 0.999 v + 0.001 g^2;
     * w -= lr (m / (1 - 0.9^t)) / (sqrt(v / (1 - 0.999^t)) + 1e-8), lr 1e-2, m = v = 0.
     * Bias correction makes the first step lr * g/|g| (up to eps): 0.01 against the sign. Without
     * it the first step would be 0.0316; with t incremented after use it would divide by 0. */
    const double want[STEPS][NW] = {
        {0.9900000009999999, -1.9900000005, 0.4900000003333333},
        {0.9955950357485128, -1.9944221530217234, 0.48329941810791543},
        {0.9959793874663798, -2.0002135083613672, 0.4879316748339887},
    };
    check_steps(BN_ADAM, 1e-2, want);

    /* the step count is kept in the optimiser and counts the steps taken */
    bn_optim o;
    bn_optim_init(&o, BN_ADAM, 1e-2, NW);
    double w[NW];
    memcpy(w, w_start, sizeof w);
    for (int t = 0; t < STEPS; t++) bn_optim_step(&o, w, grads[t]);
    assert_int_equal(o.t, STEPS);
    bn_optim_free(&o);
}

static void optim_defaults_are_the_assignments(void **state)
{
    (void)state;
    bn_optim o;
    bn_optim_init(&o, BN_ADAM, 3e-4, 5);
    assert_int_equal(o.rule, BN_ADAM);
    assert_true(o.lr == 3e-4);
    assert_true(o.momentum == 0.9);
    assert_true(o.decay_rate == 0.99);
    assert_true(o.beta1 == 0.9);
    assert_true(o.beta2 == 0.999);
    assert_true(o.eps == 1e-8);
    assert_int_equal(o.t, 0);
    assert_int_equal(o.n, 5);
    /* state starts at zero */
    for (int i = 0; i < 5; i++) assert_true(o.m[i] == 0.0 && o.v[i] == 0.0);
    bn_optim_free(&o);
}

static void optim_reset_restarts_from_a_fresh_state(void **state)
{
    (void)state;
    const bn_rule rules[] = {BN_SGD, BN_SGD_MOMENTUM, BN_RMSPROP, BN_ADAM};
    for (int k = 0; k < 4; k++) {
        bn_optim a, b;
        bn_optim_init(&a, rules[k], 1e-2, NW);
        bn_optim_init(&b, rules[k], 1e-2, NW);
        double wa[NW], wb[NW];
        memcpy(wa, w_start, sizeof wa);
        memcpy(wb, w_start, sizeof wb);
        bn_optim_step(&a, wa, grads[0]);
        bn_optim_step(&a, wa, grads[1]);
        bn_optim_reset(&a);
        assert_int_equal(a.t, 0);
        /* after reset, a step from the same weights is exactly a first step */
        memcpy(wa, w_start, sizeof wa);
        bn_optim_step(&a, wa, grads[2]);
        bn_optim_step(&b, wb, grads[2]);
        assert_memory_equal(wa, wb, sizeof wa);
        bn_optim_free(&a);
        bn_optim_free(&b);
    }
}

static void optim_zero_gradient_from_rest_leaves_weights_unchanged(void **state)
{
    (void)state;
    const bn_rule rules[] = {BN_SGD, BN_SGD_MOMENTUM, BN_RMSPROP, BN_ADAM};
    const double zero[NW] = {0, 0, 0};
    for (int k = 0; k < 4; k++) {
        bn_optim o;
        bn_optim_init(&o, rules[k], 1e-2, NW);
        double w[NW];
        memcpy(w, w_start, sizeof w);
        /* rmsprop and adam divide by sqrt(0) + eps: eps keeps 0/eps = 0, not NaN */
        bn_optim_step(&o, w, zero);
        assert_memory_equal(w, w_start, sizeof w);
        bn_optim_free(&o);
    }
}

/* A float value of any size: a random sign, significand and binary exponent from 2^-150 to 2^19,
 * with zeros and subnormals among them (xorshift64: the same values everywhere). */
static float any_float(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    uint64_t r = *s;
    if (r % 13 == 0) return 0.0f;
    if (r % 17 == 0) {   /* a subnormal */
        uint32_t b = (uint32_t)(r >> 20) & 0x807fffffu;
        float f;
        memcpy(&f, &b, sizeof f);
        return f;
    }
    float m = 1.0f + (float)((r >> 20) & 0xffffff) / 16777216.0f;
    return ((r >> 50) & 1 ? -1.0f : 1.0f) * ldexpf(m, (int)((r >> 8) % 170) - 150);
}

/* Adam in float takes blocks whose gradients or moments are tiny through double (optim_impl.h):
 * every weight and moment must be the bits of the formula in float, step after step, for values
 * of every size (the subnormal ones included), whatever path each block took. */
static void adam_f32_gives_the_float_formulas_bits_for_values_of_every_size(void **state)
{
    (void)state;
    enum { N = 4099, NSTEP = 40 };
    static const double lrs[] = {1e-3, 1e-30, 5.0};
    float *w = malloc(sizeof(float) * 5 * N);
    assert_non_null(w);
    float *g = w + N, *rw = g + N, *rm = rw + N, *rv = rm + N;
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int L = 0; L < 3; L++) {
        for (long i = 0; i < N; i++) { w[i] = rw[i] = any_float(&s); rm[i] = rv[i] = 0.0f; }
        bn_optim_f32 o;
        bn_optim_init_f32(&o, BN_ADAM, lrs[L], N);
        for (int t = 1; t <= NSTEP; t++) {
            for (long i = 0; i < N; i++) g[i] = t > NSTEP / 2 && i % 3 == 0 ? 0.0f : any_float(&s);
            bn_optim_step_f32(&o, w, g);
            double c1 = 1.0 - bn_pow(0.9, (double)t), c2 = 1.0 - bn_pow(0.999, (double)t);
            float b1 = 0.9f, omb1 = (float)(1.0 - 0.9), b2 = 0.999f, omb2 = (float)(1.0 - 0.999);
            float step = (float)(lrs[L] / c1), ic2 = (float)(1.0 / c2), eps = (float)1e-8;
            for (long i = 0; i < N; i++) {
                rm[i] = b1 * rm[i] + omb1 * g[i];
                rv[i] = b2 * rv[i] + omb2 * g[i] * g[i];
                rw[i] -= step * rm[i] / (sqrtf(rv[i] * ic2) + eps);
                /* NaN is NaN whatever its payload (the files print "nan") */
                if (isnan(rw[i]) && isnan(w[i])) rw[i] = w[i];
            }
            assert_memory_equal(o.m, rm, sizeof(float) * N);
            assert_memory_equal(o.v, rv, sizeof(float) * N);
            assert_memory_equal(w, rw, sizeof(float) * N);
        }
        bn_optim_free_f32(&o);
    }
    free(w);
}

static void rule_names_parse_and_print(void **state)
{
    (void)state;
    const char *names[] = {"sgd", "sgd_momentum", "rmsprop", "adam"};
    const bn_rule rules[] = {BN_SGD, BN_SGD_MOMENTUM, BN_RMSPROP, BN_ADAM};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(bn_rule_parse(names[k]), rules[k]);
        assert_string_equal(bn_rule_name(rules[k]), names[k]);
    }
    assert_int_equal(bn_rule_parse("Adam"), -1);
    assert_int_equal(bn_rule_parse("sgd "), -1);
    assert_int_equal(bn_rule_parse(""), -1);
    assert_int_equal(bn_rule_parse("momentum"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sgd_steps_match_hand_computation),
        cmocka_unit_test(sgd_momentum_steps_match_hand_computation),
        cmocka_unit_test(rmsprop_steps_match_hand_computation),
        cmocka_unit_test(adam_steps_match_hand_computation),
        cmocka_unit_test(optim_defaults_are_the_assignments),
        cmocka_unit_test(optim_reset_restarts_from_a_fresh_state),
        cmocka_unit_test(optim_zero_gradient_from_rest_leaves_weights_unchanged),
        cmocka_unit_test(adam_f32_gives_the_float_formulas_bits_for_values_of_every_size),
        cmocka_unit_test(rule_names_parse_and_print),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
