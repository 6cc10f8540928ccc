/* agg_noise.c - `bnagg noise`: the noise a single run's page judges its own differences by (the
 * model of noise.h), written as data files beside the page.
 *
 * The seed page compares batchnorm with the baseline on one seed: d = batchnorm's best
 * validation accuracy - the baseline's, for the deep net and at every scale of the sweep. With a
 * several-seed study of the run's configuration, d is judged against that study's seed-to-seed
 * SD of d plus the within-run binomial SEs (Student's t on the study's degrees of freedom);
 * without one, against the binomial SEs alone, which cover only the sampling of the validation
 * images and not the spread from seed to seed: the page says so. */
#include "agg_tools.h"
#include "compare_rank.h"
#include "error.h"
#include "noise.h"
#include "number.h"
#include "outfile.h"
#include "registry.h"
#include "runinfo.h"
#include "tsv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The study's SD of best_val_diff at sweep point `point` (its n into *n; 0 if absent). */
static double study_sd(const bn_tsv *st, const char *point, int *n)
{
    int cp = bn_tsv_col(st, "point"), cs = bn_tsv_col(st, "best_val_diff_sd"), cn = bn_tsv_col(st, "best_val_n");
    *n = 0;
    for (long r = 0; cp >= 0 && cs >= 0 && cn >= 0 && r < st->nrows; r++) {
        double sd, k;
        if (strcmp(bn_tsv_cell(st, r, cp), point)) continue;
        if (bn_tsv_num(st, r, cs, &sd) || bn_tsv_num(st, r, cn, &k) || !isfinite(sd) || k < 2) return NAN;
        *n = (int)k;
        return sd;
    }
    return NAN;
}

int bn_agg_noise(const char *dir, const char *run)
{
    char sdir[4200], p[4400], err[1200], v[10][64];
    int nseeds = 0, has_run = 0;
    int have = bn_find_study(NULL, run, sdir, sizeof sdir, &nseeds, &has_run);
    long num_val = -1;
    char *nv = bn_run_kv(run, "params.info.tsv", "num_val");
    if (nv) num_val = atol(nv);
    free(nv);
    bn_mkdir_p(dir);
    bn_out f;
    bn_out_open(&f, dir, "noise.tsv");
    bn_out_printf(&f, "experiment\tpoint\tweight_scale\tbatchnorm_best_val\tbaseline_best_val\tdiff\tse_within\tsd_seed"
                      "\tn_seed\tse\tdf\tthreshold\tlo\thi\tp\tverdict\n");
    /* the experiments the run page judges (a registry row's .judged with noise): the run's
     * summary file and the study's statistics of it */
    for (int e = 0; e < bn_n_experiments; e++) {
        const bn_judged *j = bn_experiments[e].judged;
        bn_tsv t, st;
        int has_st = 0;
        if (!j || !j->noise || !bn_run_has(run, j->summary)) continue;
        snprintf(p, sizeof p, "%s/%s", run, j->summary);
        if (bn_tsv_read(&t, p, err, sizeof err)) bn_die(1, "%s", err);
        if (have && bn_run_has(sdir, j->seeds)) {
            snprintf(p, sizeof p, "%s/%s", sdir, j->seeds);
            if (bn_tsv_read(&st, p, err, sizeof err)) bn_die(1, "%s", err);
            has_st = 1;
        }
        int cp = bn_tsv_col(&t, "point"), cw = bn_tsv_col(&t, "weight_scale"), cb = bn_tsv_col(&t, "batchnorm_best_val"),
            cl = bn_tsv_col(&t, "baseline_best_val");
        if (cp < 0 || cw < 0 || cb < 0 || cl < 0) bn_die(1, "%s: missing point, weight_scale or best_val columns", t.name);
        for (long r = 0; r < t.nrows; r++) {
            double a, b;
            int n = 0;
            if (bn_tsv_num(&t, r, cb, &a)) a = NAN;
            if (bn_tsv_num(&t, r, cl, &b)) b = NAN;
            double sea = bn_binomial_se(a, num_val), seb = bn_binomial_se(b, num_val);
            double sd = has_st ? study_sd(&st, bn_tsv_cell(&t, r, cp), &n) : NAN;
            bn_noise_test x;
            bn_noise_single(&x, a - b, sqrt(sea * sea + seb * seb), sd, n);
            const char *verdict = isnan(x.p) ? "unknown" : x.lo > 0 ? "batchnorm" : x.hi < 0 ? "baseline" : "within";
            const double nums[10] = {a, b, x.diff, sqrt(sea * sea + seb * seb), sd, x.se, x.df,
                                     bn_noise_quantile(BN_NOISE_ALPHA, x.df) * x.se, x.lo, x.hi};
            for (int k = 0; k < 10; k++) bn_fmt(v[k], sizeof v[k], nums[k]);
            char pv[64];
            bn_fmt(pv, sizeof pv, x.p);
            bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", bn_experiments[e].command,
                          bn_tsv_cell(&t, r, cp), bn_tsv_cell(&t, r, cw), v[0], v[1], v[2], v[3], v[4], n, v[5], v[6],
                          v[7], v[8], v[9], pv, verdict);
        }
        bn_tsv_free(&t);
        if (has_st) bn_tsv_free(&st);
    }
    bn_out_commit(&f);
    char alpha[64], q[64];
    bn_fmt(alpha, sizeof alpha, BN_NOISE_ALPHA);
    bn_fmt(q, sizeof q, bn_noise_quantile(BN_NOISE_ALPHA, have ? (double)(nseeds - 1) : INFINITY));
    bn_out_open(&f, dir, "noise_model.tsv");
    bn_out_printf(&f, "key\tvalue\nalpha\t%s\nquantile\t%s\nnum_val\t%ld\nstudy\t%d\nstudy_folder\t%s\nstudy_seeds\t%d\n"
                      "study_df\t%d\nstudy_has_run\t%d\nmin_study_seeds\t%d\ncovers\t%s\n",
                  alpha, q, num_val, have, have ? sdir : "", nseeds, have ? nseeds - 1 : 0, has_run, BN_NOISE_MIN_SEEDS,
                  have ? "the spread from seed to seed and the sampling of the validation images"
                       : "only the sampling of the validation images, not the spread from seed to seed");
    bn_out_commit(&f);
    bn_progress("bnagg: %s: noise of %s (%s)", dir, run, have ? sdir : "sampling only, no study");
    return 0;
}
