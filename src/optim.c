/* optim.c - see optim.h. */
#include "optim.h"
#include "common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *rule_names[] = {"sgd", "sgd_momentum", "rmsprop", "adam"};

int bn_rule_parse(const char *s)
{
    for (int i = 0; i < 4; i++) if (strcmp(s, rule_names[i]) == 0) return i;
    return -1;
}

const char *bn_rule_name(bn_rule r) { return rule_names[r]; }

void bn_optim_init(bn_optim *o, bn_rule rule, double lr, long n)
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
    o->m = bn_calloc((size_t)(2 * n), sizeof(double));
    o->v = o->m + n;
}

void bn_optim_reset(bn_optim *o)
{
    o->t = 0;
    memset(o->m, 0, (size_t)(2 * o->n) * sizeof(double));
}

void bn_optim_free(bn_optim *o)
{
    free(o->m);
    o->m = o->v = NULL;
}

void bn_optim_step(bn_optim *o, double *w, const double *dw)
{
    long n = o->n;
    double lr = o->lr;
    switch (o->rule) {
    case BN_SGD:
        for (long i = 0; i < n; i++) w[i] -= lr * dw[i];
        break;
    case BN_SGD_MOMENTUM:
        for (long i = 0; i < n; i++) {
            o->m[i] = o->momentum * o->m[i] - lr * dw[i];
            w[i] += o->m[i];
        }
        break;
    case BN_RMSPROP:
        for (long i = 0; i < n; i++) {
            o->v[i] = o->decay_rate * o->v[i] + (1.0 - o->decay_rate) * dw[i] * dw[i];
            w[i] -= lr * dw[i] / (sqrt(o->v[i]) + o->eps);
        }
        break;
    case BN_ADAM: {
        o->t++;
        double c1 = 1.0 - pow(o->beta1, (double)o->t), c2 = 1.0 - pow(o->beta2, (double)o->t);
        for (long i = 0; i < n; i++) {
            o->m[i] = o->beta1 * o->m[i] + (1.0 - o->beta1) * dw[i];
            o->v[i] = o->beta2 * o->v[i] + (1.0 - o->beta2) * dw[i] * dw[i];
            w[i] -= lr * (o->m[i] / c1) / (sqrt(o->v[i] / c2) + o->eps);
        }
        break;
    }
    }
}
