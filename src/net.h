/* net.h - fully connected net {affine - [norm] - relu} x (L-1) - affine - softmax. */
#ifndef BN_NET_H
#define BN_NET_H

#include <gsl/gsl_rng.h>

#define BN_MAX_LAYERS 16

/* Values index the normalisation table in net.c. */
typedef enum { BN_NORM_NONE = 0, BN_NORM_BATCH = 1, BN_NORM_LAYER = 2, BN_NORM_COUNT } bn_norm;
const char *bn_norm_name(bn_norm n);

/* A named parameter: its values at params + off and its gradient at grads + off. */
typedef struct {
    char name[16];
    long off, n;
} bn_slice;

typedef struct {
    int L;                          /* affine layers: L-1 hidden, one output */
    int dims[BN_MAX_LAYERS + 1];    /* dims[0] input, dims[1..L-1] hidden, dims[L] classes */
    bn_norm norm;
    double reg;                     /* loss += 0.5*reg*sum(W^2) for every W */
    int max_batch;                  /* largest N that loss/predict accept in one call */

    long nparams;
    double *params, *grads;         /* one allocation each, carved into the slices */
    bn_slice slices[4 * BN_MAX_LAYERS];
    int nslices;
    double *W[BN_MAX_LAYERS], *b[BN_MAX_LAYERS], *gamma[BN_MAX_LAYERS], *beta[BN_MAX_LAYERS];
    double *dW[BN_MAX_LAYERS], *db[BN_MAX_LAYERS], *dgamma[BN_MAX_LAYERS], *dbeta[BN_MAX_LAYERS];

    double *state;                  /* batchnorm running statistics (not trained) */
    double *run_mean[BN_MAX_LAYERS], *run_var[BN_MAX_LAYERS];

    double *ws;                     /* forward activations and backward scratch for max_batch rows */
    double *z[BN_MAX_LAYERS], *cache[BN_MAX_LAYERS], *hn[BN_MAX_LAYERS], *a[BN_MAX_LAYERS];
    double *scores, *d1, *d2, *bnwork;
    int staged_backward;            /* use the staged batchnorm backward (for cross-checks) */
} bn_net;

/* hidden (nhidden) sizes; allocates everything the net will ever need. */
bn_net *bn_net_new(const int *hidden, int nhidden, int input_dim, int num_classes, bn_norm norm,
                   double reg, int max_batch);
void bn_net_free(bn_net *net);
/* W = weight_scale * N(0,1) drawn from r in order W1..WL; b = 0, gamma = 1, beta = 0; running stats 0. */
void bn_net_init(bn_net *net, gsl_rng *r, double weight_scale);
/* Train-mode loss of X (N, dims[0]) against y (N); fills net->grads. */
double bn_net_loss(bn_net *net, const double *X, const int *y, int N);
/* Test-mode class scores (N, classes) of X (N, dims[0]) into net->scores; N <= max_batch. */
const double *bn_net_scores(bn_net *net, const double *X, int N);
/* Test-mode predictions of X (N rows, any N), in chunks of at most max_batch. */
void bn_net_predict(bn_net *net, const double *X, int N, int *pred);
/* Find a slice by name, or NULL. */
const bn_slice *bn_net_slice(const bn_net *net, const char *name);
/* Multiply-add count of one training step and of predicting one sample (for GFLOP figures). */
double bn_net_flops_step(const bn_net *net, int N);
double bn_net_flops_predict(const bn_net *net, int N);

#endif
