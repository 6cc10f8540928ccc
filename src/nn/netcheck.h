/* netcheck.h - the measures of a net's gradient check for one parameter, as the verdict
 * (verdict.h) judges them: centred differences with two steps, and the elements whose +-h put
 * some ReLU's input on two sides of zero (a kink, where the loss has a corner). */
#ifndef BN_NETCHECK_H
#define BN_NETCHECK_H

#include "net.h"
#include "verdict.h"

/* Slice s of net on the batch X (N rows), y: g holds the analytic gradient of every parameter
 * (net->nparams, from bn_net_loss). Centred differences with step h and with small_h perturb the
 * parameters in place (restored exactly). Fills m: rel_error (step h, every element),
 * rel_error_smooth (step h, kinks left out), rel_error_small_h (small_h, its kinks left out), and
 * the largest element in size of g and of the step-h difference. Returns the elements at kinks
 * with step h. */
long bn_netcheck_slice(bn_net *net, const bn_slice *s, const double *g, const double *X, const int *y, int N,
                       double h, double small_h, bn_gc_measure *m);

#endif
