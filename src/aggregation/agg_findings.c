/* agg_findings.c - `bnagg findings`: the claims of a run's page that compare results, each
 * judged by a tested verdict function (verdict.h), written as data files beside the page:
 *   ledger.tsv     every number the reference notebook printed (REFERENCE, report/
 *                  reference_notebook.tsv) beside this run's value, with a verdict ("absent"
 *                  where a run with other settings, such as fewer epochs, has no such number)
 *   ablations.tsv  experiment 9's trainings against the sweep's batchnorm training at the same
 *                  point, per metric, beyond or within sampling noise
 *   claims.tsv     the batch-size comparisons of experiment 7 (batchnorm, layer norm), judged by
 *                  the noise model with the seed-to-seed spread of a several-seed study of the
 *                  run's configuration where one is beside it (its column `covers` says which)
 *   rescale.tsv    experiment 8's rescaling (the same columns): the loss, and the gradient times the factor, with
 *                  one weight matrix multiplied by 10, against factor 1 (unchanged within
 *                  BN_VERDICT_INVARIANT_REL: the loss does not depend on the matrix's size, and
 *                  its gradient scales as 1 / size)
 * Accuracies are judged against the sampling noise of their difference: q sqrt(se_a^2 + se_b^2),
 * the binomial SEs on the images they were measured on, q the normal quantile of the noise model
 * (noise.h); one seed cannot show the spread from seed to seed, and the page says so. */
#include "agg_tools.h"
#include "aggregate.h"
#include "alloc.h"
#include "compare_rank.h"
#include "error.h"
#include "noise.h"
#include "number.h"
#include "outfile.h"
#include "readfile.h"
#include "render.h"
#include "runinfo.h"
#include "tsv.h"
#include "verdict.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 32

typedef struct {
    const char *dir;
    bn_tsv *tabs[MAX_TABLES];
    int n;
} tables;

