/* compare_rank.c - the differences between two runs that exceed the runs' own noise, ranked.
 *
 * Noise models (the page states them):
 * - an accuracy p measured on n images (the validation split, or the training samples the
 *   accuracy checks use) has the binomial standard error sqrt(p (1 - p) / n): how much it would
 *   move on another draw of n images of the same distribution;
 * - a final training loss is the mean of the last W minibatch losses; its standard error is the
 *   sample sd of those W losses / sqrt(W).
 * The two runs' errors are taken as independent, so the difference's is sqrt(se_a^2 + se_b^2).
 * Both runs evaluate the same validation images, whose errors are positively correlated, so
 * this overstates the noise of the difference: what exceeds it exceeds the true noise too. */
#define _POSIX_C_SOURCE 200809L
#include "compare_rank.h"
#include "runinfo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "number.h"
#include "outfile.h"
#include "tsv.h"

double bn_binomial_se(double p, long n)
{
    if (!(p >= 0.0 && p <= 1.0) || n < 1) return NAN;
    return sqrt(p * (1.0 - p) / (double)n);
}

double bn_tail_mean_se(const double *x, long n, long w)
{
    if (w > n) w = n;
    if (w < 2) return NAN;
    const double *t = x + (n - w);
    double sum = 0.0, ss = 0.0;
    for (long i = 0; i < w; i++) {
        if (!isfinite(t[i])) return NAN;
        sum += t[i];
    }
    double mean = sum / (double)w;
    for (long i = 0; i < w; i++) ss += (t[i] - mean) * (t[i] - mean);
    return sqrt(ss / (double)(w - 1)) / sqrt((double)w);
}

void bn_noise_diff_of(bn_noise_diff *d, double a, double b, double se_a, double se_b)
{
    d->diff = b - a;
    d->se = d->lo = d->hi = d->z = NAN;
    d->exceeds = 0;
    if (isfinite(a) != isfinite(b)) {
        d->z = isfinite(b) ? -INFINITY : INFINITY;
        d->exceeds = 1;
        return;
    }
    if (!isfinite(a)) return;
    d->se = sqrt(se_a * se_a + se_b * se_b);
    if (isnan(d->se)) return;
    d->lo = d->diff - BN_RANK_Z95 * d->se;
    d->hi = d->diff + BN_RANK_Z95 * d->se;
    if (d->se > 0.0) d->z = d->diff / d->se;
    else d->z = d->diff == 0.0 ? 0.0 : d->diff > 0 ? INFINITY : -INFINITY;
    d->exceeds = d->lo > 0.0 || d->hi < 0.0 || isinf(d->z);
}

/* ------------------------------------------------------------------ ranking two runs */

/* What the noise of a metric is measured against. */
enum { NOISE_VAL, NOISE_TRAIN, NOISE_LOSS };

/* The training experiments: a summary file with one row per trained setting, matched between
 * the runs by its key columns, and the per-iteration loss file the final loss is the tail of.
 * per_net: the file has batchnorm_X and baseline_X columns (and the loss file batchnorm and
 * baseline); otherwise one net per row, named by its `norm` cell, with columns X and `loss`. */
static const struct {
    const char *file, *loss, *key[2], *section, *name;
    int per_net;
} exps[] = {
    {"exp5_deepnet.tsv", "exp5_deepnet_loss.tsv", {"point", NULL}, "sec-deepnet", "deep net", 1},
    {"exp6_sweep.tsv", "exp6_sweep_loss.tsv", {"point", NULL}, "sec-sweep", "sweep", 1},
    {"exp7_batchsize.tsv", "exp7_batchsize_loss.tsv", {"norm", "batch_size"}, "sec-batchsize", "batch size", 0},
};

static const struct {
    const char *col, *label;
    int noise;
} metrics[] = {
    {"best_val", "best val. accuracy", NOISE_VAL},
    {"best_train", "best train accuracy", NOISE_TRAIN},
    {"final_loss", "final loss", NOISE_LOSS},
};

typedef struct {
    long order;   /* position in the files, so that ties keep it (qsort is not stable) */
    int exp, metric;
    char setting[96], net[32], column[64], noise[96];
    double a, b, se_a, se_b;
    bn_noise_diff d;
} ranked;

/* One run's side: its summary and loss tables and its noise parameters. */
typedef struct {
    bn_tsv sum, loss;
    int has_sum, has_loss;
    long n_val, n_train, window;
} side;

