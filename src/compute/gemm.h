/* gemm.h - the layers' matrix products, row-major with packed rows:
 *   C (M,N) = op(A) op(B) + beta C
 * op(A) = A (M,K), or A^T when ta (A stored K x M); op(B) = B (K,N), or B^T when tb (B stored
 * N x K); beta is 0 or 1.
 *
 * Every element is computed in one fixed order, whatever the CPU, the kernel or the shape:
 *   c = beta ? C[i][j] : +0;  for k = 0 .. K-1: c = fma(op(A)[i][k], op(B)[k][j], c)
 * a chain of fused multiply-adds over k in increasing order, each rounded once (IEEE fma is
 * exact before its one rounding, so every machine that has it gets the same bits).
 * Two kernels compute it:
 *  - LIBXSMM's JIT kernels (B not transposed), run without packing and K in blocks of
 *    BN_GEMM_KBLOCK (each block goes on from the C the last one left: the same chain). Whether
 *    LIBXSMM's kernel for a shape really computes this order is checked once per shape, against
 *    the kernel below on probe operands made to tell orders apart; where it sums in another
 *    order (some AVX-512 kernels keep several partial sums over k at some widths) narrower
 *    blocks of columns are tried, and a shape no width passes goes to ours;
 *  - bn_gemm_fixed: ours, in portable C with fma() (vectorised across j where the compiler can).
 *    It serves where LIBXSMM cannot (LIBXSMM_TARGET=generic, other architectures) and the
 *    shapes it refuses. A transposed B is transposed into a scratch buffer first, so every
 *    product is one of these two kernels.
 * So the bytes of a run depend on neither the CPU nor the kernels; only on the operands. */
#ifndef BN_GEMM_H
#define BN_GEMM_H

/* K is summed in blocks of at most this many terms, so a block of B stays in L2 (3072 x 100
 * doubles do not fit 2 MB; 1024 x 100 do). */
#define BN_GEMM_KBLOCK 1024

/* One product of the study, as make bench and the tests list them: C (M,N) = op(A) op(B), K inner. */
typedef struct {
    const char *what;
    int ta, tb, M, N, K;
} bn_gemm_shape;

void bn_gemm(int ta, int tb, int M, int N, int K, const double *A, const double *B, double beta, double *C);
void bn_gemm_f32(int ta, int tb, int M, int N, int K, const float *A, const float *B, float beta, float *C);

/* The fixed order computed by our own kernel alone: the reference the tests hold bn_gemm to,
 * bit for bit. */
void bn_gemm_fixed(int ta, int tb, int M, int N, int K, const double *A, const double *B, double beta, double *C);
void bn_gemm_fixed_f32(int ta, int tb, int M, int N, int K, const float *A, const float *B, float beta, float *C);

/* The same product by OpenBLAS (through GSL), which sums in its own, CPU-dependent order: only
 * for make bench's comparison and peaks, never for a result. */
void bn_gemm_openblas(int ta, int tb, int M, int N, int K, const double *A, const double *B, double beta, double *C);
void bn_gemm_openblas_f32(int ta, int tb, int M, int N, int K, const float *A, const float *B, float beta, float *C);

/* Which kernel bn_gemm (f32: bn_gemm_f32) uses for this product here: "libxsmm" (its kernel
 * passed the order check), "libxsmm, 48 columns at a time" (it passed in narrower blocks of
 * columns) or "fixed" (ours). */
const char *bn_gemm_route(int f32, int ta, int tb, int M, int N, int K, int beta);
/* LIBXSMM_TARGET, when set, must name an instruction set LIBXSMM knows and this CPU has: LIBXSMM
 * ignores an unknown name, and one the CPU lacks ends the run with SIGILL in the first product.
 * Exits with status 2 and one line otherwise; called before any work. */
void bn_gemm_check_target(void);
/* LIBXSMM's version, as its headers give it. */
const char *bn_gemm_libxsmm_version(void);

/* The kernels behind bn_gemm here, for provenance: "libxsmm cpx + fixed-order C" ("fixed-order
 * C" alone where LIBXSMM cannot generate code). They do not change a result byte. */
const char *bn_gemm_kernel(void);

#endif
