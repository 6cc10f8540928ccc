/* agg_compare.c - `bnagg compare`: two runs side by side (which result files differ, and every
 * numeric cell of the summary files), written as data files for the compare page. */
#include "agg_tools.h"
#include "alloc.h"
#include "compare_rank.h"
#include "error.h"
#include "guard.h"
#include "noise.h"
#include "number.h"
#include "outfile.h"
#include "registry.h"
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


/* ------------------------------------------------------------------ each run's noise band
 * What the compare figures shade around each run's curve: the interval the noise model of
 * noise.h gives one value of one run, v -/+ q sqrt(sd_seed^2 + se^2) (bn_noise_single): sd_seed
 * the seed-to-seed SD at that point from the several-seed study of A's configuration (the study
 * bn_compare_rank judges by; taken for B too), se the within-run part (binomial for an accuracy
 * on the validation or the accuracy-check training images, the SE of the final-loss window's
 * mean for a final loss), q Student's t on n_seed - 1 degrees of freedom; without a study, the
 * within-run part alone with the normal quantile. One file per figure: the columns `show` of
 * A's rows in A's order, then for each measured column c: c_a, c_a_lo, c_a_hi, c_b, c_b_lo,
 * c_b_hi (B's row matched by the key cells; nan where B lacks it). */
typedef struct {
    const char *out, *file, *seeds, *loss, *key[2], *show[2], *cols[6];
    char words[10][64];
} band_spec;
/* The bands of the experiments the registry judges (a row's .judged), in the rows' order. */
static band_spec bands[16];
static int n_bands;

/* The words of a registry list into spec->words from *used on, pointed to by out[0..max). */
static void band_words(band_spec *b, int *used, const char *list, const char **out, int max)
{
    for (int i = 0; i < max; i++) out[i] = NULL;
    for (int i = 0; i < max && *used < 10 && bn_registry_word(list, i, b->words[*used], sizeof b->words[0]); i++)
        out[i] = b->words[(*used)++];
}

static void load_bands(void)
{
    n_bands = 0;
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_judged *j = bn_experiments[i].judged;
        if (!j || !j->band) continue;
        if (n_bands == (int)(sizeof bands / sizeof *bands)) bn_die(1, "internal error: more than %d compare bands", n_bands);
        band_spec *b = &bands[n_bands++];
        int used = 0;
        b->out = j->band;
        b->file = j->band_file;
        b->seeds = j->band_seeds;
        /* the final loss's within-run noise comes from the loss file the summary is the tail of */
        b->loss = !strcmp(j->band_file, j->summary) ? j->loss : NULL;
        band_words(b, &used, j->band_keys, b->key, 2);
        band_words(b, &used, j->band_show, b->show, 2);
        band_words(b, &used, j->band_cols, b->cols, 6);
        if (!b->key[0] || !b->show[1] || !b->cols[0])
            bn_die(1, "internal error: the %s row's compare band needs a key, two shown columns and a measured one",
                   bn_experiments[i].command);
    }
}

/* One run's within-run noise parameters (params.info.tsv) and its tables for band b. */
typedef struct {
    long n_val, n_train, window;
    bn_tsv sum, loss;
    int has_sum, has_loss;
} band_run;

static long param_of(const char *run, const char *key)
{
    char *v = bn_run_kv(run, "params.info.tsv", key);
    double x;
    long out = v && bn_parse_num(v, &x) && x >= 1 && x < 1e12 && x == floor(x) ? (long)x : -1;
    free(v);
    return out;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && !strcmp(s + n - k, tail);
}

/* Row of t whose key cells (band b's key columns) are those of row r of ref; -1 if none. */
static long band_row(const bn_tsv *t, const bn_tsv *ref, long r, int b)
{
    int kt[2] = {-1, -1}, kr[2] = {-1, -1};
    for (int k = 0; k < 2 && bands[b].key[k]; k++) {
        kt[k] = bn_tsv_col(t, bands[b].key[k]);
        kr[k] = bn_tsv_col(ref, bands[b].key[k]);
        if (kt[k] < 0 || kr[k] < 0) return -1;
    }
    for (long q = 0; q < t->nrows; q++) {
        int same = 1;
        for (int k = 0; k < 2 && kt[k] >= 0; k++) same &= !strcmp(bn_tsv_cell(t, q, kt[k]), bn_tsv_cell(ref, r, kr[k]));
        if (same) return q;
    }
    return -1;
}

