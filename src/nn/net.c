/* net.c - see net.h. The net is written once, in net_impl.h, and compiled here for double and
 * for float. */
#include "net.h"
#include "common.h"
#include "rng.h"
#include "layers.h"

#include <stdio.h>
#include <string.h>
#include <gsl/gsl_randist.h>

static const char *const dtype_names[] = {[BN_FLOAT32] = "float32", [BN_FLOAT64] = "float64"};

const char *bn_dtype_name(bn_dtype t) { return dtype_names[t]; }

int bn_dtype_parse(const char *s)
{
    for (int i = 0; i < 2; i++) if (strcmp(s, dtype_names[i]) == 0) return i;
    return -1;
}

static void add_slice(bn_slice *slices, int *nslices, const char *name, int layer, long *off, long n)
{
    bn_slice *s = &slices[(*nslices)++];
    snprintf(s->name, sizeof s->name, "%s%d", name, layer + 1);
    s->off = *off;
    s->n = n;
    *off += n;
}

#define BN_F32 0
#include "net_impl.h"
#define BN_F32 1
#include "net_impl.h"

const char *bn_norm_name(bn_norm n)
{
    return n >= 0 && n < BN_NORM_COUNT ? norms[n].name : "none";
}
