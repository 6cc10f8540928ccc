/* timing.h - wall-clock time for progress lines and timing files (never for results). */
#ifndef BN_TIMING_H
#define BN_TIMING_H

/* Monotonic wall-clock seconds. */
double bn_now(void);

/* Where a training's time goes (make bench's phase table): the matrix products of its steps,
 * the rest of its forward and backward passes (the elementwise layers and the loss), the update
 * rule, the accuracy checks (their products also apart), the copies (minibatch gathers, the best
 * parameters kept), and the rest (the experiment's own watching of the steps). */
typedef enum {
    BN_PHASE_PRODUCTS, BN_PHASE_ELEMENTWISE, BN_PHASE_UPDATE, BN_PHASE_CHECKS, BN_PHASE_CHECK_PRODUCTS,
    BN_PHASE_COPIES, BN_PHASE_OTHER, BN_PHASE_COUNT
} bn_phase;
/* "products", "elementwise", ... as the timing files name them (key <name>_seconds) */
const char *bn_phase_name(bn_phase p);

/* Seconds spent inside bn_gemm by this process so far (a worker process counts its own). */
extern double bn_gemm_seconds;

#endif
