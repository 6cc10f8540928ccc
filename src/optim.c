/* optim.c - see optim.h. The rules are written once, in optim_impl.h, and compiled here for
 * double and for float. */
#include "optim.h"
#include "common.h"
#include "fixedmath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *rule_names[] = {"sgd", "sgd_momentum", "rmsprop", "adam"};

int bn_rule_parse(const char *s)
{
    for (int i = 0; i < 4; i++) if (strcmp(s, rule_names[i]) == 0) return i;
    return -1;
}

const char *bn_rule_name(bn_rule r) { return rule_names[r]; }

#define BN_F32 0
#include "optim_impl.h"
#define BN_F32 1
#include "optim_impl.h"
