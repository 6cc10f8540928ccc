/* machine.c - see machine.h. */
#define _POSIX_C_SOURCE 200809L
#include "machine.h"
#include "gemm.h"
#include "error.h"
#include "outfile.h"
#include "readfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MACHINE_FILE "machine.info.tsv"

/* s with tabs, newlines and the list separator's ';' made blanks, so it stays one list item. */
static void one_cell(char *s)
{
    for (; *s; s++) if (*s == '\t' || *s == '\n' || *s == '\r' || *s == ';') *s = ' ';
}

void bn_cpu_model(char *buf, size_t n)
{
    snprintf(buf, n, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "model name", 10)) {
            char *v = strchr(line, ':');
            if (!v) continue;
            for (v++; *v == ' ' || *v == '\t'; v++) {}
            v[strcspn(v, "\n")] = 0;
            if (*v) snprintf(buf, n, "%s", v);
            break;
        }
    fclose(f);
    one_cell(buf);
}

int bn_machine_get(const char *dir, const char *key, char *buf, size_t n)
{
    char p[4200], err[4400];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, MACHINE_FILE);
    if (stat(p, &st) != 0) return -1;
    size_t len;
    char *text = bn_read_file(p, &len, err, sizeof err);
    if (!text) bn_die(1, "%s", err);
    size_t kl = strlen(key);
    int rc = -1;
    for (char *l = text; l && *l && rc; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (!strncmp(l, key, kl) && l[kl] == '\t') {
            size_t vl = strcspn(l + kl + 1, "\n");
            snprintf(buf, n, "%.*s", (int)vl, l + kl + 1);
            rc = 0;
        }
    free(text);
    return rc;
}

/* list := list + "; " + each item of items ("; "-separated) that is not in it already. */
static void add_items(char *list, size_t n, const char *items)
{
    while (*items) {
        size_t il = strcspn(items, ";");
        int have = 0;
        for (const char *s = list; *s && !have;) {
            size_t l = strcspn(s, ";");
            have = l == il && !strncmp(s, items, il);
            s += l;
            while (*s == ';' || *s == ' ') s++;
        }
        size_t used = strlen(list);
        if (!have && il) snprintf(list + used, n - used, "%s%.*s", used ? "; " : "", (int)il, items);
        items += il;
        while (*items == ';' || *items == ' ') items++;
    }
}

#define MAXKV 64
typedef struct { char key[128], value[1024]; } kv;

static int by_key(const void *a, const void *b) { return strcmp(((const kv *)a)->key, ((const kv *)b)->key); }

/* Where a run's bytes can be made again: every kernel of fixed-order arithmetic (gemm.h) names
 * itself "... fixed-order C" and gives the same bytes on any CPU; a run with a training made
 * before it (OpenBLAS's and LIBXSMM's own orders) only with the same kernels. */
static const char *reproducible_on(const char *kernels)
{
    for (const char *s = kernels; *s;) {
        size_t l = strcspn(s, ";");
        const char *f = strstr(s, "fixed-order");
        if (!f || f >= s + l) return BN_REPRODUCIBLE_SAME_KERNELS;
        s += l;
        while (*s == ';' || *s == ' ') s++;
    }
    return *kernels ? BN_REPRODUCIBLE_ANY_CPU : BN_REPRODUCIBLE_SAME_KERNELS;
}

void bn_machine_note(const char *dir, const char *exp, const char *core, const char *cpu)
{
    char mine[256], c[256];
    if (!core) { snprintf(c, sizeof c, "%s", bn_gemm_kernel()); one_cell(c); core = c; }
    if (!cpu) { bn_cpu_model(mine, sizeof mine); cpu = mine; }
    /* the per-experiment rows on disk, then this experiment's replaced or added */
    static kv rows[MAXKV];
    int n = 0;
    char p[4200], err[4400], *text = NULL, *old = NULL;
    size_t len = 0;
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, MACHINE_FILE);
    if (stat(p, &st) == 0 && !(text = bn_read_file(p, &len, err, sizeof err))) bn_die(1, "%s", err);
    if (text) old = strdup(text);
    for (char *l = text; l && *l && n < MAXKV;) {
        char *nl = strchr(l, '\n');
        if (nl) *nl = 0;
        char *tab = strchr(l, '\t');
        if (tab && strchr(l, ':') && strchr(l, ':') < tab) {   /* "blas_core:EXP<TAB>value" rows */
            *tab = 0;
            snprintf(rows[n].key, sizeof rows[n].key, "%s", l);
            snprintf(rows[n].value, sizeof rows[n].value, "%s", tab + 1);
            n++;
        }
        l = nl ? nl + 1 : NULL;
    }
    free(text);
    const char *keys[] = {"blas_core", "cpu_model"}, *vals[] = {core, cpu};
    for (int k = 0; k < 2; k++) {
        char key[128];
        snprintf(key, sizeof key, "%s:%s", keys[k], exp);
        int i = 0;
        while (i < n && strcmp(rows[i].key, key)) i++;
        if (i == n && n == MAXKV) bn_die(1, "%s: too many experiments recorded", p);
        if (i == n) { snprintf(rows[n].key, sizeof rows[n].key, "%s", key); n++; }
        rows[i].value[0] = 0;
        add_items(rows[i].value, sizeof rows[i].value, vals[k]);   /* each distinct item once */
    }
    /* rows in key order: the file's bytes do not depend on the order the experiments ran in */
    qsort(rows, (size_t)n, sizeof *rows, by_key);
    /* the run's lists: every kernel and CPU its current trainings were made with */
    char all[2][2048] = {"", ""};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < n; i++)
            if (!strncmp(rows[i].key, keys[k], strlen(keys[k])) && rows[i].key[strlen(keys[k])] == ':')
                add_items(all[k], sizeof all[k], rows[i].value);
    char *buf = NULL;
    size_t blen = 0;
    FILE *m = open_memstream(&buf, &blen);
    if (!m) bn_die(1, "out of memory");
    fprintf(m, "key\tvalue\nblas_core\t%s\ncpu_model\t%s\nreproducible_on\t%s\n", all[0], all[1],
            reproducible_on(all[0]));
    for (int i = 0; i < n; i++) fprintf(m, "%s\t%s\n", rows[i].key, rows[i].value);
    fclose(m);
    if (!old || strcmp(old, buf)) {   /* rewritten only when it changes */
        bn_out f;
        bn_out_open(&f, dir, MACHINE_FILE);
        bn_out_printf(&f, "%s", buf);
        bn_out_commit(&f);
    }
    free(old);
    free(buf);
}
