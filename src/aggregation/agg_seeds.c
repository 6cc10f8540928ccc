/* agg_seeds.c - `bnagg seeds`: statistics across seeded runs, written as data files for the
 * several-seed page. */
#define _XOPEN_SOURCE 700
#include "agg_tools.h"
#include "registry.h"
#include "aggregate.h"
#include "compare_rank.h"
#include "noise.h"
#include "alloc.h"
#include "error.h"
#include "guard.h"
#include "number.h"
#include "outfile.h"
#include "runinfo.h"
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read name from every run into tabs; fatal error naming the file on failure. */
static void read_all(bn_tsv *tabs, char **runs, int nruns, const char *name)
{
    char p[4200], err[1024];
    for (int i = 0; i < nruns; i++) {
        snprintf(p, sizeof p, "%s/%s", runs[i], name);
        if (bn_tsv_read(&tabs[i], p, err, sizeof err)) bn_die(1, "%s", err);
    }
}

static void free_all(bn_tsv *tabs, int n)
{
    for (int i = 0; i < n; i++) bn_tsv_free(&tabs[i]);
}

/* Aggregate `in` across runs into `out` if every run has it; returns 1 if written. */
static int agg(const char *dir, char **runs, int nruns, const char *in, const char *out, const char *const *keys,
               int nkeys, const bn_agg_col *cols, int ncols)
{
    for (int i = 0; i < nruns; i++) if (!bn_run_has(runs[i], in)) return 0;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    char err[1024];
    read_all(tabs, runs, nruns, in);
    if (bn_agg_write(dir, out, tabs, nruns, keys, nkeys, cols, ncols, err, sizeof err)) bn_die(1, "%s", err);
    free_all(tabs, nruns);
    free(tabs);
    return 1;
}

/* agg() of a registry row's aggregation (registry.h, bn_seed_agg): its key and value words as
 * bn_agg_col, NAME plain, NAME=A-B the paired difference A - B. */
static int agg_spec(const char *dir, char **runs, int nruns, const bn_seed_agg *a)
{
    enum { MAXW = 32 };
    char kw[MAXW][64], cw[MAXW][160];
    const char *keys[MAXW];
    bn_agg_col cols[MAXW];
    int nk = 0, nc = 0;
    while (nk < MAXW && bn_registry_word(a->keys, nk, kw[nk], sizeof kw[nk])) keys[nk] = kw[nk], nk++;
    while (nc < MAXW && bn_registry_word(a->cols, nc, cw[nc], sizeof cw[nc])) {
        char *w = cw[nc], *eq = strchr(w, '='), *minus = eq ? strchr(eq + 1, '-') : NULL;
        if (eq && !minus) bn_die(1, "internal error: %s's aggregation word %s is neither NAME nor NAME=A-B", a->in, w);
        if (eq) *eq = *minus = 0;
        cols[nc] = (bn_agg_col){w, eq ? eq + 1 : w, eq ? minus + 1 : NULL};
        nc++;
    }
    if (!nk || !nc || nk == MAXW || nc == MAXW)
        bn_die(1, "internal error: %s's aggregation needs 1 to %d key and value columns", a->in, MAXW - 1);
    return agg(dir, runs, nruns, a->in, a->out, keys, nk, cols, nc);
}

/* Experiment 7: per seed, each normalised net's best validation accuracy minus the baseline's
 * (batch 5), then paired statistics across seeds. */
