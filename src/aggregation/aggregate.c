/* aggregate.c - see aggregate.h. */
#include "aggregate.h"
#include "alloc.h"
#include "error.h"
#include "noise.h"
#include "number.h"
#include "outfile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void bn_stat_of(bn_stat *s, const double *v, int n)
{
    double *f = bn_malloc(sizeof(double) * (size_t)(n ? n : 1));
    int k = 0;
    for (int i = 0; i < n; i++) if (isfinite(v[i])) f[k++] = v[i];
    s->n = k;
    s->lo = s->hi = NAN;
    if (k == 0) {
        s->mean = s->sd = s->min = s->max = s->q10 = s->q90 = NAN;
    } else {
        s->mean = gsl_stats_mean(f, 1, k);
        s->sd = k > 1 ? gsl_stats_sd_m(f, 1, k, s->mean) : 0.0;
        gsl_stats_minmax(&s->min, &s->max, f, 1, k);
        bn_noise_mean_interval(s->mean, s->sd, k, BN_NOISE_ALPHA, &s->lo, &s->hi);
        gsl_sort(f, 1, (size_t)k);
        s->q10 = gsl_stats_quantile_from_sorted_data(f, 1, (size_t)k, 0.1);
        s->q90 = gsl_stats_quantile_from_sorted_data(f, 1, (size_t)k, 0.9);
    }
    free(f);
}

void bn_stat_header(bn_out *f, const char *P)
{
    bn_out_printf(f, "\t%s_mean\t%s_sd\t%s_min\t%s_max\t%s_n\t%s_mean_lo\t%s_mean_hi\t%s_q10\t%s_q90", P, P, P, P, P, P,
                  P, P, P);
}

void bn_stat_cells(bn_out *f, const bn_stat *s)
{
    const double v[8] = {s->mean, s->sd, s->min, s->max, s->lo, s->hi, s->q10, s->q90};
    char b[8][64];
    for (int i = 0; i < 8; i++) bn_fmt(b[i], sizeof b[i], v[i]);
    bn_out_printf(f, "\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s", b[0], b[1], b[2], b[3], s->n, b[4], b[5], b[6], b[7]);
}

void bn_paired_of(bn_paired *p, const double *a, const double *b, int n)
{
    double *d = bn_malloc(sizeof(double) * (size_t)(n ? n : 1));
    int k = 0;
    memset(p, 0, sizeof *p);
    for (int i = 0; i < n; i++) {
        if (!isfinite(a[i]) || !isfinite(b[i])) continue;
        d[k++] = a[i] - b[i];
        p->wins += a[i] > b[i];
        p->losses += a[i] < b[i];
        p->ties += a[i] == b[i];
    }
    p->n = k;
    p->lo = p->hi = NAN;
    if (k == 0) {
        p->mean = p->sd = p->se = NAN;
    } else {
        p->mean = gsl_stats_mean(d, 1, k);
        p->sd = k > 1 ? gsl_stats_sd_m(d, 1, k, p->mean) : 0.0;
        p->se = k > 1 ? p->sd / sqrt((double)k) : NAN;
        if (k > 1) {
            double t = gsl_cdf_tdist_Pinv(0.975, (double)(k - 1));
            p->lo = p->mean - t * p->se;
            p->hi = p->mean + t * p->se;
        }
    }
    free(d);
}

/* Column c of every table at row r, as doubles (non-numbers become NaN). */
static void gather(double *v, const bn_tsv *tabs, int ntabs, long r, const char *name)
{
    for (int t = 0; t < ntabs; t++) {
        int c = bn_tsv_col(&tabs[t], name);
        if (c < 0 || bn_tsv_num(&tabs[t], r, c, &v[t])) v[t] = NAN;
    }
}