/* A value of the run's params.info.tsv (key/value rows) as a positive integer; -1 if absent. */
static long param(const char *dir, const char *key)
{
    char p[4200], err[1200];
    bn_tsv t;
    snprintf(p, sizeof p, "%s/params.info.tsv", dir);
    if (!bn_run_has(dir, "params.info.tsv") || bn_tsv_read(&t, p, err, sizeof err)) return -1;
    int kc = bn_tsv_col(&t, "key"), vc = bn_tsv_col(&t, "value");
    long out = -1;
    double v;
    for (long r = 0; kc >= 0 && vc >= 0 && r < t.nrows; r++)
        if (!strcmp(bn_tsv_cell(&t, r, kc), key) && !bn_tsv_num(&t, r, vc, &v) && v >= 1 && v < 1e12 && v == floor(v))
            out = (long)v;
    bn_tsv_free(&t);
    return out;
}

/* Does row r of t have the key cells `cells` (for exps[e].key)? */
static int key_is(const bn_tsv *t, long r, const int *kc, char cells[2][256])
{
    for (int k = 0; k < 2; k++)
        if (kc[k] >= 0 && strcmp(bn_tsv_cell(t, r, kc[k]), cells[k])) return 0;
    return 1;
}

/* Key columns of exps[e] in t; -1 if one is missing. */
static int key_cols(const bn_tsv *t, int e, int *kc)
{
    for (int k = 0; k < 2; k++) {
        kc[k] = exps[e].key[k] ? bn_tsv_col(t, exps[e].key[k]) : -1;
        if (exps[e].key[k] && kc[k] < 0) return -1;
    }
    return 0;
}

/* Standard error of the final loss of the training with key `cells`, column `col` of the loss
 * file; NaN without a loss file or window. */
static double loss_se(const side *s, int e, char cells[2][256], const char *col)
{
    int kc[2], c = s->has_loss ? bn_tsv_col(&s->loss, col) : -1;
    if (c < 0 || s->window < 1 || key_cols(&s->loss, e, kc)) return NAN;
    double *x = bn_malloc(sizeof(double) * (size_t)(s->loss.nrows + 1));
    long n = 0;
    for (long r = 0; r < s->loss.nrows; r++)
        if (key_is(&s->loss, r, kc, cells) && bn_tsv_num(&s->loss, r, c, &x[n]) == 0) n++;
    double se = bn_tail_mean_se(x, n, s->window);
    free(x);
    return se;
}

static double se_of(const side *s, int e, int m, char cells[2][256], const char *net, double v, char *noise, size_t nn)
{
    switch (metrics[m].noise) {
    case NOISE_VAL:
        snprintf(noise, nn, "binomial, n = %ld validation images", s->n_val);
        return bn_binomial_se(v, s->n_val);
    case NOISE_TRAIN:
        snprintf(noise, nn, "binomial, n = %ld training images", s->n_train);
        return bn_binomial_se(v, s->n_train);
    default:
        snprintf(noise, nn, "mean of the last %ld minibatch losses", s->window);
        return loss_se(s, e, cells, exps[e].per_net ? net : "loss");
    }
}

static double absz(const ranked *r) { return isnan(r->d.z) ? -1.0 : fabs(r->d.z); }

/* Those that exceed the noise first, then by |z| (NaN last); equal ones keep the file order. */
static int by_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->d.exceeds != b->d.exceeds) return b->d.exceeds - a->d.exceeds;
    double za = absz(a), zb = absz(b);
    if (za != zb) return za < zb ? 1 : -1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int load_side(side *s, const char *dir, int e, char *err, size_t errlen)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, exps[e].file);
    s->has_sum = s->has_loss = 0;
    if (!bn_run_has(dir, exps[e].file)) return 0;
    if (bn_tsv_read(&s->sum, p, err, errlen)) return -1;
    s->has_sum = 1;
    snprintf(p, sizeof p, "%s/%s", dir, exps[e].loss);
    if (bn_run_has(dir, exps[e].loss)) {
        if (bn_tsv_read(&s->loss, p, err, errlen)) return -1;
        s->has_loss = 1;
    }
    return 0;
}

