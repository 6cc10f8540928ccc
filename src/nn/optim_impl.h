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
        BN_FN(adam_update)(w, o->m, o->v, dw, n, R(o->beta1), R(1.0 - o->beta1), R(o->beta2), R(1.0 - o->beta2),
                           R(o->lr / c1), R(1.0 / c2), R(o->eps));
        break;
    }
    }
}

#undef BN_F32
#include "real.h"
