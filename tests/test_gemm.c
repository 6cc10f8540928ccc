/* test_gemm.c - bn_gemm, the layers' matrix products, in both dtypes and on every path it takes:
 * LIBXSMM's kernels (plain, with A transposed, K in several blocks of BN_GEMM_KBLOCK with a short
 * last one, beta 0 and 1), in narrower column blocks, and ours (B transposed first; the shapes
 * LIBXSMM sums in another order). Every product is the fixed order of gemm.h bit for bit (an
 * fma chain over k written out here), and within the rounding bound: each is checked against a sum in
 * long double, element by element, under the standard rounding bound of a K-term dot product:
 *   |C - C_exact| <= gamma * sum_k |a_ik| |b_kj|,  gamma = K u / (1 - K u),  u = unit roundoff,
 * plus the rounding of the one addition of beta*C; a second call on copies of the operands at
 * other addresses gives the same bytes; and the path each product takes is the one gemm.h says
 * (LIBXSMM for B not transposed, wherever LIBXSMM can generate code). */
#include "testutil.h"
#include "gemm.h"
#include "blas.h"

#include <libxsmm.h>

#include <float.h>

/* the study's shapes, and the K-blocking edge cases around BN_GEMM_KBLOCK */
static const bn_gemm_shape cases[] = {
    {"forward, first layer (50 x 3072 by 3072 x 50)", 0, 0, 50, 50, 3072},
    {"accuracy check (100 x 3072 by 3072 x 100)", 0, 0, 100, 100, 3072},
    {"weight gradient x^T dout (3072 x 50 from 50 rows)", 1, 0, 3072, 50, 50},
    {"input gradient dout w^T", 0, 1, 50, 50, 50},
    {"K one term past a block", 0, 0, 7, 9, BN_GEMM_KBLOCK + 1},
    {"K exactly one block", 0, 0, 7, 9, BN_GEMM_KBLOCK},
    {"K two blocks and a short one", 1, 0, 5, 3, 2 * BN_GEMM_KBLOCK + 17},
    {"one row, one column", 0, 0, 1, 1, 33},
};

/* op(A)[i][k] and op(B)[k][j] of the packed row-major operands */
static double a_at(const bn_gemm_shape *c, const double *A, int i, int k)
{
    return c->ta ? A[(long)k * c->M + i] : A[(long)i * c->K + k];
}
static double b_at(const bn_gemm_shape *c, const double *B, int k, int j)
{
    return c->tb ? B[(long)j * c->K + k] : B[(long)k * c->N + j];
}

/* Worst error of C over its bound, for one case and dtype; C0 is C before the call (beta = 1). */
static double worst_over_bound(const bn_gemm_shape *c, const double *A, const double *B, const double *C0,
                               const double *C, double beta, double u)
{
    double gamma = c->K * u / (1.0 - c->K * u), worst = 0.0;
    for (int i = 0; i < c->M; i++)
        for (int j = 0; j < c->N; j++) {
            long double exact = (long double)beta * C0[(long)i * c->N + j];
            double mag = fabs(beta * C0[(long)i * c->N + j]);
            for (int k = 0; k < c->K; k++) {
                exact += (long double)a_at(c, A, i, k) * b_at(c, B, k, j);
                mag += fabs(a_at(c, A, i, k) * b_at(c, B, k, j));
            }
            double bound = (gamma + u) * mag + DBL_MIN;
            double err = fabs((double)((long double)C[(long)i * c->N + j] - exact));
            worst = tu_max(worst, err / bound);
        }
    return worst;
}