static void agg_gap(const char *dir, char **runs, int nruns)
{
    const char *in = "exp7_batchsize.tsv";
    for (int i = 0; i < nruns; i++) if (!bn_run_has(runs[i], in)) return;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    read_all(tabs, runs, nruns, in);
    const bn_tsv *t0 = &tabs[0];
    int cn = bn_tsv_col(t0, "norm"), cb = bn_tsv_col(t0, "batch_size"), cv = bn_tsv_col(t0, "best_val");
    if (cn < 0 || cb < 0 || cv < 0) bn_die(1, "%s: missing norm, batch_size or best_val column", t0->name);
    long base = -1;
    for (long r = 0; r < t0->nrows; r++) if (!strcmp(bn_tsv_cell(t0, r, cn), "none")) base = r;
    if (base < 0) bn_die(1, "%s: no baseline row (norm none)", t0->name);
    double *a = bn_malloc(sizeof(double) * (size_t)nruns), *b = bn_malloc(sizeof(double) * (size_t)nruns);
    bn_out f;
    char m[64], s[64], e[64], lo[64], hi[64];
    bn_out_open(&f, dir, "exp7_gap_seeds.tsv");
    bn_out_printf(&f, "norm\tbatch_size\tgap_mean\tgap_sd\tgap_se\tgap_lo\tgap_hi\tn\twins\tlosses\tties\n");
    for (long r = 0; r < t0->nrows; r++) {
        if (r == base) continue;
        for (int i = 0; i < nruns; i++) {
            if (tabs[i].nrows != t0->nrows) bn_die(1, "%s and %s differ in rows", tabs[i].name, t0->name);
            if (bn_tsv_num(&tabs[i], r, cv, &a[i])) a[i] = NAN;
            if (bn_tsv_num(&tabs[i], base, cv, &b[i])) b[i] = NAN;
        }
        bn_paired p;
        bn_paired_of(&p, a, b, nruns);
        bn_fmt(m, sizeof m, p.mean); bn_fmt(s, sizeof s, p.sd); bn_fmt(e, sizeof e, p.se);
        bn_fmt(lo, sizeof lo, p.lo); bn_fmt(hi, sizeof hi, p.hi);
        bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", bn_tsv_cell(t0, r, cn), bn_tsv_cell(t0, r, cb),
                      m, s, e, lo, hi, p.n, p.wins, p.losses, p.ties);
    }
    bn_out_commit(&f);
    free(a);
    free(b);
    free_all(tabs, nruns);
    free(tabs);
}

/* Experiment 5's training loss, averaged over each epoch's iterations in every run, then the
 * mean, sd and range of those averages across runs: the loss curve of several seeds, smoothed
 * to one point per epoch. An epoch is the iterations after the previous epoch's accuracy check
 * up to its own (from exp5_deepnet_acc.tsv); an average is non-finite if any of its losses is. */
