/* options.c - bnlab's options, one row each (options.h), and the study's settings when no
 * option changes them (experiments.h says what each one is). */
#include "options.h"
#include "experiments.h"
#include "fixedmath.h"
#include "error.h"
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rules[] = {"sgd", "sgd_momentum", "rmsprop", "adam", NULL};   /* bn_rule */
static const char *const dtypes[] = {"float32", "float64", NULL};                     /* bn_dtype */

#define F(x) offsetof(bn_opts, x)
/* The rows that decide results keep the order of the configuration's keys (config.info.tsv). */
const bn_option bn_options[] = {
    {"seed", 0, BN_OPT_INT, F(seed), BN_FIELD_ULONG, 0, 4294967295.0, 0, NULL, NULL, "N", "RNG seed", NULL,
     BN_DECIDES_KEY, "seed"},
    {"out", 0, BN_OPT_PATH, F(out), BN_FIELD_STR, 0, 0, 0, NULL, NULL, "DIR", "run folder", "data/runs/seed-N",
     BN_DECIDES_NOT, NULL},
    {"data", 0, BN_OPT_PATH, F(data_dir), BN_FIELD_STR, 0, 0, 0, NULL, NULL, "DIR", "CIFAR-10 binary folder",
     "$CIFAR10_DIR or data/cifar-10-batches-bin", BN_DECIDES_NOT, NULL},
    {"fashion-mnist", 0, BN_OPT_PATH, F(fmnist_dir), BN_FIELD_STR, 0, 0, 0, NULL, NULL, "DIR",
     "Fashion-MNIST gzipped IDX files instead of CIFAR-10", "none", BN_DECIDES_NOT, NULL},
    {"jobs", 'j', BN_OPT_INT, F(jobs), BN_FIELD_INT, 1, 256, 1, NULL, NULL, "N", "trainings run at once", NULL,
     BN_DECIDES_NOT, NULL},
    {"update-rule", 0, BN_OPT_CHOICE, F(rule), BN_FIELD_INT, 0, 0, BN_ADAM, rules, "an update rule", "R",
     "the trainings' update rule", NULL, BN_DECIDES_FLAG, "update_rule"},
    {"dtype", 0, BN_OPT_CHOICE, F(dtype), BN_FIELD_INT, 0, 0, BN_FLOAT32, dtypes, "a dtype", "T",
     "the trainings' (5, 6, 7b, 9) dtype", NULL, BN_DECIDES_FLAG, "dtype"},
    {"epochs", 0, BN_OPT_INT, F(epochs), BN_FIELD_INT, 1, 1000, 10, NULL, NULL, "N", "epochs of each training", NULL,
     BN_DECIDES_FLAG, "epochs"},
    {"batch-size", 0, BN_OPT_INT, F(batch_size), BN_FIELD_INT, 1, 10000, 50, NULL, NULL, "N", "minibatch size", NULL,
     BN_DECIDES_FLAG, "batch_size"},
    {"lr", 0, BN_OPT_REAL, F(lr), BN_FIELD_DOUBLE, 0, 10, 1e-3, NULL, NULL, "X", "learning rate", NULL,
     BN_DECIDES_FLAG, "learning_rate"},
    {"num-train", 0, BN_OPT_INT, F(num_train), BN_FIELD_INT, 1, 49000, 1000, NULL, NULL, "N",
     "training samples of experiments 5-6", NULL, BN_DECIDES_FLAG, "num_train"},
    {"points", 0, BN_OPT_INT, F(points), BN_FIELD_INT, 1, 200, 20, NULL, NULL, "N", "sweep points", NULL,
     BN_DECIDES_FLAG, "points"},
    {"ws-min", 0, BN_OPT_REAL, F(ws_min), BN_FIELD_DOUBLE, 0, 100, 1e-4, NULL, NULL, "X", "the sweep's smallest scale",
     NULL, BN_DECIDES_FLAG, "ws_min"},
    {"ws-max", 0, BN_OPT_REAL, F(ws_max), BN_FIELD_DOUBLE, 0, 100, 1, NULL, NULL, "X", "the sweep's largest scale",
     NULL, BN_DECIDES_FLAG, "ws_max"},
    {"deep-ws", 0, BN_OPT_REAL, F(deep_ws), BN_FIELD_DOUBLE, 0, 100, 2e-2, NULL, NULL, "X",
     "experiment 5's weight scale", NULL, BN_DECIDES_FLAG, "deep_ws"},
    {"train-records", 0, BN_OPT_INT, F(train_records), BN_FIELD_LONG, 1, 1000000, 49000, NULL, NULL, "N",
     "training records of the split", NULL, BN_DECIDES_FLAG, "train_records"},
    {"val-records", 0, BN_OPT_INT, F(val_records), BN_FIELD_LONG, 1, 1000000, 1000, NULL, NULL, "N",
     "validation records", NULL, BN_DECIDES_FLAG, "val_records"},
    {"test-records", 0, BN_OPT_INT, F(test_records), BN_FIELD_LONG, 1, 1000000, 1000, NULL, NULL, "N",
     "test records", NULL, BN_DECIDES_FLAG, "test_records"},
    {"speed-reps", 0, BN_OPT_INT, F(speed_reps), BN_FIELD_INT, 1, 100000, 200, NULL, NULL, "N",
     "repetitions per timing round in experiment 3", NULL, BN_DECIDES_FLAG, "speed_reps"},
    {"point", 0, BN_OPT_INT, F(point), BN_FIELD_INT, 0, 199, -1, NULL, NULL, "K",
     "sweep: only point K (< --points), into RUN/parts/exp6_sweep-K", "every point", BN_DECIDES_NOT, NULL},
};
#undef F
const int bn_n_options = sizeof bn_options / sizeof *bn_options;