/* The within-run SE of column c at row r of the run's summary (NaN if unknown). */
static double band_se(const band_run *x, int b, long r, const char *c, double v)
{
    if (ends_with(c, "val")) return bn_binomial_se(v, x->n_val);
    if (ends_with(c, "train")) return bn_binomial_se(v, x->n_train);
    if (!ends_with(c, "final_loss") || !x->has_loss || x->window < 1) return NAN;
    /* the loss column: the net's own for X_final_loss (batchnorm_final_loss: batchnorm), else `loss` */
    char col[64] = "loss";
    size_t n = strlen(c) - strlen("_final_loss");
    if (strcmp(c, "final_loss")) snprintf(col, sizeof col, "%.*s", (int)n, c);
    int lc = bn_tsv_col(&x->loss, col);
    if (lc < 0) return NAN;
    double *y = bn_malloc(sizeof(double) * (size_t)(x->loss.nrows + 1));
    long m = 0;
    for (long q = 0; q < x->loss.nrows; q++) {
        int same = 1;
        for (int k = 0; k < 2 && bands[b].key[k]; k++) {
            int ck = bn_tsv_col(&x->loss, bands[b].key[k]), cs = bn_tsv_col(&x->sum, bands[b].key[k]);
            same &= ck >= 0 && cs >= 0 && !strcmp(bn_tsv_cell(&x->loss, q, ck), bn_tsv_cell(&x->sum, r, cs));
        }
        if (same && !bn_tsv_num(&x->loss, q, lc, &y[m])) m++;
    }
    double se = bn_tail_mean_se(y, m, x->window);
    free(y);
    return se;
}

/* The study's seed-to-seed SD of column c at the point of row r of ref, and its seeds. */
static int band_sd(const bn_tsv *seeds, int has, const bn_tsv *ref, long r, int b, const char *c, double *sd)
{
    char csd[96], cn[96];
    double n;
    *sd = NAN;
    if (!has) return 0;
    snprintf(csd, sizeof csd, "%s_sd", c);
    snprintf(cn, sizeof cn, "%s_n", c);
    long q = band_row(seeds, ref, r, b);
    int a = bn_tsv_col(seeds, csd), k = bn_tsv_col(seeds, cn);
    if (q < 0 || a < 0 || k < 0 || bn_tsv_num(seeds, q, a, sd) || bn_tsv_num(seeds, q, k, &n) || n < 2) return 0;
    return (int)n;
}

static void load_band_run(band_run *x, const char *run, int b)
{
    char p[4300], err[1200];
    x->n_val = param_of(run, "num_val");
    x->n_train = param_of(run, "accuracy_train_samples");
    x->window = param_of(run, "final_loss_window");
    x->has_sum = x->has_loss = 0;
    snprintf(p, sizeof p, "%s/%s", run, bands[b].file);
    if (bn_run_has(run, bands[b].file)) {
        if (bn_tsv_read(&x->sum, p, err, sizeof err)) bn_die(1, "%s", err);
        x->has_sum = 1;
    }
    if (bands[b].loss && bn_run_has(run, bands[b].loss)) {
        snprintf(p, sizeof p, "%s/%s", run, bands[b].loss);
        if (bn_tsv_read(&x->loss, p, err, sizeof err)) bn_die(1, "%s", err);
        x->has_loss = 1;
    }
}

static void free_band_run(band_run *x)
{
    if (x->has_sum) bn_tsv_free(&x->sum);
    if (x->has_loss) bn_tsv_free(&x->loss);
}

/* v, lo, hi of column c at row r of run x (nan when the row or the column is absent) */
static void band_cells(bn_out *f, const band_run *x, long r, int b, const char *c, const bn_tsv *seeds, int has_seeds,
                       const bn_tsv *ref, long rr)
{
    double v = NAN, sd;
    int col = r >= 0 ? bn_tsv_col(&x->sum, c) : -1;
    if (col >= 0 && bn_tsv_num(&x->sum, r, col, &v)) v = NAN;
    int n = band_sd(seeds, has_seeds, ref, rr, b, c, &sd);
    bn_noise_test t;
    bn_noise_single(&t, v, col >= 0 ? band_se(x, b, r, c, v) : NAN, sd, n);
    char sv[64], lo[64], hi[64];
    bn_fmt(sv, sizeof sv, v);
    bn_fmt(lo, sizeof lo, isfinite(v) ? t.lo : NAN);
    bn_fmt(hi, sizeof hi, isfinite(v) ? t.hi : NAN);
    bn_out_printf(f, "\t%s\t%s\t%s", sv, lo, hi);
}

