/* version.c - see version.h. Only this file is compiled with the commit, so a new commit rebuilds
 * one object, not the library. */
#include "version.h"

#include <stdio.h>

#ifndef BN_COMMIT
#define BN_COMMIT "unknown"
#endif

const char *bn_commit(void) { return BN_COMMIT[0] ? BN_COMMIT : "unknown"; }

void bn_print_version(const char *prog)
{
    printf("%s (bnlab) %s, commit %s\n", prog, BN_VERSION, bn_commit());
}
