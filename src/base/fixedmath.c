/* fixedmath.c - see fixedmath.h. The classic reductions with Remez polynomials (the ones of
 * Sun's fdlibm): exp(x) = 2^k exp(r), x = k ln2 + r, |r| <= ln2/2; log(x) = k ln2 + log(1+f),
 * 1+f in [sqrt(2)/2, sqrt(2)), log(1+f) = f - f^2/2 + s(f^2/2 + R(s^2)), s = f/(2+f). ln2 is
 * split into a head with trailing zero bits (k*LN2_HI is exact) and a tail. */
#include "fixedmath.h"

#include <stdint.h>
#include <string.h>

static const double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10,
                    INV_LN2 = 1.44269504088896338700e+00;

static uint64_t bits(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
static double from_bits(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }
/* 2^k for a normal result, -1022 <= k <= 1023 */
static double pow2(int k) { return from_bits((uint64_t)(k + 1023) << 52); }

double bn_exp(double x)
{
    static const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                        P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                        P5 = 4.13813679705723846039e-08;
    if (x != x) return x + x;
    if (x > 7.09782712893383973096e+02) return 1e300 * 1e300;        /* overflow: +inf */
    if (x < -7.45133219101941108420e+02) return 1e-300 * 1e-300;     /* underflow: +0 */
    double ax = x < 0 ? -x : x;
    if (ax < 0x1p-28) return 1.0 + x;
    int k = 0;
    double hi = x, lo = 0;
    if (ax > 0.5 * 6.93147180559945286227e-01) {
        k = (int)(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));   /* round to nearest, ties away */
        hi = x - k * LN2_HI;
        lo = k * LN2_LO;
    }
    double r = hi - lo, t = r * r;
    double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    if (k == 0) return 1.0 - ((r * c) / (c - 2.0) - r);
    double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    if (k >= -1021) return k == 1024 ? y * 2.0 * pow2(1023) : y * pow2(k);
    return y * pow2(k + 1000) * pow2(-1000);                         /* subnormal result */
}

double bn_log(double x)
{
    static const double L1 = 6.666666666666735130e-01, L2 = 3.999999999940941908e-01,
                        L3 = 2.857142874366239149e-01, L4 = 2.222219843214978396e-01,
                        L5 = 1.818357216161805012e-01, L6 = 1.531383769920937332e-01,
                        L7 = 1.479819860511658591e-01;
    if (x != x) return x + x;
    if (x < 0) return (x - x) / 0.0;                                  /* NaN */
    if (x == 0) return -1.0 / 0.0;                                    /* -inf */
    if (x == 1.0 / 0.0) return x;
    int k = 0;
    if (x < 0x1p-1022) { x *= 0x1p54; k = -54; }                      /* subnormal */
    uint64_t u = bits(x);
    uint32_t hx = (uint32_t)(u >> 32);
    k += (int)(hx >> 20) - 1023;
    hx &= 0x000fffff;
    /* 1+f in [sqrt(2)/2, sqrt(2)): mantissas above sqrt(2) take the next exponent */
    uint32_t i = (hx + 0x95f64) & 0x100000;
    k += (int)(i >> 20);
    double m = from_bits((uint64_t)(hx | (i ^ 0x3ff00000)) << 32 | (u & 0xffffffffu));
    double f = m - 1.0;
    double s = f / (2.0 + f), z = s * s, w = z * z;
    double t1 = w * (L2 + w * (L4 + w * L6)), t2 = z * (L1 + w * (L3 + w * (L5 + w * L7)));
    double R = t2 + t1, hfsq = 0.5 * f * f;
    return k * LN2_HI - ((hfsq - (s * (hfsq + R) + k * LN2_LO)) - f);
}

double bn_pow(double x, double y)
{
    if (y == 0) return 1.0;
    if (x == 1) return 1.0;
    return bn_exp(y * bn_log(x));
}

float bn_expf(float x) { return (float)bn_exp((double)x); }
float bn_logf(float x) { return (float)bn_log((double)x); }