static void write_bands(const char *dir, const char *A, const char *B)
{
    char study[4200], p[4300], err[1200];
    int nstudy = 0, has_a = 0;
    int have_study = bn_find_study(NULL, A, study, sizeof study, &nstudy, &has_a);
    load_bands();
    for (int b = 0; b < n_bands; b++) {
        band_run ra, rb;
        bn_tsv seeds;
        int has_seeds = 0;
        load_band_run(&ra, A, (int)b);
        load_band_run(&rb, B, (int)b);
        if (have_study && bn_run_has(study, bands[b].seeds)) {
            snprintf(p, sizeof p, "%s/%s", study, bands[b].seeds);
            if (bn_tsv_read(&seeds, p, err, sizeof err)) bn_die(1, "%s", err);
            has_seeds = 1;
        }
        bn_out f;
        bn_out_open(&f, dir, bands[b].out);
        bn_out_printf(&f, "%s\t%s", bands[b].show[0], bands[b].show[1]);
        for (int c = 0; c < 6 && bands[b].cols[c]; c++)
            for (int k = 0; k < 2; k++)
                bn_out_printf(&f, "\t%s_%c\t%s_%c_lo\t%s_%c_hi", bands[b].cols[c], "ab"[k], bands[b].cols[c], "ab"[k],
                              bands[b].cols[c], "ab"[k]);
        bn_out_printf(&f, "\n");
        for (long r = 0; ra.has_sum && r < ra.sum.nrows; r++) {
            int s0 = bn_tsv_col(&ra.sum, bands[b].show[0]), s1 = bn_tsv_col(&ra.sum, bands[b].show[1]);
            bn_out_printf(&f, "%s\t%s", s0 >= 0 ? bn_tsv_cell(&ra.sum, r, s0) : "nan", s1 >= 0 ? bn_tsv_cell(&ra.sum, r, s1) : "nan");
            long q = rb.has_sum ? band_row(&rb.sum, &ra.sum, r, (int)b) : -1;
            for (int c = 0; c < 6 && bands[b].cols[c]; c++) {
                band_cells(&f, &ra, r, (int)b, bands[b].cols[c], &seeds, has_seeds, &ra.sum, r);
                band_cells(&f, &rb, q, (int)b, bands[b].cols[c], &seeds, has_seeds, &ra.sum, r);
            }
            bn_out_printf(&f, "\n");
        }
        bn_out_commit(&f);
        if (has_seeds) bn_tsv_free(&seeds);
        free_band_run(&ra);
        free_band_run(&rb);
    }
}

/* ------------------------------------------------------------------ the verdicts of both runs */

/* compare_verdicts.tsv: every row of a result file with a `verdict` column (the checks' pass or
 * fail, the trainings' verdicts) found in both runs, matched by position when both rows name the
 * same thing (their first cells agree): its name (the row's first two cells), its kind, both
 * verdicts and the change (pass_to_fail, fail_to_pass, same or other), and both rows'
 * `rel_error` and `reason` (ok, kink, ...) where the file has them. Kind "gradient": a gradient check, which compares the
 * code's derivative with a finite difference at the same point, so that its failing is a fault of
 * the code, not noise (the page names these first); "other": a verdict on one random quantity
 * against a fixed band (the initial loss of 2 samples, whether a training learns), which another
 * seed can change. Counts: gradient checks pass -> fail and fail -> pass, any verdict changed. */
