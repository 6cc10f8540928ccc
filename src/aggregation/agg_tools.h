/* agg_tools.h - bnagg's two tools, each writing data files for a report page. */
#ifndef BN_AGG_TOOLS_H
#define BN_AGG_TOOLS_H

/* Statistics across seeded runs of one configuration into folder dir (runs.info.tsv last). */
int bn_agg_seeds(const char *dir, char **runs, int nruns);
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
