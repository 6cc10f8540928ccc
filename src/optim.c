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

/* Adam's elementwise update, the hottest loop outside BLAS. restrict and local scalars let the
 * compiler vectorise it; the AVX2 clone is picked at run time where the CPU has it. IEEE sqrt and
 * division are exact in every vector width, so every clone gives the same bits. */
__attribute__((target_clones("avx2", "default")))
static void adam_update(double *restrict w, double *restrict m, double *restrict v, const double *restrict dw,
                        long n, double beta1, double beta2, double step, double inv_c2, double eps)
{
    for (long i = 0; i < n; i++) {
        m[i] = beta1 * m[i] + (1.0 - beta1) * dw[i];
        v[i] = beta2 * v[i] + (1.0 - beta2) * dw[i] * dw[i];
        /* w -= lr * (m/c1) / (sqrt(v/c2) + eps), with the two bias corrections as multiplications */
        w[i] -= step * m[i] / (sqrt(v[i] * inv_c2) + eps);
    }
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
        adam_update(w, o->m, o->v, dw, n, o->beta1, o->beta2, lr / c1, 1.0 / c2, o->eps);
        break;
    }
    }
}