static double get(const bn_opts *o, const bn_option *r)
{
    const char *p = (const char *)o + r->field;
    switch (r->type) {
    case BN_FIELD_INT: return *(const int *)(const void *)p;
    case BN_FIELD_LONG: return (double)*(const long *)(const void *)p;
    case BN_FIELD_ULONG: return (double)*(const unsigned long *)(const void *)p;
    case BN_FIELD_DOUBLE: return *(const double *)(const void *)p;
    case BN_FIELD_STR: break;
    }
    return 0;
}

static void put(bn_opts *o, const bn_option *r, double v)
{
    char *p = (char *)o + r->field;
    switch (r->type) {
    case BN_FIELD_INT: *(int *)(void *)p = (int)v; break;
    case BN_FIELD_LONG: *(long *)(void *)p = (long)v; break;
    case BN_FIELD_ULONG: *(unsigned long *)(void *)p = (unsigned long)v; break;
    case BN_FIELD_DOUBLE: *(double *)(void *)p = v; break;
    case BN_FIELD_STR: break;
    }
}

void bn_opts_default(bn_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 0; i < bn_n_options; i++) put(o, &bn_options[i], bn_options[i].def);
    o->bs_lr = 3.1622776601683794e-04;   /* 10^-3.5, as a literal: no libm call decides it */
    o->ds_kind = BN_DS_CIFAR10;
}

static void bad_option(const char *opt, const char *val, const char *what, const char *range)
{
    bn_die(2, "option %s: '%s' %s (accepted: %s)", opt, val, what, range);
}

void bn_option_set(bn_opts *o, const bn_option *r, const char *spelled, const char *val)
{
    char range[256], *end;
    switch (r->kind) {
    case BN_OPT_INT: {
        /* long long: the seed's upper bound 4294967295 does not fit a 32-bit long */
        long long lo = (long long)r->lo, hi = (long long)r->hi;
        snprintf(range, sizeof range, "an integer from %lld to %lld", lo, hi);
        /* strtoll skips leading blanks; a value like " 5" is a quoting slip, not a number */
        if (!*val || isspace((unsigned char)*val)) bad_option(spelled, val, "is not an integer", range);
        errno = 0;
        long long v = strtoll(val, &end, 10);
        if (*end) bad_option(spelled, val, "is not an integer", range);
        if (errno == ERANGE || v < lo || v > hi) bad_option(spelled, val, "is out of range", range);
        put(o, r, (double)v);
        break;
    }
    case BN_OPT_REAL: {
        snprintf(range, sizeof range, "a number greater than %g and at most %g", r->lo, r->hi);
        if (!*val || isspace((unsigned char)*val)) bad_option(spelled, val, "is not a number", range);
        errno = 0;
        double v = strtod(val, &end);
        if (*end) bad_option(spelled, val, "is not a number", range);
        if (!isfinite(v)) bad_option(spelled, val, "is not a finite number", range);
        if (errno == ERANGE || !(v > r->lo && v <= r->hi)) bad_option(spelled, val, "is out of range", range);
        put(o, r, v);
        break;
    }
    case BN_OPT_CHOICE: {
        size_t len = 0;
        range[0] = 0;
        for (int k = 0; r->choice[k]; k++) {
            if (!strcmp(val, r->choice[k])) { put(o, r, k); return; }
            len += (size_t)snprintf(range + len, sizeof range - len, "%s%s", k ? ", " : "", r->choice[k]);
            if (len >= sizeof range) len = sizeof range - 1;
        }
        char what[96];
        snprintf(what, sizeof what, "is not %s", r->noun);
        bad_option(spelled, val, what, range);
        break;
    }
    case BN_OPT_PATH:
        if (!*val) bn_die(2, "option %s: empty folder name", spelled);
        *(const char **)(void *)((char *)o + r->field) = val;
        break;
    }
}

