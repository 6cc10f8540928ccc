/* optim_impl.h - the update rules for one dtype (included by optim.c once per dtype, with BN_F32
 * set; see real.h). Coefficients are formed in double (as NumPy does with Python floats) and
 * rounded once to the dtype; the elementwise arithmetic is in the dtype. */
#include "real.h"

void BN_FN(bn_optim_init)(BN_FN(bn_optim) *o, bn_rule rule, double lr, long n)
{
    memset(o, 0, sizeof *o);
    o->rule = rule;
    o->lr = lr;
    o->momentum = 0.9;
    o->decay_rate = 0.99;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-8;
    o->n = n;
    o->m = bn_calloc((size_t)(2 * n), sizeof(REAL));
    o->v = o->m + n;
}

void BN_FN(bn_optim_reset)(BN_FN(bn_optim) *o)
{
    o->t = 0;
    memset(o->m, 0, (size_t)(2 * o->n) * sizeof(REAL));
}

void BN_FN(bn_optim_free)(BN_FN(bn_optim) *o)
{
    free(o->m);
    o->m = o->v = NULL;
}

/* Machine notes on adam_update (kept apart from the comment the page shows with it): it is the
 * hottest loop outside BLAS. restrict and local scalars let the compiler vectorise it; the
 * AVX-512 or AVX2 clone is picked at run time where the CPU has it. IEEE sqrt and division are
 * exact in every vector width, so every clone gives the same bits. The AVX-512 clone matters
 * where the baseline's gradients vanish: g*g and the decaying second moment fall below FLT_MIN,
 * and each instruction on such subnormal values costs a microcode assist; there it was 1.7 times
 * faster than the AVX2 one (10 against 17 ns per element). */

#if !BN_F32
/* Adam's update of each element: m and v are running averages of the gradient g and of g^2, and
 * the step is lr * m_hat / (sqrt(v_hat) + eps) with the bias-corrected m_hat = m / (1 - beta1^t),
 * v_hat = v / (1 - beta2^t). m_hat / sqrt(v_hat) is about +-1 when the gradient keeps its sign,
 * whatever its size: each weight moves by about lr per step. */
BN_X86_CLONES
static void BN_FN(adam_update)(REAL *restrict w, REAL *restrict m, REAL *restrict v, const REAL *restrict dw, long n,
                               REAL beta1, REAL one_m_beta1, REAL beta2, REAL one_m_beta2, REAL step, REAL inv_c2,
                               REAL eps)
{
    for (long i = 0; i < n; i++) {
        m[i] = beta1 * m[i] + one_m_beta1 * dw[i];
        v[i] = beta2 * v[i] + one_m_beta2 * dw[i] * dw[i];
        /* w -= lr * (m/c1) / (sqrt(v/c2) + eps), with the two bias corrections as multiplications */
        w[i] -= step * m[i] / (R_SQRT(v[i] * inv_c2) + eps);
    }
}
#else
/* In float, a vanishing gradient makes g*g and the second moment subnormal, and every float
 * instruction on a subnormal costs a microcode assist (measured here: 14 to 23 ns per element
 * against 0.6 to 1.4). Where the CPU has AVX-512, a block of 16 elements in which one would
 * (adam_tiny) takes each float operation of the same formula in double, rounded to
 * float after each one (adam_tiny16): a product of two floats is exact in double, and for +, -,
 * *, / and sqrt rounding the double result to float gives the float operation's own result
 * (double's 53 bits are at least 2 * 24 + 2), subnormal results included; double has no
 * subnormals at these sizes, and the conversions take no assist. So the block's test decides
 * speed alone, never a bit. (Written with intrinsics: the compiler turns a float operation
 * written in double back into the float one, since the result is the same.) */
#define ADAM_BLOCK 16     /* elements tested together: two vectors of 8 doubles */
/* the coefficients of adam_update, in this order, for adam_tiny16 */
enum { K_BETA1, K_OMB1, K_BETA2, K_OMB2, K_STEP, K_INV_C2, K_EPS, K_COUNT };
typedef void (*adam_tiny_fn)(float *restrict w, float *restrict m, float *restrict v, const float *restrict dw,
                             const float *k);

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f")))
static void adam_tiny16_avx512(float *restrict w, float *restrict m, float *restrict v, const float *restrict dw,
                               const float *k)
{
#define RND(x) _mm512_cvtps_pd(_mm512_cvtpd_ps(x))
#define K(i) _mm512_set1_pd((double)k[i])
    for (int h = 0; h < ADAM_BLOCK; h += 8) {
        __m512d g = _mm512_cvtps_pd(_mm256_loadu_ps(dw + h));
        __m512d mi = RND(_mm512_add_pd(RND(_mm512_mul_pd(K(K_BETA1), _mm512_cvtps_pd(_mm256_loadu_ps(m + h)))),
                                       RND(_mm512_mul_pd(K(K_OMB1), g))));
        __m512d vi = RND(_mm512_add_pd(RND(_mm512_mul_pd(K(K_BETA2), _mm512_cvtps_pd(_mm256_loadu_ps(v + h)))),
                                       RND(_mm512_mul_pd(RND(_mm512_mul_pd(K(K_OMB2), g)), g))));
        __m512d den = RND(_mm512_add_pd(RND(_mm512_sqrt_pd(RND(_mm512_mul_pd(vi, K(K_INV_C2))))), K(K_EPS)));
        __m512d d = RND(_mm512_div_pd(RND(_mm512_mul_pd(K(K_STEP), mi)), den));
        __m512d wi = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(w + h)), d);
        _mm256_storeu_ps(m + h, _mm512_cvtpd_ps(mi));
        _mm256_storeu_ps(v + h, _mm512_cvtpd_ps(vi));
        _mm256_storeu_ps(w + h, _mm512_cvtpd_ps(wi));
    }
