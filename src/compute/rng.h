/* rng.h - one random-number stream per (seed, experiment, point, stream): every independent
 * training gets its own generator, whatever the order or process it runs in. */
#ifndef BN_RNG_H
#define BN_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* 64-bit stream key from (seed, experiment name, point, stream name): FNV-1a over the
 * bytes, finished with splitmix64. */
uint64_t bn_stream_key(unsigned long seed, const char *experiment, long point, const char *stream);
/* A gsl_rng_mt19937 seeded from bn_stream_key(...). Caller frees with gsl_rng_free. */
gsl_rng *bn_rng_new(unsigned long seed, const char *experiment, long point, const char *stream);
/* A standard normal draw (times sigma) by the polar Box-Muller method, GSL's gsl_ran_gaussian
 * with its draws in its order, but with bn_log and IEEE sqrt: GSL's calls glibc's log, whose
 * build (and last bit) glibc picks by CPU. */
double bn_gaussian(gsl_rng *r, double sigma);

#endif
