/* fixedmath.h - exp, log and pow for the result path, with bits that do not depend on the CPU.
 *
 * glibc picks one of several builds of exp, log and pow at run time by what the CPU has (an FMA
 * build on AVX2 machines, another without), and they may round differently in the last bit.
 * These are written in plain double arithmetic, which the project compiles without contraction
 * into FMA (-ffp-contract=off), so every x86-64 or arm64 CPU computes the same operations in the
 * same order and gets the same bits. Accuracy: exp and log within 1 ulp (tests/test_fixedmath.c
 * holds them against long double); pow(x, y) = exp(y log x), within about (1 + |y log x|) ulp. */
#ifndef BN_FIXEDMATH_H
#define BN_FIXEDMATH_H

double bn_exp(double x);
double bn_log(double x);
double bn_pow(double x, double y);
/* float versions: computed in double, rounded once to float */
float bn_expf(float x);
float bn_logf(float x);

#endif
