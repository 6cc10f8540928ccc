/* compare_rank.c - the differences between two runs, judged by the noise model of noise.h and
 * ranked.
 *
 * The seed-to-seed SD of each metric comes from a several-seed study of A's configuration: a
 * folder seeds-* (bnagg seeds) whose runs' params.info.tsv (the seed aside) and dataset.info.tsv
 * (the folder aside) are A's; of several, the one with the most runs besides A and B, which must
 * number at least BN_NOISE_MIN_SEEDS. The SD is computed from those runs' own summary files,
 * without A and B (see `study` below). It is taken for B too: with B of another configuration, the question is whether B's
 * result lies outside what A's configuration gives from seed to seed. The within-run parts:
 * - an accuracy p measured on n images (the validation split, or the training samples the
 *   accuracy checks use): the binomial standard error sqrt(p (1 - p) / n);
 * - a final training loss, the mean of the last W minibatch losses: their sample sd / sqrt(W).
 * Both runs evaluate the same validation images, whose errors are positively correlated, so
 * taking the two runs' errors as independent overstates the noise of the difference. */
#define _DEFAULT_SOURCE
#include "compare_rank.h"
#include "runinfo.h"

#include <dirent.h>
#include <limits.h>
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
#include "registry.h"
#include "tsv.h"

/* ------------------------------------------------------------------ ranking two runs */

/* What the within-run noise of a metric is measured against. */
enum { NOISE_VAL, NOISE_TRAIN, NOISE_LOSS };

/* The training experiments judged (the registry rows' .judged, registry.h): a summary file with
 * one row per trained setting, matched between the runs by its key columns, and the
 * per-iteration loss file the final loss is the tail of. (The row's study statistics, `seeds`,
 * are not used here: the seed-to-seed SD is computed from the study's runs without A and B.)
 * per_net: the file has batchnorm_X and baseline_X columns (and the loss file batchnorm and
 * baseline); otherwise one net per row, named by its `norm` cell, with columns X and `loss`. */
typedef struct {
    const char *file, *loss, *seeds, *key[2], *section, *name;
    int per_net;
    char keys[2][64];
} judged_exp;
static judged_exp exps[16];
static int n_exps;

static void load_exps(void)
{
    n_exps = 0;
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_judged *j = bn_experiments[i].judged;
        if (!j) continue;
        if (n_exps == (int)(sizeof exps / sizeof *exps)) bn_die(1, "internal error: more than %d judged experiments", n_exps);
        judged_exp *x = &exps[n_exps++];
        char extra[64];
        *x = (judged_exp){.file = j->summary, .loss = j->loss, .seeds = j->seeds, .section = j->anchor, .name = j->label,
                          .per_net = j->per_net};
        for (int k = 0; k < 2; k++)
            x->key[k] = bn_registry_word(j->keys, k, x->keys[k], sizeof x->keys[k]) ? x->keys[k] : NULL;
        if (!x->key[0] || bn_registry_word(j->keys, 2, extra, sizeof extra))
            bn_die(1, "internal error: the %s row's judged summary needs one or two key columns", bn_experiments[i].command);
    }
}

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
    int exp, metric, flagged, n_seed;
    char setting[96], net[32], column[64], noise[128];
    double a, b, se_a, se_b, sd_seed, p_holm;
    bn_noise_test d;
} ranked;

/* One run's side: its summary and loss tables and its noise parameters. */
typedef struct {
    bn_tsv sum, loss;
    int has_sum, has_loss;
    long n_val, n_train, window;
} side;

/* The several-seed study used, if any: its folder, its number of runs, whether it holds run A
 * or run B themselves, and its other runs, from which the seed-to-seed SD is computed (with the
 * summary table of the experiment being ranked, per run). A and B are left out of that SD: a
 * spread that includes the two runs judged bounds their difference (two of n values with sample
 * SD s differ by at most s * sqrt(2 (n - 1))), and a test against it could never fire. */
typedef struct {
    char dir[4200];
    int n, has_a, has_b;
    int nused;
    char (*used)[4200];
    bn_tsv *tabs;
    int *has_tab;
} study;

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

/* Does run folder `run` have A's configuration: the same params.info.tsv but for the seed and
 * the same dataset.info.tsv but for its folder (both files present)? why: the first difference. */