/* A data file of the run folder by its plain name, read once. */
static const bn_tsv *load(void *ctx, const char *name, char *err, size_t errlen)
{
    tables *t = ctx;
    for (int i = 0; i < t->n; i++)
        if (!strcmp(t->tabs[i]->name, name)) return t->tabs[i];
    size_t L = strlen(name);
    int ok = L > 4 && L < 200 && name[0] != '.' && !strcmp(name + L - 4, ".tsv") && t->n < MAX_TABLES;
    for (const char *p = name; ok && *p; p++) ok = isalnum((unsigned char)*p) || strchr("._-", *p);
    if (!ok) {
        snprintf(err, errlen, "'%s' is not a data file name of the run folder", name);
        return NULL;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    bn_tsv *tab = bn_malloc(sizeof *tab);
    if (bn_tsv_read(tab, path, err, errlen)) {
        free(tab);
        return NULL;
    }
    snprintf(tab->name, sizeof tab->name, "%s", name);
    t->tabs[t->n++] = tab;
    return tab;
}

/* The number a template query gives (render.h), e.g. "exp4_initial_loss.tsv:initial_loss:reg=0";
 * *absent set (and NaN returned) when the query selects no row: a run with other settings (fewer
 * epochs) has no such number. */
static double query(tables *t, const char *q, const char *what, int *absent)
{
    char tmpl[600], err[1200];
    if (strlen(q) > 500 || strstr(q, "}}")) bn_die(1, "%s: query too long or malformed: %s", what, q);
    snprintf(tmpl, sizeof tmpl, "{{%s|%%.17g}}", q);
    bn_lookup lk = {load, t, NULL, NULL, 0, 0};
    bn_buf out = {0};
    *absent = 0;
    if (bn_render(tmpl, strlen(tmpl), &lk, &out, err, sizeof err)) {
        if (!strstr(err, ": selects 0 rows of ")) bn_die(1, "%s: %s", what, err);
        *absent = 1;
        bn_buf_free(&out);
        return NAN;
    }
    double v;
    if (!out.s || !bn_parse_num(out.s, &v)) v = NAN;
    bn_buf_free(&out);
    return v;
}

static const char *cell(const bn_tsv *t, long r, const char *col)
{
    int c = bn_tsv_col(t, col);
    if (c < 0) bn_die(1, "%s: no column %s", t->name, col);
    return bn_tsv_cell(t, r, c);
}

static double num(const bn_tsv *t, long r, const char *col)
{
    double v;
    int c = bn_tsv_col(t, col);
    if (c < 0) bn_die(1, "%s: no column %s", t->name, col);
    return bn_tsv_num(t, r, c, &v) ? NAN : v;
}

/* The sampling noise of the difference of two accuracies measured on n items each. */
static double acc_threshold(double a, double b, long n)
{
    double sa = bn_binomial_se(a, n), sb = bn_binomial_se(b, n);
    return bn_noise_quantile(BN_NOISE_ALPHA, INFINITY) * sqrt(sa * sa + sb * sb);
}

static long run_count(const char *run, const char *key)
{
    char *v = bn_run_kv(run, "params.info.tsv", key);
    long n = v ? atol(v) : -1;
    free(v);
    if (n < 1) bn_die(1, "%s/params.info.tsv: no positive %s", run, key);
    return n;
}

static void ledger(const char *dir, const char *run, const char *reference, tables *t)
{
    bn_tsv ref;
    char err[1200], v[5][64];
    if (bn_tsv_read(&ref, reference, err, sizeof err)) bn_die(1, "%s", err);
    bn_out f;
    bn_out_open(&f, dir, "ledger.tsv");
    bn_out_printf(&f, "id\tcell\tquantity\treference\trun\tdiff\trule\ttol\texpected\tverdict\twhy\n");
    for (long r = 0; r < ref.nrows; r++) {
        const char *rule = cell(&ref, r, "rule"), *nkey = cell(&ref, r, "noise_n");
        char what[300];
        snprintf(what, sizeof what, "%s row %ld", reference, r + 1);
        int absent;
        double a = num(&ref, r, "reference"), b = query(t, cell(&ref, r, "query"), what, &absent);
        double tol = num(&ref, r, "tol"), expected = num(&ref, r, "expected");
        if (*nkey) tol = acc_threshold(a, b, run_count(run, nkey));
        const char *verdict = bn_verdict_ledger(rule, a, b, tol, expected);
        if (!verdict) bn_die(1, "%s: unknown rule '%s'", what, rule);
        if (absent) verdict = "absent";
        const double x[5] = {a, b, b - a, tol, expected};
        for (int k = 0; k < 5; k++) bn_fmt(v[k], sizeof v[k], x[k]);
        int explained = strcmp(verdict, "equal") && strcmp(verdict, "within_noise") && strcmp(verdict, "absent");
        bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(&ref, r, "id"), cell(&ref, r, "cell"),
                      cell(&ref, r, "quantity"), cell(&ref, r, "reference"), v[1], v[2], rule,
                      isfinite(tol) ? v[3] : "", isfinite(expected) ? v[4] : "", verdict,
                      explained ? cell(&ref, r, "why") : "");
    }
    bn_out_commit(&f);
    bn_tsv_free(&ref);
}

