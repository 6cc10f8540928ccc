/* net_t.h - the net's type and functions for one dtype (included by net.h once per dtype, with
 * BN_F32 set; see real.h): bn_net and bn_net_loss, ... in double; bn_net_f32 and
 * bn_net_loss_f32, ... in float. Only the element type differs. */
#include "real.h"

typedef struct {
    int L;                          /* affine layers: L-1 hidden, one output */
    int dims[BN_MAX_LAYERS + 1];    /* dims[0] input, dims[1..L-1] hidden, dims[L] classes */
    bn_norm norm;
    double reg;                     /* loss += 0.5*reg*sum(W^2) for every W */
    int max_batch;                  /* largest N that loss/predict accept in one call */

    long nparams;
    REAL *params, *grads;           /* one allocation each, carved into the slices */
    bn_slice slices[4 * BN_MAX_LAYERS];
    int nslices;
    REAL *W[BN_MAX_LAYERS], *b[BN_MAX_LAYERS], *gamma[BN_MAX_LAYERS], *beta[BN_MAX_LAYERS];
    REAL *dW[BN_MAX_LAYERS], *db[BN_MAX_LAYERS], *dgamma[BN_MAX_LAYERS], *dbeta[BN_MAX_LAYERS];

    REAL *state;                    /* batchnorm running statistics (not trained) */
    REAL *run_mean[BN_MAX_LAYERS], *run_var[BN_MAX_LAYERS];

    REAL *ws;                       /* forward activations and backward scratch for max_batch rows */
    REAL *z[BN_MAX_LAYERS], *cache[BN_MAX_LAYERS], *hn[BN_MAX_LAYERS], *a[BN_MAX_LAYERS];
    REAL *scores, *d1, *d2, *bnwork;
    int staged_backward;            /* use the staged batchnorm backward (for cross-checks) */
} BN_FN(bn_net);


/* hidden (nhidden) sizes; allocates everything the net will ever need. */
BN_FN(bn_net) *BN_FN(bn_net_new)(const int *hidden, int nhidden, int input_dim, int num_classes, bn_norm norm,
                                 double reg, int max_batch);
void BN_FN(bn_net_free)(BN_FN(bn_net) *net);
/* W = weight_scale * N(0,1) drawn from r in order W1..WL; b = 0, gamma = 1, beta = 0; running stats 0. */
void BN_FN(bn_net_init)(BN_FN(bn_net) *net, gsl_rng *r, double weight_scale);
/* Train-mode loss of X (N, dims[0]) against y (N); fills net->grads. */
REAL BN_FN(bn_net_loss)(BN_FN(bn_net) *net, const REAL *X, const int *y, int N);
/* Test-mode class scores (N, classes) of X (N, dims[0]) into net->scores; N <= max_batch. */
const REAL *BN_FN(bn_net_scores)(BN_FN(bn_net) *net, const REAL *X, int N);
/* Test-mode predictions of X (N rows, any N), in chunks of at most max_batch. */
void BN_FN(bn_net_predict)(BN_FN(bn_net) *net, const REAL *X, int N, int *pred);
/* Find a slice by name, or NULL. */
const bn_slice *BN_FN(bn_net_slice)(const BN_FN(bn_net) *net, const char *name);
/* Multiply-add count of one training step and of predicting one sample (for GFLOP figures). */
double BN_FN(bn_net_flops_step)(const BN_FN(bn_net) *net, int N);
double BN_FN(bn_net_flops_predict)(const BN_FN(bn_net) *net, int N);

#undef BN_F32
#include "real.h"