static void agg_epoch_loss(const char *dir, char **runs, int nruns)
{
    static const char *nets[] = {"batchnorm", "baseline"};
    for (int i = 0; i < nruns; i++)
        if (!bn_run_has(runs[i], "exp5_deepnet_loss.tsv") || !bn_run_has(runs[i], "exp5_deepnet_acc.tsv")) return;
    bn_tsv acc, *loss = bn_calloc((size_t)nruns, sizeof *loss);
    char p[4200], err[1024];
    snprintf(p, sizeof p, "%s/exp5_deepnet_acc.tsv", runs[0]);
    if (bn_tsv_read(&acc, p, err, sizeof err)) bn_die(1, "%s", err);
    read_all(loss, runs, nruns, "exp5_deepnet_loss.tsv");
    int ce = bn_tsv_col(&acc, "epoch"), ci = bn_tsv_col(&acc, "iteration");
    if (ce < 0 || ci < 0) bn_die(1, "%s: no epoch or iteration column", acc.name);
    /* end[e]: the last iteration of epoch e (1-based), the largest iteration checked at epoch e */
    long nep = 0, *end = bn_calloc((size_t)acc.nrows + 1, sizeof *end);
    for (long r = 0; r < acc.nrows; r++) {
        double e, it;
        if (bn_tsv_num(&acc, r, ce, &e) || bn_tsv_num(&acc, r, ci, &it) || e != floor(e) || e < 0 || e > (double)acc.nrows)
            bn_die(1, "%s row %ld: epoch or iteration is not a count", acc.name, r + 1);
        if (e < 1) continue;
        if ((long)e > nep + 1 || (long)e < nep) bn_die(1, "%s row %ld: epochs are not in order", acc.name, r + 1);
        nep = (long)e;
        if ((long)it > end[nep]) end[nep] = (long)it;
    }
    double *v = bn_malloc(sizeof(double) * (size_t)nruns * (size_t)(nep + 1) * 2);
    for (int i = 0; i < nruns; i++) {
        const bn_tsv *t = &loss[i];
        int cit = bn_tsv_col(t, "iteration"), cn[2] = {bn_tsv_col(t, nets[0]), bn_tsv_col(t, nets[1])};
        if (cit < 0 || cn[0] < 0 || cn[1] < 0) bn_die(1, "%s: no iteration, batchnorm or baseline column", t->name);
        for (long e = 1; e <= nep; e++) {
            for (int k = 0; k < 2; k++) {
                double sum = 0, x, it;
                long cnt = 0;
                for (long r = 0; r < t->nrows; r++) {
                    if (bn_tsv_num(t, r, cit, &it)) bn_die(1, "%s row %ld: iteration is not a number", t->name, r + 1);
                    if (it <= (double)end[e - 1] || it > (double)end[e]) continue;
                    if (bn_tsv_num(t, r, cn[k], &x)) x = NAN;
                    sum += x;
                    cnt++;
                }
                v[((size_t)e * 2 + (size_t)k) * (size_t)nruns + (size_t)i] = cnt ? sum / (double)cnt : NAN;
            }
        }
    }
    bn_out f;
    bn_out_open(&f, dir, "exp5_deepnet_epoch_loss_seeds.tsv");
    bn_out_printf(&f, "epoch\tfirst_iteration\tlast_iteration");
    for (int k = 0; k < 2; k++) bn_stat_header(&f, nets[k]);
    bn_out_printf(&f, "\n");
    for (long e = 1; e <= nep; e++) {
        bn_out_printf(&f, "%ld\t%ld\t%ld", e, end[e - 1] + 1, end[e]);
        for (int k = 0; k < 2; k++) {
            bn_stat st;
            bn_stat_of(&st, &v[((size_t)e * 2 + (size_t)k) * (size_t)nruns], nruns);
            bn_stat_cells(&f, &st);
        }
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
    free(v);
    free(end);
    bn_tsv_free(&acc);
    free_all(loss, nruns);
    free(loss);
}

/* `in` of every run, one after the other, with the run's index and seed in front: per-seed
 * values for the report's tables. The files must have the same columns. */
static void concat_runs(const char *dir, char **runs, int nruns, const bn_run_info *ri, const char *in, const char *out)
{
    for (int i = 0; i < nruns; i++) if (!bn_run_has(runs[i], in)) return;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    read_all(tabs, runs, nruns, in);
    bn_out f;
    bn_out_open(&f, dir, out);
    bn_out_printf(&f, "run\tseed");
    for (int c = 0; c < tabs[0].ncols; c++) bn_out_printf(&f, "\t%s", tabs[0].cols[c]);
    bn_out_printf(&f, "\n");
    for (int i = 0; i < nruns; i++) {
        if (tabs[i].ncols != tabs[0].ncols) bn_die(1, "%s and %s have different columns", tabs[i].name, tabs[0].name);
        for (int c = 0; c < tabs[0].ncols; c++)
            if (strcmp(tabs[i].cols[c], tabs[0].cols[c])) bn_die(1, "%s and %s have different columns", tabs[i].name, tabs[0].name);
        for (long r = 0; r < tabs[i].nrows; r++) {
            bn_out_printf(&f, "%d\t%s", i, ri[i].seed);
            for (int c = 0; c < tabs[i].ncols; c++) bn_out_printf(&f, "\t%s", bn_tsv_cell(&tabs[i], r, c));
            bn_out_printf(&f, "\n");
        }
    }
    bn_out_commit(&f);
    free_all(tabs, nruns);
    free(tabs);
}

double bn_sd_across(const double *x, long n)
{
    bn_stat st;
    bn_stat_of(&st, x, (int)n);
    return st.n >= 2 ? st.sd : NAN;
}

void bn_dependence_of(bn_dependence *r, const double *sd_a, const double *sd_b, int n, const char *a, const char *b)
{
    bn_stat_of(&r->a, sd_a, n);
    bn_stat_of(&r->b, sd_b, n);
    bn_paired_of(&r->d, sd_a, sd_b, n);
    r->more = bn_verdict_interval(r->d.lo, r->d.hi, a, b);
    r->side = bn_paired_side(&r->d, a, b, &r->holds);
}

/* bn_dependence_of the seeds' SDs into dir/out, one row named `measure`: the columns
 * measure A_mean B_mean diff_mean diff_sd diff_se diff_lo diff_hi n wins losses ties more side holds. */
static void dependence_write(const char *dir, const char *out, const char *measure, const char *a, const char *b,
                             const double *sd_a, const double *sd_b, int n)
{
    bn_dependence r;
    bn_dependence_of(&r, sd_a, sd_b, n, a, b);
    char v[7][64];
    const double x[7] = {r.a.mean, r.b.mean, r.d.mean, r.d.sd, r.d.se, r.d.lo, r.d.hi};
    for (int k = 0; k < 7; k++) bn_fmt(v[k], sizeof v[k], x[k]);
    bn_out f;
    bn_out_open(&f, dir, out);
    bn_out_printf(&f, "measure\t%s_mean\t%s_mean\tdiff_mean\tdiff_sd\tdiff_se\tdiff_lo\tdiff_hi\tn\twins\tlosses"
                      "\tties\tmore\tside\tholds\n", a, b);
    bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d\n", measure, v[0], v[1], v[2], v[3], v[4],
                  v[5], v[6], r.d.n, r.d.wins, r.d.losses, r.d.ties, r.more, r.side, r.holds);
    bn_out_commit(&f);
}

