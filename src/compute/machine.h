/* machine.h - which machine made a run's trainings: its GEMM kernels (bn_gemm_kernel: LIBXSMM's
 * target, chosen by CPU, and ours) and the CPU model, recorded in RUN/machine.info.tsv
 * (key<TAB>value: blas_core, cpu_model, reproducible_on; the key blas_core keeps the name older
 * runs have). Since every kernel computes the fixed order of gemm.h, the kernels do not change a
 * result byte; runs made before that did, so the pages still say when such runs mix kernels. */
#ifndef BN_MACHINE_H
#define BN_MACHINE_H

#include <stddef.h>

/* machine.info.tsv's reproducible_on: where the run's bytes can be made again (the pages, the
 * provenance and make verify quote it; runs made before it was written are the second kind) */
#define BN_REPRODUCIBLE_ANY_CPU "any x86-64 CPU, with or without AVX2 and AVX-512 (fixed-order arithmetic)"
#define BN_REPRODUCIBLE_SAME_KERNELS "CPUs with the same GEMM kernels only (made before fixed-order arithmetic)"

/* This machine's CPU model ("model name" in /proc/cpuinfo; "unknown" when it is not there). */
void bn_cpu_model(char *buf, size_t n);

/* Record the kernel and CPU model experiment EXP was trained with in DIR/machine.info.tsv (rows
 * blas_core:EXP, cpu_model:EXP, replaced when EXP reruns) and the run's lists of them, blas_core
 * and cpu_model: the distinct values of its experiments joined by "; " (one value: every
 * training of the run was made with it). NULL for this process's kernel and this machine's CPU;
 * a value may itself be a "; " list (the parts of a sweep made on several machines). */
void bn_machine_note(const char *dir, const char *exp, const char *core, const char *cpu);

/* The value of KEY in DIR/machine.info.tsv into buf; -1 when the file or the key is absent. */
int bn_machine_get(const char *dir, const char *key, char *buf, size_t n);

#endif
