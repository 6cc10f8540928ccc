/* gemm.h - the layers' matrix products, row-major with packed rows:
 *   C (M,N) = op(A) op(B) + beta C
 * op(A) = A (M,K), or A^T when ta (A stored K x M); op(B) = B (K,N), or B^T when tb (B stored
 * N x K); beta is 0 or 1.
 *
 * Products with B not transposed are JIT-compiled by LIBXSMM, once per shape, and run without
 * packing either operand (a shape it cannot compile stops the program: falling back would round
 * differently); the rest go to OpenBLAS through GSL. Which path a product takes and how it is
 * blocked depend on its shape alone, so a run's bytes do not depend on anything else; the paths
 * round differently from each other, so the kernels a run was made with are part of its
 * provenance (bn_gemm_kernel). LIBXSMM_TARGET=generic turns LIBXSMM off: every product then goes
 * to OpenBLAS, and the kernels recorded say so. */
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

/* The same product by OpenBLAS alone (through GSL): bn_gemm's other path, and the reference
 * make bench and the tests hold bn_gemm against. */
void bn_gemm_openblas(int ta, int tb, int M, int N, int K, const double *A, const double *B, double beta, double *C);
void bn_gemm_openblas_f32(int ta, int tb, int M, int N, int K, const float *A, const float *B, float beta, float *C);

/* "libxsmm" or "openblas": the path bn_gemm takes for a product with these transposes. */
const char *bn_gemm_path(int ta, int tb);
/* LIBXSMM_TARGET, when set, must name an instruction set LIBXSMM knows and this CPU has: LIBXSMM
 * ignores an unknown name, and one the CPU lacks ends the run with SIGILL in the first product.
 * Exits with status 2 and one line otherwise; called before any work. */
void bn_gemm_check_target(void);
/* LIBXSMM's version, as its headers give it. */
const char *bn_gemm_libxsmm_version(void);

/* The kernels behind bn_gemm: the OpenBLAS core and LIBXSMM's code-generation target, as
 * "SkylakeX, libxsmm avx512_core" ("SkylakeX" alone when LIBXSMM cannot compile here). */
const char *bn_gemm_kernel(void);

#endif
