/* gemm.c - see gemm.h. */
#include "gemm.h"
#include "blas.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

void bn_gemm_check_target(void)
{
    /* LIBXSMM's names for its targets (libxsmm_set_target_arch), by instruction set */
    static const struct { const char *names; int id; } arch[] = {
        {"generic none x86 x64 sse2", LIBXSMM_X86_GENERIC}, {"sse sse3", LIBXSMM_X86_SSE3},
        {"wsm nhm sse4 sse4_2 sse4.2", LIBXSMM_X86_SSE4}, {"snb avx", LIBXSMM_X86_AVX}, {"hsw avx2", LIBXSMM_X86_AVX2},
        {"knl mic", LIBXSMM_X86_AVX512_MIC}, {"knm", LIBXSMM_X86_AVX512_KNM},
        {"skx skl avx3 avx512", LIBXSMM_X86_AVX512_CORE}, {"clx", LIBXSMM_X86_AVX512_CLX}, {"cpx", LIBXSMM_X86_AVX512_CPX},
    };
    const char *t = getenv("LIBXSMM_TARGET");
    if (!t || !*t) return;
    int id = -1;
    for (size_t i = 0; i < sizeof arch / sizeof *arch && id < 0; i++)
        for (const char *w = arch[i].names; *w; w += strcspn(w, " "), w += strspn(w, " "))
            if (strlen(t) == strcspn(w, " ") && !strncmp(w, t, strlen(t))) id = arch[i].id;
    if (id < 0)
        bn_die(2, "LIBXSMM_TARGET='%s' is not an instruction set LIBXSMM knows (accepted: generic, sse3, sse4, avx, avx2, "
                  "knl, knm, skx, clx, cpx, or unset: this CPU's own)", t);
    /* the CPU's own set includes every lower one, except the Xeon Phi's (knl, knm) on later cores */
    int cpu = libxsmm_cpuid();
    int phi = id == LIBXSMM_X86_AVX512_MIC || id == LIBXSMM_X86_AVX512_KNM;
    if (cpu < id || (phi && cpu >= LIBXSMM_X86_AVX512_CORE))
        bn_die(2, "LIBXSMM_TARGET='%s' needs instructions this CPU lacks (it has %s): unset it, or name a lower set "
                  "such as generic", t, libxsmm_cpuid_name(cpu));
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
