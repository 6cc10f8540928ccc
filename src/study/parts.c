/* parts.c - see parts.h. */
#define _POSIX_C_SOURCE 200809L
#include "parts.h"
#include "machine.h"
#include "common.h"
#include "timing.h"
#include "solver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a part holds: the split experiment's result files (its registry row's .files), its
 * completion file last, as in a whole run; and its timing file. */
enum { MAX_STUDY = 8 };
typedef struct {
    char name[MAX_STUDY][128], timing[160], stem[128];
    int n;
} study_files;

static void files_of(study_files *sf, const char *files)
{
    sf->n = 0;
    for (const char *p = files + strspn(files, " "); *p; p += strspn(p, " ")) {
        size_t k = strcspn(p, " ");
        if (sf->n == MAX_STUDY || k >= sizeof sf->name[0])
            bn_die(1, "internal error: a split experiment's files do not fit: %s", files);
        snprintf(sf->name[sf->n++], sizeof sf->name[0], "%.*s", (int)k, p);
        p += k;
    }
    if (!sf->n) bn_die(1, "internal error: a split experiment has no files");
    /* the completion file goes last */
    char done[sizeof sf->name[0]];
    memcpy(done, sf->name[0], sizeof done);
    memmove(sf->name[0], sf->name[1], sizeof sf->name[0] * (size_t)(sf->n - 1));
    memcpy(sf->name[sf->n - 1], done, sizeof done);
    size_t k = strlen(done) > 4 && !strcmp(done + strlen(done) - 4, ".tsv") ? strlen(done) - 4 : strlen(done);
    snprintf(sf->stem, sizeof sf->stem, "%.*s", (int)k, done);
    snprintf(sf->timing, sizeof sf->timing, "%s.timing.tsv", sf->stem);
}

static const char *const info_files[] = {"params.info.tsv", "dataset.info.tsv"};
#define NINFO 2

void bn_part_dir(char *buf, size_t n, const char *run, const char *files, int point)
{
    study_files sf;
    files_of(&sf, files);
    int k = snprintf(buf, n, "%s/parts/%s-%d", run, sf.stem, point);
    if (k < 0 || (size_t)k >= n) bn_die(1, "run folder name too long: %s", run);
}

/* Does name end with tail? */
static int ends_with(const char *name, const char *tail)
{
    size_t n = strlen(name), k = strlen(tail);
    return n >= k && !strcmp(name + n - k, tail);
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char p[4200], err[4400];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *s = bn_read_file(p, len, err, sizeof err);
    if (!s) bn_die(1, "merge: %s", err);
    return s;
}

/* The value of "key<TAB>value" line `key` in a key/value file's text, as a double (NAN if absent). */
static double kv_num(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, key, kl) && l[kl] == '\t') return strtod(l + kl + 1, NULL);
    return 0.0 / 0.0;
}

/* Length of the first line of s, its newline included. */
static size_t head_len(const char *s, size_t len)
{
    const char *nl = memchr(s, '\n', len);
    return nl ? (size_t)(nl - s) + 1 : len;
}

/* list := list "; " item (bn_machine_note drops the repeats), cut at n. */
static void append_item(char *list, size_t n, const char *item)
{
    size_t used = strlen(list);
    if (used + 2 + strlen(item) >= n) return;
    if (used) memcpy(list + used, "; ", 2), used += 2;
    memcpy(list + used, item, strlen(item) + 1);
}

/* The row count and point index of one part's file: every row is of point `point` (the folder's),
 * `want` rows in all; with `counter` >= 0 that column numbers the rows from `base` on (the loss
 * file's iterations from 1, the accuracy file's checks from 0), so a row lost in the middle or at
 * the end is named. */
static void check_rows(const char *dir, const char *name, const char *s, size_t len, int point, long want, int counter,
                       long base)
{
    long rows = 0;
    for (size_t at = head_len(s, len); at < len; rows++) {
        const char *l = s + at, *nl = memchr(l, '\n', len - at);
        size_t ll = nl ? (size_t)(nl - l) : len - at;
        char *end;
        long p = strtol(l, &end, 10);
        if (end == l || *end != '\t' || p != point)
            bn_die(1, "merge: %s/%s: row %ld is of point %.*s, not %d (the part's folder): the part is misplaced", dir, name,
                   rows + 1, (int)strcspn(l, "\t\n"), l, point);
        if (counter >= 0) {
            const char *f = l;
            for (int c = 0; c < counter && f; c++) {
                f = memchr(f, '\t', ll - (size_t)(f - l));
                if (f) f++;
            }
            if (!f || strtol(f, &end, 10) != base + rows || (*end != '\t' && *end != '\n'))
                bn_die(1, "merge: %s/%s: row %ld is not the part's row %ld: rows are missing", dir, name, rows + 1,
                       base + rows);
        }
        at += ll + 1;
    }
    if (rows != want)
        bn_die(1, "merge: %s/%s: %ld rows, but these options make %ld: the file is cut short or not this sweep's", dir,
               name, rows, want);
}

