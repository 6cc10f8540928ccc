/* layers_t.h - the layers' declarations for one dtype (included by layers.h once per dtype, with
 * BN_F32 set; see real.h). REAL is double or float; BN_FN(bn_x) is bn_x or bn_x_f32. */
#include "real.h"

/* out (N,M) = x (N,D) . w (D,M) + b (M) */
void BN_FN(bn_affine_forward)(REAL *out, const REAL *x, const REAL *w, const REAL *b, int N, int D, int M);
/* dw (D,M) = x^T dout; db (M) = column sums of dout; dx (N,D) = dout w^T unless dx is NULL */
void BN_FN(bn_affine_backward)(REAL *dx, REAL *dw, REAL *db, const REAL *dout, const REAL *x, const REAL *w,
                               int N, int D, int M);

/* out (n) = max(0, x) */
void BN_FN(bn_relu_forward)(REAL *out, const REAL *x, long n);
/* dx (n) = dout where x > 0, else 0 (dx may alias dout) */
void BN_FN(bn_relu_backward)(REAL *dx, const REAL *dout, const REAL *x, long n);

/* Mean cross-entropy of softmax(scores (N,C)) against labels y (N), on max-shifted scores;
 * dscores (N,C) = (p - onehot)/N unless NULL. Returns the loss (non-finite if scores are). */
REAL BN_FN(bn_softmax_loss)(REAL *dscores, const REAL *scores, const int *y, int N, int C);

/* Batchnorm, train mode: per-feature batch mean and biased variance of x (N,D);
 * out (N,D) = gamma*xhat + beta; cache as BN_CACHE_SIZE; run_mean/run_var (D) updated
 * with BN_MOMENTUM unless NULL. */
void BN_FN(bn_forward)(REAL *out, REAL *cache, REAL *run_mean, REAL *run_var, const REAL *x, const REAL *gamma,
                       const REAL *beta, int N, int D);
/* Batchnorm, test mode: out (N,D) = gamma*(x - run_mean)/sqrt(run_var + eps) + beta. */
void BN_FN(bn_forward_test)(REAL *out, const REAL *x, const REAL *gamma, const REAL *beta, const REAL *run_mean,
                            const REAL *run_var, int N, int D);
/* Batchnorm backward, simplified closed form:
 * dx = gamma*rstd/N * (N*dout - sum(dout) - xhat*sum(dout*xhat)); dgamma = sum(dout*xhat); dbeta = sum(dout) */
void BN_FN(bn_backward)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache, const REAL *gamma,
                        int N, int D);
/* Batchnorm backward, staged: the chain rule through each step of the forward graph
 * (mean, centring, variance, sqrt, inverse, scaling), kept as the reference form.
 * work needs 2*D elements. */
void BN_FN(bn_backward_staged)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                               const REAL *gamma, REAL *work, int N, int D);

/* Layer normalization: statistics per sample over its D features; cache as BN_LN_CACHE_SIZE.
 * out (N,D) = gamma*xhat + beta with xhat = (x - mean_row)/sqrt(var_row + eps) */
void BN_FN(bn_layernorm_forward)(REAL *out, REAL *cache, const REAL *x, const REAL *gamma, const REAL *beta, int N,
                                 int D);
/* dx (N,D) = rstd/D * (D*g - sum_j g - xhat*sum_j g*xhat) with g = gamma*dout, per row */
void BN_FN(bn_layernorm_backward)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                                  const REAL *gamma, int N, int D);

#undef BN_F32
#include "real.h"
