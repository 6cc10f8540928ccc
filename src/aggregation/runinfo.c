/* runinfo.c - see runinfo.h. */
#define _POSIX_C_SOURCE 200809L
#include "runinfo.h"
#include "machine.h"
#include "alloc.h"
#include "error.h"
#include "guard.h"
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bn_run_has(const char *dir, const char *name)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    /* present but not a file (a FIFO would block its reader) is an error, not absence */
    if (stat(p, &st) != 0) return 0;
    if (!S_ISREG(st.st_mode)) bn_die(1, "%s: not a regular file", p);
    return 1;
}

static char *copy_str(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(bn_malloc(n), s, n);
}

/* The value of `key` in the run's key<TAB>value file `file`, allocated; NULL if the file or the
 * key is absent. */
char *bn_run_kv(const char *dir, const char *file, const char *key)
{
    char p[4200], err[1024];
    bn_tsv t;
    if (!bn_run_has(dir, file)) return NULL;
    snprintf(p, sizeof p, "%s/%s", dir, file);
    if (bn_tsv_read(&t, p, err, sizeof err)) bn_die(1, "%s", err);
    int ck = bn_tsv_col(&t, "key"), cv = bn_tsv_col(&t, "value");
    char *v = NULL;
    for (long r = 0; ck >= 0 && cv >= 0 && r < t.nrows && !v; r++)
        if (!strcmp(bn_tsv_cell(&t, r, ck), key)) v = copy_str(bn_tsv_cell(&t, r, cv));
    bn_tsv_free(&t);
    return v;
}

/* key's value, or `absent` when the file or the key is absent, allocated; a value longer than
 * `max` characters (0: any length) is more than bnlab ever writes there and is refused */
static char *kv_or(const char *dir, const char *file, const char *key, size_t max, const char *absent)
{
    char *v = bn_run_kv(dir, file, key);
    if (v && max && strlen(v) > max) bn_die(1, "%s/%s: the value of %s is longer than %zu characters", dir, file, key, max);
    return v ? v : copy_str(absent);
}

void bn_run_info_get(const char *dir, bn_run_info *ri)
{
    ri->seed = bn_run_kv(dir, "config.info.tsv", "seed");
    if (!ri->seed) ri->seed = kv_or(dir, "params.info.tsv", "seed", 0, "unknown");
    /* bnlab writes its options into 1024 bytes (print_config) */
    ri->bnflags = kv_or(dir, "config.info.tsv", "bnflags", 1023, "unknown");
    if (!ri->bnflags[0]) {
        free(ri->bnflags);
        ri->bnflags = copy_str("none (the defaults)");
    }
    ri->dataset = kv_or(dir, "dataset.info.tsv", "dataset", 0, "unknown");
    ri->commit = kv_or(dir, "provenance.info.tsv", "git commit", 0, "unknown");
    ri->dirty = kv_or(dir, "provenance.info.tsv", "uncommitted changes", 0, "unknown");
    ri->blas_core = kv_or(dir, "machine.info.tsv", "blas_core", 0, "unknown");
    ri->cpu_model = kv_or(dir, "machine.info.tsv", "cpu_model", 0, "unknown");
    ri->reproducible_on = kv_or(dir, "machine.info.tsv", "reproducible_on", 0, BN_REPRODUCIBLE_SAME_KERNELS);
}

int bn_run_any_cpu(const bn_run_info *ri) { return !strncmp(ri->reproducible_on, "any ", 4); }

void bn_run_info_free(bn_run_info *ri)
{
    char **f[] = {&ri->seed, &ri->bnflags, &ri->dataset, &ri->commit, &ri->dirty, &ri->blas_core, &ri->cpu_model,
                  &ri->reproducible_on};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        free(*f[i]);
        *f[i] = NULL;
    }
}

/* The first key whose value differs between two runs' key<TAB>value files `file` (rows with
 * key `skip` aside), into why; 0 if they agree or either run lacks the file. */
int bn_run_kv_differ(const char *a, const char *b, const char *file, const char *skip, char *why, size_t n)
{
    char p[4200], err[1024];
    bn_tsv t[2];
    if (!bn_run_has(a, file) || !bn_run_has(b, file)) return 0;
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

/* path made absolute (from the working folder) with "." and ".." resolved by name. */
static int absolute(const char *path, char *out, size_t n)
{
    char buf[8400], cwd[4096];
    if (path[0] == '/') snprintf(buf, sizeof buf, "%s", path);
    else {
        if (!getcwd(cwd, sizeof cwd)) return -1;
        snprintf(buf, sizeof buf, "%s/%s", cwd, path);
    }
    size_t k = 0;
    out[0] = '\0';
    for (char *save = NULL, *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, ".")) continue;
        if (!strcmp(c, "..")) {
            while (k > 0 && out[k - 1] != '/') k--;
            if (k > 0) k--;
            out[k] = '\0';
            continue;
        }
        size_t L = strlen(c);
        if (k + L + 2 >= n) return -1;
        out[k++] = '/';
        memcpy(out + k, c, L + 1);
        k += L;
    }
    if (!k) snprintf(out, n, "/");
    return 0;
}

int bn_rel_path(const char *from, const char *to, char *out, size_t n)
{
    char f[4200], t[4200];
    if (absolute(from, f, sizeof f - 1) || absolute(to, t, sizeof t - 1)) return -1;
    if (strcmp(f, "/")) strcat(f, "/");
    if (strcmp(t, "/")) strcat(t, "/");
    size_t common = 0;
    for (size_t i = 0; f[i] && f[i] == t[i]; i++)
        if (f[i] == '/') common = i + 1;
    size_t k = 0;
    out[0] = '\0';
    for (const char *p = f + common; *p; p++)
        if (*p == '/') {
            if (k + 4 >= n) return -1;
            memcpy(out + k, "../", 4);
            k += 3;
        }
    snprintf(out + k, n - k, "%s", t + common);
    k = strlen(out);
    if (k && out[k - 1] == '/') out[k - 1] = '\0';
    if (!*out) snprintf(out, n, ".");
    return 0;
}
