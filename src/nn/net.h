/* net.h - fully connected net {affine - [norm] - relu} x (L-1) - affine - softmax. */
#ifndef BN_NET_H
#define BN_NET_H

#include <gsl/gsl_rng.h>

#define BN_MAX_LAYERS 16

/* Values index the normalisation table in net.c. */
typedef enum { BN_NORM_NONE = 0, BN_NORM_BATCH = 1, BN_NORM_LAYER = 2, BN_NORM_COUNT } bn_norm;
const char *bn_norm_name(bn_norm n);

/* A named parameter: its values at params + off and its gradient at grads + off. */
typedef struct {
    char name[16];
    long off, n;
} bn_slice;

/* The training dtype: float32 (0, the default, as the assignment's FullyConnectedNet) or float64. */
typedef enum { BN_FLOAT32 = 0, BN_FLOAT64 = 1 } bn_dtype;
/* "float32" / "float64"; bn_dtype_parse returns -1 for anything else. */
const char *bn_dtype_name(bn_dtype t);
int bn_dtype_parse(const char *s);

/* bn_net (double) and bn_net_f32 (float), with their functions: see net_t.h. */
#define BN_F32 0
#include "net_t.h"
#define BN_F32 1
#include "net_t.h"

#endif
