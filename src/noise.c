/* noise.c - see noise.h. */
#include "noise.h"
#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>

double bn_binomial_se(double p, long n)
{
    if (!(p >= 0.0 && p <= 1.0) || n < 1) return NAN;
    return sqrt(p * (1.0 - p) / (double)n);
}

double bn_tail_mean_se(const double *x, long n, long w)
{
    if (w > n) w = n;
    if (w < 2) return NAN;
    const double *t = x + (n - w);
    double sum = 0.0, ss = 0.0;
    for (long i = 0; i < w; i++) {
        if (!isfinite(t[i])) return NAN;
        sum += t[i];
    }
    double mean = sum / (double)w;
    for (long i = 0; i < w; i++) ss += (t[i] - mean) * (t[i] - mean);
    return sqrt(ss / (double)(w - 1)) / sqrt((double)w);
}

double bn_noise_p(double t, double df)
{
    if (isnan(t) || isnan(df) || df <= 0) return NAN;
    if (isinf(t)) return 0.0;
    double q = isinf(df) ? gsl_cdf_ugaussian_Q(fabs(t)) : gsl_cdf_tdist_Q(fabs(t), df);
    return fmin(1.0, 2.0 * q);
}

double bn_noise_quantile(double alpha, double df)
{
    if (isnan(df) || df <= 0) return NAN;
    return isinf(df) ? gsl_cdf_ugaussian_Qinv(alpha / 2) : gsl_cdf_tdist_Qinv(alpha / 2, df);
}

void bn_noise_test_of(bn_noise_test *r, double a, double b, double se_a, double se_b, double sd_seed, int n_seed)
{
    r->diff = b - a;
    r->se = r->lo = r->hi = r->t = r->p = NAN;
    r->seed = n_seed >= 2 && isfinite(sd_seed) && sd_seed >= 0;
    r->df = r->seed ? (double)(n_seed - 1) : INFINITY;
    if (isfinite(a) != isfinite(b)) {
        r->t = isfinite(b) ? -INFINITY : INFINITY;
        r->p = 0.0;
        return;
    }
    if (!isfinite(a)) return;
    /* a within-run part that is unknown counts as none when the seed-to-seed SD is known */
    double wa = r->seed && isnan(se_a) ? 0.0 : se_a, wb = r->seed && isnan(se_b) ? 0.0 : se_b;
    double var = wa * wa + wb * wb + (r->seed ? 2.0 * sd_seed * sd_seed : 0.0);
    if (isnan(var)) return;
    r->se = sqrt(var);
    double q = bn_noise_quantile(BN_NOISE_ALPHA, r->df);
    r->lo = r->diff - q * r->se;
    r->hi = r->diff + q * r->se;
    if (r->se > 0.0) r->t = r->diff / r->se;
    else r->t = r->diff == 0.0 ? 0.0 : r->diff > 0 ? INFINITY : -INFINITY;
    r->p = bn_noise_p(r->t, r->df);
}

static const double *holm_p;

/* ascending p, NaN last, equal ones in index order (qsort is not stable) */
static int by_p(const void *x, const void *y)
{
    long i = *(const long *)x, j = *(const long *)y;
    double a = holm_p[i], b = holm_p[j];
    if (isnan(a) != isnan(b)) return isnan(a) ? 1 : -1;
    if (!isnan(a) && a != b) return a < b ? -1 : 1;
    return i < j ? -1 : i > j;
}

long bn_holm(const double *p, long n, double alpha, double *adj)
{
    long *ix = bn_malloc(sizeof(long) * (size_t)(n ? n : 1)), m = 0, flagged = 0;
    for (long i = 0; i < n; i++) {
        ix[i] = i;
        m += !isnan(p[i]);
    }
    holm_p = p;
    if (n > 1) qsort(ix, (size_t)n, sizeof *ix, by_p);
    double run = 0.0;
    for (long k = 0; k < n; k++) {
        double v = p[ix[k]];
        if (isnan(v)) { adj[ix[k]] = NAN; continue; }
        run = fmax(run, fmin(1.0, (double)(m - k) * v));
        adj[ix[k]] = run;
        flagged += run <= alpha;
    }
    free(ix);
    return flagged;
}

void bn_noise_mean_interval(double mean, double sd, int n, double alpha, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (n < 2 || !isfinite(mean) || !isfinite(sd)) return;
    double h = bn_noise_quantile(alpha, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = mean - h;
    *hi = mean + h;
}
