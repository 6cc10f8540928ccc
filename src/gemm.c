/* gemm.c - see gemm.h. */
#include "gemm.h"
#include "blas.h"
#include "error.h"

#include <stdio.h>
#include <gsl/gsl_blas.h>
#include <libxsmm.h>
#include <libxsmm_version.h>

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

/* The one rule for the path: a transposed B would be LIBXSMM's TRANS_A, which its JIT does not
 * do (those products are the hidden layers' input gradients). */
static int xsmm_takes(int tb) { return !tb && xsmm_ready(); }

const char *bn_gemm_path(int ta, int tb)
{
    (void)ta;
    return xsmm_takes(tb) ? "libxsmm" : "openblas";
}

const char *bn_gemm_libxsmm_version(void) { return LIBXSMM_CONFIG_VERSION; }

/* A shape LIBXSMM should compile and did not: falling back to OpenBLAS would round differently
 * while the run records LIBXSMM's kernels, so stop and say how to run without it. */
static void xsmm_refused(int ta, int M, int N, int K)
{
    bn_die(1, "LIBXSMM (target %s) could not compile the product %s%d x %d x %d; "
              "LIBXSMM_TARGET=generic runs every product on OpenBLAS instead (other bytes, recorded as such)",
           libxsmm_get_target_arch(), ta ? "transposed " : "", M, N, K);
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
