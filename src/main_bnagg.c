/* main_bnagg.c - statistics across seeded runs (`seeds`) and a side-by-side comparison of two
 * runs (`compare`), written as data files for the report. */
#define _XOPEN_SOURCE 700   /* realpath */
#include "aggregate.h"
#include "common.h"
#include "guard.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage_die(void)
{
    bn_die(2, "usage: bnagg seeds --out DIR RUN... | bnagg compare --out DIR RUN_A RUN_B");
}

static int exists(const char *dir, const char *name)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    /* issue 12: present but not a file (a FIFO would block its reader) is an error, not absence */
    if (stat(p, &st) == 0 && !S_ISREG(st.st_mode)) bn_die(1, "%s: not a regular file", p);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

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

/* The value of `key` in the run's key<TAB>value file `file`, copied into buf; -1 if the file
 * or the key is absent. */
static int kv_get(const char *dir, const char *file, const char *key, char *buf, size_t n)
{
    char p[4200], err[1024];
    bn_tsv t;
    if (!exists(dir, file)) return -1;
    snprintf(p, sizeof p, "%s/%s", dir, file);
    if (bn_tsv_read(&t, p, err, sizeof err)) bn_die(1, "%s", err);
    int ck = bn_tsv_col(&t, "key"), cv = bn_tsv_col(&t, "value"), rc = -1;
    for (long r = 0; ck >= 0 && cv >= 0 && r < t.nrows && rc; r++)
        if (!strcmp(bn_tsv_cell(&t, r, ck), key)) {
            /* issue 12: never cut short silently */
            if (strlen(bn_tsv_cell(&t, r, cv)) >= n) bn_die(1, "%s: the value of %s is longer than %zu characters", p, key, n - 1);
            snprintf(buf, n, "%s", bn_tsv_cell(&t, r, cv));
            rc = 0;
        }
    bn_tsv_free(&t);
    return rc;
}

/* What a run folder says about itself (from its *.info.tsv files; "unknown" where they are silent). */
typedef struct {
    char seed[64], bnflags[1024], dataset[256], commit[128], dirty[32];
} run_info;

static void get_info(const char *dir, run_info *ri)
{
    if (kv_get(dir, "config.info.tsv", "seed", ri->seed, sizeof ri->seed) &&
        kv_get(dir, "params.info.tsv", "seed", ri->seed, sizeof ri->seed))
        snprintf(ri->seed, sizeof ri->seed, "unknown");
    if (kv_get(dir, "config.info.tsv", "bnflags", ri->bnflags, sizeof ri->bnflags))
        snprintf(ri->bnflags, sizeof ri->bnflags, "unknown");
    else if (!ri->bnflags[0])
        snprintf(ri->bnflags, sizeof ri->bnflags, "none (the defaults)");
    if (kv_get(dir, "dataset.info.tsv", "dataset", ri->dataset, sizeof ri->dataset))
        snprintf(ri->dataset, sizeof ri->dataset, "unknown");
    if (kv_get(dir, "provenance.info.tsv", "git commit", ri->commit, sizeof ri->commit))
        snprintf(ri->commit, sizeof ri->commit, "unknown");
    if (kv_get(dir, "provenance.info.tsv", "uncommitted changes", ri->dirty, sizeof ri->dirty))
        snprintf(ri->dirty, sizeof ri->dirty, "unknown");
}

/* The first key whose value differs between two runs' key<TAB>value files `file` (rows with
 * key `skip` aside), into why; 0 if they agree or either run lacks the file. */