int bn_agg_write(const char *dir, const char *out, const bn_tsv *tabs, int ntabs, const char *const *keys, int nkeys,
                 const bn_agg_col *cols, int ncols, char *err, size_t errlen)
{
    if (ntabs < 1) { snprintf(err, errlen, "%s: no runs to aggregate", out); return -1; }
    int *kc = bn_malloc(sizeof(int) * (size_t)(nkeys ? nkeys : 1));
    for (int t = 0; t < ntabs; t++) {
        if (tabs[t].nrows != tabs[0].nrows) {
            snprintf(err, errlen, "%s has %ld rows, %s has %ld: the runs are not of one configuration",
                     tabs[t].name, tabs[t].nrows, tabs[0].name, tabs[0].nrows);
            free(kc);
            return -1;
        }
        for (int i = 0; i < ncols; i++) {
            const char *need[2] = {cols[i].a, cols[i].b};
            for (int j = 0; j < 2; j++)
                if (need[j] && bn_tsv_col(&tabs[t], need[j]) < 0) {
                    snprintf(err, errlen, "%s: no column '%s'", tabs[t].name, need[j]);
                    free(kc);
                    return -1;
                }
        }
        for (int k = 0; k < nkeys; k++) {
            int c = bn_tsv_col(&tabs[t], keys[k]), c0 = bn_tsv_col(&tabs[0], keys[k]);
            if (c < 0) { snprintf(err, errlen, "%s: no column '%s'", tabs[t].name, keys[k]); free(kc); return -1; }
            kc[k] = c0;
            for (long r = 0; r < tabs[t].nrows; r++)
                if (strcmp(bn_tsv_cell(&tabs[t], r, c), bn_tsv_cell(&tabs[0], r, c0))) {
                    snprintf(err, errlen, "%s row %ld: %s is %s, %s has %s: the runs are not of one configuration",
                             tabs[t].name, r + 1, keys[k], bn_tsv_cell(&tabs[t], r, c), tabs[0].name,
                             bn_tsv_cell(&tabs[0], r, c0));
                    free(kc);
                    return -1;
                }
        }
    }

    bn_out f;
    char b1[64], b2[64], b3[64], b4[64], b5[64];
    double *va = bn_malloc(sizeof(double) * (size_t)ntabs), *vb = bn_malloc(sizeof(double) * (size_t)ntabs);
    bn_out_open(&f, dir, out);
    for (int k = 0; k < nkeys; k++) bn_out_printf(&f, "%s%s", k ? "\t" : "", keys[k]);
    for (int i = 0; i < ncols; i++) {
        const char *n = cols[i].name;
        if (cols[i].b)
            bn_out_printf(&f, "\t%s_diff_mean\t%s_diff_sd\t%s_diff_se\t%s_diff_lo\t%s_diff_hi\t%s_n\t%s_wins\t%s_losses\t%s_ties",
                          n, n, n, n, n, n, n, n, n);
        else
            bn_stat_header(&f, n);
    }
    bn_out_printf(&f, "\n");
    for (long r = 0; r < tabs[0].nrows; r++) {
        for (int k = 0; k < nkeys; k++) bn_out_printf(&f, "%s%s", k ? "\t" : "", bn_tsv_cell(&tabs[0], r, kc[k]));
        for (int i = 0; i < ncols; i++) {
            gather(va, tabs, ntabs, r, cols[i].a);
            if (cols[i].b) {
                bn_paired p;
                gather(vb, tabs, ntabs, r, cols[i].b);
                bn_paired_of(&p, va, vb, ntabs);
                bn_fmt(b1, sizeof b1, p.mean); bn_fmt(b2, sizeof b2, p.sd); bn_fmt(b3, sizeof b3, p.se);
                bn_fmt(b4, sizeof b4, p.lo); bn_fmt(b5, sizeof b5, p.hi);
                bn_out_printf(&f, "\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d", b1, b2, b3, b4, b5, p.n, p.wins, p.losses, p.ties);
            } else {
                bn_stat s;
                bn_stat_of(&s, va, ntabs);
                bn_stat_cells(&f, &s);
            }
        }
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
    free(va);
    free(vb);
    free(kc);
    return 0;
}

const char *bn_paired_side(const bn_paired *p, const char *first, const char *second, int *holds)
{
    if (p->mean > 0) { *holds = p->wins; return first; }
    if (p->mean < 0) { *holds = p->losses; return second; }
    *holds = p->ties;
    return "neither";
}

const char *bn_holds_compare(double lo, double hi, const char *const *v, int n, int *holds)
{
    const char *word = lo > 0 ? "higher" : hi < 0 ? "lower" : "within";
    *holds = 0;
    for (int i = 0; i < n; i++) *holds += !strcmp(v[i], word);
    return word;
}

const char *bn_holds_mode(const char *const *v, int n, int *holds)
{
    /* the distinct words in order of first appearance, and their counts: seeds give few words */
    const char **word = bn_malloc(sizeof *word * (size_t)(n ? n : 1));
    int *count = bn_calloc((size_t)(n ? n : 1), sizeof *count), nw = 0;
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < nw && strcmp(word[k], v[i])) k++;
        if (k == nw) word[nw++] = v[i];
        count[k]++;
    }
    const char *best = NULL;
    *holds = 0;
    for (int k = 0; k < nw; k++)
        if (count[k] > *holds) { *holds = count[k]; best = word[k]; }
    free(word);
    free(count);
    return best;
}

const char *bn_seed_band(double x, double mean, double sd, int n, double *lo, double *hi)
{
    *lo = *hi = NAN;
    if (n < 2 || !isfinite(x) || !isfinite(mean) || !isfinite(sd)) return "unknown";
    double h = gsl_cdf_tdist_Pinv(1 - BN_NOISE_ALPHA / 2, (double)(n - 1)) * sd * sqrt(1 + 1.0 / n);
    *lo = mean - h;
    *hi = mean + h;
    return x >= *lo && x <= *hi ? "within_seed_noise" : "outside_seed_noise";
}