/* Each ablation against the sweep's batchnorm training at its point. */
static void ablations(const char *dir, const char *run, tables *t)
{
    char err[1200];
    const bn_tsv *ab = load(t, "exp9_ablations.tsv", err, sizeof err), *sw = load(t, "exp6_sweep.tsv", err, sizeof err);
    if (!ab || !sw) return;
    static const struct { const char *metric, *sweep_col, *n_key; } metrics[] = {
        {"best_val", "batchnorm_best_val", "num_val"},
        {"best_train", "batchnorm_best_train", "accuracy_train_samples"},
    };
    bn_out f;
    char v[5][64];
    bn_out_open(&f, dir, "ablations.tsv");
    bn_out_printf(&f, "ablation\tpoint\tweight_scale\tmetric\tablated\tsweep\tdiff\tthreshold\tverdict\n");
    for (long r = 0; r < ab->nrows; r++) {
        const char *point = cell(ab, r, "point");
        long s = -1;
        for (long k = 0; k < sw->nrows; k++)
            if (!strcmp(cell(sw, k, "point"), point)) s = k;
        if (s < 0) bn_die(1, "exp6_sweep.tsv has no point %s, which exp9_ablations.tsv names", point);
        for (size_t m = 0; m < sizeof metrics / sizeof *metrics; m++) {
            double a = num(ab, r, metrics[m].metric), b = num(sw, s, metrics[m].sweep_col);
            double thr = acc_threshold(a, b, run_count(run, metrics[m].n_key));
            const double x[5] = {a, b, a - b, thr};
            for (int k = 0; k < 4; k++) bn_fmt(v[k], sizeof v[k], x[k]);
            bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cell(ab, r, "ablation"), point,
                          cell(ab, r, "weight_scale"), metrics[m].metric, v[0], v[1], v[2], v[3],
                          bn_verdict_compare(a - b, thr));
        }
    }
    bn_out_commit(&f);
}

/* Experiment 8's rescaling rows: per net, point and layer, factor 10 against factor 1. */
static void rescale(bn_out *f, tables *t)
{
    char err[1200], v[4][64];
    const bn_tsv *rs = load(t, "exp8_rescale.tsv", err, sizeof err);
    if (!rs) return;
    static const struct { const char *claim, *col; } metrics[] = {
        {"rescaled_loss", "loss"}, {"rescaled_grad_times_factor", "grad_norm_times_factor"}};
    for (long r = 0; r < rs->nrows; r++) {
        if (num(rs, r, "factor") != 1.0) continue;
        for (long k = 0; k < rs->nrows; k++) {
            if (num(rs, k, "factor") != 10.0 || strcmp(cell(rs, k, "norm"), cell(rs, r, "norm")) ||
                strcmp(cell(rs, k, "point"), cell(rs, r, "point")) || strcmp(cell(rs, k, "layer"), cell(rs, r, "layer")))
                continue;
            for (int m = 0; m < 2; m++) {
                double a = num(rs, r, metrics[m].col), b = num(rs, k, metrics[m].col);
                double thr = BN_VERDICT_INVARIANT_REL * fabs(a);
                const double x[4] = {a, b, b - a, thr};
                for (int i = 0; i < 4; i++) bn_fmt(v[i], sizeof v[i], x[i]);
                bn_out_printf(f, "%s\t%s\t%s\tlayer%s\t1\t10\t%s\t%s\t%s\t%s\t%s\n", metrics[m].claim,
                              cell(rs, r, "norm"), cell(rs, r, "weight_scale"), cell(rs, r, "layer"), v[0], v[1], v[2],
                              v[3], bn_verdict_compare(b - a, thr));
            }
        }
    }
}

/* The seed-to-seed SD of METRIC in row (norm, batch size) of a study's exp7_batchsize_seeds.tsv,
 * and its number of seeds (NAN and 0 where the study has no such row). */
static double study_sd(const bn_tsv *st, const char *norm, const char *bs, const char *metric, int *n)
{
    char sdc[64], nc[64];
    snprintf(sdc, sizeof sdc, "%s_sd", metric);
    snprintf(nc, sizeof nc, "%s_n", metric);
    int cn = bn_tsv_col(st, "norm"), cb = bn_tsv_col(st, "batch_size"), cs = bn_tsv_col(st, sdc), ck = bn_tsv_col(st, nc);
    *n = 0;
    if (cn < 0 || cb < 0 || cs < 0 || ck < 0) return NAN;
    for (long r = 0; r < st->nrows; r++) {
        double sd, k;
        if (strcmp(bn_tsv_cell(st, r, cn), norm) || strcmp(bn_tsv_cell(st, r, cb), bs)) continue;
        if (bn_tsv_num(st, r, cs, &sd) || bn_tsv_num(st, r, ck, &k) || !isfinite(sd) || k < 2) return NAN;
        *n = (int)k;
        return sd;
    }
    return NAN;
}

