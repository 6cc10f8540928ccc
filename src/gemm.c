/* gemm.c - see gemm.h. */
#include "gemm.h"
#include "blas.h"

#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <libxsmm.h>

/* LIBXSMM sets itself up once per process; "generic" means it cannot generate code here. */
static int xsmm_ready(void)
{
    static int ready = -1;
    if (ready < 0) {
        libxsmm_init();
        ready = libxsmm_get_target_archid() > LIBXSMM_X86_GENERIC;
    }
    return ready;
}

/* LIBXSMM's AVX kernels return with the upper halves of the vector registers in use, and until
 * they are cleared every legacy-SSE instruction after them (libm, GSL, our own code built for
 * baseline x86-64) pays a transition penalty: measured, it made the loss's exp and log about 15
 * times slower. */
static void xsmm_clean_upper(void)
{
#if defined(__x86_64__) || defined(__i386__)
    static int avx = -1;
    if (avx < 0) avx = libxsmm_get_target_archid() >= LIBXSMM_X86_AVX;
    if (avx) __asm__ volatile("vzeroupper" ::: "memory");
#endif
}

const char *bn_gemm_kernel(void)
{
    static char name[256];
    if (xsmm_ready()) snprintf(name, sizeof name, "%s, libxsmm %s", bn_blas_corename(), libxsmm_get_target_arch());
    else snprintf(name, sizeof name, "%s", bn_blas_corename());
    return name;
}

#define BN_F32 0
#include "gemm_impl.h"
#define BN_F32 1
#include "gemm_impl.h"
