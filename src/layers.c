/* layers.c - see layers.h. */
#include "layers.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_blas.h>

void bn_affine_forward(double *out, const double *x, const double *w, const double *b, int N, int D, int M)
{
    for (int i = 0; i < N; i++) memcpy(out + (long)i * M, b, (size_t)M * sizeof *b);
    gsl_matrix_const_view X = gsl_matrix_const_view_array(x, N, D);
    gsl_matrix_const_view W = gsl_matrix_const_view_array(w, D, M);
    gsl_matrix_view O = gsl_matrix_view_array(out, N, M);
    gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &X.matrix, &W.matrix, 1.0, &O.matrix);
}

void bn_affine_backward(double *dx, double *dw, double *db, const double *dout, const double *x,
                        const double *w, int N, int D, int M)
{
    gsl_matrix_const_view G = gsl_matrix_const_view_array(dout, N, M);
    gsl_matrix_const_view X = gsl_matrix_const_view_array(x, N, D);
    gsl_matrix_view DW = gsl_matrix_view_array(dw, D, M);
    gsl_blas_dgemm(CblasTrans, CblasNoTrans, 1.0, &X.matrix, &G.matrix, 0.0, &DW.matrix);
    for (int j = 0; j < M; j++) db[j] = 0.0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) db[j] += dout[(long)i * M + j];
    if (dx) {
        gsl_matrix_const_view W = gsl_matrix_const_view_array(w, D, M);
        gsl_matrix_view DX = gsl_matrix_view_array(dx, N, D);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &G.matrix, &W.matrix, 0.0, &DX.matrix);
    }
}

void bn_relu_forward(double *out, const double *x, long n)
{
    for (long i = 0; i < n; i++) out[i] = x[i] > 0.0 ? x[i] : 0.0;
}

void bn_relu_backward(double *dx, const double *dout, const double *x, long n)
{
    /* both loads unconditional, so the select vectorises instead of branching on random signs */
    for (long i = 0; i < n; i++) {
        double d = dout[i];
        dx[i] = x[i] > 0.0 ? d : 0.0;
    }
}

double bn_softmax_loss(double *dscores, const double *scores, const int *y, int N, int C)
{
    double loss = 0.0;
    for (int i = 0; i < N; i++) {
        const double *s = scores + (long)i * C;
        double mx = s[0];
        for (int j = 1; j < C; j++) if (s[j] > mx) mx = s[j];
        double sum = 0.0;
        for (int j = 0; j < C; j++) sum += exp(s[j] - mx);
        double logz = log(sum);
        /* -log p_y = log(sum exp(s - max)) - (s_y - max): no log of an underflowed probability */
        loss += logz - (s[y[i]] - mx);
        if (dscores) {
            double *d = dscores + (long)i * C;
            for (int j = 0; j < C; j++) d[j] = exp(s[j] - mx - logz) / N;
            d[y[i]] -= 1.0 / N;
        }
    }
    return loss / N;
}

/* Per-feature mean and biased variance of x (N,D), two passes for accuracy. */
static void column_stats(double *mean, double *var, const double *x, int N, int D)
{
    for (int j = 0; j < D; j++) { mean[j] = 0.0; var[j] = 0.0; }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) mean[j] += x[(long)i * D + j];
    for (int j = 0; j < D; j++) mean[j] /= N;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            double c = x[(long)i * D + j] - mean[j];
            var[j] += c * c;
        }
    for (int j = 0; j < D; j++) var[j] /= N;
}

void bn_forward(double *out, double *cache, double *run_mean, double *run_var, const double *x,
                const double *gamma, const double *beta, int N, int D)
{
    double *xhat = cache, *mean = cache + (long)N * D, *rstd = mean + D;
    /* rstd holds the variance until it is inverted below */
    column_stats(mean, rstd, x, N, D);
    if (run_mean && run_var)
        for (int j = 0; j < D; j++) {
            run_mean[j] = BN_MOMENTUM * run_mean[j] + (1.0 - BN_MOMENTUM) * mean[j];
            run_var[j] = BN_MOMENTUM * run_var[j] + (1.0 - BN_MOMENTUM) * rstd[j];
        }
    for (int j = 0; j < D; j++) rstd[j] = 1.0 / sqrt(rstd[j] + BN_EPS);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            xhat[k] = (x[k] - mean[j]) * rstd[j];
            out[k] = gamma[j] * xhat[k] + beta[j];
        }
}

