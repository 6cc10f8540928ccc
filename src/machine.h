/* machine.h - which machine made a run's trainings: its GEMM kernels (bn_gemm_kernel: OpenBLAS's
 * core and LIBXSMM's target, both chosen by CPU; other kernels round differently) and the CPU
 * model, recorded in RUN/machine.info.tsv (key<TAB>value: blas_core, cpu_model; the key keeps the
 * name runs made before LIBXSMM have) so that the pages can say when runs mix kernels. */
#ifndef BN_MACHINE_H
#define BN_MACHINE_H

#include <stddef.h>

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