static void run_case(const bn_gemm_shape *c, double beta, int f32)
{
    long na = (long)c->M * c->K, nb = (long)c->K * c->N, nc = (long)c->M * c->N;
    double *A = tu_doubles(na), *B = tu_doubles(nb), *C0 = tu_doubles(nc), *C = tu_doubles(nc);
    gsl_rng *r = tu_rng(1000u + (unsigned)c->K + 7u * (unsigned)c->M);
    tu_fill_gaussian(A, na, r, 1.0, 0.25);
    tu_fill_gaussian(B, nb, r, 1.0, -0.5);
    tu_fill_gaussian(C0, nc, r, 1.0, 0.0);
    char what[160];
    snprintf(what, sizeof what, "%s %s beta %g: error / bound", f32 ? "f32" : "f64", c->what, beta);
    if (f32) {
        float *a = malloc(sizeof *a * (size_t)na), *b = malloc(sizeof *b * (size_t)nb);
        float *x = malloc(sizeof *x * (size_t)nc), *y = malloc(sizeof *y * (size_t)(nc + 3));
        float *a2 = malloc(sizeof *a2 * (size_t)(na + 1)), *b2 = malloc(sizeof *b2 * (size_t)(nb + 2));
        assert_true(a && b && x && y && a2 && b2);
        /* the operands as the float code sees them: the reference uses the rounded values */
        for (long i = 0; i < na; i++) A[i] = a[i] = (float)A[i];
        for (long i = 0; i < nb; i++) B[i] = b[i] = (float)B[i];
        for (long i = 0; i < nc; i++) C0[i] = x[i] = y[i] = (float)C0[i];
        memcpy(a2 + 1, a, sizeof *a * (size_t)na);
        memcpy(b2 + 2, b, sizeof *b * (size_t)nb);
        memcpy(y + 3, x, sizeof *x * (size_t)nc);
        bn_gemm_f32(c->ta, c->tb, c->M, c->N, c->K, a, b, (float)beta, x);
        bn_gemm_f32(c->ta, c->tb, c->M, c->N, c->K, a2 + 1, b2 + 2, (float)beta, y + 3);
        assert_memory_equal(x, y + 3, sizeof *x * (size_t)nc);
        for (long i = 0; i < nc; i++) C[i] = x[i];
        tu_assert_below(what, worst_over_bound(c, A, B, C0, C, beta, FLT_EPSILON / 2), 1.0);
        free(a); free(b); free(x); free(y); free(a2); free(b2);
    } else {
        /* the second call's operands sit one, two and three doubles further on */
        double *y = tu_doubles(nc + 3), *a2 = tu_doubles(na + 1), *b2 = tu_doubles(nb + 2);
        memcpy(a2 + 1, A, sizeof *A * (size_t)na);
        memcpy(b2 + 2, B, sizeof *B * (size_t)nb);
        memcpy(C, C0, sizeof *C * (size_t)nc);
        memcpy(y + 3, C0, sizeof *y * (size_t)nc);
        bn_gemm(c->ta, c->tb, c->M, c->N, c->K, A, B, beta, C);
        bn_gemm(c->ta, c->tb, c->M, c->N, c->K, a2 + 1, b2 + 2, beta, y + 3);
        assert_memory_equal(C, y + 3, sizeof *y * (size_t)nc);
        tu_assert_below(what, worst_over_bound(c, A, B, C0, C, beta, DBL_EPSILON / 2), 1.0);
        free(y); free(a2); free(b2);
    }
    gsl_rng_free(r);
    free(A); free(B); free(C0); free(C);
}

static void products_within_rounding_bound_f64(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_case(&cases[i], 0.0, 0);
        run_case(&cases[i], 1.0, 0);
    }
}

static void products_within_rounding_bound_f32(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_case(&cases[i], 0.0, 1);
        run_case(&cases[i], 1.0, 1);
    }
}

/* beta 0 must not read C: NaN in C before the call may not reach the result (as BLAS promises),
 * on every path: plain, A transposed and B transposed */
static void beta_zero_ignores_old_values(void **state)
{
    (void)state;
    const int M = 4, N = 3, K = BN_GEMM_KBLOCK + 5;
    double *A = tu_doubles((long)M * K), *B = tu_doubles((long)K * N), C[12];
    float *a = calloc((size_t)M * K, sizeof *a), *b = calloc((size_t)K * N, sizeof *b), c[12];
    assert_true(a && b);
    for (long i = 0; i < (long)M * K; i++) a[i] = (float)(A[i] = 1.0);
    for (long i = 0; i < (long)K * N; i++) b[i] = (float)(B[i] = 0.5);
    for (int t = 0; t < 3; t++) {
        int ta = t == 1, tb = t == 2;
        for (int i = 0; i < M * N; i++) { C[i] = NAN; c[i] = NAN; }
        bn_gemm(ta, tb, M, N, K, A, B, 0.0, C);
        bn_gemm_f32(ta, tb, M, N, K, a, b, 0.0f, c);
        for (int i = 0; i < M * N; i++) {
            assert_true(C[i] == 0.5 * K);
            assert_true(c[i] == 0.5f * (float)K);
        }
    }
    free(A); free(B); free(a); free(b);
}

