/* compare_rank.h - which differences between two runs exceed the noise (noise.h), ranked, for
 * the compare page; and the links from an aggregated page to each run's page sections. */
#ifndef BN_COMPARE_RANK_H
#define BN_COMPARE_RANK_H

#include <stddef.h>

#include "noise.h"

/* Write dir/compare_ranked.tsv (every training metric found in both runs A and B, judged by
 * the noise model of noise.h, ranked: those flagged after Holm's correction first, then by
 * p-value) and dir/compare_noise.tsv (the model's parameters, the study it took the
 * seed-to-seed SD from, whether A and B are one configuration, and the counts).
 * studies: the folder searched for several-seed studies (seeds-*) of A's configuration, NULL
 * for the folder A is in. -1 with the problem in err. */
int bn_compare_rank(const char *dir, const char *A, const char *B, const char *studies, char *err, size_t errlen);

/* The several-seed study of run A's configuration (see compare_rank.c) in folder root (NULL:
 * the folder A is in): its folder into dir, its number of runs into *n, whether it holds a run
 * of A's seed into *has_a. 0 if there is none. */
int bn_find_study(const char *root, const char *A, char *dir, size_t dirlen, int *n, int *has_a);

/* Write dir/out: one row per run (label, then for each seed-page section id - sec-checks,
 * sec-deepnet, sec-sweep, sec-batchsize, sec-layernorm - a link from folder `from` to that
 * section of the run's page run/report/index.html). -1 with the problem in err. */
int bn_section_links(const char *dir, const char *out, const char *from, char *const *runs,
                     const char *const *labels, int nruns, char *err, size_t errlen);

#endif
