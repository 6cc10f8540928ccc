/* layers_impl.h - the layers' definitions for one dtype (included by layers.c once per dtype,
 * with BN_F32 set; see real.h). Constants go through R() so float code computes in float. */
#include "real.h"

void BN_FN(bn_affine_forward)(REAL *out, const REAL *x, const REAL *w, const REAL *b, int N, int D, int M)
{
    for (int i = 0; i < N; i++) memcpy(out + (long)i * M, b, (size_t)M * sizeof *b);
    BN_FN(bn_gemm)(0, 0, N, M, D, x, w, R(1), out);   /* out += x w */
}

void BN_FN(bn_affine_backward)(REAL *dx, REAL *dw, REAL *db, const REAL *dout, const REAL *x,
                        const REAL *w, int N, int D, int M)
{
    BN_FN(bn_gemm)(1, 0, D, M, N, x, dout, R(0), dw);              /* dw = x^T dout */
    for (int j = 0; j < M; j++) db[j] = R(0);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) db[j] += dout[(long)i * M + j];
    if (dx) BN_FN(bn_gemm)(0, 1, N, D, M, dout, w, R(0), dx);      /* dx = dout w^T */
}

void BN_FN(bn_relu_forward)(REAL *out, const REAL *x, long n)
{
    for (long i = 0; i < n; i++) out[i] = x[i] > R(0) ? x[i] : R(0);
}

void BN_FN(bn_relu_backward)(REAL *dx, const REAL *dout, const REAL *x, long n)
{
    /* both loads unconditional, so the select vectorises instead of branching on random signs */
    for (long i = 0; i < n; i++) {
        REAL d = dout[i];
        dx[i] = x[i] > R(0) ? d : R(0);
    }
}

REAL BN_FN(bn_softmax_loss)(REAL *dscores, const REAL *scores, const int *y, int N, int C)
{
    REAL loss = R(0);
    for (int i = 0; i < N; i++) {
        const REAL *s = scores + (long)i * C;
        REAL mx = s[0];
        for (int j = 1; j < C; j++) if (s[j] > mx) mx = s[j];
        REAL sum = R(0);
        for (int j = 0; j < C; j++) sum += R_EXP(s[j] - mx);
        REAL logz = R_LOG(sum);
        /* -log p_y = log(sum exp(s - max)) - (s_y - max): no log of an underflowed probability */
        loss += logz - (s[y[i]] - mx);
        if (dscores) {
            REAL *d = dscores + (long)i * C;
            for (int j = 0; j < C; j++) d[j] = R_EXP(s[j] - mx - logz) / N;
            d[y[i]] -= R(1) / N;
        }
    }
    return loss / N;
}

/* Per-feature mean and biased variance of x (N,D), two passes for accuracy. */
static void BN_FN(column_stats)(REAL *mean, REAL *var, const REAL *x, int N, int D)
{
    for (int j = 0; j < D; j++) { mean[j] = R(0); var[j] = R(0); }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) mean[j] += x[(long)i * D + j];
    for (int j = 0; j < D; j++) mean[j] /= N;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            REAL c = x[(long)i * D + j] - mean[j];
            var[j] += c * c;
        }
    for (int j = 0; j < D; j++) var[j] /= N;
}

void BN_FN(bn_forward)(REAL *out, REAL *cache, REAL *run_mean, REAL *run_var, const REAL *x,
                const REAL *gamma, const REAL *beta, int N, int D)
{
    REAL *xhat = cache, *mean = cache + (long)N * D, *rstd = mean + D;
    /* rstd holds the variance until it is inverted below */
    BN_FN(column_stats)(mean, rstd, x, N, D);
    if (run_mean && run_var)
        for (int j = 0; j < D; j++) {
            run_mean[j] = R(BN_MOMENTUM) * run_mean[j] + R(1.0 - BN_MOMENTUM) * mean[j];
            run_var[j] = R(BN_MOMENTUM) * run_var[j] + R(1.0 - BN_MOMENTUM) * rstd[j];
        }
    for (int j = 0; j < D; j++) rstd[j] = R(1) / R_SQRT(rstd[j] + R(bn_eps));
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            xhat[k] = (x[k] - mean[j]) * rstd[j];
            out[k] = gamma[j] * xhat[k] + beta[j];
        }
}