/* Experiment 7's comparisons: per normalisation, the largest batch against the smallest; and
 * layer norm against batchnorm at the smallest and at the largest batch. Each b - a is judged by
 * the noise model (noise.h): its sampling noise (the binomial SEs) and, with a several-seed study
 * of the run's configuration beside it, the seed-to-seed SD of the difference, bounded above by
 * the sum of the two trainings' SDs over the seeds (whatever their correlation), on the study's
 * n - 1 degrees of freedom. The threshold is the half-width of the 95% interval. */
static void claims(const char *dir, const char *run, tables *t)
{
    char err[1200];
    const bn_tsv *bs = load(t, "exp7_batchsize.tsv", err, sizeof err);
    if (!bs) return;
    static const char *const norms[] = {"batchnorm", "layernorm"};
    static const struct { const char *metric, *n_key; } metrics[] = {
        {"best_train", "accuracy_train_samples"}, {"best_val", "num_val"}};
    /* rows of the smallest and largest batch size of each normalisation */
    long lo[2] = {-1, -1}, hi[2] = {-1, -1};
    for (long r = 0; r < bs->nrows; r++)
        for (int n = 0; n < 2; n++) {
            if (strcmp(cell(bs, r, "norm"), norms[n])) continue;
            double b = num(bs, r, "batch_size");
            if (lo[n] < 0 || b < num(bs, lo[n], "batch_size")) lo[n] = r;
            if (hi[n] < 0 || b > num(bs, hi[n], "batch_size")) hi[n] = r;
        }
    if (lo[0] < 0 || lo[1] < 0) bn_die(1, "exp7_batchsize.tsv: no batchnorm or layernorm rows");
    char sdir[4200], sp[4400];
    int nseeds = 0, has_run = 0, has_st = 0;
    bn_tsv st;
    if (bn_find_study(NULL, run, sdir, sizeof sdir, &nseeds, &has_run) && bn_run_has(sdir, "exp7_batchsize_seeds.tsv")) {
        snprintf(sp, sizeof sp, "%s/exp7_batchsize_seeds.tsv", sdir);
        if (bn_tsv_read(&st, sp, err, sizeof err)) bn_die(1, "%s", err);
        has_st = 1;
    }
    bn_out f;
    char v[4][64];
    bn_out_open(&f, dir, "claims.tsv");
    bn_out_printf(&f, "claim\tnorm\tweight_scale\tmetric\tat_a\tat_b\ta\tb\tdiff\tthreshold\tverdict\tcovers\n");
    for (size_t m = 0; m < sizeof metrics / sizeof *metrics; m++) {
        long n_items = run_count(run, metrics[m].n_key);
        /* b - a, for: each norm, largest batch - smallest; layernorm - batchnorm at each end */
        const struct { const char *claim, *norm; long ra, rb; } pairs[] = {
            {"largest_minus_smallest_batch", "batchnorm", lo[0], hi[0]},
            {"largest_minus_smallest_batch", "layernorm", lo[1], hi[1]},
            {"layernorm_minus_batchnorm_smallest", "both", lo[0], lo[1]},
            {"layernorm_minus_batchnorm_largest", "both", hi[0], hi[1]},
        };
        for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
            double a = num(bs, pairs[p].ra, metrics[m].metric), b = num(bs, pairs[p].rb, metrics[m].metric);
            double sea = bn_binomial_se(a, n_items), seb = bn_binomial_se(b, n_items), thr = acc_threshold(a, b, n_items);
            int na = 0, nb = 0;
            double sda = has_st ? study_sd(&st, cell(bs, pairs[p].ra, "norm"), cell(bs, pairs[p].ra, "batch_size"),
                                           metrics[m].metric, &na) : NAN;
            double sdb = has_st ? study_sd(&st, cell(bs, pairs[p].rb, "norm"), cell(bs, pairs[p].rb, "batch_size"),
                                           metrics[m].metric, &nb) : NAN;
            int seed = isfinite(sda) && isfinite(sdb);
            if (seed) {
                bn_noise_test x;
                bn_noise_single(&x, b - a, sqrt(sea * sea + seb * seb), sda + sdb, na < nb ? na : nb);
                thr = bn_noise_quantile(BN_NOISE_ALPHA, x.df) * x.se;
            }
            const double x[4] = {a, b, b - a, thr};
            for (int k = 0; k < 4; k++) bn_fmt(v[k], sizeof v[k], x[k]);
            bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", pairs[p].claim, pairs[p].norm,
                          "",
                          metrics[m].metric, cell(bs, pairs[p].ra, "batch_size"), cell(bs, pairs[p].rb, "batch_size"),
                          v[0], v[1], v[2], v[3], bn_verdict_compare(b - a, thr), seed ? "seed" : "sampling");
        }
    }
    bn_out_commit(&f);
    if (has_st) bn_tsv_free(&st);
    bn_out_open(&f, dir, "rescale.tsv");
    bn_out_printf(&f, "claim\tnorm\tweight_scale\tmetric\tat_a\tat_b\ta\tb\tdiff\tthreshold\tverdict\n");
    rescale(&f, t);
    bn_out_commit(&f);
}