static int kv_differ(const char *a, const char *b, const char *file, const char *skip, char *why, size_t n)
{
    char p[4200], err[1024];
    bn_tsv t[2];
    if (!exists(a, file) || !exists(b, file)) return 0;
    snprintf(p, sizeof p, "%s/%s", a, file);
    if (bn_tsv_read(&t[0], p, err, sizeof err)) bn_die(1, "%s", err);
    snprintf(p, sizeof p, "%s/%s", b, file);
    if (bn_tsv_read(&t[1], p, err, sizeof err)) bn_die(1, "%s", err);
    int differ = 0;
    for (int s = 0; s < 2 && !differ; s++) {
        const bn_tsv *x = &t[s], *y = &t[1 - s];
        int xk = bn_tsv_col(x, "key"), xv = bn_tsv_col(x, "value"), yk = bn_tsv_col(y, "key"), yv = bn_tsv_col(y, "value");
        if (xk < 0 || xv < 0 || yk < 0 || yv < 0) break;
        for (long r = 0; r < x->nrows && !differ; r++) {
            const char *k = bn_tsv_cell(x, r, xk), *other = NULL;
            if (!strcmp(k, skip)) continue;
            for (long q = 0; q < y->nrows && !other; q++)
                if (!strcmp(bn_tsv_cell(y, q, yk), k)) other = bn_tsv_cell(y, q, yv);
            if (!other || strcmp(other, bn_tsv_cell(x, r, xv))) {
                /* x is a's table on the first pass, b's on the second */
                const char *mine = bn_tsv_cell(x, r, xv), *theirs = other ? other : "absent";
                snprintf(why, n, "%s: %s is '%.100s' in %s and '%.100s' in %s", file, k, s ? theirs : mine, a,
                         s ? mine : theirs, b);
                differ = 1;
            }
        }
    }
    bn_tsv_free(&t[0]);
    bn_tsv_free(&t[1]);
    return differ;
}

/* The absolute, resolved path of `path`, whose parent folder must exist. */
static void abs_path(const char *path, char *out, size_t n)
{
    char *rp = realpath(path, NULL), parent[4200];
    if (rp) {
        snprintf(out, n, "%s", rp);
        free(rp);
        return;
    }
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    const char *leaf = path;
    if (!slash) snprintf(parent, sizeof parent, ".");
    else {
        *slash = '\0';
        leaf = path + (slash - parent) + 1;
        if (!parent[0]) snprintf(parent, sizeof parent, "/");
    }
    if (!(rp = realpath(parent, NULL))) bn_die(1, "%s: cannot resolve the folder %s", path, parent);
    snprintf(out, n, "%s/%s", strcmp(rp, "/") ? rp : "", leaf);
    free(rp);
}

/* The path of folder `to` relative to folder `from`, followed by `tail`, e.g.
 * "../../seed-0/" + "report/index.html". */
static void rel_path(const char *from, const char *to, const char *tail, char *out, size_t n)
{
    char f[4200], t[4200];
    abs_path(from, f, sizeof f - 1);
    abs_path(to, t, sizeof t - 1);
    strcat(f, "/");
    if (strcmp(t, "/")) strcat(t, "/");
    if (!strcmp(f, "//")) f[1] = '\0';
    /* the longest common prefix made of whole components */
    size_t common = 0;
    for (size_t i = 0; f[i] && f[i] == t[i]; i++)
        if (f[i] == '/') common = i + 1;
    size_t k = 0;
    out[0] = '\0';
    for (const char *p = f + common; *p; p++)
        if (*p == '/' && k + 4 < n) {
            memcpy(out + k, "../", 4);
            k += 3;
        }
    snprintf(out + k, n - k, "%s%s", t + common, tail);
}

/* Aggregate `in` across runs into `out` if every run has it; returns 1 if written. */
static int agg(const char *dir, char **runs, int nruns, const char *in, const char *out, const char *const *keys,
               int nkeys, const bn_agg_col *cols, int ncols)
{
    for (int i = 0; i < nruns; i++) if (!exists(runs[i], in)) return 0;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    char err[1024];
    read_all(tabs, runs, nruns, in);
    if (bn_agg_write(dir, out, tabs, nruns, keys, nkeys, cols, ncols, err, sizeof err)) bn_die(1, "%s", err);
    free_all(tabs, nruns);
    free(tabs);
    return 1;
}

/* Experiment 7: per seed, each normalised net's best validation accuracy minus the baseline's
 * (batch 5), then paired statistics across seeds. */
