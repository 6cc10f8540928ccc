/* layers.h - neural-network layers as flat functions on row-major double buffers. */
#ifndef BN_LAYERS_H
#define BN_LAYERS_H

#define BN_EPS 1e-5       /* added to the variance before the square root */
#define BN_MOMENTUM 0.9   /* running = momentum*running + (1-momentum)*batch statistic */

/* Size of a batchnorm cache for an N x D input: xhat (N*D), mean (D), rstd (D). */
#define BN_CACHE_SIZE(N, D) ((long)(N) * (D) + 2L * (D))

/* out (N,M) = x (N,D) . w (D,M) + b (M) */
void bn_affine_forward(double *out, const double *x, const double *w, const double *b, int N, int D, int M);
/* dw (D,M) = x^T dout; db (M) = column sums of dout; dx (N,D) = dout w^T unless dx is NULL */
void bn_affine_backward(double *dx, double *dw, double *db, const double *dout, const double *x,
                        const double *w, int N, int D, int M);

/* out (n) = max(0, x) */
void bn_relu_forward(double *out, const double *x, long n);
/* dx (n) = dout where x > 0, else 0 (dx may alias dout) */
void bn_relu_backward(double *dx, const double *dout, const double *x, long n);

/* Mean cross-entropy of softmax(scores (N,C)) against labels y (N), on max-shifted scores;
 * dscores (N,C) = (p - onehot)/N unless NULL. Returns the loss (non-finite if scores are). */
double bn_softmax_loss(double *dscores, const double *scores, const int *y, int N, int C);

/* Batchnorm, train mode: per-feature batch mean and biased variance of x (N,D);
 * out (N,D) = gamma*xhat + beta; cache as BN_CACHE_SIZE; run_mean/run_var (D) updated
 * with BN_MOMENTUM unless NULL. */
void bn_forward(double *out, double *cache, double *run_mean, double *run_var, const double *x,
                const double *gamma, const double *beta, int N, int D);
/* Batchnorm, test mode: out (N,D) = gamma*(x - run_mean)/sqrt(run_var + eps) + beta. */
void bn_forward_test(double *out, const double *x, const double *gamma, const double *beta,
                     const double *run_mean, const double *run_var, int N, int D);
/* Batchnorm backward, simplified closed form:
 * dx = gamma*rstd/N * (N*dout - sum(dout) - xhat*sum(dout*xhat)); dgamma = sum(dout*xhat); dbeta = sum(dout) */
void bn_backward(double *dx, double *dgamma, double *dbeta, const double *dout, const double *cache,
                 const double *gamma, int N, int D);
/* Batchnorm backward, staged: the chain rule through each step of the forward graph
 * (mean, centring, variance, sqrt, inverse, scaling), kept as the reference form.
 * work needs 2*D doubles. */
void bn_backward_staged(double *dx, double *dgamma, double *dbeta, const double *dout,
                        const double *cache, const double *gamma, double *work, int N, int D);

/* Layer normalization: statistics per sample over its D features; cache as BN_LN_CACHE_SIZE. */
#define BN_LN_CACHE_SIZE(N, D) ((long)(N) * (D) + 2L * (N))
/* out (N,D) = gamma*xhat + beta with xhat = (x - mean_row)/sqrt(var_row + eps) */
void bn_layernorm_forward(double *out, double *cache, const double *x, const double *gamma,
                          const double *beta, int N, int D);
/* dx (N,D) = rstd/D * (D*g - sum_j g - xhat*sum_j g*xhat) with g = gamma*dout, per row */
void bn_layernorm_backward(double *dx, double *dgamma, double *dbeta, const double *dout,
                           const double *cache, const double *gamma, int N, int D);

#endif
