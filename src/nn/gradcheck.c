/* gradcheck.c - see gradcheck.h. */
#include "gradcheck.h"

#include <math.h>

double bn_rel_error(const double *a, const double *b, long n)
{
    double worst = 0.0;
    for (long i = 0; i < n; i++) {
        double den = fabs(a[i]) + fabs(b[i]);
        double e = fabs(a[i] - b[i]) / (den > 1e-8 ? den : 1e-8);
        if (e > worst || isnan(e)) worst = e;
    }
    return worst;
}

void bn_num_grad(double *grad, double *x, long n, bn_scalar_fn f, void *ctx, double h)
{
    for (long i = 0; i < n; i++) {
        double old = x[i];
        x[i] = old + h;
        double fp = f(ctx);
        x[i] = old - h;
        double fm = f(ctx);
        x[i] = old;
        grad[i] = (fp - fm) / (2.0 * h);
    }
}

void bn_num_grad_array(double *grad, double *x, long n, bn_vector_fn f, void *ctx, const double *dout,
                       long m, double *out_plus, double *out_minus, double h)
{
    for (long i = 0; i < n; i++) {
        double old = x[i];
        x[i] = old + h;
        f(ctx, out_plus);
        x[i] = old - h;
        f(ctx, out_minus);
        x[i] = old;
        double s = 0.0;
        for (long k = 0; k < m; k++) s += (out_plus[k] - out_minus[k]) * dout[k];
        grad[i] = s / (2.0 * h);
    }
}
