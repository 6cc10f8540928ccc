/* gemm_impl.h - bn_gemm for one dtype (included by gemm.c once per dtype, with BN_F32 set; see
 * real.h). */
#include "real.h"

/* LIBXSMM's kernel for one K-block of C^T (N,M) = op(B)^T op(A)^T, the column-major view of the
 * row-major product: B is its first operand (N x kb, leading dimension N) and A its second
 * (kb x M with leading dimension K, or transposed, M x kb with leading dimension M). */
static BN_XSMM_FN BN_FN(xsmm_kernel)(int ta, int M, int N, int K, int kb, REAL beta)
{
    libxsmm_blasint lda = N, ldb = ta ? M : K, ldc = N;
    int flags = (ta ? LIBXSMM_GEMM_FLAG_TRANS_B : 0) | (beta == R(0) ? LIBXSMM_GEMM_FLAG_BETA_0 : 0);
    int prefetch = LIBXSMM_GEMM_PREFETCH_NONE;
    REAL alpha = R(1);
    return BN_XSMM_DISPATCH(N, M, kb, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
}

void BN_FN(bn_gemm)(int ta, int tb, int M, int N, int K, const REAL *A, const REAL *B, REAL beta, REAL *C)
{
    if (beta != R(0) && beta != R(1)) bn_die(1, "internal: bn_gemm takes beta 0 or 1, not %g", (double)beta);
    if (M <= 0 || N <= 0) return;
    if (K > 0 && xsmm_takes(tb)) {
        int kb = K < BN_GEMM_KBLOCK ? K : BN_GEMM_KBLOCK, last = K % kb ? K % kb : kb;
        BN_XSMM_FN first = BN_FN(xsmm_kernel)(ta, M, N, K, kb, beta);
        BN_XSMM_FN mid = K > kb ? BN_FN(xsmm_kernel)(ta, M, N, K, kb, R(1)) : first;
        BN_XSMM_FN end = K > kb ? BN_FN(xsmm_kernel)(ta, M, N, K, last, R(1)) : first;
        if (!first || !mid || !end) xsmm_refused(ta, M, N, K);
        for (int k = 0; k < K; k += kb)
            (k + kb >= K ? end : k ? mid : first)(B + (long)k * N, ta ? A + (long)k * M : A + k, C);
        xsmm_clean_upper();
        return;
    }
    BN_FN(bn_gemm_openblas)(ta, tb, M, N, K, A, B, beta, C);
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
