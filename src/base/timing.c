/* timing.c - see timing.h. */
#define _POSIX_C_SOURCE 200809L
#include "timing.h"

#include <time.h>

double bn_gemm_seconds;

double bn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *const phase_names[BN_PHASE_COUNT] = {
    [BN_PHASE_PRODUCTS] = "products", [BN_PHASE_ELEMENTWISE] = "elementwise", [BN_PHASE_UPDATE] = "update",
    [BN_PHASE_CHECKS] = "checks", [BN_PHASE_CHECK_PRODUCTS] = "check_products", [BN_PHASE_COPIES] = "copies",
    [BN_PHASE_OTHER] = "other",
};

const char *bn_phase_name(bn_phase p) { return p >= 0 && p < BN_PHASE_COUNT ? phase_names[p] : "unknown"; }
