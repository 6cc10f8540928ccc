/* optim.h - first-order update rules on one flat parameter buffer. */
#ifndef BN_OPTIM_H
#define BN_OPTIM_H

typedef enum { BN_SGD = 0, BN_SGD_MOMENTUM, BN_RMSPROP, BN_ADAM } bn_rule;

typedef struct {
    bn_rule rule;
    double lr;
    double momentum;     /* sgd_momentum: v = momentum*v - lr*dw; w += v */
    double decay_rate;   /* rmsprop: c = decay*c + (1-decay)*dw^2; w -= lr*dw/(sqrt(c)+eps) */
    double beta1, beta2; /* adam: bias-corrected first and second moments */
    double eps;
    long t;              /* adam step count, incremented before use */
    long n;
    double *m, *v;       /* state, one allocation of 2n */
} bn_optim;

/* Parse "sgd", "sgd_momentum", "rmsprop", "adam"; returns -1 if unknown. */
int bn_rule_parse(const char *s);
const char *bn_rule_name(bn_rule r);
/* Defaults as the assignment: momentum 0.9, decay 0.99, beta1 0.9, beta2 0.999, eps 1e-8. */
void bn_optim_init(bn_optim *o, bn_rule rule, double lr, long n);
void bn_optim_reset(bn_optim *o);
void bn_optim_free(bn_optim *o);
/* One update of w (n) with gradient dw (n). */
void bn_optim_step(bn_optim *o, double *w, const double *dw);

#endif