/* Experiment 6 seed by seed: over the scales of each run, each net's mean best validation
 * accuracy and its sample standard deviation (n - 1) across the scales (the single-seed page's
 * measure of how much a net depends on the scale), and at how many scales batchnorm's is
 * higher, lower or equal; then which net depends more on the scale, over the seeds
 * (exp6_dependence_seeds.tsv). */
static void sweep_by_seed(const char *dir, char **runs, int nruns, const bn_run_info *ri)
{
    static const char *cols[] = {"batchnorm_best_val", "baseline_best_val"};
    for (int i = 0; i < nruns; i++) if (!bn_run_has(runs[i], "exp6_sweep.tsv")) return;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    read_all(tabs, runs, nruns, "exp6_sweep.tsv");
    double *sd[2] = {bn_malloc(sizeof(double) * (size_t)nruns), bn_malloc(sizeof(double) * (size_t)nruns)};
    bn_out f;
    bn_out_open(&f, dir, "exp6_sweep_by_seed.tsv");
    bn_out_printf(&f, "run\tseed\tscales\tbatchnorm_best_val_mean\tbatchnorm_best_val_scale_sd\tbaseline_best_val_mean"
                      "\tbaseline_best_val_scale_sd\tbest_val_wins\tbest_val_losses\tbest_val_ties\n");
    for (int i = 0; i < nruns; i++) {
        const bn_tsv *t = &tabs[i];
        int c[2] = {bn_tsv_col(t, cols[0]), bn_tsv_col(t, cols[1])};
        if (c[0] < 0 || c[1] < 0) bn_die(1, "%s: no %s or %s column", t->name, cols[0], cols[1]);
        double *x[2] = {bn_malloc(sizeof(double) * (size_t)(t->nrows + 1)), bn_malloc(sizeof(double) * (size_t)(t->nrows + 1))};
        char b[4][64];
        for (int k = 0; k < 2; k++)
            for (long r = 0; r < t->nrows; r++)
                if (bn_tsv_num(t, r, c[k], &x[k][r])) x[k][r] = NAN;
        bn_paired pr;
        bn_paired_of(&pr, x[0], x[1], (int)t->nrows);
        for (int k = 0; k < 2; k++) {
            bn_stat st;
            bn_stat_of(&st, x[k], (int)t->nrows);
            sd[k][i] = bn_sd_across(x[k], t->nrows);
            bn_fmt(b[2 * k], 64, st.mean);
            bn_fmt(b[2 * k + 1], 64, st.n == 1 ? 0.0 : sd[k][i]);
        }
        bn_out_printf(&f, "%d\t%s\t%ld\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", i, ri[i].seed, t->nrows, b[0], b[1], b[2], b[3],
                      pr.wins, pr.losses, pr.ties);
        free(x[0]);
        free(x[1]);
    }
    bn_out_commit(&f);
    dependence_write(dir, "exp6_dependence_seeds.tsv", "best_val_sd_across_scales", "batchnorm", "baseline", sd[0], sd[1], nruns);
    free(sd[0]);
    free(sd[1]);
    free_all(tabs, nruns);
    free(tabs);
}

/* Paired t-tests of many rows at once: from each row's mean, se and n of a paired difference,
 * the two-sided p-value (t = mean / se on n - 1 degrees of freedom) and Holm's adjustment over
 * the rows, into p[] and adj[] (NaN where there is no test). Returns how many are flagged. */
