/* version.c - the version string and the commit, passed in by the Makefile. */
#include "version.h"

#ifndef BN_VERSION
#define BN_VERSION "unknown"
#endif
#ifndef BN_COMMIT
#define BN_COMMIT "unknown"
#endif

const char bn_version[] = BN_VERSION;
const char bn_commit[] = BN_COMMIT;