static void write_verdicts(const char *dir, const char *A, const char *B, int *to_fail, int *to_pass, int *changed)
{
    bn_out f;
    char name[256], pa[4300], pb[4300], err[1200];
    *to_fail = *to_pass = *changed = 0;
    bn_out_open(&f, dir, "compare_verdicts.tsv");
    bn_out_printf(&f, "file\trow\tname\tkind\tverdict_a\tverdict_b\tchange\trel_error_a\trel_error_b\treason_a\treason_b\n");
    for (int i = 0; i < bn_n_experiments; i++)
        for (int k = 0; bn_registry_word(bn_experiments[i].files, k, name, sizeof name); k++) {
            bn_tsv ta, tb;
            if (!bn_run_has(A, name) || !bn_run_has(B, name)) continue;
            snprintf(pa, sizeof pa, "%s/%s", A, name);
            snprintf(pb, sizeof pb, "%s/%s", B, name);
            if (bn_tsv_read(&ta, pa, err, sizeof err)) bn_die(1, "%s", err);
            if (bn_tsv_read(&tb, pb, err, sizeof err)) bn_die(1, "%s", err);
            int va = bn_tsv_col(&ta, "verdict"), vb = bn_tsv_col(&tb, "verdict");
            int ea = bn_tsv_col(&ta, "rel_error"), eb = bn_tsv_col(&tb, "rel_error");
            int ra = bn_tsv_col(&ta, "reason"), rb = bn_tsv_col(&tb, "reason");
            for (long r = 0; va >= 0 && vb >= 0 && r < ta.nrows && r < tb.nrows; r++) {
                if (strcmp(bn_tsv_cell(&ta, r, 0), bn_tsv_cell(&tb, r, 0))) continue;
                const char *a = bn_tsv_cell(&ta, r, va), *b = bn_tsv_cell(&tb, r, vb);
                const char *ch = !strcmp(a, b) ? "same" : !strcmp(a, "pass") && !strcmp(b, "fail") ? "pass_to_fail"
                               : !strcmp(a, "fail") && !strcmp(b, "pass") ? "fail_to_pass" : "other";
                int grad = ea >= 0 && eb >= 0;
                *to_fail += grad && !strcmp(ch, "pass_to_fail");
                *to_pass += grad && !strcmp(ch, "fail_to_pass");
                *changed += strcmp(ch, "same") != 0;
                /* the row's name: its first column, and its second where that is a word (the
                 * parameter of a net's check), as column=value */
                double x;
                int second = ta.ncols > 1 && va != 1 && bn_tsv_num(&ta, r, 1, &x) != 0;
                bn_out_printf(&f, "%s\t%ld\t%s=%s%s%s%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, r + 1, ta.cols[0],
                              bn_tsv_cell(&ta, r, 0), second ? ", " : "", second ? ta.cols[1] : "", second ? "=" : "",
                              second ? bn_tsv_cell(&ta, r, 1) : "", grad ? "gradient" : "other", a, b, ch,
                              ea >= 0 ? bn_tsv_cell(&ta, r, ea) : "nan", eb >= 0 ? bn_tsv_cell(&tb, r, eb) : "nan",
                              ra >= 0 ? bn_tsv_cell(&ta, r, ra) : "-", rb >= 0 ? bn_tsv_cell(&tb, r, rb) : "-");
            }
            bn_tsv_free(&ta);
            bn_tsv_free(&tb);
        }
    bn_out_commit(&f);
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
    /* the files the rows name as compared, cell by cell: every numeric cell of A, of B and B - A */
    char name[256];
    for (int i = 0; i < bn_n_experiments; i++)
        for (int k = 0; bn_registry_word(bn_experiments[i].compared, k, name, sizeof name); k++)
            if (bn_run_has(A, name) && bn_run_has(B, name)) compare_file(&f, &u, name, A, B);
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
    write_bands(dir, A, B);
    int to_fail, to_pass, changed;
    write_verdicts(dir, A, B, &to_fail, &to_pass, &changed);
    /* written last: its presence means the comparison finished */
    bn_out_open(&f, dir, "compare.info.tsv");
    bn_out_printf(&f, "key\tvalue\na\t%s\nb\t%s\nfiles_different\t%d\nfiles_compared\t%d\nfiles_identical\t%d\n"
                      "files_only_in_a\t%d\nfiles_only_in_b\t%d\ngradchecks_pass_to_fail\t%d\ngradchecks_fail_to_pass\t%d\n"
                      "verdicts_changed\t%d\n",
                  A, B, ndiff, nfiles, nsame, only_a, only_b, to_fail, to_pass, changed);
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