static long holm_rows(const double *mean, const double *se, const double *n, long rows, double *p, double *adj)
{
    for (long r = 0; r < rows; r++) p[r] = bn_noise_mean_p(mean[r], se[r], n[r]);
    return bn_holm(p, rows, BN_NOISE_ALPHA, adj);
}

/* Which side a Holm-flagged paired difference favours: first (mean > 0), second, or undecided. */
static const char *holm_side(double adj, double mean, const char *first, const char *second)
{
    if (!(adj <= BN_NOISE_ALPHA)) return "undecided";
    return mean > 0 ? first : mean < 0 ? second : "undecided";
}

/* Does batchnorm depend more on the batch size than layernorm? Per seed, each net's sample SD of
 * its best validation accuracy across its batch sizes; then the paired difference batchnorm -
 * layernorm over the seeds, its 95% interval (Student's t) and verdict, into
 * exp7_dependence_seeds.tsv (one row). */
static void batchsize_dependence(const char *dir, char **runs, int nruns)
{
    static const char *norms[] = {"batchnorm", "layernorm"};
    for (int i = 0; i < nruns; i++) if (!bn_run_has(runs[i], "exp7_batchsize.tsv")) return;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    read_all(tabs, runs, nruns, "exp7_batchsize.tsv");
    double *sd[2] = {bn_malloc(sizeof(double) * (size_t)nruns), bn_malloc(sizeof(double) * (size_t)nruns)};
    for (int i = 0; i < nruns; i++) {
        const bn_tsv *t = &tabs[i];
        int cn = bn_tsv_col(t, "norm"), cv = bn_tsv_col(t, "best_val");
        if (cn < 0 || cv < 0) bn_die(1, "%s: missing norm or best_val column", t->name);
        for (int k = 0; k < 2; k++) {
            double *v = bn_malloc(sizeof(double) * (size_t)(t->nrows + 1));
            long n = 0;
            for (long r = 0; r < t->nrows; r++)
                if (!strcmp(bn_tsv_cell(t, r, cn), norms[k]) && bn_tsv_num(t, r, cv, &v[n]) == 0) n++;
            sd[k][i] = bn_sd_across(v, n);
            free(v);
        }
    }
    dependence_write(dir, "exp7_dependence_seeds.tsv", "best_val_sd_across_batch_sizes", norms[0], norms[1], sd[0], sd[1], nruns);
    free(sd[0]);
    free(sd[1]);
    free_all(tabs, nruns);
    free(tabs);
}

/* Experiment 7's gaps (exp7_gap_seeds.tsv): whether each one's 95% interval lies above zero, below
 * it, or contains it, Holm's verdict over the gaps, and the side of its mean with the seeds it
 * holds in, into exp7_gap_seeds_verdict.tsv. */
