/* options.c - the study's settings when no option changes them (bnlab's command line starts
 * from these; experiments.h says what each one is). */
#include "experiments.h"
#include "fixedmath.h"

#include "number.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bn_opts_default(bn_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 0;
    o->jobs = 1;
    o->epochs = 10;
    o->batch_size = 50;
    o->num_train = 1000;
    o->points = 20;
    o->point = -1;
    o->lr = 1e-3;
    o->ws_min = 1e-4;
    o->ws_max = 1.0;
    o->deep_ws = 2e-2;
    o->bs_lr = 3.1622776601683794e-04;   /* 10^-3.5, as a literal: no libm call decides it */
    o->rule = BN_ADAM;
    o->ds_kind = BN_DS_CIFAR10;
    o->train_records = 49000;
    o->val_records = 1000;
    o->test_records = 1000;
    o->speed_reps = 200;
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
    bn_opts d;
    bn_opts_default(&d);
    struct { const char *key, *opt; double v, dv; int is_int; } row[] = {
        {"epochs", "--epochs", o->epochs, d.epochs, 1},
        {"batch_size", "--batch-size", o->batch_size, d.batch_size, 1},
        {"learning_rate", "--lr", o->lr, d.lr, 0},
        {"num_train", "--num-train", o->num_train, d.num_train, 1},
        {"points", "--points", o->points, d.points, 1},
        {"ws_min", "--ws-min", o->ws_min, d.ws_min, 0},
        {"ws_max", "--ws-max", o->ws_max, d.ws_max, 0},
        {"deep_ws", "--deep-ws", o->deep_ws, d.deep_ws, 0},
        {"train_records", "--train-records", (double)o->train_records, (double)d.train_records, 1},
        {"val_records", "--val-records", (double)o->val_records, (double)d.val_records, 1},
        {"test_records", "--test-records", (double)o->test_records, (double)d.test_records, 1},
        {"speed_reps", "--speed-reps", o->speed_reps, d.speed_reps, 1},
    };
    char flags[1024] = "", v[64];
    size_t len = 0, fl = 0;
    buf[0] = 0;
    cat(buf, n, &len, "key\tvalue\nseed\t%lu\nupdate_rule\t%s\n", o->seed, bn_rule_name(o->rule));
    if (o->rule != d.rule) cat(flags, sizeof flags, &fl, "--update-rule %s", bn_rule_name(o->rule));
    cat(buf, n, &len, "dtype\t%s\n", bn_dtype_name(o->dtype));
    if (o->dtype != d.dtype) cat(flags, sizeof flags, &fl, "%s--dtype %s", fl ? " " : "", bn_dtype_name(o->dtype));
    for (size_t i = 0; i < sizeof row / sizeof *row; i++) {
        if (row[i].is_int) snprintf(v, sizeof v, "%.0f", row[i].v);
        else bn_fmt(v, sizeof v, row[i].v);
        cat(buf, n, &len, "%s\t%s\n", row[i].key, v);
        if (row[i].v != row[i].dv) cat(flags, sizeof flags, &fl, "%s%s %s", fl ? " " : "", row[i].opt, v);
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
