/* agg_tools.h - bnagg's two tools, each writing data files for a report page. */
#ifndef BN_AGG_TOOLS_H
#define BN_AGG_TOOLS_H

#include "aggregate.h"

/* Statistics across seeded runs of one configuration into folder dir (runs.info.tsv last). */
int bn_agg_seeds(const char *dir, char **runs, int nruns);
/* Which of two nets a and b depends more on a setting (the weight scale, the batch size), judged
 * over the seeds: per seed, each net's sample SD of a result across the setting's values
 * (bn_sd_across); then the paired difference SD_a - SD_b over the seeds (bn_paired: mean, SE,
 * 95% interval), `more` the net whose SD is larger by more than the seed-to-seed noise
 * (bn_verdict_interval: a, b or "undecided"), `side` the net whose SD is larger on average (a, b
 * or "neither") and `holds` the seeds whose own SD_a - SD_b has that sign (bn_paired_side). */
typedef struct {
    bn_stat a, b;
    bn_paired d;
    const char *more, *side;
    int holds;
} bn_dependence;
/* Sample SD (divisor m - 1) of the finite values of x[0..n), m their count; NaN when m < 2. */
double bn_sd_across(const double *x, long n);
void bn_dependence_of(bn_dependence *r, const double *sd_a, const double *sd_b, int n, const char *a, const char *b);

/* Runs A and B side by side, file by file and cell by cell, into folder dir (compare.info.tsv last). */
int bn_agg_compare(const char *dir, const char *A, const char *B);

/* The noise run RUN's own page judges its differences by (noise.h), into folder dir:
 * noise.tsv (per deep net and sweep scale) and noise_model.tsv (the model and its study). */
int bn_agg_noise(const char *dir, const char *run);

/* The page's comparisons (verdict.h) into folder dir: ledger.tsv (the reference notebook's
 * numbers, from the file `reference`, against RUN's), ablations.tsv and claims.tsv. */
int bn_agg_findings(const char *dir, const char *run, const char *reference);
/* The findings of every run's page (RUN/report/, bnagg findings), over the seeds, into folder dir:
 * claims_seeds.tsv, rescale_seeds.tsv, ablations_seeds.tsv and ledger_seeds.tsv (last); a file
 * the runs do not all have has its header alone. */
int bn_agg_findings_seeds(const char *dir, char **runs, int nruns);

#endif
