/* netcheck.c - see netcheck.h. */
#include "netcheck.h"
#include "alloc.h"
#include "gradcheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The on/off pattern of every ReLU in the last forward pass, one byte per unit. */
static void relu_pattern(const bn_net *net, int N, unsigned char *pat)
{
    for (int l = 0; l < net->L - 1; l++) {
        const double *pre = net->norm == BN_NORM_NONE ? net->z[l] : net->hn[l];
        long n = (long)N * net->dims[l + 1];
        for (long i = 0; i < n; i++) *pat++ = pre[i] > 0.0;
    }
}

/* rel_error over the elements not flagged in skip (all of them when skip is NULL). */
static double rel_error_masked(const double *a, const double *b, const unsigned char *skip, long n)
{
    double worst = 0.0;
    for (long i = 0; i < n; i++) {
        if (skip && skip[i]) continue;
        double e = bn_rel_error(a + i, b + i, 1);
        if (e > worst || isnan(e)) worst = e;
    }
    return worst;
}

/* Centred difference of the net's loss in element p[i] with step h; *kink is set when x+h and
 * x-h fall on two sides of some ReLU's kink, where the loss is not differentiable. */
static double central_diff(bn_net *net, double *p, long i, double h, const double *X, const int *y, int N,
                           unsigned char *pp, unsigned char *pm, long units, unsigned char *kink)
{
    double old = p[i];
    p[i] = old + h;
    double fp = bn_net_loss(net, X, y, N);
    relu_pattern(net, N, pp);
    p[i] = old - h;
    double fm = bn_net_loss(net, X, y, N);
    relu_pattern(net, N, pm);
    p[i] = old;
    *kink = memcmp(pp, pm, (size_t)units) != 0;
    return (fp - fm) / (2.0 * h);
}

long bn_netcheck_slice(bn_net *net, const bn_slice *s, const double *g, const double *X, const int *y, int N,
                       double h, double small_h, bn_gc_measure *m)
{
    long units = 0, n = s->n, kinks = 0;
    for (int l = 1; l < net->L; l++) units += (long)N * net->dims[l];
    double *ng = bn_malloc(sizeof(double) * 2 * (size_t)n), *ng6 = ng + n;
    unsigned char *kink = bn_malloc(2 * (size_t)n + 2 * (size_t)units), *kink6 = kink + n;
    unsigned char *pp = kink6 + n, *pm = pp + units;
    double *p = net->params + s->off;
    const double *ga = g + s->off;
    for (long i = 0; i < n; i++) {
        ng[i] = central_diff(net, p, i, h, X, y, N, pp, pm, units, &kink[i]);
        ng6[i] = central_diff(net, p, i, small_h, X, y, N, pp, pm, units, &kink6[i]);
        kinks += kink[i];
    }
    m->rel_error = rel_error_masked(ng, ga, NULL, n);
    m->rel_error_smooth = rel_error_masked(ng, ga, kink, n);
    m->rel_error_small_h = rel_error_masked(ng6, ga, kink6, n);
    /* the sizes of both gradients, so a zero true gradient (noise against noise) can be told
     * from a backward pass that is wrong */
    m->max_abs_grad = 0.0;
    m->max_abs_num_grad = 0.0;
    for (long i = 0; i < n; i++) {
        m->max_abs_grad = fmax(m->max_abs_grad, fabs(ga[i]));
        m->max_abs_num_grad = fmax(m->max_abs_num_grad, fabs(ng[i]));
    }
    free(ng);
    free(kink);
    return kinks;
}
