/* main_bnagg.c - statistics across seeded runs (`seeds`) and a side-by-side comparison of two
 * runs (`compare`), written as data files for the report. */
#define _POSIX_C_SOURCE 200809L
#include "aggregate.h"
#include "common.h"

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
    char m[64], s[64], e[64];
    bn_out_open(&f, dir, "exp7_gap_seeds.tsv");
    bn_out_printf(&f, "norm\tbatch_size\tgap_mean\tgap_sd\tgap_se\tn\twins\tlosses\tties\n");
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
        bn_out_printf(&f, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\n", bn_tsv_cell(t0, r, cn), bn_tsv_cell(t0, r, cb), m, s, e,
                      p.n, p.wins, p.losses, p.ties);
    }
    bn_out_commit(&f);
    free(a);
    free(b);
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

    bn_mkdir_p(dir);
    int wrote = 0;
    wrote += agg(dir, runs, nruns, "exp5_deepnet_loss.tsv", "exp5_deepnet_loss_seeds.tsv", k_loss, 3, c_loss, 2);
    wrote += agg(dir, runs, nruns, "exp5_deepnet_acc.tsv", "exp5_deepnet_acc_seeds.tsv", k_acc, 5, c_acc, 6);
    wrote += agg(dir, runs, nruns, "exp5_deepnet.tsv", "exp5_deepnet_seeds.tsv", k_sum, 2, c_sum, 11);
    wrote += agg(dir, runs, nruns, "exp6_sweep.tsv", "exp6_sweep_seeds.tsv", k_sum, 2, c_sum, 11);
    wrote += agg(dir, runs, nruns, "exp7_batchsize.tsv", "exp7_batchsize_seeds.tsv", k_bs, 2, c_bs, 3);
    wrote += agg(dir, runs, nruns, "exp7_batchsize_acc.tsv", "exp7_batchsize_acc_seeds.tsv", k_bsacc, 5, c_bsacc, 2);
    agg_gap(dir, runs, nruns);
    if (!wrote) bn_die(1, "no experiment 5, 6 or 7 data files common to all %d runs", nruns);

    bn_out f;
    bn_out_open(&f, dir, "runs.info.tsv");
    bn_out_printf(&f, "run\tfolder\n");
    for (int i = 0; i < nruns; i++) bn_out_printf(&f, "%d\t%s\n", i, runs[i]);
    bn_out_commit(&f);
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
                                 "exp6_sweep.tsv", "exp7_batchsize.tsv", "exp7_layernorm_gradcheck.tsv"};

static int cmd_compare(const char *dir, const char *A, const char *B)
{
    char **na, **nb, pa[4200], pb[4200], err[1024];
    int ka = list_results(A, &na), kb = list_results(B, &nb);
    bn_mkdir_p(dir);
    bn_out f;
    bn_out_open(&f, dir, "compare_files.tsv");
    bn_out_printf(&f, "file\tstatus\n");
    int ndiff = 0, nfiles = 0;
    for (int i = 0, j = 0; i < ka || j < kb; nfiles++) {
        int c = i >= ka ? 1 : j >= kb ? -1 : strcmp(na[i], nb[j]);
        if (c < 0) { bn_out_printf(&f, "%s\tonly in A\n", na[i++]); ndiff++; }
        else if (c > 0) { bn_out_printf(&f, "%s\tonly in B\n", nb[j++]); ndiff++; }
        else {
            snprintf(pa, sizeof pa, "%s/%s", A, na[i]);
            snprintf(pb, sizeof pb, "%s/%s", B, nb[j]);
            int same = same_bytes(pa, pb);
            ndiff += !same;
            bn_out_printf(&f, "%s\t%s\n", na[i], same ? "identical" : "different");
            i++, j++;
        }
    }
    bn_out_commit(&f);

    bn_out_open(&f, dir, "compare_values.tsv");
    bn_out_printf(&f, "file\trow\tkey\tcolumn\ta\tb\tdiff\n");
    for (size_t k = 0; k < sizeof compared / sizeof *compared; k++) {
        if (!exists(A, compared[k]) || !exists(B, compared[k])) continue;
        bn_tsv ta, tb;
        snprintf(pa, sizeof pa, "%s/%s", A, compared[k]);
        snprintf(pb, sizeof pb, "%s/%s", B, compared[k]);
        if (bn_tsv_read(&ta, pa, err, sizeof err)) bn_die(1, "%s", err);
        if (bn_tsv_read(&tb, pb, err, sizeof err)) bn_die(1, "%s", err);
        long rows = ta.nrows < tb.nrows ? ta.nrows : tb.nrows;
        for (long r = 0; r < rows; r++) {
            /* the row's key: its non-numeric cells and its first column, joined */
            char key[512] = "";
            size_t kl = 0;
            for (int c = 0; c < ta.ncols; c++) {
                double v;
                if (c == 0 || bn_tsv_num(&ta, r, c, &v))
                    kl += (size_t)snprintf(key + kl, kl < sizeof key ? sizeof key - kl : 0, "%s%s", kl ? " " : "",
                                           bn_tsv_cell(&ta, r, c));
                if (kl >= sizeof key) kl = sizeof key - 1;
            }
            for (int c = 1; c < ta.ncols; c++) {
                int cb = bn_tsv_col(&tb, ta.cols[c]);
                double a, b;
                if (cb < 0 || bn_tsv_num(&ta, r, c, &a) || bn_tsv_num(&tb, r, cb, &b)) continue;
                char sa[64], sb[64], sd[64];
                bn_fmt(sa, sizeof sa, a); bn_fmt(sb, sizeof sb, b); bn_fmt(sd, sizeof sd, b - a);
                bn_out_printf(&f, "%s\t%ld\t%s\t%s\t%s\t%s\t%s\n", compared[k], r, key, ta.cols[c], sa, sb, sd);
            }
        }
        bn_tsv_free(&ta);
        bn_tsv_free(&tb);
    }
    bn_out_commit(&f);

    bn_out_open(&f, dir, "compare.info.tsv");
    bn_out_printf(&f, "key\tvalue\na\t%s\nb\t%s\nfiles_different\t%d\nfiles_compared\t%d\n", A, B, ndiff, nfiles);
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
    bn_progname = "bnagg";
    const char *out = NULL;
    char *runs[256];
    int nruns = 0;
    if (argc < 2) usage_die();
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
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