/* the fixed order of gemm.h, written out here once more, element by element */
static double fixed_order_at(const bn_gemm_shape *c, const double *A, const double *B, double c0, int i, int j)
{
    double acc = c0;
    for (int k = 0; k < c->K; k++) acc = fma(a_at(c, A, i, k), b_at(c, B, k, j), acc);
    return acc;
}
static float fixed_order_at_f32(const bn_gemm_shape *c, const float *A, const float *B, float c0, int i, int j)
{
    float acc = c0;
    for (int k = 0; k < c->K; k++) {
        float a = c->ta ? A[(long)k * c->M + i] : A[(long)i * c->K + k];
        float b = c->tb ? B[(long)j * c->K + k] : B[(long)k * c->N + j];
        acc = fmaf(a, b, acc);
    }
    return acc;
}

/* the shapes where LIBXSMM's kernels sum in another order on some CPUs (AVX-512: float32 with
 * 10 columns and 100 terms; float64 with 100 columns), and the other shapes of the study */
static const bn_gemm_shape order_cases[] = {
    {"batch-5 output layer", 0, 0, 5, 10, 100},
    {"batch-10 output layer", 0, 0, 10, 10, 100},
    {"deep net first layer", 0, 0, 50, 100, 3072},
    {"deep net hidden layer", 0, 0, 50, 100, 100},
    {"deep net weight gradient", 1, 0, 3072, 100, 50},
    {"deep net input gradient", 0, 1, 50, 100, 100},
    {"sweep first layer", 0, 0, 50, 50, 3072},
    {"sweep weight gradient", 1, 0, 3072, 50, 50},
    {"sweep input gradient", 0, 1, 50, 50, 50},
    {"output layer input gradient", 0, 1, 50, 50, 10},
};

/* Every product, whichever kernel serves it here, is the fixed order bit for bit: bn_gemm and
 * bn_gemm_fixed against the chain above, both dtypes, beta 0 and 1. */
static void every_product_in_the_fixed_order(void **state)
{
    (void)state;
    size_t n1 = sizeof cases / sizeof *cases, n2 = sizeof order_cases / sizeof *order_cases;
    for (size_t t = 0; t < n1 + n2; t++) {
        const bn_gemm_shape *c = t < n1 ? &cases[t] : &order_cases[t - n1];
        long na = (long)c->M * c->K, nb = (long)c->K * c->N, nc = (long)c->M * c->N;
        double *A = tu_doubles(na), *B = tu_doubles(nb), *C0 = tu_doubles(nc), *C = tu_doubles(nc), *F = tu_doubles(nc);
        float *a = malloc(sizeof *a * (size_t)na), *b = malloc(sizeof *b * (size_t)nb);
        float *x = malloc(sizeof *x * (size_t)nc), *f = malloc(sizeof *f * (size_t)nc);
        assert_true(a && b && x && f);
        gsl_rng *r = tu_rng(500u + (unsigned)t);
        tu_fill_gaussian(A, na, r, 1.0, 0.1);
        tu_fill_gaussian(B, nb, r, 1.0, -0.2);
        tu_fill_gaussian(C0, nc, r, 1.0, 0.0);
        for (long i = 0; i < na; i++) a[i] = (float)A[i];
        for (long i = 0; i < nb; i++) b[i] = (float)B[i];
        for (int beta = 0; beta < 2; beta++) {
            memcpy(C, C0, sizeof *C * (size_t)nc);
            memcpy(F, C0, sizeof *F * (size_t)nc);
            for (long i = 0; i < nc; i++) x[i] = f[i] = (float)C0[i];
            bn_gemm(c->ta, c->tb, c->M, c->N, c->K, A, B, beta, C);
            bn_gemm_fixed(c->ta, c->tb, c->M, c->N, c->K, A, B, beta, F);
            bn_gemm_f32(c->ta, c->tb, c->M, c->N, c->K, a, b, (float)beta, x);
            bn_gemm_fixed_f32(c->ta, c->tb, c->M, c->N, c->K, a, b, (float)beta, f);
            long off64 = 0, off32 = 0;
            for (int i = 0; i < c->M; i++)
                for (int j = 0; j < c->N; j++) {
                    long e = (long)i * c->N + j;
                    double want = fixed_order_at(c, A, B, beta ? C0[e] : 0.0, i, j);
                    float want32 = fixed_order_at_f32(c, a, b, beta ? (float)C0[e] : 0.0f, i, j);
                    off64 += memcmp(&C[e], &want, sizeof want) != 0 || memcmp(&F[e], &want, sizeof want) != 0;
                    off32 += memcmp(&x[e], &want32, sizeof want32) != 0 || memcmp(&f[e], &want32, sizeof want32) != 0;
                }
            if (off64 || off32)
                fail_msg("%s (%d x %d x %d%s%s) beta %d: %ld float64 and %ld float32 elements not in the fixed order "
                         "(routes here: %s / %s)", c->what, c->M, c->N, c->K, c->ta ? ", A^T" : "", c->tb ? ", B^T" : "",
                         beta, off64, off32, bn_gemm_route(0, c->ta, c->tb, c->M, c->N, c->K, beta),
                         bn_gemm_route(1, c->ta, c->tb, c->M, c->N, c->K, beta));
        }
        gsl_rng_free(r);
        free(A); free(B); free(C0); free(C); free(F); free(a); free(b); free(x); free(f);
    }
}