void bn_forward_test(double *out, const double *x, const double *gamma, const double *beta,
                     const double *run_mean, const double *run_var, int N, int D)
{
    /* feature-major: one square root per feature, not per element */
    for (int j = 0; j < D; j++) {
        double scale = gamma[j] / sqrt(run_var[j] + BN_EPS), m = run_mean[j], b = beta[j];
        for (int i = 0; i < N; i++) {
            long k = (long)i * D + j;
            out[k] = scale * (x[k] - m) + b;
        }
    }
}

void bn_backward(double *dx, double *dgamma, double *dbeta, const double *dout, const double *cache,
                 const double *gamma, int N, int D)
{
    const double *xhat = cache, *rstd = cache + (long)N * D + D;
    for (int j = 0; j < D; j++) { dgamma[j] = 0.0; dbeta[j] = 0.0; }
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

void bn_backward_staged(double *dx, double *dgamma, double *dbeta, const double *dout,
                        const double *cache, const double *gamma, double *work, int N, int D)
{
    const double *xhat = cache, *rstd = cache + (long)N * D + D;
    double *divar = work, *dmu = work + D;
    for (int j = 0; j < D; j++) { dgamma[j] = 0.0; dbeta[j] = 0.0; divar[j] = 0.0; dmu[j] = 0.0; }
    /* out = gamma*xhat + beta; xhat = xmu*ivar; xmu = x - mu; ivar = 1/sqrtvar */
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            double xmu = xhat[k] / rstd[j];
            dbeta[j] += dout[k];
            dgamma[j] += dout[k] * xhat[k];
            divar[j] += dout[k] * gamma[j] * xmu;                /* dxhat * xmu */
        }
    /* sqrtvar = sqrt(var + eps); var = mean(xmu^2) */
    for (int j = 0; j < D; j++) {
        double sqrtvar = 1.0 / rstd[j];
        double dsqrtvar = -divar[j] / (sqrtvar * sqrtvar);
        double dvar = 0.5 * rstd[j] * dsqrtvar;
        divar[j] = dvar;                                          /* reuse: now dvar */
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            double xmu = xhat[k] / rstd[j];
            double dxmu = dout[k] * gamma[j] * rstd[j]            /* through xhat */
                        + 2.0 * xmu * divar[j] / N;               /* through var */
            dx[k] = dxmu;
            dmu[j] -= dxmu;                                       /* xmu = x - mu */
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) dx[(long)i * D + j] += dmu[j] / N;   /* mu = mean(x) */
}

void bn_layernorm_forward(double *out, double *cache, const double *x, const double *gamma,
                          const double *beta, int N, int D)
{
    double *xhat = cache, *mean = cache + (long)N * D, *rstd = mean + N;
    for (int i = 0; i < N; i++) {
        const double *xi = x + (long)i * D;
        double m = 0.0, v = 0.0;
        for (int j = 0; j < D; j++) m += xi[j];
        m /= D;
        for (int j = 0; j < D; j++) v += (xi[j] - m) * (xi[j] - m);
        v /= D;
        mean[i] = m;
        rstd[i] = 1.0 / sqrt(v + BN_EPS);
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            xhat[k] = (xi[j] - m) * rstd[i];
            out[k] = gamma[j] * xhat[k] + beta[j];
        }
    }
}

void bn_layernorm_backward(double *dx, double *dgamma, double *dbeta, const double *dout,
                           const double *cache, const double *gamma, int N, int D)
{
    const double *xhat = cache, *rstd = cache + (long)N * D + N;
    for (int j = 0; j < D; j++) { dgamma[j] = 0.0; dbeta[j] = 0.0; }
    for (int i = 0; i < N; i++) {
        double sg = 0.0, sgx = 0.0;
        for (int j = 0; j < D; j++) {
            long k = (long)i * D + j;
            double g = gamma[j] * dout[k];
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
