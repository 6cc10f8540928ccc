/* blas_guard.h - make OpenBLAS take its work buffer now, or fail with a one-line error
 * (blas_guard.c says why: OpenBLAS would otherwise retry a failed allocation forever). */
#ifndef BN_BLAS_GUARD_H
#define BN_BLAS_GUARD_H

/* Called once in main before any BLAS call; exits with status 1 if the buffer cannot fit. */
void bn_guard_blas(void);

#endif
