/* agg_compare.c - `bnagg compare`: two runs side by side (which result files differ, and every
 * numeric cell of the summary files), written as data files for the compare page. */
#include "agg_tools.h"
#include "alloc.h"
#include "compare_rank.h"
#include "error.h"
#include "guard.h"
#include "number.h"
#include "outfile.h"
#include "runinfo.h"
#include "tsv.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        char path[4400], err[4600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (bn_check_regular(path, (unsigned long long)1 << 30, "a result file", err, sizeof err)) bn_die(1, "%s", err);
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
        /* a key cut short could match another row's: refused, never cut */
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

int bn_agg_compare(const char *dir, const char *A, const char *B)
{
    char **na, **nb, pa[4200], pb[4200];
    int ka = list_results(A, &na), kb = list_results(B, &nb);
    bn_run_info ia, ib;
    bn_run_info_get(A, &ia);
    bn_run_info_get(B, &ib);
    bn_mkdir_p(dir);
    /* the completion file goes first and comes back last: a failure leaves none to vouch */
    bn_remove_done(dir, "compare.info.tsv");
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
        if (bn_run_has(A, compared[k]) && bn_run_has(B, compared[k])) compare_file(&f, &u, compared[k], A, B);
    bn_out_commit(&u);
    bn_out_commit(&f);

    bn_out_open(&f, dir, "compare_runs.info.tsv");
    bn_out_printf(&f, "item\ta\tb\n");
    bn_out_printf(&f, "folder\t%s\t%s\nseed\t%s\t%s\nbnlab options\t%s\t%s\ndataset\t%s\t%s\n", A, B, ia.seed, ib.seed,
                  ia.bnflags, ib.bnflags, ia.dataset, ib.dataset);
    bn_out_printf(&f, "git commit\t%s\t%s\nuncommitted changes\t%s\t%s\nresult files\t%d\t%d\n", ia.commit, ib.commit,
                  ia.dirty, ib.dirty, ka, kb);
    bn_out_printf(&f, "GEMM kernels\t%s\t%s\nCPU\t%s\t%s\n", ia.blas_core, ib.blas_core, ia.cpu_model, ib.cpu_model);
    bn_out_printf(&f, "bytes reproducible on\t%s\t%s\n", ia.reproducible_on, ib.reproducible_on);
    bn_out_commit(&f);

    char err[1200], *ab[] = {(char *)A, (char *)B};
    const char *labels[] = {"A", "B"};
    if (bn_compare_rank(dir, A, B, NULL, err, sizeof err) || bn_section_links(dir, "compare_sections.tsv", dir, ab, labels, 2, err, sizeof err))
        bn_die(1, "%s", err);
    /* written last: its presence means the comparison finished */
    bn_out_open(&f, dir, "compare.info.tsv");
    bn_out_printf(&f, "key\tvalue\na\t%s\nb\t%s\nfiles_different\t%d\nfiles_compared\t%d\nfiles_identical\t%d\n"
                      "files_only_in_a\t%d\nfiles_only_in_b\t%d\n", A, B, ndiff, nfiles, nsame, only_a, only_b);
    /* other kernels round differently in runs made before fixed-order arithmetic: the page says
     * so when such a run is compared with one of other kernels */
    int kd = strcmp(ia.blas_core, ib.blas_core) || strchr(ia.blas_core, ';') || strchr(ib.blas_core, ';');
    bn_out_printf(&f, "kernels_differ\t%d\n", kd && !(bn_run_any_cpu(&ia) && bn_run_any_cpu(&ib)));
    bn_out_commit(&f);
    bn_run_info_free(&ia);
    bn_run_info_free(&ib);
    for (int i = 0; i < ka; i++) free(na[i]);
    for (int i = 0; i < kb; i++) free(nb[i]);
    free(na);
    free(nb);
    bn_progress("bnagg: %s vs %s: %d result file(s) differ", A, B, ndiff);
    return 0;
}
