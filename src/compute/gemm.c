/* gemm.c - see gemm.h. */
#include "gemm.h"
#include "alloc.h"
#include "blas.h"
#include "error.h"
#include "timing.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#ifndef BN_NO_LIBXSMM
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

#else
/* built without LIBXSMM (BN_NO_LIBXSMM: architectures Debian ships no LIBXSMM for): our kernel
 * computes every product */
void bn_gemm_check_target(void) {}
const char *bn_gemm_libxsmm_version(void) { return "none (built without LIBXSMM)"; }
const char *bn_gemm_kernel(void) { return "fixed-order C"; }
#endif

#ifndef BN_NO_LIBXSMM
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

const char *bn_gemm_kernel(void)
{
    static char name[256];
    if (xsmm_ready()) snprintf(name, sizeof name, "libxsmm %s + fixed-order C", libxsmm_get_target_arch());
    else snprintf(name, sizeof name, "fixed-order C");
    return name;
}
#endif

#ifndef BN_NO_LIBXSMM
/* Probe operands that tell summation orders apart: signs and binary exponents drawn at random
 * over a wide range (so a partial sum taken in another order rounds differently in most
 * elements); the probe (gemm_impl.h) also makes some rows of A +0 against B of both signs (the
 * sign of a zero sum shows how a chain starts). xorshift64: the same operands on every machine. */
static double probe_value(uint64_t *s)
{
    *s ^= *s << 13; *s ^= *s >> 7; *s ^= *s << 17;
    double m = 1.0 + (double)(*s >> 11) * 0x1p-53;                 /* [1, 2) */
    int e = (int)((*s >> 3) % 41) - 20;
    return ((*s & 1) ? -m : m) * ldexp(1.0, e);
}

#endif

/* A transposed B, copied into B^T's rows once per call: a scratch buffer kept for the process
 * and grown only when a larger one is asked (the first steps of a training), never per step. */
static void *scratch(size_t bytes)
{
    static void *buf;
    static size_t have;
    if (bytes > have) {
        free(buf);
        buf = bn_malloc(bytes);
        have = bytes;
    }
    return buf;
}

/* The builds of our kernel, best first: one row per instruction set, with the test that picks it
 * (a build for an instruction set the CPU lacks is never run; the last row runs anywhere). */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define BN_GEMM_TARGETS(X) \
    X(avx512, __attribute__((target("avx512f,avx512vl,avx2,fma")))) \
    X(avx2, __attribute__((target("avx2,fma")))) \
    X(plain, )
static int gemm_cpu_has_avx512(void) { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl"); }
static int gemm_cpu_has_avx2(void) { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#else
#define BN_GEMM_TARGETS(X) X(plain, )
#endif
static int gemm_cpu_has_plain(void) { return 1; }

#define BN_F32 0
#include "gemm_impl.h"
#define BN_F32 1
#include "gemm_impl.h"

const char *bn_gemm_route(int f32, int ta, int tb, int M, int N, int K, int beta)
{
    static char name[64];
    int nb = f32 ? route_f32(ta, M, N, K, (float)beta) : route(ta, M, N, K, (double)beta);
    (void)tb;   /* a transposed B is transposed first: the product is then one with B plain */
    if (!nb) return "fixed";
    if (nb == N) return "libxsmm";
    snprintf(name, sizeof name, "libxsmm, %d columns at a time", nb);
    return name;
}