int bn_agg_findings(const char *dir, const char *run, const char *reference)
{
    tables t = {.dir = run};
    bn_mkdir_p(dir);
    ledger(dir, run, reference, &t);
    ablations(dir, run, &t);
    claims(dir, run, &t);
    for (int i = 0; i < t.n; i++) {
        bn_tsv_free(t.tabs[i]);
        free(t.tabs[i]);
    }
    bn_progress("bnagg: %s: findings of %s against %s", dir, run, reference);
    return 0;
}

/* ---- the same findings over several seeds (bnagg claims) ----
 * Each file of the findings of one run's page (RUN/report/, as bnagg findings wrote them), one row
 * per comparison, becomes one file over the seeds with
 * the same rows: the keys, the statistics of the value over the seeds (bn_stat), and what the
 * seeds say of it. A comparison judged against noise (claims, ablations): the statement over the
 * seeds (higher, lower or within: from the 95% interval of the mean difference, and from the
 * paired t-test Holm-corrected over the file's rows), the side of the mean and in how many seeds
 * it holds (bn_paired_side: the seeds whose own difference has that sign), and how many seeds'
 * own pages said each word (pages_WORD); one judged against a tolerance (rescale), the verdict
 * most seeds gave (bn_holds_mode) and how many gave it instead. The ledger: the
 * verdict most seeds gave and in how many, and whether the reference value could be one more
 * seed (bn_seed_band). */
typedef struct {
    const char *file, *out;
    const char *keys[6];
    const char *value;
    int ledger, by_mode;
} findings_kind;

static const findings_kind kinds[] = {
    {"claims.tsv", "claims_seeds.tsv", {"claim", "norm", "metric", "at_a", "at_b"}, "diff", 0, 0},
    {"rescale.tsv", "rescale_seeds.tsv", {"claim", "norm", "weight_scale", "metric"}, "diff", 0, 1},
    {"ablations.tsv", "ablations_seeds.tsv", {"ablation", "point", "weight_scale", "metric"}, "diff", 0, 0},
    {"ledger.tsv", "ledger_seeds.tsv", {"id", "cell", "quantity", "reference", "rule"}, "run", 1, 1},
};
static const char *const compare_words[] = {"higher", "lower", "within", "unknown"};

/* The runs' files of kind k have the same rows with the same keys (and the columns read), or the
 * runs are not of one configuration: checked before anything is written. */