static int same_config(const char *run, const char *A, char *why, size_t n)
{
    if (!bn_run_has(run, "params.info.tsv") || !bn_run_has(A, "params.info.tsv")) {
        snprintf(why, n, "params.info.tsv is missing");
        return 0;
    }
    return !bn_run_kv_differ(run, A, "params.info.tsv", "seed", why, n) &&
           !bn_run_kv_differ(run, A, "dataset.info.tsv", "folder", why, n);
}

/* a run's key<TAB>value entry into buf ("" when absent) */
static void kv_into(const char *dir, const char *file, const char *key, char *buf, size_t n)
{
    char *v = bn_run_kv(dir, file, key);
    snprintf(buf, n, "%s", v ? v : "");
    free(v);
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The study of A's configuration in folder root (see the top of this file) into *s; 0 if none. */
static int find_study(const char *root, const char *A, const char *B, study *s)
{
    memset(s, 0, sizeof *s);
    DIR *d = opendir(root);
    if (!d) return 0;
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "seeds-", 6)) continue;
        if (nn == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, sizeof(char *) * cap);
            if (!p) bn_die(1, "out of memory at %s:%d", __FILE__, __LINE__);
            names = p;
        }
        names[nn] = bn_malloc(strlen(e->d_name) + 1);
        strcpy(names[nn++], e->d_name);
    }
    closedir(d);
    if (nn > 1) qsort(names, nn, sizeof *names, cmp_name);
    char why[1200], ra[PATH_MAX], rb[PATH_MAX], rr[PATH_MAX];
    /* B NULL: a study for one run's own noise (its band, its page), where nothing is left out */
    int leave = B != NULL;
    if (!realpath(A, ra)) ra[0] = 0;
    if (!B || !realpath(B, rb)) rb[0] = 0;
    for (size_t i = 0; i < nn; i++) {
        char dir[4200], p[4300], err[1200];
        bn_tsv t;
        snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
        snprintf(p, sizeof p, "%s/runs.info.tsv", dir);
        if (!bn_run_has(dir, "runs.info.tsv") || bn_tsv_read(&t, p, err, sizeof err)) continue;
        int fc = bn_tsv_col(&t, "folder");
        /* the study's runs are of one configuration (bnagg seeds checked): its first run speaks
         * for all. A and B are told by their folders, not their seeds: another configuration's
         * seed 0 is not this study's. */
        if (fc < 0 || !same_config(bn_tsv_cell(&t, 0, fc), A, why, sizeof why)) { bn_tsv_free(&t); continue; }
        int ha = 0, hb = 0;
        for (long r = 0; r < t.nrows; r++) {
            if (!realpath(bn_tsv_cell(&t, r, fc), rr)) continue;
            ha |= *ra && !strcmp(rr, ra);
            hb |= *rb && !strcmp(rr, rb);
        }
        int used = (int)t.nrows - (leave ? ha + hb : 0);
        if (used >= BN_NOISE_MIN_SEEDS && used > s->nused) {
            free(s->used);
            s->used = bn_malloc(sizeof *s->used * (size_t)used);
            s->nused = 0;
            for (long r = 0; r < t.nrows; r++) {
                const char *f = bn_tsv_cell(&t, r, fc);
                if (leave && realpath(f, rr) && ((*ra && !strcmp(rr, ra)) || (*rb && !strcmp(rr, rb)))) continue;
                if (s->nused < used) snprintf(s->used[s->nused++], sizeof s->used[0], "%s", f);
            }
            snprintf(s->dir, sizeof s->dir, "%s", dir);
            s->n = (int)t.nrows;
            s->has_a = ha;
            s->has_b = hb;
        }
        bn_tsv_free(&t);
    }
    for (size_t i = 0; i < nn; i++) free(names[i]);
    free(names);
    return s->n > 0;
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

/* The seed-to-seed SD of `column` at the setting with key `cells`, over the study's runs other
 * than A and B, into *sd; returns how many runs have a finite value there (0: no SD). */
