/* version.c - see version.h. */
#include "version.h"

#include <stdio.h>

#ifndef BN_VERSION
#define BN_VERSION "unknown"
#endif
#ifndef BN_COMMIT
#define BN_COMMIT "unknown"
#endif

const char bn_version[] = BN_VERSION;
const char bn_commit[] = BN_COMMIT;

void bn_print_version(const char *prog)
{
    printf("%s (bnlab) %s, commit %s\n", prog, bn_version, bn_commit[0] ? bn_commit : "unknown");
}
