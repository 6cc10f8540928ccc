/* blas.c - see blas.h. */
#include "blas.h"

/* OpenBLAS's own controls; declared here so that no <cblas.h> sits beside GSL's headers. */
extern void openblas_set_num_threads(int num_threads);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

void bn_blas_single_thread(void) { openblas_set_num_threads(1); }
const char *bn_blas_config(void) { return openblas_get_config(); }
const char *bn_blas_corename(void) { return openblas_get_corename(); }
