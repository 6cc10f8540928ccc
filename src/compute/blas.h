/* blas.h - the OpenBLAS controls the programs use (threads, and what to name in provenance). */
#ifndef BN_BLAS_H
#define BN_BLAS_H

/* Make every BLAS call in this process single-threaded (parallelism is across processes). */
void bn_blas_single_thread(void);
/* OpenBLAS build configuration and core name, for provenance. */
const char *bn_blas_config(void);
const char *bn_blas_corename(void);

#endif