/* The check above can fail: the same products summed in another order (two partial sums, even
 * and odd k, as some kernels keep) differ from the fixed order in many elements. */
static void another_order_gives_other_bytes(void **state)
{
    (void)state;
    const bn_gemm_shape c = {"first layer", 0, 0, 20, 20, 3072};
    long na = (long)c.M * c.K, nb = (long)c.K * c.N;
    double *A = tu_doubles(na), *B = tu_doubles(nb), C[400];
    gsl_rng *r = tu_rng(9);
    tu_fill_gaussian(A, na, r, 1.0, 0.1);
    tu_fill_gaussian(B, nb, r, 1.0, -0.2);
    bn_gemm(0, 0, c.M, c.N, c.K, A, B, 0.0, C);
    int differ = 0;
    for (int i = 0; i < c.M; i++)
        for (int j = 0; j < c.N; j++) {
            double s0 = 0, s1 = 0;
            for (int k = 0; k < c.K; k += 2) {
                s0 = fma(a_at(&c, A, i, k), b_at(&c, B, k, j), s0);
                s1 = fma(a_at(&c, A, i, k + 1), b_at(&c, B, k + 1, j), s1);
            }
            differ += s0 + s1 != C[i * c.N + j];
        }
    if (differ < 100) fail_msg("another order changed only %d of 400 elements", differ);
    gsl_rng_free(r);
    free(A); free(B);
}

/* what a run records as its kernels: LIBXSMM's target where it generates code, and ours */
static void kernel_names_say_what_runs(void **state)
{
    (void)state;
    int xsmm = libxsmm_get_target_archid() > LIBXSMM_X86_GENERIC;
    const char *k = bn_gemm_kernel();
    char want[128];
    if (xsmm) snprintf(want, sizeof want, "libxsmm %s + fixed-order C", libxsmm_get_target_arch());
    else snprintf(want, sizeof want, "fixed-order C");
    assert_string_equal(k, want);
    assert_non_null(strstr(bn_gemm_libxsmm_version(), "1."));
    /* where LIBXSMM runs, it serves the study's big products here; where it cannot, ours does */
    const char *route = bn_gemm_route(1, 0, 0, 50, 50, 3072, 0);
    if (xsmm) assert_non_null(strstr(route, "libxsmm"));
    else assert_string_equal(route, "fixed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(products_within_rounding_bound_f64),
        cmocka_unit_test(products_within_rounding_bound_f32),
        cmocka_unit_test(beta_zero_ignores_old_values),
        cmocka_unit_test(every_product_in_the_fixed_order),
        cmocka_unit_test(another_order_gives_other_bytes),
        cmocka_unit_test(kernel_names_say_what_runs),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