static void agg_gap(const char *dir, char **runs, int nruns)
{
    const char *in = "exp7_batchsize.tsv";
    for (int i = 0; i < nruns; i++) if (!exists(runs[i], in)) return;
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
        if (!exists(runs[i], "exp5_deepnet_loss.tsv") || !exists(runs[i], "exp5_deepnet_acc.tsv")) return;
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
    char b[4][64];
    bn_out_open(&f, dir, "exp5_deepnet_epoch_loss_seeds.tsv");
    bn_out_printf(&f, "epoch\tfirst_iteration\tlast_iteration");
    for (int k = 0; k < 2; k++) bn_out_printf(&f, "\t%s_mean\t%s_sd\t%s_min\t%s_max\t%s_n", nets[k], nets[k], nets[k], nets[k], nets[k]);
    bn_out_printf(&f, "\n");
    for (long e = 1; e <= nep; e++) {
        bn_out_printf(&f, "%ld\t%ld\t%ld", e, end[e - 1] + 1, end[e]);
        for (int k = 0; k < 2; k++) {
            bn_stat st;
            bn_stat_of(&st, &v[((size_t)e * 2 + (size_t)k) * (size_t)nruns], nruns);
            bn_fmt(b[0], 64, st.mean); bn_fmt(b[1], 64, st.sd); bn_fmt(b[2], 64, st.min); bn_fmt(b[3], 64, st.max);
            bn_out_printf(&f, "\t%s\t%s\t%s\t%s\t%d", b[0], b[1], b[2], b[3], st.n);
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
static void concat_runs(const char *dir, char **runs, int nruns, const run_info *ri, const char *in, const char *out)
{
    for (int i = 0; i < nruns; i++) if (!exists(runs[i], in)) return;
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

/* Experiment 6 seed by seed: over the scales of each run, each net's mean best validation
 * accuracy and its population standard deviation across the scales (the single-seed page's
 * measure of how much a net depends on the scale), and at how many scales batchnorm's is
 * higher, lower or equal. */
static void sweep_by_seed(const char *dir, char **runs, int nruns, const run_info *ri)
{
    static const char *cols[] = {"batchnorm_best_val", "baseline_best_val"};
    for (int i = 0; i < nruns; i++) if (!exists(runs[i], "exp6_sweep.tsv")) return;
    bn_tsv *tabs = bn_calloc((size_t)nruns, sizeof *tabs);
    read_all(tabs, runs, nruns, "exp6_sweep.tsv");
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
            double sum = 0, ss = 0;
            long n = 0;
            for (long r = 0; r < t->nrows; r++) if (isfinite(x[k][r])) { sum += x[k][r]; n++; }
            double mean = n ? sum / (double)n : NAN;
            for (long r = 0; r < t->nrows; r++) if (isfinite(x[k][r])) ss += (x[k][r] - mean) * (x[k][r] - mean);
            bn_fmt(b[2 * k], 64, mean);
            bn_fmt(b[2 * k + 1], 64, n ? sqrt(ss / (double)n) : NAN);
        }
        bn_out_printf(&f, "%d\t%s\t%ld\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", i, ri[i].seed, t->nrows, b[0], b[1], b[2], b[3],
                      pr.wins, pr.losses, pr.ties);
        free(x[0]);
        free(x[1]);
    }
    bn_out_commit(&f);
    free_all(tabs, nruns);
    free(tabs);
}

static int cmd_seeds(const char *dir, char **runs, int nruns)
{
    static const char *k_loss[] = {"point", "weight_scale", "iteration"};
    static const char *k_acc[] = {"point", "weight_scale", "check", "iteration", "epoch"};
    static const char *k_sum[] = {"point", "weight_scale"};
    static const char *k_bs[] = {"norm", "batch_size"};
    static const char *k_bsacc[] = {"norm", "batch_size", "check", "iteration", "epoch"};
    static const bn_agg_col c_loss[] = {{"batchnorm", "batchnorm", NULL}, {"baseline", "baseline", NULL}};
    static const bn_agg_col c_acc[] = {
        {"batchnorm_train", "batchnorm_train", NULL}, {"batchnorm_val", "batchnorm_val", NULL},
        {"baseline_train", "baseline_train", NULL}, {"baseline_val", "baseline_val", NULL},
        {"val", "batchnorm_val", "baseline_val"}, {"train", "batchnorm_train", "baseline_train"}};
    static const bn_agg_col c_sum[] = {
        {"batchnorm_best_train", "batchnorm_best_train", NULL}, {"batchnorm_best_val", "batchnorm_best_val", NULL},
        {"batchnorm_final_loss", "batchnorm_final_loss", NULL}, {"batchnorm_nonfinite", "batchnorm_nonfinite", NULL},
        {"baseline_best_train", "baseline_best_train", NULL}, {"baseline_best_val", "baseline_best_val", NULL},
        {"baseline_final_loss", "baseline_final_loss", NULL}, {"baseline_nonfinite", "baseline_nonfinite", NULL},
        {"best_val", "batchnorm_best_val", "baseline_best_val"},
        {"best_train", "batchnorm_best_train", "baseline_best_train"},
        {"final_loss", "batchnorm_final_loss", "baseline_final_loss"}};
    static const bn_agg_col c_bs[] = {{"best_train", "best_train", NULL}, {"best_val", "best_val", NULL},
                                      {"final_loss", "final_loss", NULL}};
    static const bn_agg_col c_bsacc[] = {{"train", "train", NULL}, {"val", "val", NULL}};

    /* Statistics across runs need independent runs of one configuration: checked before
     * anything is written. */
    run_info *ri = bn_calloc((size_t)nruns, sizeof *ri);
    char why[1200];
    for (int i = 0; i < nruns; i++) {
        get_info(runs[i], &ri[i]);
        for (int j = 0; j < i; j++) {
            if (strcmp(ri[i].seed, "unknown") && !strcmp(ri[i].seed, ri[j].seed))
                bn_die(1, "run folders %s and %s both have seed %s: the statistics need runs of different seeds", runs[j], runs[i], ri[i].seed);
        }
        if (i && (kv_differ(runs[0], runs[i], "params.info.tsv", "seed", why, sizeof why) ||
                  kv_differ(runs[0], runs[i], "dataset.info.tsv", "folder", why, sizeof why)))
            bn_die(1, "the runs are not of one configuration: %s", why);
    }
    bn_mkdir_p(dir);
    bn_remove_done(dir, "runs.info.tsv");   /* issue 12: an old one must not vouch for new files */
    int wrote = 0;
    wrote += agg(dir, runs, nruns, "exp5_deepnet_loss.tsv", "exp5_deepnet_loss_seeds.tsv", k_loss, 3, c_loss, 2);
    wrote += agg(dir, runs, nruns, "exp5_deepnet_acc.tsv", "exp5_deepnet_acc_seeds.tsv", k_acc, 5, c_acc, 6);
    wrote += agg(dir, runs, nruns, "exp5_deepnet.tsv", "exp5_deepnet_seeds.tsv", k_sum, 2, c_sum, 11);
    wrote += agg(dir, runs, nruns, "exp6_sweep.tsv", "exp6_sweep_seeds.tsv", k_sum, 2, c_sum, 11);
    wrote += agg(dir, runs, nruns, "exp7_batchsize.tsv", "exp7_batchsize_seeds.tsv", k_bs, 2, c_bs, 3);
    wrote += agg(dir, runs, nruns, "exp7_batchsize_acc.tsv", "exp7_batchsize_acc_seeds.tsv", k_bsacc, 5, c_bsacc, 2);
    agg_gap(dir, runs, nruns);
    if (!wrote) bn_die(1, "no experiment 5, 6 or 7 data files common to all %d runs", nruns);
    agg_epoch_loss(dir, runs, nruns);
    concat_runs(dir, runs, nruns, ri, "exp5_deepnet.tsv", "exp5_deepnet_by_seed.tsv");
    sweep_by_seed(dir, runs, nruns, ri);

    /* written last: its presence means the aggregation finished. `page` is each run's report
     * page relative to this folder's report page. */
    bn_out f;
    char rdir[4200], page[4400];
    snprintf(rdir, sizeof rdir, "%s/report", dir);
    bn_out_open(&f, dir, "runs.info.tsv");
    bn_out_printf(&f, "run\tseed\tfolder\tpage\tdataset\tbnflags\n");
    for (int i = 0; i < nruns; i++) {
        rel_path(rdir, runs[i], "report/index.html", page, sizeof page);
        bn_out_printf(&f, "%d\t%s\t%s\t%s\t%s\t%s\n", i, ri[i].seed, runs[i], page, ri[i].dataset, ri[i].bnflags);
    }
    bn_out_commit(&f);
    free(ri);
    bn_progress("bnagg: %d runs aggregated into %s", nruns, dir);
    return 0;
}

/* True if the two files have the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        char x[8192], y[8192];
        size_t na = fread(x, 1, sizeof x, fa), nb = fread(y, 1, sizeof y, fb);
        if (na != nb || memcmp(x, y, na)) same = 0;
        if (na == 0) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

static int is_result(const char *name)
{
    size_t n = strlen(name);
    if (n < 5 || strcmp(name + n - 4, ".tsv")) return 0;
    if (strstr(name, ".timing.tsv") || strstr(name, ".info.tsv") || !strcmp(name, "manifest.tsv")) return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Result file names of a run folder, sorted. */
static int list_results(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (!d) bn_die(1, "run folder %s: cannot open", dir);
    int n = 0, cap = 64;
    *names = bn_malloc(sizeof(char *) * (size_t)cap);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_result(e->d_name)) continue;
        char p[4400], err[4600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (bn_check_regular(p, (unsigned long long)1 << 30, "a result file", err, sizeof err)) bn_die(1, "%s", err);
        if (n == cap) {
            char **nn = realloc(*names, sizeof(char *) * (size_t)(cap *= 2));
            if (!nn) bn_die(1, "out of memory at %s:%d", __FILE__, __LINE__);
            *names = nn;
        }
        (*names)[n] = bn_malloc(strlen(e->d_name) + 1);
        strcpy((*names)[n++], e->d_name);
    }
    closedir(d);
    qsort(*names, (size_t)n, sizeof(char *), cmp_str);
    return n;
}

/* The summary files compared cell by cell: every numeric cell of A, of B and B - A. */
static const char *compared[] = {"exp1_forward_train.tsv", "exp2_forward_test.tsv", "exp3_bn_gradcheck.tsv",
                                 "exp4_initial_loss.tsv", "exp4_net_gradcheck.tsv", "exp5_deepnet.tsv",
                                 "exp6_sweep.tsv", "exp7_layernorm_forward.tsv", "exp7_layernorm_gradcheck.tsv",
                                 "exp7_net_gradcheck_norms.tsv", "exp7_batchsize.tsv"};

/* Columns that identify a row rather than measure something; so is the first column, and any
 * column with a cell that is not a number. */
static const char *key_names[] = {"point", "weight_scale", "stage", "feature", "sample", "check", "N", "D", "reg",
                                  "param", "norm", "batch_size", "key", "iteration", "epoch"};

static int is_key(const bn_tsv *t, int c)
{
    double v;
    if (c == 0) return 1;
    for (size_t k = 0; k < sizeof key_names / sizeof *key_names; k++)
        if (!strcmp(t->cols[c], key_names[k])) return 1;
    for (long r = 0; r < t->nrows; r++)
        if (bn_tsv_num(t, r, c, &v)) return 1;
    return 0;
}

/* Row r's key: "name=value" for the key columns keys[0..nk) (indices into t), joined by ", ";
 * numbers shortened to 4 significant digits when `pretty`. -1 if t lacks a key column. */
static int row_key(const bn_tsv *t, const bn_tsv *ref, const int *keys, int nk, long r, int pretty, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < nk; i++) {
        int c = bn_tsv_col(t, ref->cols[keys[i]]);
        if (c < 0) return -1;
        const char *cell = bn_tsv_cell(t, r, c);
        char num[64];
        double v;
        if (pretty && !bn_tsv_num(t, r, c, &v) && isfinite(v)) {
            snprintf(num, sizeof num, "%.4g", v);
            cell = num;
        }
        int w = snprintf(out + k, k < n ? n - k : 0, "%s%s=%s", i ? ", " : "", ref->cols[keys[i]], cell);
        if (w > 0) k += (size_t)w;
        /* issue 12: a key cut short could match another row's */
        if (k >= n) bn_die(1, "%s row %ld: its key cells are longer than %zu characters", t->name, r + 1, n - 1);
    }
    return 0;
}

