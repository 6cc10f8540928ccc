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

double bn_noise_mean_p(double mean, double se, double n)
{
    if (!(n >= 2) || !isfinite(mean) || !(se >= 0)) return NAN;
    double t = se > 0 ? mean / se : mean == 0 ? 0.0 : INFINITY;
    return bn_noise_p(t, n - 1);
}

/* d against zero with within-run SE w and, when seed, the seed-to-seed variance v_seed */
static void judge(bn_noise_test *r, double d, double w, double v_seed)
{
    double var = w * w + (r->seed ? v_seed : 0.0);
    if (isnan(var)) return;
    r->se = sqrt(var);
    double q = bn_noise_quantile(BN_NOISE_ALPHA, r->df);
    r->lo = d - q * r->se;
    r->hi = d + q * r->se;
    if (r->se > 0.0) r->t = d / r->se;
    else r->t = d == 0.0 ? 0.0 : d > 0 ? INFINITY : -INFINITY;
    r->p = bn_noise_p(r->t, r->df);
}

static void start(bn_noise_test *r, double diff, double sd_seed, int n_seed)
{
    r->diff = diff;
    r->se = r->lo = r->hi = r->t = r->p = NAN;
    r->seed = n_seed >= 2 && isfinite(sd_seed) && sd_seed >= 0;
    r->df = r->seed ? (double)(n_seed - 1) : INFINITY;
}

void bn_noise_test_of(bn_noise_test *r, double a, double b, double se_a, double se_b, double sd_seed, int n_seed)
{
    start(r, b - a, sd_seed, n_seed);
    if (isfinite(a) != isfinite(b)) {
        r->t = isfinite(b) ? -INFINITY : INFINITY;
        r->p = 0.0;
        return;
    }
    if (!isfinite(a)) return;
    /* a within-run part that is unknown counts as none when the seed-to-seed SD is known */
    double wa = r->seed && isnan(se_a) ? 0.0 : se_a, wb = r->seed && isnan(se_b) ? 0.0 : se_b;
    judge(r, r->diff, sqrt(wa * wa + wb * wb), 2.0 * sd_seed * sd_seed);
}

void bn_noise_single(bn_noise_test *r, double d, double se_within, double sd_seed, int n_seed)
{
    start(r, d, sd_seed, n_seed);
    if (!isfinite(d)) return;
    judge(r, d, r->seed && isnan(se_within) ? 0.0 : se_within, sd_seed * sd_seed);
}

typedef struct {
    double p;
    long i;
} p_at;

/* ascending p, NaN last, equal ones in index order (qsort is not stable) */
static int by_p(const void *x, const void *y)
{
    const p_at *a = x, *b = y;
    if (isnan(a->p) != isnan(b->p)) return isnan(a->p) ? 1 : -1;
    if (!isnan(a->p) && a->p != b->p) return a->p < b->p ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

long bn_holm(const double *p, long n, double alpha, double *adj)
{
    p_at *s = bn_malloc(sizeof *s * (size_t)(n ? n : 1));
    long m = 0, flagged = 0;
    for (long i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].i = i;
        m += !isnan(p[i]);
    }
    if (n > 1) qsort(s, (size_t)n, sizeof *s, by_p);
    double run = 0.0;
    for (long k = 0; k < n; k++) {
        if (isnan(s[k].p)) { adj[s[k].i] = NAN; continue; }
        run = fmax(run, fmin(1.0, (double)(m - k) * s[k].p));
        adj[s[k].i] = run;
        flagged += run <= alpha;
    }
    free(s);
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
