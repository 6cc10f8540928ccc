/* blas_guard.c - OpenBLAS's work buffer, taken while there is room for it.
 *
 * OpenBLAS maps one work buffer per thread (BUFFER_SIZE: 128 MB on x86-64) at its first GEMM
 * that does not take the small-matrix path, and if that mmap fails, blas_memory_alloc() in its
 * driver/others/memory.c retries it in a loop with no exit: the process then spins at 100%
 * CPU forever (under `ulimit -v`, or once the dataset has filled the address space). No
 * environment variable changes the buffer's size, and a tiny GEMM first does not help on cores
 * whose small-matrix kernels skip the buffer (SkylakeX): a larger GEMM later still maps it.
 * So bnlab checks that the buffer fits before the first BLAS call, then makes OpenBLAS map it
 * at once with one GEMM too large for the small-matrix path; the buffer is kept for the life of
 * the process (and inherited by the training workers), so no later call maps another. */
#define _DEFAULT_SOURCE
#include "blas_guard.h"
#include "common.h"
#include "blas.h"
#include "guard.h"

#include <string.h>
#include <sys/mman.h>
#include <gsl/gsl_cblas.h>

/* the buffer, its guard pages and the warm-up operands, with a margin */
#define BLAS_BUFFER ((size_t)128 << 20)
#define BLAS_ROOM (BLAS_BUFFER + ((size_t)16 << 20))
#define WARM_N 128   /* 128^3 multiply-adds: above every core's small-matrix threshold */

void bn_guard_blas(void)
{
    char why[160];
    /* a reservation of the size, as OpenBLAS will ask for it: the address-space limit is
     * judged by the kernel itself, whatever else the process has mapped */
    void *p = mmap(NULL, BLAS_ROOM, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED || bn_mem_room(BLAS_ROOM, 0, why, sizeof why)) {
        if (p == MAP_FAILED && bn_mem_room(BLAS_ROOM, 0, why, sizeof why) == 0)
            snprintf(why, sizeof why, "mapping it failed");
        bn_die(1, "out of memory: OpenBLAS needs a %zu MB work buffer, but %s", BLAS_BUFFER >> 20, why);
    }
    munmap(p, BLAS_ROOM);
    static double a[WARM_N * WARM_N], c[WARM_N * WARM_N];
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, WARM_N, WARM_N, WARM_N, 1.0, a, WARM_N, a, WARM_N, 0.0, c,
                WARM_N);
}