/* The configuration recorded in dir (its config.info.tsv) must be `want`, the merge's. */
static void check_config(const char *dir, const char *want, const char *why)
{
    if (!bn_is_file(dir, "config.info.tsv"))
        bn_die(1, "merge: %s/config.info.tsv is missing: the part's configuration is unknown (made by an older bnlab? "
               "make it again with `bnlab --point K sweep`)", dir);
    size_t l;
    char *s = slurp(dir, "config.info.tsv", &l);
    if (l != strlen(want) || memcmp(s, want, l)) {
        char a[1200], b[1200];
        bn_config_describe(s, a, sizeof a);
        bn_config_describe(want, b, sizeof b);
        bn_die(1, "merge: %s was made with %s, but the merge is for %s (%s)", dir, a, b, why);
    }
    free(s);
}

void bn_sweep_merge(const bn_opts *o, const char *command, const char *files)
{
    study_files sf;
    files_of(&sf, files);
    const int ns = sf.n;
    int n = o->points;
    char (*dirs)[4200] = bn_malloc(sizeof *dirs * (size_t)n);
    char missing[2048] = "";
    size_t ml = 0;
    int nmiss = 0;
    for (int k = 0; k < n; k++) {
        bn_part_dir(dirs[k], sizeof dirs[k], o->out, files, k);
        if (bn_is_file(dirs[k], sf.name[ns - 1])) continue;
        if (nmiss++ < 8 && ml < sizeof missing)
            ml += (size_t)snprintf(missing + ml, sizeof missing - ml, "%s%d", ml ? ", " : "", k);
    }
    if (nmiss)
        bn_die(1, "merge: %s: %d of %d sweep parts missing: point%s %s%s (no %s/parts/%s-K/%s; "
               "make each with `bnlab --point K sweep`)", o->out, nmiss, n, nmiss > 1 ? "s" : "", missing,
               nmiss > 8 ? ", ..." : "", o->out, sf.stem, sf.name[ns - 1]);

    /* Everything is checked before anything is written. Every part, and the run folder it joins,
     * must be of the merge's configuration (config.info.tsv: seed, dtype and every option that
     * decides a result), the parts of one dataset, each part's rows of its own point and as many
     * as these options make. */
    char want[4096];
    bn_config_text(o, want, sizeof want);
    for (int k = 0; k < n; k++) check_config(dirs[k], want, "--seed, BNFLAGS, DTYPE");
    int run_has_config = bn_is_file(o->out, "config.info.tsv");
    if (run_has_config) check_config(o->out, want, "the run folder's configuration");
    size_t ilen[NINFO];
    char *info[NINFO];
    for (int i = 0; i < NINFO; i++) info[i] = slurp(dirs[0], info_files[i], &ilen[i]);
    for (int k = 1; k < n; k++)
        for (int i = 0; i < NINFO; i++) {
            size_t l;
            char *s = slurp(dirs[k], info_files[i], &l);
            if (l != ilen[i] || memcmp(s, info[i], l))
                bn_die(1, "merge: %s/%s differs from %s/%s: the parts were made with other options or data", dirs[k],
                       info_files[i], dirs[0], info_files[i]);
            free(s);
        }
    /* A run folder's own copies (written by its other experiments) must agree too. */
    for (int i = 0; i < NINFO; i++)
        if (bn_is_file(o->out, info_files[i])) {
            size_t l;
            char *s = slurp(o->out, info_files[i], &l);
            if (l != ilen[i] || memcmp(s, info[i], l))
                bn_die(1, "merge: %s/%s differs from the parts' (%s/%s): they were made with other options or data",
                       o->out, info_files[i], dirs[0], info_files[i]);
            free(s);
        }
    long iters = bn_solver_iters(o->epochs, o->num_train, o->batch_size);
    /* rows per part of each study file, and the column that numbers them (-1: none): the loss
     * file's iterations from 1, the accuracy file's checks from 0, one row per point else */
    long rows[MAX_STUDY], base[MAX_STUDY];
    int counter[MAX_STUDY];
    for (int i = 0; i < ns; i++) {
        int loss = ends_with(sf.name[i], "_loss.tsv"), acc = ends_with(sf.name[i], "_acc.tsv");
        rows[i] = loss ? iters : acc ? bn_solver_checks(iters, iters / o->epochs) : 1;
        counter[i] = loss || acc ? 2 : -1;
        base[i] = loss ? 1 : 0;
    }
    char **text = bn_malloc(sizeof *text * (size_t)n * ns);
    size_t *tlen = bn_malloc(sizeof *tlen * (size_t)n * ns);
    for (int k = 0; k < n; k++)
        for (int i = 0; i < ns; i++) {
            char **s = &text[k * ns + i];
            size_t *l = &tlen[k * ns + i];
            *s = slurp(dirs[k], sf.name[i], l);
            size_t h = head_len(*s, *l);
            if (k && (h != head_len(text[i], tlen[i]) || memcmp(*s, text[i], h)))
                bn_die(1, "merge: %s/%s: its header differs from part 0's", dirs[k], sf.name[i]);
            if (*l > h && (*s)[*l - 1] != '\n') bn_die(1, "merge: %s/%s: last line is cut short", dirs[k], sf.name[i]);
            check_rows(dirs[k], sf.name[i], *s, *l, k, rows[i], counter[i], base[i]);
        }

    /* All or nothing: the old completion file goes first, so that while the sweep's files are
     * being replaced (or if that fails) none vouches for them; the new one is renamed into place
     * last. */
    char done[4400];
    snprintf(done, sizeof done, "%s/%s", o->out, sf.name[ns - 1]);
    if (unlink(done) != 0 && errno != ENOENT) bn_die(1, "cannot remove old %s: %s", done, strerror(errno));
    bn_out f[MAX_STUDY];
    for (int i = 0; i < ns; i++) {
        size_t h0 = head_len(text[i], tlen[i]);
        bn_out_open(&f[i], o->out, sf.name[i]);
        bn_out_printf(&f[i], "%.*s", (int)h0, text[i]);
        for (int k = 0; k < n; k++) {
            const char *s = text[k * ns + i];
            size_t l = tlen[k * ns + i], h = head_len(s, l);
            if (l > h && fwrite(s + h, 1, l - h, f[i].f) != l - h) bn_die(1, "cannot write %s: %s", f[i].path, strerror(errno));
        }
    }
    for (int i = 0; i < ns - 1; i++) bn_out_commit(&f[i]);
    for (int j = 0; j < NINFO; j++) {
        bn_out g;
        bn_out_open(&g, o->out, info_files[j]);
        bn_out_printf(&g, "%.*s", (int)ilen[j], info[j]);
        bn_out_commit(&g);
    }
    if (!run_has_config) {
        bn_out g;
        bn_out_open(&g, o->out, "config.info.tsv");
        bn_out_printf(&g, "%s", want);
        bn_out_commit(&g);
    }
    for (int i = 0; i < n * ns; i++) free(text[i]);
    free(text);
    free(tlen);

    /* Timing: the parts' sums (kept apart from results; it differs between identical runs). */
    static const char *const tk[] = {"wall_seconds", "training_seconds_sum", "jobs", "workers"};
    double tv[4] = {0, 0, 0, 0};
    for (int k = 0; k < n; k++)
        if (bn_is_file(dirs[k], sf.timing)) {
            size_t l;
            char *s = slurp(dirs[k], sf.timing, &l);
            for (int t = 0; t < 3; t++) tv[t] += kv_num(s, tk[t]);
            if (kv_num(s, tk[3]) > tv[3]) tv[3] = kv_num(s, tk[3]);
            free(s);
        }
    bn_write_timing(o, sf.timing, tk, tv, 4);

    /* The kernels and CPUs the parts were made with become the sweep's (machine.h). */
    char cores[1024] = "", cpus[2048] = "";
    for (int k = 0; k < n; k++) {
        char v[1024];
        if (!bn_machine_get(dirs[k], "blas_core", v, sizeof v)) append_item(cores, sizeof cores, v);
        if (!bn_machine_get(dirs[k], "cpu_model", v, sizeof v)) append_item(cpus, sizeof cpus, v);
    }
    if (*cores) bn_machine_note(o->out, command, cores, *cpus ? cpus : "unknown");
    bn_out_commit(&f[ns - 1]);

    /* The parts are joined: remove them (their files, each folder, then parts/ if empty). */
    for (int k = 0; k < n; k++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/machine.info.tsv", dirs[k]);
        unlink(p);
        for (int i = 0; i < ns; i++) { snprintf(p, sizeof p, "%s/%s", dirs[k], sf.name[i]); unlink(p); }
        for (int i = 0; i < NINFO; i++) { snprintf(p, sizeof p, "%s/%s", dirs[k], info_files[i]); unlink(p); }
        snprintf(p, sizeof p, "%s/config.info.tsv", dirs[k]);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s", dirs[k], sf.timing);
        unlink(p);
        rmdir(dirs[k]);
    }
    char pd[4200];
    snprintf(pd, sizeof pd, "%s/parts", o->out);
    rmdir(pd);
    for (int i = 0; i < NINFO; i++) free(info[i]);
    free(dirs);
    bn_progress("merge: %d sweep parts joined into %s", n, o->out);
}
