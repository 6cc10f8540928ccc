/* compare_rank.h - which differences between two runs exceed the runs' own noise, ranked, for
 * the compare page; and the links from an aggregated page to each run's page sections. */
#ifndef BN_COMPARE_RANK_H
#define BN_COMPARE_RANK_H

#include <stddef.h>

/* Two-sided 95% normal quantile: a difference whose interval diff -/+ z se excludes 0 exceeds
 * the noise. */
#define BN_RANK_Z95 1.959963984540054

/* Binomial standard error of an accuracy p measured on n items: sqrt(p (1 - p) / n); NaN if
 * p is outside [0, 1] or n < 1. */
double bn_binomial_se(double p, long n);

/* Standard error of the mean of the last w finite values of x[0..n) (fewer if there are
 * fewer): sample sd (divisor w - 1) / sqrt(w). NaN if a value of that window is not finite
 * (then the mean itself is not) or fewer than 2 values. */
double bn_tail_mean_se(const double *x, long n, long w);

/* b - a with independent standard errors: se = sqrt(se_a^2 + se_b^2), the 95% interval
 * diff -/+ BN_RANK_Z95 se, z = diff / se. exceeds: the interval leaves out 0; a run with a
 * non-finite value and the other a finite one also exceeds (z = +-inf, no interval). */
typedef struct {
    double diff, se, lo, hi, z;
    int exceeds;
} bn_noise_diff;
void bn_noise_diff_of(bn_noise_diff *d, double a, double b, double se_a, double se_b);

/* Write dir/compare_ranked.tsv (every training metric found in both runs A and B, with its
 * noise model, ranked: those that exceed the noise first, by |z|) and dir/compare_noise.tsv
 * (the noise model's parameters and the counts). -1 with the problem in err. */
int bn_compare_rank(const char *dir, const char *A, const char *B, char *err, size_t errlen);

/* Write dir/out: one row per run (label, then for each seed-page section id - sec-checks,
 * sec-deepnet, sec-sweep, sec-batchsize, sec-layernorm - a link from folder `from` to that
 * section of the run's page run/report/index.html). -1 with the problem in err. */
int bn_section_links(const char *dir, const char *out, const char *from, char *const *runs,
                     const char *const *labels, int nruns, char *err, size_t errlen);

#endif