static void free_side(side *s)
{
    if (s->has_sum) bn_tsv_free(&s->sum);
    if (s->has_loss) bn_tsv_free(&s->loss);
    s->has_sum = s->has_loss = 0;
}

/* Every metric of experiment e found in both runs, appended to *rows. */
static int rank_exp(int e, side *sa, side *sb, ranked **rows, long *nrows, long *cap)
{
    static const char *nets[] = {"batchnorm", "baseline"};
    int ka[2], kb[2];
    if (key_cols(&sa->sum, e, ka) || key_cols(&sb->sum, e, kb)) return 0;
    int ws = bn_tsv_col(&sa->sum, "weight_scale"), nc = bn_tsv_col(&sa->sum, "norm");
    for (long r = 0; r < sa->sum.nrows; r++) {
        char cells[2][256] = {"", ""};
        for (int k = 0; k < 2; k++)
            if (ka[k] >= 0) snprintf(cells[k], sizeof cells[k], "%s", bn_tsv_cell(&sa->sum, r, ka[k]));
        long q = -1;
        for (long j = 0; j < sb->sum.nrows && q < 0; j++)
            if (key_is(&sb->sum, j, kb, cells)) q = j;
        if (q < 0) continue;
        int nnets = exps[e].per_net ? 2 : 1;
        for (int n = 0; n < nnets; n++) {
            for (size_t m = 0; m < sizeof metrics / sizeof *metrics; m++) {
                ranked x;
                memset(&x, 0, sizeof x);
                x.exp = e;
                x.order = *nrows;
                x.metric = (int)m;
                if (exps[e].per_net) {
                    snprintf(x.net, sizeof x.net, "%s", nets[n]);
                    snprintf(x.column, sizeof x.column, "%s_%s", nets[n], metrics[m].col);
                } else {
                    snprintf(x.net, sizeof x.net, "%s", nc >= 0 ? bn_tsv_cell(&sa->sum, r, nc) : "");
                    snprintf(x.column, sizeof x.column, "%s", metrics[m].col);
                }
                int ca = bn_tsv_col(&sa->sum, x.column), cb = bn_tsv_col(&sb->sum, x.column);
                if (ca < 0 || cb < 0 || bn_tsv_num(&sa->sum, r, ca, &x.a) || bn_tsv_num(&sb->sum, q, cb, &x.b)) continue;
                double w;
                if (ws >= 0 && !bn_tsv_num(&sa->sum, r, ws, &w) && e == 1) snprintf(x.setting, sizeof x.setting, "sweep, scale %.3g", w);
                else if (!exps[e].per_net) snprintf(x.setting, sizeof x.setting, "batch size %.60s", cells[1]);
                else snprintf(x.setting, sizeof x.setting, "%s", exps[e].name);
                char na[96], nb[96];
                x.se_a = se_of(sa, e, (int)m, cells, x.net, x.a, na, sizeof na);
                x.se_b = se_of(sb, e, (int)m, cells, x.net, x.b, nb, sizeof nb);
                bn_noise_diff_of(&x.d, x.a, x.b, x.se_a, x.se_b);
                if (isfinite(x.a) != isfinite(x.b)) snprintf(x.noise, sizeof x.noise, "not finite in one run");
                else if (!isfinite(x.a)) snprintf(x.noise, sizeof x.noise, "not finite in either run");
                else if (isnan(x.d.se)) snprintf(x.noise, sizeof x.noise, "unknown (no noise parameters in the runs)");
                else if (strcmp(na, nb)) snprintf(x.noise, sizeof x.noise, "A: %.40s; B: %.40s", na, nb);
                else snprintf(x.noise, sizeof x.noise, "%s", na);
                if (*nrows == *cap) {
                    *cap = *cap ? *cap * 2 : 64;
                    ranked *p = realloc(*rows, sizeof(ranked) * (size_t)*cap);
                    if (!p) bn_die(1, "out of memory at %s:%d", __FILE__, __LINE__);
                    *rows = p;
                }
                (*rows)[(*nrows)++] = x;
            }
        }
    }
    return 0;
}

