/* gemm_impl.h - bn_gemm for one dtype (included by gemm.c once per dtype, with BN_F32 set; see
 * real.h). */
#include "real.h"

/* C (M,N) = op(A) B + beta C in the fixed order, B (K,N) plain: c = fma(a_ik, b_kj, c) for k
 * upwards, from c = beta ? C : +0. Four rows of C at a time share each row of B. Built once per
 * instruction set (gemm.c's BN_GEMM_TARGETS) and picked when first called: each vector lane is
 * one element's own chain, so every build gives the same bits. */
static inline __attribute__((always_inline)) void
BN_FN(fixed_body)(int ta, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    long si = ta ? 1 : K, sk = ta ? M : 1;   /* op(A)[i][k] = A[i*si + k*sk] */
    if (beta == R(0)) memset(C, 0, sizeof(REAL) * (size_t)M * (size_t)N);
    int i = 0;
    for (; i + 4 <= M; i += 4) {
        REAL *restrict c0 = C + (long)i * N, *restrict c1 = c0 + N, *restrict c2 = c1 + N, *restrict c3 = c2 + N;
        for (int k = 0; k < K; k++) {
            const REAL *restrict b = B + (long)k * N;
            const REAL *a = A + i * si + k * sk;
            REAL a0 = a[0], a1 = a[si], a2 = a[2 * si], a3 = a[3 * si];
            for (int j = 0; j < N; j++) {
                REAL bj = b[j];
                c0[j] = R_FMA(a0, bj, c0[j]);
                c1[j] = R_FMA(a1, bj, c1[j]);
                c2[j] = R_FMA(a2, bj, c2[j]);
                c3[j] = R_FMA(a3, bj, c3[j]);
            }
        }
    }
    for (; i < M; i++) {
        REAL *restrict c = C + (long)i * N;
        for (int k = 0; k < K; k++) {
            const REAL *restrict b = B + (long)k * N;
            REAL a = A[i * si + k * sk];
            for (int j = 0; j < N; j++) c[j] = R_FMA(a, b[j], c[j]);
        }
    }
}

typedef void (*BN_FN(fixed_fn))(int, int, int, int, const REAL *, const REAL *, REAL, REAL *);
#define BN_GEMM_BUILD(isa, attr) \
    attr static void BN_FN(fixed_##isa)(int ta, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, \
                                        REAL *C) { BN_FN(fixed_body)(ta, M, N, K, A, B, beta, C); }
BN_GEMM_TARGETS(BN_GEMM_BUILD)
#undef BN_GEMM_BUILD

static void BN_FN(fixed_kernel)(int ta, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    static BN_FN(fixed_fn) fn;
    if (!fn) {
#define BN_GEMM_PICK(isa, attr) if (!fn && gemm_cpu_has_##isa()) fn = BN_FN(fixed_##isa);
        BN_GEMM_TARGETS(BN_GEMM_PICK)
#undef BN_GEMM_PICK
    }
    fn(ta, M, N, K, A, B, beta, C);
}

/* B stored (N,K), as B^T (K,N) in the scratch buffer */
static const REAL *BN_FN(transposed)(const REAL *B, int N, int K)
{
    REAL *t = scratch(sizeof(REAL) * (size_t)N * (size_t)K);
    for (int n = 0; n < N; n++)
        for (int k = 0; k < K; k++) t[(long)k * N + n] = B[(long)n * K + k];
    return t;
}

#ifndef BN_NO_LIBXSMM
/* LIBXSMM's kernel for one K-block of nb columns of C^T (N,M) = B^T op(A)^T, the column-major
 * view of the row-major product: B is its first operand (nb x kb, leading dimension N) and A its
 * second (kb x M with leading dimension K, or transposed, M x kb with leading dimension M). */
static BN_XSMM_FN BN_FN(xsmm_kernel)(int ta, int M, int N, int nb, int K, int kb, REAL beta)
{
    libxsmm_blasint lda = N, ldb = ta ? M : K, ldc = N;
    int flags = (ta ? LIBXSMM_GEMM_FLAG_TRANS_B : 0) | (beta == R(0) ? LIBXSMM_GEMM_FLAG_BETA_0 : 0);
    int prefetch = LIBXSMM_GEMM_PREFETCH_NONE;
    REAL alpha = R(1);
    return BN_XSMM_DISPATCH(nb, M, kb, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
}

/* The product by LIBXSMM, in blocks of nb columns (each element's chain is the same whatever
 * the block) and K in blocks of BN_GEMM_KBLOCK: the first with beta, the others going on from
 * C. Returns 0 when LIBXSMM has no kernel for a block. */
static int BN_FN(xsmm_gemm)(int ta, int M, int N, int nb, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    int kb = K < BN_GEMM_KBLOCK ? K : BN_GEMM_KBLOCK, klast = K % kb ? K % kb : kb;
    for (int j = 0; j < N; j += nb) {
        int w = N - j < nb ? N - j : nb;
        BN_XSMM_FN first = BN_FN(xsmm_kernel)(ta, M, N, w, K, kb, beta);
        BN_XSMM_FN mid = K > kb ? BN_FN(xsmm_kernel)(ta, M, N, w, K, kb, R(1)) : first;
        BN_XSMM_FN end = K > kb ? BN_FN(xsmm_kernel)(ta, M, N, w, K, klast, R(1)) : first;
        if (!first || !mid || !end) return 0;
        for (int k = 0; k < K; k += kb)
            (k + kb >= K ? end : k ? mid : first)(B + (long)k * N + j, ta ? A + (long)k * M : A + k, C + j);
    }
    xsmm_clean_upper();
    return 1;
}

/* Does LIBXSMM, in blocks of nb columns, compute the fixed order for this shape? Both kernels on
 * the probe operands (gemm.c), compared bit for bit. */
static int BN_FN(probe)(int ta, int M, int N, int nb, int K, REAL beta)
{
    long na = (long)M * K, nbk = (long)K * N, nc = (long)M * N;
    REAL *a = bn_malloc(sizeof(REAL) * (size_t)(na + nbk + 2 * nc)), *b = a + na, *c1 = b + nbk, *c2 = c1 + nc;
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < M; i++)
        for (int k = 0; k < K; k++)   /* every fifth row of op(A) +0 */
            a[ta ? (long)k * M + i : (long)i * K + k] = i % 5 == 2 ? R(0) : (REAL)probe_value(&s);
    for (long j = 0; j < nbk; j++) b[j] = (REAL)probe_value(&s);
    for (long j = 0; j < nc; j++) c1[j] = c2[j] = (REAL)probe_value(&s);
    int same = BN_FN(xsmm_gemm)(ta, M, N, nb, K, a, b, beta, c1);
    BN_FN(fixed_kernel)(ta, M, N, K, a, b, beta, c2);
    same = same && !memcmp(c1, c2, sizeof(REAL) * (size_t)nc);
    free(a);
    return same;
}

