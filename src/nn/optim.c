/* optim.c - see optim.h. The rules are written once, in optim_impl.h, and compiled here for
 * double and for float. */
#include "optim.h"
#include "common.h"
#include "fixedmath.h"

/* x86-64 builds of the Adam update for AVX-512 and AVX2 beside the baseline one, picked when the
 * program starts (no effect elsewhere) */
#if defined(__x86_64__) && defined(__GNUC__)
#define BN_X86_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BN_X86_CLONES
#endif

#include <math.h>
#include <stdint.h>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
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
