/* options.c - the study's settings when no option changes them (bnlab's command line starts
 * from these; experiments.h says what each one is). */
#include "experiments.h"
#include "fixedmath.h"

#include <math.h>
#include <string.h>

void bn_opts_default(bn_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 0;
    o->jobs = 1;
    o->epochs = 10;
    o->batch_size = 50;
    o->num_train = 1000;
    o->points = 20;
    o->point = -1;
    o->lr = 1e-3;
    o->ws_min = 1e-4;
    o->ws_max = 1.0;
    o->deep_ws = 2e-2;
    o->bs_lr = 3.1622776601683794e-04;   /* 10^-3.5, as a literal: no libm call decides it */
    o->rule = BN_ADAM;
    o->ds_kind = BN_DS_CIFAR10;
    o->train_records = 49000;
    o->val_records = 1000;
    o->test_records = 1000;
    o->speed_reps = 200;
}

double bn_sweep_scale(const bn_opts *o, int i)
{
    if (i <= 0 || o->points <= 1) return o->ws_min;
    if (i >= o->points - 1) return o->ws_max;
    double l0 = bn_log(o->ws_min), l1 = bn_log(o->ws_max);
    return bn_exp(l0 + (l1 - l0) * i / (o->points - 1));
}