static void check_rows(const findings_kind *k, const bn_tsv *tabs, int ntabs)
{
    long rows = ntabs ? tabs[0].nrows : 0;
    for (int t = 0; t < ntabs; t++) {
        if (tabs[t].nrows != rows)
            bn_die(1, "%s has %ld rows in one run and %ld in another: the runs are not of one configuration", k->file,
                   tabs[t].nrows, rows);
        for (long r = 0; r < rows; r++) {
            (void)cell(&tabs[t], r, k->value);
            (void)cell(&tabs[t], r, "verdict");
            if (k->ledger) (void)cell(&tabs[t], r, "why");
            for (int i = 0; i < 6 && k->keys[i]; i++)
                if (strcmp(cell(&tabs[t], r, k->keys[i]), cell(&tabs[0], r, k->keys[i])))
                    bn_die(1, "%s row %ld: %s is %s in one run and %s in another: the runs are not of one configuration",
                           k->file, r + 1, k->keys[i], cell(&tabs[0], r, k->keys[i]), cell(&tabs[t], r, k->keys[i]));
        }
    }
}

/* The seeds' values of row r of kind k (v[]) and their own pages' verdicts (word[]). */
static void gather_row(const findings_kind *k, const bn_tsv *tabs, int ntabs, long r, double *v, const char **word)
{
    for (int t = 0; t < ntabs; t++) {
        v[t] = num(&tabs[t], r, k->value);
        word[t] = cell(&tabs[t], r, "verdict");
    }
}

