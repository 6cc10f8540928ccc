/* layers.h - neural-network layers as flat functions on row-major buffers, in double and float.
 *
 * Every layer is written once (layers_impl.h) and exists for both training dtypes: double under
 * the name declared in layers_t.h (bn_affine_forward, ...), float with the suffix _f32
 * (bn_affine_forward_f32, ...), same arguments with float for double. See real.h. */
#ifndef BN_LAYERS_H
#define BN_LAYERS_H

#define BN_EPS 1e-5       /* added to the variance before the square root */
/* The eps the normalisation layers use: BN_EPS, except during experiment 9's ablation of it. */
extern double bn_eps;
#define BN_MOMENTUM 0.9   /* running = momentum*running + (1-momentum)*batch statistic */

/* Size of a batchnorm cache for an N x D input: xhat (N*D), mean (D), rstd (D). */
#define BN_CACHE_SIZE(N, D) ((long)(N) * (D) + 2L * (D))
/* Size of a layernorm cache for an N x D input: xhat (N*D), mean (N), rstd (N). */
#define BN_LN_CACHE_SIZE(N, D) ((long)(N) * (D) + 2L * (N))

#define BN_F32 0
#include "layers_t.h"
#define BN_F32 1
#include "layers_t.h"

#endif