static void gap_verdict(const char *dir)
{
    char p[4200], err[1024];
    bn_tsv t;
    if (!bn_run_has(dir, "exp7_gap_seeds.tsv")) return;
    snprintf(p, sizeof p, "%s/exp7_gap_seeds.tsv", dir);
    if (bn_tsv_read(&t, p, err, sizeof err)) bn_die(1, "%s", err);
    int cn = bn_tsv_col(&t, "norm"), cb = bn_tsv_col(&t, "batch_size"), cl = bn_tsv_col(&t, "gap_lo"), ch = bn_tsv_col(&t, "gap_hi");
    int cm = bn_tsv_col(&t, "gap_mean"), cs = bn_tsv_col(&t, "gap_se"), cc = bn_tsv_col(&t, "n");
    int cw = bn_tsv_col(&t, "wins"), cL = bn_tsv_col(&t, "losses"), ct = bn_tsv_col(&t, "ties");
    if (cn < 0 || cb < 0 || cl < 0 || ch < 0 || cm < 0 || cs < 0 || cc < 0 || cw < 0 || cL < 0 || ct < 0)
        bn_die(1, "%s: missing norm, batch_size, gap_mean, gap_se, gap_lo, gap_hi, n, wins, losses or ties column", p);
    long rows = t.nrows;
    double *x = bn_malloc(sizeof(double) * (size_t)(5 * rows + 1)), *m = x, *se = x + rows, *n = x + 2 * rows,
           *pv = x + 3 * rows, *adj = x + 4 * rows;
    for (long r = 0; r < rows; r++) {
        if (bn_tsv_num(&t, r, cm, &m[r])) m[r] = NAN;
        if (bn_tsv_num(&t, r, cs, &se[r])) se[r] = NAN;
        if (bn_tsv_num(&t, r, cc, &n[r])) n[r] = NAN;
    }
    holm_rows(m, se, n, rows, pv, adj);
    bn_out f;
    bn_out_open(&f, dir, "exp7_gap_seeds_verdict.tsv");
    bn_out_printf(&f, "norm\tbatch_size\tgap\tgap_p\tgap_p_holm\tgap_holm\tgap_side\tgap_holds\n");
    for (long r = 0; r < rows; r++) {
        double lo, hi, w, l, ti;
        char b1[64], b2[64];
        if (bn_tsv_num(&t, r, cl, &lo)) lo = NAN;
        if (bn_tsv_num(&t, r, ch, &hi)) hi = NAN;
        if (bn_tsv_num(&t, r, cw, &w) || bn_tsv_num(&t, r, cL, &l) || bn_tsv_num(&t, r, ct, &ti))
            bn_die(1, "%s row %ld: wins, losses or ties is not a count", p, r + 1);
        const bn_paired pr = {.mean = m[r], .wins = (int)w, .losses = (int)l, .ties = (int)ti};
        int holds;
        const char *side = bn_paired_side(&pr, "above", "below", &holds);
        bn_fmt(b1, sizeof b1, pv[r]);
        bn_fmt(b2, sizeof b2, adj[r]);
        bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", bn_tsv_cell(&t, r, cn), bn_tsv_cell(&t, r, cb),
                      bn_verdict_interval(lo, hi, "above", "below"), b1, b2, holm_side(adj[r], m[r], "above", "below"),
                      side, holds);
    }
    bn_out_commit(&f);
    free(x);
    bn_tsv_free(&t);
}

/* The across-seed verdicts of a study's statistics (dir/in, as agg() wrote it) into dir/out:
 * per point, whether the 95% interval of batchnorm - baseline best validation accuracy lies above
 * zero (batchnorm), below (baseline) or contains it (undecided); which net is higher in every seed
 * (or neither); and whether each net fails to learn (best validation accuracy at most
 * BN_VERDICT_CHANCE_ACC) in every seed and in at least one; which net's final training loss is
 * the lower in every seed (or neither); and for the best validation and training accuracy and the final
 * loss, the side the mean of batchnorm - baseline falls on (batchnorm: higher) and in how many seeds
 * it holds (bn_paired_side). */
