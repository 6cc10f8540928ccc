/* optim_t.h - the optimiser's state and update for one dtype (included by optim.h once per
 * dtype, with BN_F32 set; see real.h). Hyperparameters are doubles in both; the state and the
 * arithmetic of the update are in the dtype. */
#include "real.h"

typedef struct {
    bn_rule rule;
    double lr;
    double momentum;     /* sgd_momentum: v = momentum*v - lr*dw; w += v */
    double decay_rate;   /* rmsprop: c = decay*c + (1-decay)*dw^2; w -= lr*dw/(sqrt(c)+eps) */
    double beta1, beta2; /* adam: bias-corrected first and second moments */
    double eps;
    long t;              /* adam step count, incremented before use */
    long n;
    REAL *m, *v;         /* state, one allocation of 2n */
} BN_FN(bn_optim);

/* Defaults as the assignment: momentum 0.9, decay 0.99, beta1 0.9, beta2 0.999, eps 1e-8. */
void BN_FN(bn_optim_init)(BN_FN(bn_optim) *o, bn_rule rule, double lr, long n);
void BN_FN(bn_optim_reset)(BN_FN(bn_optim) *o);
void BN_FN(bn_optim_free)(BN_FN(bn_optim) *o);
/* One update of w (n) with gradient dw (n). */
void BN_FN(bn_optim_step)(BN_FN(bn_optim) *o, REAL *w, const REAL *dw);

#undef BN_F32
#include "real.h"
