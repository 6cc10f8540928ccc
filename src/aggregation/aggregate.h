/* aggregate.h - statistics across seeded runs: per-row mean/spread of tables of one shape, and
 * paired differences (same seed, two nets). */
#ifndef BN_AGGREGATE_H
#define BN_AGGREGATE_H

#include <stddef.h>
#include "outfile.h"
#include "tsv.h"

/* Over the finite values only; n counts them. sd is the sample std (n-1), 0 when n < 2.
 * lo, hi: the 95% interval of the mean, mean -/+ t(0.975, n-1) sd / sqrt(n) (NaN when n < 2);
 * q10, q90: the 10% and 90% quantiles (linear interpolation between the sorted values, as
 * gsl_stats_quantile_from_sorted_data): the middle 80% of the values, at any n. */
typedef struct {
    double mean, sd, min, max, lo, hi, q10, q90;
    int n;
} bn_stat;
void bn_stat_of(bn_stat *s, const double *v, int n);
/* A bn_stat as columns of a data file: "\tP_mean\tP_sd\tP_min\tP_max\tP_n\tP_mean_lo\tP_mean_hi
 * \tP_q10\tP_q90" (header, prefix P) and its cells in that order. */
void bn_stat_header(bn_out *f, const char *P);
void bn_stat_cells(bn_out *f, const bn_stat *s);

/* d_i = a_i - b_i over the pairs where both are finite: mean, sample sd, standard error sd/sqrt(n),
 * the 95% confidence interval of the mean [lo, hi] = mean -/+ t(0.975, n-1) se (Student's t; NaN
 * when n < 2), and how many pairs have a > b (wins), a < b (losses), a == b (ties). */
typedef struct {
    double mean, sd, se, lo, hi;
    int n, wins, losses, ties;
} bn_paired;
void bn_paired_of(bn_paired *p, const double *a, const double *b, int n);

/* A value column to summarise, or a pair (a - b) to difference, named `name` in the output. */
typedef struct {
    const char *name, *a, *b;   /* b NULL: plain column a */
} bn_agg_col;

/* Write dir/out: the key columns of tabs[0], then per plain column c: c_mean c_sd c_min c_max c_n
 * c_mean_lo c_mean_hi c_q10 c_q90 (bn_stat),
 * and per pair: name_diff_mean name_diff_sd name_diff_se name_diff_lo name_diff_hi name_n name_wins
 * name_losses name_ties.
 * Every table must have the same rows with the same key cells. -1 with the problem in err. */
int bn_agg_write(const char *dir, const char *out, const bn_tsv *tabs, int ntabs, const char *const *keys, int nkeys,
                 const bn_agg_col *cols, int ncols, char *err, size_t errlen);

/* ---- in how many seeds a statement holds ----
 * The direction a paired mean states and the seeds it holds in: first (mean > 0; holds: the wins),
 * second (mean < 0; the losses) or "neither" (mean 0 or not a number; the ties). */
const char *bn_paired_side(const bn_paired *p, const char *first, const char *second, int *holds);

/* A difference each of n seeds judged by its own threshold (bn_verdict_compare's words in v[]),
 * stated over the seeds: "higher" or "lower" when the 95% interval [lo, hi] of the mean difference
 * lies above or below zero, else "within" (not told apart from the noise); *holds: how many seeds'
 * own verdict is that word. */
const char *bn_holds_compare(double lo, double hi, const char *const *v, int n, int *holds);

/* The verdict most of the n seeds gave (the earliest seed's on a tie), and how many gave it; NULL
 * and 0 when n is 0. */
const char *bn_holds_mode(const char *const *v, int n, int *holds);

/* Could x be the value of one more seed? "within_seed_noise" if x lies in the 95% prediction
 * interval of one new draw from n seeds of mean `mean` and sample SD sd,
 * mean -/+ t(0.975, n - 1) sd sqrt(1 + 1/n) (*lo, *hi), "outside_seed_noise" if not, "unknown"
 * (and NaN bounds) when n < 2 or a value is not finite. */
const char *bn_seed_band(double x, double mean, double sd, int n, double *lo, double *hi);

#endif
