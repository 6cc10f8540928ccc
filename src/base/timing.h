/* timing.h - wall-clock time for progress lines and timing files (never for results). */
#ifndef BN_TIMING_H
#define BN_TIMING_H

/* Monotonic wall-clock seconds. */
double bn_now(void);

#endif
