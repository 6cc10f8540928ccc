/* parts.c - see parts.h. */
#define _POSIX_C_SOURCE 200809L
#include "parts.h"
#include "machine.h"
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a part holds; the summary is the part's completion file, as in a whole run. */
static const char *const study_files[] = {"exp6_sweep_loss.tsv", "exp6_sweep_acc.tsv", "exp6_sweep_verdict.tsv",
                                          "exp6_sweep.tsv"};
#define NSTUDY 4
static const char *const info_files[] = {"params.info.tsv", "dataset.info.tsv"};
#define NINFO 2
static const char *const other_files[] = {"exp6_sweep.timing.tsv"};

void bn_part_dir(char *buf, size_t n, const char *run, int point)
{
    int k = snprintf(buf, n, "%s/parts/exp6_sweep-%d", run, point);
    if (k < 0 || (size_t)k >= n) bn_die(1, "run folder name too long: %s", run);
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

void bn_sweep_merge(const bn_opts *o)
{
    int n = o->points;
    char (*dirs)[4200] = bn_malloc(sizeof *dirs * (size_t)n);
    char missing[2048] = "";
    size_t ml = 0;
    int nmiss = 0;
    for (int k = 0; k < n; k++) {
        bn_part_dir(dirs[k], sizeof dirs[k], o->out, k);
        if (bn_is_file(dirs[k], "exp6_sweep.tsv")) continue;
        if (nmiss++ < 8 && ml < sizeof missing)
            ml += (size_t)snprintf(missing + ml, sizeof missing - ml, "%s%d", ml ? ", " : "", k);
    }
    if (nmiss)
        bn_die(1, "merge: %s: %d of %d sweep parts missing: point%s %s%s (no %s/parts/exp6_sweep-K/exp6_sweep.tsv; "
               "make each with `bnlab --point K sweep`)", o->out, nmiss, n, nmiss > 1 ? "s" : "", missing,
               nmiss > 8 ? ", ..." : "", o->out);

    /* Every part must come from one configuration: the same parameters and dataset as part 0,
     * for this seed and this number of points. */
    size_t ilen[NINFO];
    char *info[NINFO];
    for (int i = 0; i < NINFO; i++) info[i] = slurp(dirs[0], info_files[i], &ilen[i]);
    if (kv_num(info[0], "seed") != (double)o->seed || kv_num(info[0], "sweep_points") != (double)n)
        bn_die(1, "merge: %s/params.info.tsv: seed %g and %g points, but the merge is for seed %lu and %d points "
               "(--seed, --points)", dirs[0], kv_num(info[0], "seed"), kv_num(info[0], "sweep_points"), o->seed, n);
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

    /* The whole sweep's files: part 0's header, then every part's rows in point order. */
    for (int i = 0; i < NSTUDY; i++) {
        bn_out f;
        size_t l0, l;
        char *s0 = slurp(dirs[0], study_files[i], &l0);
        size_t h0 = head_len(s0, l0);
        bn_out_open(&f, o->out, study_files[i]);
        bn_out_printf(&f, "%.*s", (int)h0, s0);
        for (int k = 0; k < n; k++) {
            char *s = k ? slurp(dirs[k], study_files[i], &l) : s0;
            if (!k) l = l0;
            size_t h = head_len(s, l);
            if (h != h0 || memcmp(s, s0, h)) bn_die(1, "merge: %s/%s: its header differs from part 0's", dirs[k], study_files[i]);
            if (l > h && s[l - 1] != '\n') bn_die(1, "merge: %s/%s: last line is cut short", dirs[k], study_files[i]);
            if (l > h && fwrite(s + h, 1, l - h, f.f) != l - h) bn_die(1, "cannot write %s: %s", f.path, strerror(errno));
            if (k) free(s);
        }
        free(s0);
        if (i == NSTUDY - 1)
            for (int j = 0; j < NINFO; j++) {
                bn_out g;
                bn_out_open(&g, o->out, info_files[j]);
                bn_out_printf(&g, "%.*s", (int)ilen[j], info[j]);
                bn_out_commit(&g);
            }
        bn_out_commit(&f);
    }

    /* Timing: the parts' sums (kept apart from results; it differs between identical runs). */
    static const char *const tk[] = {"wall_seconds", "training_seconds_sum", "jobs", "workers"};
    double tv[4] = {0, 0, 0, 0};
    for (int k = 0; k < n; k++)
        if (bn_is_file(dirs[k], other_files[0])) {
            size_t l;
            char *s = slurp(dirs[k], other_files[0], &l);
            for (int t = 0; t < 3; t++) tv[t] += kv_num(s, tk[t]);
            if (kv_num(s, tk[3]) > tv[3]) tv[3] = kv_num(s, tk[3]);
            free(s);
        }
    bn_write_timing(o, other_files[0], tk, tv, 4);

    /* The kernels and CPUs the parts were made with become the sweep's (machine.h). */
    char cores[1024] = "", cpus[2048] = "";
    for (int k = 0; k < n; k++) {
        char v[1024];
        if (!bn_machine_get(dirs[k], "blas_core", v, sizeof v)) append_item(cores, sizeof cores, v);
        if (!bn_machine_get(dirs[k], "cpu_model", v, sizeof v)) append_item(cpus, sizeof cpus, v);
    }
    if (*cores) bn_machine_note(o->out, "sweep", cores, *cpus ? cpus : "unknown");

    /* The parts are joined: remove them (their files, each folder, then parts/ if empty). */
    for (int k = 0; k < n; k++) {
        char p[4400];
        snprintf(p, sizeof p, "%s/machine.info.tsv", dirs[k]);
        unlink(p);
        for (int i = 0; i < NSTUDY; i++) { snprintf(p, sizeof p, "%s/%s", dirs[k], study_files[i]); unlink(p); }
        for (int i = 0; i < NINFO; i++) { snprintf(p, sizeof p, "%s/%s", dirs[k], info_files[i]); unlink(p); }
        snprintf(p, sizeof p, "%s/%s", dirs[k], other_files[0]);
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