static void across(const char *dir, const findings_kind *k, const bn_tsv *tabs, int ntabs)
{
    int nk = 0;
    while (nk < 6 && k->keys[nk]) nk++;
    bn_out f;
    bn_out_open(&f, dir, k->out);
    for (int i = 0; i < nk; i++) bn_out_printf(&f, "%s\t", k->keys[i]);
    bn_out_printf(&f, "seeds");
    bn_stat_header(&f, k->value);
    if (k->ledger)
        bn_out_printf(&f, "\tseed_band\tband_lo\tband_hi\tverdict\tholds\twhy\n");
    else {
        if (!k->by_mode) bn_out_printf(&f, "\tverdict\tp\tp_holm\tverdict_holm\tside\tholds");
        else bn_out_printf(&f, "\tverdict\tholds");
        /* pages_WORD: how many seeds' own pages said WORD (not the bare word, which a page's
         * selector "verdict=WORD" would take for a column) */
        for (size_t w = 0; w < sizeof compare_words / sizeof *compare_words; w++) bn_out_printf(&f, "\tpages_%s", compare_words[w]);
        bn_out_printf(&f, "\n");
    }
    /* a run without the file (fewer experiments): the header alone, no rows */
    long rows = ntabs ? tabs[0].nrows : 0;
    double *v = bn_malloc(sizeof(double) * (size_t)(ntabs ? ntabs : 1)), *zero = bn_calloc((size_t)(ntabs ? ntabs : 1), sizeof *zero);
    double *p = bn_malloc(sizeof(double) * (size_t)(rows + 1)), *adj = bn_malloc(sizeof(double) * (size_t)(rows + 1));
    const char **word = bn_malloc(sizeof *word * (size_t)(ntabs ? ntabs : 1));
    /* a comparison by noise: the paired t-test of its mean difference over the seeds against
     * zero, Holm-corrected over the rows of the file (the comparisons one page states at once) */
    for (long r = 0; r < rows; r++) {
        bn_paired pd;
        gather_row(k, tabs, ntabs, r, v, word);
        bn_paired_of(&pd, v, zero, ntabs);
        p[r] = bn_noise_mean_p(pd.mean, pd.se, pd.n);
    }
    if (!k->ledger && !k->by_mode) bn_holm(p, rows, BN_NOISE_ALPHA, adj);
    for (long r = 0; r < rows; r++) {
        for (int i = 0; i < nk; i++) bn_out_printf(&f, "%s\t", cell(&tabs[0], r, k->keys[i]));
        gather_row(k, tabs, ntabs, r, v, word);
        bn_stat st;
        bn_stat_of(&st, v, ntabs);
        bn_out_printf(&f, "%d", ntabs);
        bn_stat_cells(&f, &st);
        int holds;
        if (k->ledger) {
            char lo[64], hi[64];
            double blo = NAN, bhi = NAN;
            /* a random draw or an accuracy: could the reference be one more seed? A value the
             * mathematics fixes is judged by its tolerance, seed by seed, instead */
            const char *rule = cell(&tabs[0], r, "rule"), *band = "by_tolerance";
            if (!strcmp(rule, "draw") || !strcmp(rule, "noise"))
                band = bn_seed_band(num(&tabs[0], r, "reference"), st.mean, st.sd, st.n, &blo, &bhi);
            bn_fmt(lo, sizeof lo, blo);
            bn_fmt(hi, sizeof hi, bhi);
            const char *mode = bn_holds_mode(word, ntabs, &holds), *why = "";
            for (int t = 0; t < ntabs && !*why; t++)
                if (!strcmp(word[t], mode)) why = cell(&tabs[t], r, "why");
            bn_out_printf(&f, "\t%s\t%s\t%s\t%s\t%d\t%s\n", band, lo, hi, mode, holds, why);
            continue;
        }
        if (k->by_mode) {
            /* a tolerance (rescale) is not a noise: the verdict most seeds' own values give, and
             * the seeds whose value gives it */
            const char *said = bn_holds_mode(word, ntabs, &holds);
            bn_out_printf(&f, "\t%s\t%d", said ? said : "unknown", holds);
        } else {
            /* the statement over the seeds, uncorrected (the 95% interval) and after Holm; it
             * holds in the seeds whose own difference has the sign of the mean, as every "holds"
             * of the several-seed page */
            bn_paired pd;
            bn_paired_of(&pd, v, zero, ntabs);
            char b1[64], b2[64];
            bn_fmt(b1, sizeof b1, p[r]);
            bn_fmt(b2, sizeof b2, adj[r]);
            int agree;
            const char *said = bn_holds_compare(st.lo, st.hi, word, ntabs, &agree);
            const char *holm = adj[r] <= BN_NOISE_ALPHA && pd.mean != 0 ? (pd.mean > 0 ? "higher" : "lower") : "within";
            const char *side = bn_paired_side(&pd, "higher", "lower", &holds);
            bn_out_printf(&f, "\t%s\t%s\t%s\t%s\t%s\t%d", said, b1, b2, holm, side, holds);
        }
        for (size_t w = 0; w < sizeof compare_words / sizeof *compare_words; w++) {
            int c = 0;
            for (int t = 0; t < ntabs; t++) c += !strcmp(word[t], compare_words[w]);
            bn_out_printf(&f, "\t%d", c);
        }
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
    free(v);
    free(zero);
    free(p);
    free(adj);
    free(word);
}

int bn_agg_findings_seeds(const char *dir, char **runs, int nruns)
{
    enum { NK = sizeof kinds / sizeof *kinds };
    char rep[4200], err[1200];
    bn_tsv *tabs = bn_calloc((size_t)NK * (size_t)nruns, sizeof *tabs);
    int have[NK];
    for (int k = 0; k < NK; k++) have[k] = 1;
    for (int i = 0; i < nruns; i++) {
        snprintf(rep, sizeof rep, "%s/report", runs[i]);
        for (int k = 0; k < NK; k++) {
            char p[4400];
            if (!have[k]) continue;
            if (!bn_run_has(rep, kinds[k].file)) { have[k] = 0; continue; }
            snprintf(p, sizeof p, "%s/%s", rep, kinds[k].file);
            if (bn_tsv_read(&tabs[(size_t)k * (size_t)nruns + (size_t)i], p, err, sizeof err)) bn_die(1, "%s", err);
        }
    }
    for (int k = 0; k < NK; k++) check_rows(&kinds[k], &tabs[(size_t)k * (size_t)nruns], have[k] ? nruns : 0);
    bn_mkdir_p(dir);
    /* the ledger, which marks the whole as done, last (kinds[] ends with it) */
    for (int k = 0; k < NK; k++) across(dir, &kinds[k], &tabs[(size_t)k * (size_t)nruns], have[k] ? nruns : 0);
    for (size_t i = 0; i < (size_t)NK * (size_t)nruns; i++) bn_tsv_free(&tabs[i]);
    free(tabs);
    bn_progress("bnagg: the findings of %d runs' pages over the seeds into %s", nruns, dir);
    return 0;
}
