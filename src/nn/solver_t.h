/* solver_t.h - training and accuracy for one dtype (included by solver.h once per dtype, with
 * BN_F32 set; see real.h). The history is double in both: a float loss is stored exactly. */
#include "real.h"

/* Train net from its current parameters. r draws the minibatches and any accuracy subsample. */
void BN_FN(bn_solver_train)(BN_FN(bn_net) *net, const bn_solver_cfg *cfg, const REAL *Xtr, const int *ytr, int Ntr,
                            const REAL *Xval, const int *yval, int Nval, gsl_rng *r, bn_history *h);

/* Fraction of rows of X (N) predicted as y, predicting in batches of BN_PREDICT_BATCH. pred: N ints. */
double BN_FN(bn_accuracy)(BN_FN(bn_net) *net, const REAL *X, const int *y, int N, int *pred);

/* One training from scratch: a net of these hidden sizes and normalisation, weights drawn from ri
 * with weight_scale (bn_net_init), trained by bn_solver_train with minibatches from rb. */
void BN_FN(bn_solver_train_new)(const int *hidden, int nhidden, bn_norm norm, double weight_scale,
                                const bn_solver_cfg *cfg, const REAL *Xtr, const int *ytr, int Ntr, const REAL *Xval,
                                const int *yval, int Nval, int dim, int classes, gsl_rng *ri, gsl_rng *rb,
                                bn_history *h);

#undef BN_F32
#include "real.h"