int bn_compare_rank(const char *dir, const char *A, const char *B, char *err, size_t errlen)
{
    side sa, sb;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    sa.n_val = param(A, "num_val"), sb.n_val = param(B, "num_val");
    sa.n_train = param(A, "accuracy_train_samples"), sb.n_train = param(B, "accuracy_train_samples");
    sa.window = param(A, "final_loss_window"), sb.window = param(B, "final_loss_window");
    ranked *rows = NULL;
    long nrows = 0, cap = 0;
    for (int e = 0; e < (int)(sizeof exps / sizeof *exps); e++) {
        if (load_side(&sa, A, e, err, errlen) || load_side(&sb, B, e, err, errlen)) {
            free_side(&sa);
            free_side(&sb);
            free(rows);
            return -1;
        }
        if (sa.has_sum && sb.has_sum) rank_exp(e, &sa, &sb, &rows, &nrows, &cap);
        free_side(&sa);
        free_side(&sb);
    }
    if (nrows > 1) qsort(rows, (size_t)nrows, sizeof *rows, by_rank);

    long exceeding = 0, modelled = 0;
    bn_out f;
    bn_out_open(&f, dir, "compare_ranked.tsv");
    bn_out_printf(&f, "rank\tsection\texperiment\tsetting\tnet\tmetric\tcolumn\ta\tb\tdiff\tse_a\tse_b\tse\tlo\thi\tz\tnoise\texceeds\n");
    for (long i = 0; i < nrows; i++) {
        const ranked *x = &rows[i];
        char v[10][64];
        const double nums[10] = {x->a, x->b, x->d.diff, x->se_a, x->se_b, x->d.se, x->d.lo, x->d.hi, x->d.z};
        for (int k = 0; k < 9; k++) bn_fmt(v[k], sizeof v[k], nums[k]);
        exceeding += x->d.exceeds;
        modelled += !isnan(x->d.se);
        bn_out_printf(&f, "%ld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", i + 1,
                      exps[x->exp].section, exps[x->exp].name, x->setting, x->net, metrics[x->metric].label, x->column,
                      v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], x->noise, x->d.exceeds);
    }
    bn_out_commit(&f);
    char z[64], chance[64];
    bn_fmt(z, sizeof z, BN_RANK_Z95);
    bn_fmt(chance, sizeof chance, 0.05 * (double)modelled);
    bn_out_open(&f, dir, "compare_noise.tsv");
    bn_out_printf(&f, "key\tvalue\nz95\t%s\nnum_val_a\t%ld\nnum_val_b\t%ld\ntrain_samples_a\t%ld\ntrain_samples_b\t%ld\n"
                      "loss_window_a\t%ld\nloss_window_b\t%ld\ncompared\t%ld\nwith_noise_model\t%ld\nexceeding\t%ld\n"
                      "expected_by_chance\t%s\n",
                  z, sa.n_val, sb.n_val, sa.n_train, sb.n_train, sa.window, sb.window, nrows, modelled, exceeding, chance);
    bn_out_commit(&f);
    free(rows);
    return 0;
}

/* ------------------------------------------------------------------ links to the runs' sections */

int bn_section_links(const char *dir, const char *out, const char *from, char *const *runs,
                     const char *const *labels, int nruns, char *err, size_t errlen)
{
    static const char *sections[] = {"checks", "deepnet", "sweep", "batchsize", "layernorm"};
    const size_t ns = sizeof sections / sizeof *sections;
    char rel[4400];
    for (int i = 0; i < nruns; i++)
        if (bn_rel_path(from, runs[i], rel, sizeof rel)) return bn_errf(err, errlen, "%s: path too long", runs[i]);
    bn_out f;
    bn_out_open(&f, dir, out);
    bn_out_printf(&f, "run");
    for (size_t s = 0; s < ns; s++) bn_out_printf(&f, "\t%s", sections[s]);
    bn_out_printf(&f, "\n");
    for (int i = 0; i < nruns; i++) {
        bn_rel_path(from, runs[i], rel, sizeof rel);
        /* the label: given, or the run folder's own name */
        char name[4200];
        snprintf(name, sizeof name, "%s", runs[i]);
        for (size_t L = strlen(name); L > 1 && name[L - 1] == '/'; L--) name[L - 1] = '\0';
        const char *slash = strrchr(name, '/');
        bn_out_printf(&f, "%s", labels ? labels[i] : slash && slash[1] ? slash + 1 : name);
        for (size_t s = 0; s < ns; s++) bn_out_printf(&f, "\t%s/report/index.html#sec-%s", rel, sections[s]);
        bn_out_printf(&f, "\n");
    }
    bn_out_commit(&f);
    return 0;
}