static void compare_file(bn_out *vals, bn_out *unm, const char *name, const char *A, const char *B)
{
    char pa[4200], pb[4200], err[1024], ka[1024], kb[1024], key[1024];
    bn_tsv ta, tb;
    snprintf(pa, sizeof pa, "%s/%s", A, name);
    snprintf(pb, sizeof pb, "%s/%s", B, name);
    if (bn_tsv_read(&ta, pa, err, sizeof err)) bn_die(1, "%s", err);
    if (bn_tsv_read(&tb, pb, err, sizeof err)) bn_die(1, "%s", err);
    int *keys = bn_malloc(sizeof(int) * (size_t)ta.ncols), nk = 0;
    for (int c = 0; c < ta.ncols; c++) if (is_key(&ta, c)) keys[nk++] = c;
    /* columns in one run only (a different code version may add or drop some) */
    for (int c = 0; c < ta.ncols; c++)
        if (bn_tsv_col(&tb, ta.cols[c]) < 0) bn_out_printf(unm, "%s\tcolumn\t%s\tonly in A\n", name, ta.cols[c]);
    for (int c = 0; c < tb.ncols; c++)
        if (bn_tsv_col(&ta, tb.cols[c]) < 0) bn_out_printf(unm, "%s\tcolumn\t%s\tonly in B\n", name, tb.cols[c]);
    /* rows are matched by their key cells, each row of B at most once */
    char *used = bn_calloc((size_t)tb.nrows + 1, 1);
    int b_has_keys = tb.nrows == 0 || row_key(&tb, &ta, keys, nk, 0, 0, kb, sizeof kb) == 0;
    for (long r = 0; r < ta.nrows; r++) {
        row_key(&ta, &ta, keys, nk, r, 0, ka, sizeof ka);
        row_key(&ta, &ta, keys, nk, r, 1, key, sizeof key);
        long m = -1;
        for (long q = 0; b_has_keys && q < tb.nrows && m < 0; q++) {
            if (used[q]) continue;
            row_key(&tb, &ta, keys, nk, q, 0, kb, sizeof kb);
            if (!strcmp(ka, kb)) m = q;
        }
        if (m < 0) {
            bn_out_printf(unm, "%s\trow\t%s\tonly in A\n", name, key);
            continue;
        }
        used[m] = 1;
        for (int c = 0; c < ta.ncols; c++) {
            int cb = bn_tsv_col(&tb, ta.cols[c]);
            double a, b;
            if (is_key(&ta, c) || cb < 0 || bn_tsv_num(&ta, r, c, &a) || bn_tsv_num(&tb, m, cb, &b)) continue;
            char sa[64], sb[64], sd[64];
            bn_fmt(sa, sizeof sa, a);
            bn_fmt(sb, sizeof sb, b);
            bn_fmt(sd, sizeof sd, b - a);
            bn_out_printf(vals, "%s\t%ld\t%s\t%s\t%s\t%s\t%s\n", name, r, key, ta.cols[c], sa, sb, sd);
        }
    }
    for (long q = 0; q < tb.nrows; q++) {
        if (used[q]) continue;
        if (row_key(&tb, &ta, keys, nk, q, 1, key, sizeof key)) snprintf(key, sizeof key, "row %ld", q + 1);
        bn_out_printf(unm, "%s\trow\t%s\tonly in B\n", name, key);
    }
    free(used);
    free(keys);
    bn_tsv_free(&ta);
    bn_tsv_free(&tb);
}