static void seeds_verdict(const char *dir, const char *in, const char *out)
{
    char p[4200], err[1024], ca[64];
    bn_tsv t;
    snprintf(p, sizeof p, "%s/%s", dir, in);
    if (!bn_run_has(dir, in)) return;
    if (bn_tsv_read(&t, p, err, sizeof err)) bn_die(1, "%s", err);
    static const char *need[] = {"point", "weight_scale", "best_val_diff_lo", "best_val_diff_hi", "best_val_n",
                                 "best_val_wins", "best_val_losses", "batchnorm_best_val_min",
                                 "batchnorm_best_val_max", "baseline_best_val_min", "baseline_best_val_max",
                                 "final_loss_n", "final_loss_wins", "final_loss_losses", "best_val_diff_mean",
                                 "best_val_diff_se", "best_val_ties", "best_train_diff_mean", "best_train_wins",
                                 "best_train_losses", "best_train_ties", "final_loss_diff_mean", "final_loss_ties"};
    enum { NEED = sizeof need / sizeof *need };
    int c[NEED];
    for (int k = 0; k < NEED; k++)
        if ((c[k] = bn_tsv_col(&t, need[k])) < 0) bn_die(1, "%s: no column %s", p, need[k]);
    bn_fmt(ca, sizeof ca, BN_VERDICT_CHANCE_ACC);
    bn_out f;
    bn_out_open(&f, dir, out);
    bn_out_printf(&f, "point\tweight_scale\tbest_val\thigher_every_seed\tbatchnorm_fails_every_seed"
                      "\tbatchnorm_fails_some_seed\tbaseline_fails_every_seed\tbaseline_fails_some_seed"
                      "\tlower_final_loss_every_seed\tchance_acc\tbest_val_p\tbest_val_p_holm\tbest_val_holm"
                      "\tbest_val_side\tbest_val_holds\tbest_train_side\tbest_train_holds\tfinal_loss_side"
                      "\tfinal_loss_holds\n");
    /* the paired t-test of best_val at every row, Holm-corrected over the rows */
    long rows = t.nrows;
    double *hx = bn_malloc(sizeof(double) * (size_t)(5 * rows + 1)), *hm = hx, *hs = hx + rows, *hn = hx + 2 * rows,
           *pv = hx + 3 * rows, *adj = hx + 4 * rows;
    for (long r = 0; r < rows; r++) {
        if (bn_tsv_num(&t, r, c[14], &hm[r])) hm[r] = NAN;
        if (bn_tsv_num(&t, r, c[15], &hs[r])) hs[r] = NAN;
        if (bn_tsv_num(&t, r, c[4], &hn[r])) hn[r] = NAN;
    }
    holm_rows(hm, hs, hn, rows, pv, adj);
    for (long r = 0; r < t.nrows; r++) {
        double x[NEED];
        char b1[64], b2[64];
        for (int k = 2; k < NEED; k++)
            if (bn_tsv_num(&t, r, c[k], &x[k])) x[k] = NAN;
        /* the direction of each mean difference, batchnorm - baseline, and the seeds it holds in */
        const bn_paired pd[3] = {{.mean = x[14], .wins = (int)x[5], .losses = (int)x[6], .ties = (int)x[16]},
                                  {.mean = x[17], .wins = (int)x[18], .losses = (int)x[19], .ties = (int)x[20]},
                                  {.mean = x[21], .wins = (int)x[12], .losses = (int)x[13], .ties = (int)x[22]}};
        const char *side[3];
        int holds[3];
        for (int k = 0; k < 3; k++) side[k] = bn_paired_side(&pd[k], "batchnorm", "baseline", &holds[k]);
        bn_fmt(b1, sizeof b1, pv[r]);
        bn_fmt(b2, sizeof b2, adj[r]);
        const char *every = x[4] > 0 && x[5] == x[4] ? "batchnorm" : x[4] > 0 && x[6] == x[4] ? "baseline" : "neither";
        const char *lower = x[11] > 0 && x[13] == x[11] ? "batchnorm" : x[11] > 0 && x[12] == x[11] ? "baseline" : "neither";
        /* fails in every seed: even the best seed's accuracy is at chance; in some: the worst seed's */
        bn_out_printf(&f, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%d\n",
                      bn_tsv_cell(&t, r, c[0]), bn_tsv_cell(&t, r, c[1]),
                      bn_verdict_interval(x[2], x[3], "batchnorm", "baseline"), every, bn_verdict_fails_to_learn(x[8]),
                      bn_verdict_fails_to_learn(x[7]), bn_verdict_fails_to_learn(x[10]), bn_verdict_fails_to_learn(x[9]),
                      lower, ca, b1, b2, holm_side(adj[r], x[14], "batchnorm", "baseline"), side[0], holds[0], side[1],
                      holds[1], side[2], holds[2]);
    }
    free(hx);
    bn_out_commit(&f);
    bn_tsv_free(&t);
}

/* machines.info.tsv: one row per set of GEMM kernels the runs were made with (a run made on several
 * machines is one row of its own, its kernels joined by "; "), with its CPU model(s) and how many
 * runs; mixed is 1 on every row when the runs do not share one kernel and one of them was made
 * before fixed-order arithmetic (its kernels then rounded in their own order), so the page says so. */
static void machines(const char *dir, const bn_run_info *ri, int nruns)
{
    int *first = bn_calloc((size_t)nruns, sizeof *first), *count = bn_calloc((size_t)nruns, sizeof *count), nk = 0;
    for (int i = 0; i < nruns; i++) {
        int k = 0;
        while (k < nk && strcmp(ri[first[k]].blas_core, ri[i].blas_core)) k++;
        if (k == nk) first[nk++] = i;
        count[k]++;
    }
    int any_cpu = 1;
    for (int i = 0; i < nruns; i++) any_cpu = any_cpu && bn_run_any_cpu(&ri[i]);
    int mixed = (nk > 1 || strchr(ri[0].blas_core, ';') != NULL) && !any_cpu;
    bn_out f;
    bn_out_open(&f, dir, "machines.info.tsv");
    bn_out_printf(&f, "kernel\tblas_core\tcpu_model\truns\tmixed\n");
    for (int k = 0; k < nk; k++)
        bn_out_printf(&f, "%d\t%s\t%s\t%d\t%d\n", k, ri[first[k]].blas_core, ri[first[k]].cpu_model, count[k], mixed);
    bn_out_commit(&f);
    free(first);
    free(count);
}

