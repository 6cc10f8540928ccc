/* noise.h - the one noise model the pages judge a difference by.
 *
 * A metric of one run (a best accuracy, a final loss) moves for two reasons:
 *   - from seed to seed: another seed draws other initial weights and minibatches. Its SD,
 *     sd_seed, is measured by a several-seed study of the same configuration (bnagg seeds: the
 *     <column>_sd and <column>_n of its *_seeds.tsv files);
 *   - within the run: an accuracy p on n images has the binomial SE sqrt(p (1 - p) / n); a final
 *     loss, the mean of the last W minibatch losses, has the SE sd / sqrt(W) of those losses.
 * The difference B - A of two runs then has
 *     SE = sqrt(2 sd_seed^2 + se_a^2 + se_b^2),
 * judged with Student's t on n_seed - 1 degrees of freedom (sd_seed is itself estimated from
 * n_seed seeds). The within-run part is partly inside sd_seed already, so adding it errs towards
 * calling less. Without a study (n_seed < 2) only the within-run part is known: SE =
 * sqrt(se_a^2 + se_b^2) with the normal distribution, which covers sampling noise only.
 * Many metrics are tested at once; Holm's step-down procedure keeps the chance of flagging any
 * metric when nothing differs at most alpha, whatever the dependence between the metrics. */
#ifndef BN_NOISE_H
#define BN_NOISE_H

#include <stddef.h>

/* The level every test and interval of the pages uses. */
#define BN_NOISE_ALPHA 0.05
/* Fewer seeds than this give an SD too rough to judge by (t on 1 degree of freedom): such a
 * study is not used. */
#define BN_NOISE_MIN_SEEDS 3

/* Binomial standard error of an accuracy p measured on n items: sqrt(p (1 - p) / n); NaN if
 * p is outside [0, 1] or n < 1. */
double bn_binomial_se(double p, long n);

/* Standard error of the mean of the last w finite values of x[0..n) (fewer if there are
 * fewer): sample sd (divisor w - 1) / sqrt(w). NaN if a value of that window is not finite
 * (then the mean itself is not) or fewer than 2 values. */
double bn_tail_mean_se(const double *x, long n, long w);

/* Two-sided p-value of t on df degrees of freedom (df infinite: the normal distribution). */
double bn_noise_p(double t, double df);
/* The 1 - alpha/2 quantile of t on df degrees of freedom (df infinite: normal). */
double bn_noise_quantile(double alpha, double df);

/* B - A judged by the model above. seed: 1 if sd_seed over n_seed >= 2 seeds entered.
 * df: n_seed - 1, or INFINITY. lo, hi: the 1 - BN_NOISE_ALPHA interval diff -/+ q se; t = diff /
 * se; p its two-sided p-value. A finite value in one run and not in the other: p = 0, t = +-inf
 * (a run that diverged is a change whatever the noise); neither finite, or no noise known: p NaN
 * (not tested). */
typedef struct {
    double diff, se, df, lo, hi, t, p;
    int seed;
} bn_noise_test;
void bn_noise_test_of(bn_noise_test *r, double a, double b, double se_a, double se_b, double sd_seed, int n_seed);

/* One run's own difference d (e.g. batchnorm - baseline on one seed) judged against zero: the
 * same model for one value, SE = sqrt(sd_seed^2 + se_within^2) with sd_seed the seed-to-seed SD
 * of d over n_seed seeds (t on n_seed - 1 degrees of freedom), or SE = se_within alone (normal)
 * without a study. r->diff = d; lo, hi, t, p as for bn_noise_test_of. */
void bn_noise_single(bn_noise_test *r, double d, double se_within, double sd_seed, int n_seed);

/* Two-sided p-value of the paired t-test of a mean difference against zero: t = mean / se on
 * n - 1 degrees of freedom (se 0: t is 0 for a mean of 0, else infinite); NaN (not a test) when
 * n < 2 or mean or se is not a number. */
double bn_noise_mean_p(double mean, double se, double n);

/* Holm's step-down procedure over the p-values p[0..n) (NaN ones are not tests and are left
 * out of the count m): adj[i] = the Holm-adjusted p-value (NaN for a NaN p), and the number
 * returned is how many have adj <= alpha. With p sorted, p_(1) <= ... <= p_(m):
 * adj_(i) = max over j <= i of min(1, (m - j + 1) p_(j)). */
long bn_holm(const double *p, long n, double alpha, double *adj);

/* Student's t interval of the mean of n values with sample SD sd: mean -/+ q(alpha, n - 1) sd /
 * sqrt(n) into *lo, *hi (NaN when n < 2). */
void bn_noise_mean_interval(double mean, double sd, int n, double alpha, double *lo, double *hi);

#endif