static int cmd_compare(const char *dir, const char *A, const char *B)
{
    char **na, **nb, pa[4200], pb[4200];
    int ka = list_results(A, &na), kb = list_results(B, &nb);
    run_info ia, ib;
    get_info(A, &ia);
    get_info(B, &ib);
    bn_mkdir_p(dir);
    bn_remove_done(dir, "compare.info.tsv");   /* issue 12: written last, removed first */
    bn_out f;
    bn_out_open(&f, dir, "compare_files.tsv");
    bn_out_printf(&f, "file\tstatus\n");
    int ndiff = 0, nfiles = 0, nsame = 0, only_a = 0, only_b = 0;
    for (int i = 0, j = 0; i < ka || j < kb; nfiles++) {
        int c = i >= ka ? 1 : j >= kb ? -1 : strcmp(na[i], nb[j]);
        if (c < 0) { bn_out_printf(&f, "%s\tonly in A\n", na[i++]); ndiff++; only_a++; }
        else if (c > 0) { bn_out_printf(&f, "%s\tonly in B\n", nb[j++]); ndiff++; only_b++; }
        else {
            snprintf(pa, sizeof pa, "%s/%s", A, na[i]);
            snprintf(pb, sizeof pb, "%s/%s", B, nb[j]);
            int same = same_bytes(pa, pb);
            ndiff += !same;
            nsame += same;
            bn_out_printf(&f, "%s\t%s\n", na[i], same ? "identical" : "different");
            i++, j++;
        }
    }
    bn_out_commit(&f);

    bn_out u;
    bn_out_open(&f, dir, "compare_values.tsv");
    bn_out_open(&u, dir, "compare_unmatched.tsv");
    bn_out_printf(&f, "file\trow\tkey\tcolumn\ta\tb\tdiff\n");
    bn_out_printf(&u, "file\tkind\tname\tstatus\n");
    for (size_t k = 0; k < sizeof compared / sizeof *compared; k++)
        if (exists(A, compared[k]) && exists(B, compared[k])) compare_file(&f, &u, compared[k], A, B);
    bn_out_commit(&u);
    bn_out_commit(&f);

    bn_out_open(&f, dir, "compare_runs.info.tsv");
    bn_out_printf(&f, "item\ta\tb\n");
    bn_out_printf(&f, "folder\t%s\t%s\nseed\t%s\t%s\nbnlab options\t%s\t%s\ndataset\t%s\t%s\n", A, B, ia.seed, ib.seed,
                  ia.bnflags, ib.bnflags, ia.dataset, ib.dataset);
    bn_out_printf(&f, "git commit\t%s\t%s\nuncommitted changes\t%s\t%s\nresult files\t%d\t%d\n", ia.commit, ib.commit,
                  ia.dirty, ib.dirty, ka, kb);
    bn_out_commit(&f);

    /* written last: its presence means the comparison finished */
    bn_out_open(&f, dir, "compare.info.tsv");
    bn_out_printf(&f, "key\tvalue\na\t%s\nb\t%s\nfiles_different\t%d\nfiles_compared\t%d\nfiles_identical\t%d\n"
                      "files_only_in_a\t%d\nfiles_only_in_b\t%d\n", A, B, ndiff, nfiles, nsame, only_a, only_b);
    bn_out_commit(&f);
    for (int i = 0; i < ka; i++) free(na[i]);
    for (int i = 0; i < kb; i++) free(nb[i]);
    free(na);
    free(nb);
    bn_progress("bnagg: %s vs %s: %d result file(s) differ", A, B, ndiff);
    return 0;
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();
    bn_progname = "bnagg";
    const char *out = NULL;
    char *runs[256];
    int nruns = 0;
    if (argc < 2) usage_die();
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--out")) {
            if (i + 1 >= argc || !argv[i + 1][0] || argv[i + 1][0] == '-') bn_die(2, "option --out needs a value");
            out = argv[++i];
        }
        else if (!strcmp(argv[i], "-q")) bn_quiet = 1;
        else if (argv[i][0] == '-') bn_die(2, "unknown option %s", argv[i]);
        else if (nruns < 256) {
            struct stat st;
            if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) bn_die(1, "run folder %s: no such folder", argv[i]);
            runs[nruns++] = argv[i];
        } else bn_die(2, "at most 256 runs");
    }
    if (!out) bn_die(2, "option --out DIR is required");
    if (!strcmp(argv[1], "seeds")) {
        if (nruns < 1) bn_die(2, "seeds needs at least one run folder");
        return cmd_seeds(out, runs, nruns);
    }
    if (!strcmp(argv[1], "compare")) {
        if (nruns != 2) bn_die(2, "compare needs exactly two run folders, got %d", nruns);
        return cmd_compare(out, runs[0], runs[1]);
    }
    usage_die();
}