static int seed_sd(const study *s, int e, char cells[2][256], const char *column, double *sd)
{
    double *x = bn_malloc(sizeof(double) * (size_t)(s->nused + 1));
    int n = 0;
    for (int i = 0; i < s->nused; i++) {
        const bn_tsv *t = &s->tabs[i];
        int kc[2], c;
        if (!s->has_tab[i] || key_cols(t, e, kc) || (c = bn_tsv_col(t, column)) < 0) continue;
        for (long r = 0; r < t->nrows; r++) {
            double v;
            if (!key_is(t, r, kc, cells)) continue;
            if (!bn_tsv_num(t, r, c, &v) && isfinite(v)) x[n++] = v;
            break;
        }
    }
    *sd = NAN;
    if (n >= 2) {
        double m = 0.0, ss = 0.0;
        for (int i = 0; i < n; i++) m += x[i];
        m /= n;
        for (int i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
        *sd = sqrt(ss / (n - 1));
    }
    free(x);
    return n >= 2 ? n : 0;
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

/* Flagged first, then by p-value (NaN last), then by |t|; equal ones keep the file order. */
static int by_rank(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->flagged != b->flagged) return b->flagged - a->flagged;
    if (isnan(a->d.p) != isnan(b->d.p)) return isnan(a->d.p) ? 1 : -1;
    if (!isnan(a->d.p) && a->d.p != b->d.p) return a->d.p < b->d.p ? -1 : 1;
    double za = isnan(a->d.t) ? -1.0 : fabs(a->d.t), zb = isnan(b->d.t) ? -1.0 : fabs(b->d.t);
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
static int rank_exp(int e, side *sa, side *sb, const study *st, ranked **rows, long *nrows, long *cap)
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
                char na[96], nb[96], within[100];
                x.se_a = se_of(sa, e, (int)m, cells, x.net, x.a, na, sizeof na);
                x.se_b = se_of(sb, e, (int)m, cells, x.net, x.b, nb, sizeof nb);
                x.n_seed = seed_sd(st, e, cells, x.column, &x.sd_seed);
                bn_noise_test_of(&x.d, x.a, x.b, x.se_a, x.se_b, x.sd_seed, x.n_seed);
                if (strcmp(na, nb)) snprintf(within, sizeof within, "A: %.40s; B: %.40s", na, nb);
                else snprintf(within, sizeof within, "%s", na);
                if (isfinite(x.a) != isfinite(x.b)) snprintf(x.noise, sizeof x.noise, "not finite in one run");
                else if (!isfinite(x.a)) snprintf(x.noise, sizeof x.noise, "not finite in either run");
                else if (isnan(x.d.se)) snprintf(x.noise, sizeof x.noise, "unknown (no noise parameters in the runs)");
                else if (x.d.seed) snprintf(x.noise, sizeof x.noise, "seed to seed (%d seeds) + %s", x.n_seed, within);
                else snprintf(x.noise, sizeof x.noise, "sampling only: %s", within);
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

static void study_tabs_free(study *s)
{
    for (int i = 0; i < s->nused; i++)
        if (s->has_tab[i]) bn_tsv_free(&s->tabs[i]);
    for (int i = 0; i < s->nused; i++) s->has_tab[i] = 0;
}

static void study_free(study *s)
{
    free(s->used);
    free(s->tabs);
    free(s->has_tab);
    memset(s, 0, sizeof *s);
}

/* The parent folder of run folder A ("." for a bare name). */
static void parent_of(const char *A, char *out, size_t n)
{
    snprintf(out, n, "%s", A);
    size_t L = strlen(out);
    while (L > 1 && out[L - 1] == '/') out[--L] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash) snprintf(out, n, ".");
    else if (slash == out) out[1] = '\0';
    else *slash = '\0';
}

int bn_find_study(const char *root, const char *A, char *dir, size_t dirlen, int *n, int *has_a)
{
    study st;
    char r[4200];
    if (root) snprintf(r, sizeof r, "%s", root);
    else parent_of(A, r, sizeof r);
    *n = *has_a = 0;
    memset(&st, 0, sizeof st);
    if (!find_study(r, A, NULL, &st)) { study_free(&st); return 0; }
    snprintf(dir, dirlen, "%s", st.dir);
    *n = st.n;
    *has_a = st.has_a;
    study_free(&st);
    return 1;
}

int bn_compare_rank(const char *dir, const char *A, const char *B, const char *studies, char *err, size_t errlen)
{
    side sa, sb;
    study st;
    char root[4200], why[1200] = "";
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    if (studies) snprintf(root, sizeof root, "%s", studies);
    else parent_of(A, root, sizeof root);
    memset(&st, 0, sizeof st);
    int have_study = find_study(root, A, B, &st);
    st.tabs = bn_calloc((size_t)st.nused + 1, sizeof *st.tabs);
    st.has_tab = bn_calloc((size_t)st.nused + 1, sizeof *st.has_tab);
    /* one configuration: the same options (the seed aside), dataset and code (a commit or a
     * state of uncommitted changes that is unknown in either run is not held against it) */
    bn_run_info ia, ib;
    bn_run_info_get(A, &ia);
    bn_run_info_get(B, &ib);
    int same = same_config(A, B, why, sizeof why);
    if (same && strcmp(ia.commit, "unknown") && strcmp(ib.commit, "unknown") &&
        (strcmp(ia.commit, ib.commit) || (strcmp(ia.dirty, "unknown") && strcmp(ib.dirty, "unknown") && strcmp(ia.dirty, ib.dirty)))) {
        same = 0;
        snprintf(why, sizeof why, "the code: commit %.40s (uncommitted changes: %.20s) in A, %.40s (%.20s) in B", ia.commit,
                 ia.dirty, ib.commit, ib.dirty);
    }
    sa.n_val = param(A, "num_val"), sb.n_val = param(B, "num_val");
    sa.n_train = param(A, "accuracy_train_samples"), sb.n_train = param(B, "accuracy_train_samples");
    sa.window = param(A, "final_loss_window"), sb.window = param(B, "final_loss_window");
    ranked *rows = NULL;
    long nrows = 0, cap = 0;
    load_exps();
    for (int e = 0; e < n_exps; e++) {
        char p[4300];
        int bad = 0;
        for (int i = 0; i < st.nused; i++) {
            st.has_tab[i] = 0;
            if (bad || !bn_run_has(st.used[i], exps[e].file)) continue;
            snprintf(p, sizeof p, "%s/%s", st.used[i], exps[e].file);
            if (bn_tsv_read(&st.tabs[i], p, err, errlen)) bad = 1;
            else st.has_tab[i] = 1;
        }
        if (bad || load_side(&sa, A, e, err, errlen) || load_side(&sb, B, e, err, errlen)) {
            free_side(&sa);
            free_side(&sb);
            study_tabs_free(&st);
            study_free(&st);
            free(rows);
            return -1;
        }
        if (sa.has_sum && sb.has_sum) rank_exp(e, &sa, &sb, &st, &rows, &nrows, &cap);
        free_side(&sa);
        free_side(&sb);
        study_tabs_free(&st);
    }
    double *p = bn_malloc(sizeof(double) * (size_t)(nrows + 1)), *adj = bn_malloc(sizeof(double) * (size_t)(nrows + 1));
    long tested = 0, beyond = 0, with_seed = 0;
    for (long i = 0; i < nrows; i++) {
        p[i] = rows[i].d.p;
        tested += !isnan(p[i]);
        beyond += p[i] <= BN_NOISE_ALPHA;
        with_seed += rows[i].d.seed;
    }
    long flagged = bn_holm(p, nrows, BN_NOISE_ALPHA, adj);
    for (long i = 0; i < nrows; i++) {
        rows[i].p_holm = adj[i];
        rows[i].flagged = adj[i] <= BN_NOISE_ALPHA;
    }
    free(p);
    free(adj);
    if (nrows > 1) qsort(rows, (size_t)nrows, sizeof *rows, by_rank);

    bn_out f;
    bn_out_open(&f, dir, "compare_ranked.tsv");
    bn_out_printf(&f, "rank\tsection\texperiment\tsetting\tnet\tmetric\tcolumn\ta\tb\tdiff\tse_a\tse_b\tsd_seed\tn_seed"
                      "\tse\tdf\tlo\thi\tt\tp\tp_holm\tnoise\tflagged\tplace\n");
    for (long i = 0, place = 0; i < nrows; i++) {
        const ranked *x = &rows[i];
        /* place: the rank among the flagged, or among the others */
        place = i && x->flagged != rows[i - 1].flagged ? 1 : place + 1;
        char v[14][64];
        const double nums[14] = {x->a, x->b, x->d.diff, x->se_a, x->se_b, x->sd_seed, x->d.se, x->d.df, x->d.lo,
                                 x->d.hi, x->d.t, x->d.p, x->p_holm};
        for (int k = 0; k < 13; k++) bn_fmt(v[k], sizeof v[k], nums[k]);
        bn_out_printf(&f, "%ld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%ld\n", i + 1,
                      exps[x->exp].section, exps[x->exp].name, x->setting, x->net, metrics[x->metric].label, x->column,
                      v[0], v[1], v[2], v[3], v[4], v[5], x->n_seed, v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                      x->noise, x->flagged, place);
    }
    bn_out_commit(&f);
    char alpha[64], q[64], chance[64], seed_a[64] = "", seed_b[64] = "";
    bn_fmt(alpha, sizeof alpha, BN_NOISE_ALPHA);
    bn_fmt(q, sizeof q, bn_noise_quantile(BN_NOISE_ALPHA, have_study ? (double)(st.nused - 1) : INFINITY));
    bn_fmt(chance, sizeof chance, BN_NOISE_ALPHA * (double)tested);
    kv_into(A, "params.info.tsv", "seed", seed_a, sizeof seed_a);
    kv_into(B, "params.info.tsv", "seed", seed_b, sizeof seed_b);
    /* tabs or newlines in a value would break the file's rows */
    for (char *c = why; *c; c++) if (*c == '\t' || *c == '\n' || *c == '\r') *c = ' ';
    bn_out_open(&f, dir, "compare_noise.tsv");
    bn_out_printf(&f, "key\tvalue\nalpha\t%s\nquantile\t%s\nnum_val_a\t%ld\nnum_val_b\t%ld\ntrain_samples_a\t%ld\n"
                      "train_samples_b\t%ld\nloss_window_a\t%ld\nloss_window_b\t%ld\n",
                  alpha, q, sa.n_val, sb.n_val, sa.n_train, sb.n_train, sa.window, sb.window);
    /* one configuration and one seed: bnlab gives the same bytes anywhere, so a difference is not noise */
    int same_seed = same && *seed_a && !strcmp(seed_a, seed_b);
    bn_out_printf(&f, "seed_a\t%s\nseed_b\t%s\nsame_config\t%d\nsame_seed\t%d\nconfig_differs\t%s\n",
                  *seed_a ? seed_a : "unknown", *seed_b ? seed_b : "unknown", same, same_seed, same ? "" : why);
    bn_out_printf(&f, "study\t%d\nstudy_folder\t%s\nstudy_seeds\t%d\nstudy_used\t%d\nstudy_left_out\t%d\nstudy_df\t%d\n"
                      "study_has_a\t%d\nstudy_has_b\t%d\nmin_study_seeds\t%d\n",
                  have_study, have_study ? st.dir : "", have_study ? st.n : 0, have_study ? st.nused : 0,
                  have_study ? st.n - st.nused : 0, have_study ? st.nused - 1 : 0, have_study ? st.has_a : 0,
                  have_study ? st.has_b : 0, BN_NOISE_MIN_SEEDS);
    /* what make compare did for the study (scripts/compare-study.sh, its file in dir): how many
     * seeds of A's configuration it trained for this comparison and in how many seconds */
    char *made = bn_run_kv(dir, "compare_study.info.tsv", "trained"), *secs = bn_run_kv(dir, "compare_study.info.tsv", "seconds"),
         *asked = bn_run_kv(dir, "compare_study.info.tsv", "seeds");
    bn_out_printf(&f, "study_by_make\t%d\nstudy_asked\t%s\nstudy_trained_now\t%s\nstudy_seconds\t%s\n", asked != NULL,
                  asked ? asked : "0", made ? made : "0", secs ? secs : "0");
    free(made);
    free(secs);
    free(asked);
    /* how far a metric must move to be flagged at all: |t| at Holm's first step, alpha / tested */
    char first[64];
    bn_fmt(first, sizeof first, tested ? bn_noise_quantile(BN_NOISE_ALPHA / (double)tested, have_study ? (double)(st.nused - 1) : INFINITY) : NAN);
    bn_out_printf(&f, "compared\t%ld\ntested\t%ld\nwith_seed_noise\t%ld\nbeyond_uncorrected\t%ld\nexpected_by_chance\t%s\n"
                      "flagged\t%ld\nholm_first_t\t%s\n",
                  nrows, tested, with_seed, beyond, chance, flagged, first);
    bn_out_commit(&f);
    free(rows);
    study_free(&st);
    bn_run_info_free(&ia);
    bn_run_info_free(&ib);
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
