/* layers.c - see layers.h. Each layer is written once, in layers_impl.h, and compiled here for
 * double and for float. */
#include "layers.h"

#include <math.h>
#include <string.h>
#include "fixedmath.h"
#include "gemm.h"

#define BN_F32 0
double bn_eps = BN_EPS;

#include "layers_impl.h"
#define BN_F32 1
#include "layers_impl.h"
