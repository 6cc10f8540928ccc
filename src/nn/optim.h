/* optim.h - first-order update rules on one flat parameter buffer, in double (bn_optim,
 * bn_optim_step) and float (bn_optim_f32, bn_optim_step_f32): see optim_t.h. */
#ifndef BN_OPTIM_H
#define BN_OPTIM_H

typedef enum { BN_SGD = 0, BN_SGD_MOMENTUM, BN_RMSPROP, BN_ADAM } bn_rule;

/* Parse "sgd", "sgd_momentum", "rmsprop", "adam"; returns -1 if unknown. */
int bn_rule_parse(const char *s);
const char *bn_rule_name(bn_rule r);
#define BN_F32 0
#include "optim_t.h"
#define BN_F32 1
#include "optim_t.h"

#endif
