/* gradcheck.h - centred-difference numerical gradients and the relative error used to compare them. */
#ifndef BN_GRADCHECK_H
#define BN_GRADCHECK_H

/* max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|) over n elements. */
double bn_rel_error(const double *a, const double *b, long n);

/* A scalar function of whatever buffers ctx points at. */
typedef double (*bn_scalar_fn)(void *ctx);
/* A vector function: writes its output into out. */
typedef void (*bn_vector_fn)(void *ctx, double *out);

/* grad (n) = (f(x + h e_i) - f(x - h e_i)) / 2h, perturbing the real buffer x in place
 * (restored exactly afterwards). */
void bn_num_grad(double *grad, double *x, long n, bn_scalar_fn f, void *ctx, double h);
/* grad (n) = sum_k dout_k (f_k(x + h e_i) - f_k(x - h e_i)) / 2h; out_plus and out_minus are
 * scratch buffers of m doubles each. */
void bn_num_grad_array(double *grad, double *x, long n, bn_vector_fn f, void *ctx, const double *dout,
                       long m, double *out_plus, double *out_minus, double h);

#endif