void bn_options_usage(FILE *f)
{
    for (int i = 0; i < bn_n_options; i++) {
        const bn_option *r = &bn_options[i];
        char left[64], range[160] = "", def[96];
        if (r->short_name) snprintf(left, sizeof left, "-%c, --%s %s", r->short_name, r->name, r->metavar);
        else snprintf(left, sizeof left, "--%s %s", r->name, r->metavar);
        switch (r->kind) {
        case BN_OPT_INT: snprintf(range, sizeof range, " [%.0f, %.0f]", r->lo, r->hi); break;
        case BN_OPT_REAL: snprintf(range, sizeof range, " (%g, %g]", r->lo, r->hi); break;
        case BN_OPT_CHOICE:
            for (int k = 0; r->choice[k]; k++) {
                size_t len = strlen(range);
                snprintf(range + len, sizeof range - len, "%s%s", k ? " | " : ": ", r->choice[k]);
            }
            break;
        case BN_OPT_PATH: break;
        }
        if (r->default_text) snprintf(def, sizeof def, "%s", r->default_text);
        else if (r->kind == BN_OPT_CHOICE) snprintf(def, sizeof def, "%s", r->choice[(int)r->def]);
        else if (r->kind == BN_OPT_REAL) bn_fmt(def, sizeof def, r->def);
        else snprintf(def, sizeof def, "%.0f", r->def);
        fprintf(f, "  %-19s %s%s, default %s\n", left, r->help, range, def);
    }
}

void bn_options_finish(bn_opts *o)
{
    if (o->fmnist_dir) {
        if (o->data_dir) bn_die(2, "options --data and --fashion-mnist exclude each other: give one dataset folder");
        o->data_dir = o->fmnist_dir;
        o->ds_kind = BN_DS_FASHION_MNIST;
    }
    if (o->ws_min > o->ws_max) bn_die(2, "option --ws-min %g is larger than --ws-max %g", o->ws_min, o->ws_max);
    if (o->num_train > o->train_records)
        bn_die(2, "option --num-train %d exceeds --train-records %ld", o->num_train, o->train_records);
    if (o->point >= o->points)
        bn_die(2, "option --point %d is past the sweep's last point (--points %d: 0 to %d)", o->point, o->points, o->points - 1);
}

double bn_sweep_scale(const bn_opts *o, int i)
{
    if (i <= 0 || o->points <= 1) return o->ws_min;
    if (i >= o->points - 1) return o->ws_max;
    double l0 = bn_log(o->ws_min), l1 = bn_log(o->ws_max);
    return bn_exp(l0 + (l1 - l0) * i / (o->points - 1));
}

/* Appends printf output to buf (used bytes *len, capacity n); past n it stops, keeping the NUL. */
static void cat(char *buf, size_t n, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void cat(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len >= n) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (k > 0) *len = *len + (size_t)k < n ? *len + (size_t)k : n - 1;
}

void bn_config_text(const bn_opts *o, char *buf, size_t n)
{
    char flags[1024] = "", v[64];
    size_t len = 0, fl = 0;
    buf[0] = 0;
    cat(buf, n, &len, "key\tvalue\n");
    for (int i = 0; i < bn_n_options; i++) {
        const bn_option *r = &bn_options[i];
        if (r->decides == BN_DECIDES_NOT) continue;
        double x = get(o, r);
        if (r->kind == BN_OPT_CHOICE) snprintf(v, sizeof v, "%s", r->choice[(int)x]);
        else if (r->kind == BN_OPT_INT) snprintf(v, sizeof v, "%.0f", x);
        else bn_fmt(v, sizeof v, x);
        cat(buf, n, &len, "%s\t%s\n", r->key, v);
        if (r->decides == BN_DECIDES_FLAG && x != r->def) cat(flags, sizeof flags, &fl, "%s--%s %s", fl ? " " : "", r->name, v);
    }
    cat(buf, n, &len, "bnflags\t%s\n", flags);
}

void bn_config_describe(const char *text, char *buf, size_t n)
{
    const char *s = strstr(text, "\nseed\t"), *f = strstr(text, "\nbnflags\t");
    int sl = s ? (int)strcspn(s + 6, "\n") : 1, flen = f ? (int)strcspn(f + 9, "\n") : 0;
    if (!s) { snprintf(buf, n, "an unrecorded configuration"); return; }
    snprintf(buf, n, "seed %.*s%s%.*s", sl, s + 6, flen ? " " : "", flen, f ? f + 9 : "");
}
