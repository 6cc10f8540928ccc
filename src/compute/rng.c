/* rng.c - see rng.h. */
#include "rng.h"
#include "error.h"
#include "fixedmath.h"

#include <math.h>
#include <string.h>

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) { h ^= c[i]; h *= 1099511628211ULL; }
    return h;
}

uint64_t bn_stream_key(unsigned long seed, const char *experiment, long point, const char *stream)
{
    uint64_t h = 14695981039346656037ULL;
    uint64_t s = (uint64_t)seed;
    int64_t pt = (int64_t)point;
    /* Fixed-width little-endian encodings keep the key independent of the platform's long. */
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(s >> (8 * i));
    h = fnv1a(h, b, 8);
    h = fnv1a(h, experiment, strlen(experiment) + 1);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)pt >> (8 * i));
    h = fnv1a(h, b, 8);
    h = fnv1a(h, stream, strlen(stream) + 1);
    /* splitmix64 finaliser: spreads nearby keys over the whole range. */
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

gsl_rng *bn_rng_new(unsigned long seed, const char *experiment, long point, const char *stream)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) bn_die(1, "out of memory allocating a GSL generator");
    /* mt19937 takes a 32-bit seed; fold the 64-bit key so both halves count. */
    uint64_t k = bn_stream_key(seed, experiment, point, stream);
    unsigned long s32 = (unsigned long)((k ^ (k >> 32)) & 0xffffffffUL);
    gsl_rng_set(r, s32 ? s32 : 4357UL);
    return r;
}

double bn_gaussian(gsl_rng *r, double sigma)
{
    double x, y, r2;
    do {   /* a point uniform in the unit disc, not its centre */
        x = -1 + 2 * gsl_rng_uniform_pos(r);
        y = -1 + 2 * gsl_rng_uniform_pos(r);
        r2 = x * x + y * y;
    } while (r2 > 1.0 || r2 == 0);
    return sigma * y * sqrt(-2.0 * bn_log(r2) / r2);
}