int bn_agg_seeds(const char *dir, char **runs, int nruns)
{
    /* Statistics across runs need independent runs of one configuration: checked before
     * anything is written. */
    bn_run_info *ri = bn_calloc((size_t)nruns, sizeof *ri);
    char why[1200];
    for (int i = 0; i < nruns; i++) {
        bn_run_info_get(runs[i], &ri[i]);
        for (int j = 0; j < i; j++) {
            if (strcmp(ri[i].seed, "unknown") && !strcmp(ri[i].seed, ri[j].seed))
                bn_die(1, "run folders %s and %s both have seed %s: the statistics need runs of different seeds", runs[j], runs[i], ri[i].seed);
        }
        if (i && (bn_run_kv_differ(runs[0], runs[i], "params.info.tsv", "seed", why, sizeof why) ||
                  bn_run_kv_differ(runs[0], runs[i], "dataset.info.tsv", "folder", why, sizeof why)))
            bn_die(1, "the runs are not of one configuration: %s", why);
    }
    bn_mkdir_p(dir);
    /* the completion file goes first and comes back last: a failure leaves none to vouch */
    bn_remove_done(dir, "runs.info.tsv");
    int wrote = 0;
    for (int i = 0; i < bn_n_experiments; i++)
        for (const bn_seed_agg *a = bn_experiments[i].aggregate; a && a->in; a++) wrote += agg_spec(dir, runs, nruns, a);
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_judged *j = bn_experiments[i].judged;
        if (j && j->seeds_verdict) seeds_verdict(dir, j->seeds, j->seeds_verdict);
    }
    agg_gap(dir, runs, nruns);
    gap_verdict(dir);
    batchsize_dependence(dir, runs, nruns);
    if (!wrote) bn_die(1, "no experiment 5, 6 or 7 data files common to all %d runs", nruns);
    agg_epoch_loss(dir, runs, nruns);
    concat_runs(dir, runs, nruns, ri, "exp5_deepnet.tsv", "exp5_deepnet_by_seed.tsv");
    sweep_by_seed(dir, runs, nruns, ri);
    char sdir[4200];
    snprintf(sdir, sizeof sdir, "%s/report", dir);
    if (bn_section_links(dir, "run_sections.tsv", sdir, runs, NULL, nruns, why, sizeof why)) bn_die(1, "%s", why);

    machines(dir, ri, nruns);
    /* written last: its presence means the aggregation finished. `page` is each run's report
     * page relative to this folder's report page, then a link to each of its sections (one table
     * of the page holds both); same_options is 1 where the run's bnlab options and dataset are the
     * first run's, so that the page can state them once. */
    static const char *sections[] = {"checks", "deepnet", "sweep", "layernorm", "batchsize"};
    bn_out f;
    char rdir[4200], page[4400];
    snprintf(rdir, sizeof rdir, "%s/report", dir);
    bn_out_open(&f, dir, "runs.info.tsv");
    bn_out_printf(&f, "run\tseed\tfolder\tpage\tdataset\tbnflags\tblas_core\tsame_options");
    for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) bn_out_printf(&f, "\t%s", sections[k]);
    bn_out_printf(&f, "\n");
    for (int i = 0; i < nruns; i++) {
        char rel[4200];
        if (bn_rel_path(rdir, runs[i], rel, sizeof rel)) bn_die(1, "%s: path too long", runs[i]);
        snprintf(page, sizeof page, "%s/report/index.html", rel);
        int same = !strcmp(ri[i].bnflags, ri[0].bnflags) && !strcmp(ri[i].dataset, ri[0].dataset);
        bn_out_printf(&f, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d", i, ri[i].seed, runs[i], page, ri[i].dataset, ri[i].bnflags,
                      ri[i].blas_core, same);
        for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) bn_out_printf(&f, "\t%s#sec-%s", page, sections[k]);
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
    for (int i = 0; i < nruns; i++) bn_run_info_free(&ri[i]);
    free(ri);
    bn_progress("bnagg: %d runs aggregated into %s", nruns, dir);
    return 0;
}