#endif

/* How this product runs here: LIBXSMM in blocks of this many columns (its kernel passed the
 * probe: the whole width first, then narrower blocks, since some kernels keep several partial
 * sums only at some widths), or 0: ours. Decided once per shape, at its first call (the first
 * step of a training). */
#ifdef BN_NO_LIBXSMM
static int BN_FN(route)(int ta, int M, int N, int K, REAL beta)
{
    (void)ta; (void)M; (void)N; (void)K; (void)beta;
    return 0;
}
#else
static int BN_FN(route)(int ta, int M, int N, int K, REAL beta)
{
    enum { CAP = 512 };
    static struct { int ta, M, N, K, beta, nb; } seen[CAP];
    static int nseen;
    /* 0: all N columns at once; -2: two halves (100 as 50 + 50: no narrow remainder) */
    static const int widths[] = {0, -2, 64, 48, 32, 16, 8};
    if (K <= 0 || !xsmm_ready()) return 0;
    static int last;   /* a training calls the same few shapes over and over: look there first */
    int b1 = beta != R(0);
    for (int i = 0; i < nseen; i++) {
        int r = (last + i) % nseen;
        if (seen[r].M == M && seen[r].N == N && seen[r].K == K && seen[r].ta == ta && seen[r].beta == b1) {
            last = r;
            return seen[r].nb;
        }
    }
    int nb = 0;
    for (size_t w = 0; w < sizeof widths / sizeof *widths && !nb; w++) {
        int c = widths[w] > 0 ? widths[w] : widths[w] < 0 ? (N + 1) / 2 : N;
        if (c >= 1 && c <= N && (!w || c < N) && BN_FN(probe)(ta, M, N, c, K, beta)) nb = c;
    }
    if (nseen < CAP) {   /* past CAP shapes (never in the study) each call probes again: same bits */
        seen[nseen].ta = ta; seen[nseen].M = M; seen[nseen].N = N; seen[nseen].K = K;
        seen[nseen].beta = b1; seen[nseen].nb = nb;
        nseen++;
    }
    return nb;
}
#endif

static void BN_FN(check_beta)(REAL beta)
{
    if (beta != R(0) && beta != R(1)) bn_die(1, "internal: bn_gemm takes beta 0 or 1, not %g", (double)beta);
}

static void BN_FN(gemm_routed)(int ta, int tb, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    if (tb) B = BN_FN(transposed)(B, N, K);
#ifndef BN_NO_LIBXSMM
    int nb = BN_FN(route)(ta, M, N, K, beta);
    if (nb && BN_FN(xsmm_gemm)(ta, M, N, nb, K, A, B, beta, C)) return;
#endif
    BN_FN(fixed_kernel)(ta, M, N, K, A, B, beta, C);
}

void BN_FN(bn_gemm)(int ta, int tb, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    BN_FN(check_beta)(beta);
    if (M <= 0 || N <= 0) return;
    double t0 = bn_now();
    BN_FN(gemm_routed)(ta, tb, M, N, K, A, B, beta, C);
    bn_gemm_seconds += bn_now() - t0;
}

void BN_FN(bn_gemm_fixed)(int ta, int tb, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    BN_FN(check_beta)(beta);
    if (M <= 0 || N <= 0) return;
    if (tb) B = BN_FN(transposed)(B, N, K);
    BN_FN(fixed_kernel)(ta, M, N, K, A, B, beta, C);
}

void BN_FN(bn_gemm_openblas)(int ta, int tb, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    if (M <= 0 || N <= 0) return;
    BN_MCVIEW Av = ta ? BN_MCVIEW_ARRAY(A, K, M) : BN_MCVIEW_ARRAY(A, M, K);
    BN_MCVIEW Bv = tb ? BN_MCVIEW_ARRAY(B, N, K) : BN_MCVIEW_ARRAY(B, K, N);
    BN_MVIEW Cv = BN_MVIEW_ARRAY(C, M, N);
    BN_GEMM(ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, R(1), &Av.matrix, &Bv.matrix, beta,
            &Cv.matrix);
}

#undef BN_F32
#include "real.h"