void BN_FN(bn_forward_test)(REAL *out, const REAL *x, const REAL *gamma, const REAL *beta,
                     const REAL *run_mean, const REAL *run_var, int N, int D)
{
    /* feature-major: one square root per feature, not per element */
    for (int j = 0; j < D; j++) {
        REAL scale = gamma[j] / R_SQRT(run_var[j] + R(bn_eps)), m = run_mean[j], b = beta[j];
        for (int i = 0; i < N; i++) {
            long k = (long)i * D + j;
            out[k] = scale * (x[k] - m) + b;
        }
    }
}

void BN_FN(bn_backward)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                 const REAL *gamma, int N, int D)
{
    const REAL *xhat = cache, *rstd = cache + (long)N * D + D;
    for (int j = 0; j < D; j++) { dgamma[j] = R(0); dbeta[j] = R(0); }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            dbeta[j] += dout[k];
            dgamma[j] += dout[k] * xhat[k];
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            dx[k] = gamma[j] * rstd[j] / N * (N * dout[k] - dbeta[j] - xhat[k] * dgamma[j]);
        }
}

void BN_FN(bn_backward_staged)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout,
                        const REAL *cache, const REAL *gamma, REAL *work, int N, int D)
{
    const REAL *xhat = cache, *rstd = cache + (long)N * D + D;
    REAL *divar = work, *dmu = work + D;
    for (int j = 0; j < D; j++) { dgamma[j] = R(0); dbeta[j] = R(0); divar[j] = R(0); dmu[j] = R(0); }
    /* out = gamma*xhat + beta; xhat = xmu*ivar; xmu = x - mu; ivar = 1/sqrtvar */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            REAL xmu = xhat[k] / rstd[j];
            dbeta[j] += dout[k];
            dgamma[j] += dout[k] * xhat[k];
            divar[j] += dout[k] * gamma[j] * xmu;                /* dxhat * xmu */
        }
    /* sqrtvar = sqrt(var + eps); var = mean(xmu^2) */
    for (int j = 0; j < D; j++) {
        REAL sqrtvar = R(1) / rstd[j];
        REAL dsqrtvar = -divar[j] / (sqrtvar * sqrtvar);
        REAL dvar = R(0.5) * rstd[j] * dsqrtvar;
        divar[j] = dvar;                                          /* reuse: now dvar */
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            REAL xmu = xhat[k] / rstd[j];
            REAL dxmu = dout[k] * gamma[j] * rstd[j]            /* through xhat */
                        + R(2) * xmu * divar[j] / N;               /* through var */
            dx[k] = dxmu;
            dmu[j] -= dxmu;                                       /* xmu = x - mu */
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) dx[(long)i * D + j] += dmu[j] / N;   /* mu = mean(x) */
}

void BN_FN(bn_layernorm_forward)(REAL *out, REAL *cache, const REAL *x, const REAL *gamma,
                          const REAL *beta, int N, int D)
{
    REAL *xhat = cache, *mean = cache + (long)N * D, *rstd = mean + N;
    for (int i = 0; i < N; i++) {
        const REAL *xi = x + (long)i * D;
        REAL m = R(0), v = R(0);
        for (int j = 0; j < D; j++) m += xi[j];
        m /= D;
        for (int j = 0; j < D; j++) v += (xi[j] - m) * (xi[j] - m);
        v /= D;
        mean[i] = m;
        rstd[i] = R(1) / R_SQRT(v + R(bn_eps));
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            xhat[k] = (xi[j] - m) * rstd[i];
            out[k] = gamma[j] * xhat[k] + beta[j];
        }
    }
}

void BN_FN(bn_layernorm_backward)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout,
                           const REAL *cache, const REAL *gamma, int N, int D)
{
    const REAL *xhat = cache, *rstd = cache + (long)N * D + N;
    for (int j = 0; j < D; j++) { dgamma[j] = R(0); dbeta[j] = R(0); }
    for (int i = 0; i < N; i++) {
        REAL sg = R(0), sgx = R(0);
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            REAL g = gamma[j] * dout[k];
            dbeta[j] += dout[k];
            dgamma[j] += dout[k] * xhat[k];
            sg += g;
            sgx += g * xhat[k];
        }
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            dx[k] = rstd[i] / D * (D * gamma[j] * dout[k] - sg - xhat[k] * sgx);
        }
    }
}

#undef BN_F32
#include "real.h"