#undef K
#undef RND
}

static adam_tiny_fn adam_tiny_pick(void)
{
    return __builtin_cpu_supports("avx512f") ? adam_tiny16_avx512 : NULL;
}
#else
static adam_tiny_fn adam_tiny_pick(void) { return NULL; }
#endif

/* Whether an element's update would meet a subnormal: one of its inputs is subnormal, or an
 * intermediate is: omb2 * g * g (|g| from 2^-77 to 2^-57; below, it underflows to 0 with no
 * assist), omb1 * g (|g| below 2^-122), beta1 * m or step * m (|m| below 2^-112), beta2 * v
 * (|v| below 2^-126). Tested on the bits (b: the magnitude's, e: the biased exponent), since
 * comparing a subnormal float would take the assist. A value it misses only runs slower. */
static inline __attribute__((always_inline)) uint32_t adam_tiny(float g, float m, float v)
{
    uint32_t bg, bm, bv;
    memcpy(&bg, &g, sizeof bg);
    memcpy(&bm, &m, sizeof bm);
    memcpy(&bv, &v, sizeof bv);
    bg &= 0x7fffffffu; bm &= 0x7fffffffu; bv &= 0x7fffffffu;
    uint32_t eg = bg >> 23, em = bm >> 23, ev = bv >> 23;
    return ((bg != 0) & ((eg <= 5) | ((eg >= 50) & (eg <= 70)))) | ((bm != 0) & (em <= 15)) | ((bv != 0) & (ev <= 1));
}

/* adam_update's formula in float, each block that would meet a subnormal through tiny16 (NULL:
 * none) */
BN_X86_CLONES
static void adam_float_update(float *restrict w, float *restrict m, float *restrict v, const float *restrict dw, long n,
                              const float *k, adam_tiny_fn tiny16)
{
    float beta1 = k[K_BETA1], one_m_beta1 = k[K_OMB1], beta2 = k[K_BETA2], one_m_beta2 = k[K_OMB2];
    float step = k[K_STEP], inv_c2 = k[K_INV_C2], eps = k[K_EPS];
#define ADAM_FLOAT(i) do { \
        m[i] = beta1 * m[i] + one_m_beta1 * dw[i]; \
        v[i] = beta2 * v[i] + one_m_beta2 * dw[i] * dw[i]; \
        w[i] -= step * m[i] / (R_SQRT(v[i] * inv_c2) + eps); \
    } while (0)
    long i0 = 0;
    for (; i0 + ADAM_BLOCK <= n; i0 += ADAM_BLOCK) {   /* whole blocks: fixed trip counts, one vector each */
        uint32_t tiny = 0;
        if (tiny16)
            for (int j = 0; j < ADAM_BLOCK; j++) tiny |= adam_tiny(dw[i0 + j], m[i0 + j], v[i0 + j]);
        if (tiny) tiny16(w + i0, m + i0, v + i0, dw + i0, k);
        else
            for (int j = 0; j < ADAM_BLOCK; j++) ADAM_FLOAT(i0 + j);
    }
    for (long i = i0; i < n; i++) ADAM_FLOAT(i);
#undef ADAM_FLOAT
}
#endif

void BN_FN(bn_optim_step)(BN_FN(bn_optim) *o, REAL *w, const REAL *dw)
{
    long n = o->n;
    REAL lr = R(o->lr);
    switch (o->rule) {
    case BN_SGD:
        for (long i = 0; i < n; i++) w[i] -= lr * dw[i];
        break;
    case BN_SGD_MOMENTUM: {
        REAL mu = R(o->momentum);
        for (long i = 0; i < n; i++) {
            o->m[i] = mu * o->m[i] - lr * dw[i];
            w[i] += o->m[i];
        }
        break;
    }
    case BN_RMSPROP: {
        REAL decay = R(o->decay_rate), one_m_decay = R(1.0 - o->decay_rate), eps = R(o->eps);
        for (long i = 0; i < n; i++) {
            o->v[i] = decay * o->v[i] + one_m_decay * dw[i] * dw[i];
            w[i] -= lr * dw[i] / (R_SQRT(o->v[i]) + eps);
        }
        break;
    }
    case BN_ADAM: {
        o->t++;
        double c1 = 1.0 - bn_pow(o->beta1, (double)o->t), c2 = 1.0 - bn_pow(o->beta2, (double)o->t);
#if BN_F32
        static int picked;
        static adam_tiny_fn tiny16;
        if (!picked) { tiny16 = adam_tiny_pick(); picked = 1; }
        const float k[K_COUNT] = {[K_BETA1] = R(o->beta1), [K_OMB1] = R(1.0 - o->beta1), [K_BETA2] = R(o->beta2),
                                  [K_OMB2] = R(1.0 - o->beta2), [K_STEP] = R(o->lr / c1), [K_INV_C2] = R(1.0 / c2),
                                  [K_EPS] = R(o->eps)};
        adam_float_update(w, o->m, o->v, dw, n, k, tiny16);
#else
        BN_FN(adam_update)(w, o->m, o->v, dw, n, R(o->beta1), R(1.0 - o->beta1), R(o->beta2), R(1.0 - o->beta2),
                           R(o->lr / c1), R(1.0 / c2), R(o->eps));
#endif
        break;
    }
    }
}

#undef BN_F32
#include "real.h"
