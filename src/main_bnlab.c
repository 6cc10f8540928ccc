/* main_bnlab.c - command-line front end: parses and validates options, runs experiments. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"
#include "data.h"
#include "experiments.h"
#include "guard.h"
#include "blas_guard.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bnlab [options] COMMAND\n"
        "commands:\n"
        "  forward-train   experiment 1: batchnorm forward, train mode\n"
        "  forward-test    experiment 2: batchnorm forward, test mode after 50 warm-up batches\n"
        "  bn-gradcheck    experiment 3: batchnorm backward gradient check and speed\n"
        "  net-gradcheck   experiment 4: gradient check of a small net with batchnorm\n"
        "  layernorm-checks experiment 7a: layernorm forward and gradient checks; net check per norm\n"
        "  checks          experiments 1-4 and 7a\n"
        "  deepnet         experiment 5: deep net, batchnorm vs baseline (needs the dataset)\n"
        "  sweep           experiment 6: weight-scale sweep (needs the dataset)\n"
        "  batchsize       experiment 7b: batch sizes 5, 10, 50 with batchnorm/layernorm, baseline at 5\n"
        "  train           experiments 5, 6 and 7b, loading the dataset once\n"
        "  all             every experiment\n"
        "  info            build and library configuration, as key<TAB>value lines\n"
        "  config          the options that decide the results, as key<TAB>value lines (writes nothing)\n"
        "options (accepted range in brackets):\n"
        "  --seed N            RNG seed [0, 4294967295], default 0\n"
        "  --out DIR           run folder, default data/runs/seed-N\n"
        "  --data DIR          CIFAR-10 binary folder, default $CIFAR10_DIR or data/cifar-10-batches-bin\n"
        "  --fashion-mnist DIR use Fashion-MNIST gzipped IDX files from DIR instead of CIFAR-10\n"
        "  -j, --jobs N        trainings run at once [1, 256], default 1\n"
        "  --epochs N          [1, 1000], default 10\n"
        "  --batch-size N      [1, 10000], default 50\n"
        "  --lr X              learning rate (0, 10], default 1e-3\n"
        "  --update-rule R     sgd | sgd_momentum | rmsprop | adam, default adam\n"
        "  --num-train N       training samples for experiments 5-6 [1, 49000], default 1000\n"
        "  --points N          sweep points [1, 200], default 20\n"
        "  --ws-min X, --ws-max X  sweep range (0, 100], default 1e-4 and 1\n"
        "  --deep-ws X         experiment 5 weight scale (0, 100], default 2e-2\n"
        "  --train-records N, --val-records N, --test-records N  dataset split sizes, default 49000, 1000, 1000\n"
        "  --speed-reps N      repetitions per timing round in experiment 3 [1, 100000], default 200\n"
        "  -q, --quiet         no progress output\n"
        "  -h, --help          this text\n");
}

static void bad_option(const char *opt, const char *val, const char *what, const char *range)
{
    bn_die(2, "option %s: '%s' %s (accepted: %s)", opt, val, what, range);
}

/* long long, not long: the seed's upper bound 4294967295 does not fit a 32-bit long. */
static long long parse_long(const char *opt, const char *s, long long lo, long long hi)
{
    char range[96], *end;
    snprintf(range, sizeof range, "an integer from %lld to %lld", lo, hi);
    /* strtoll skips leading blanks; a value like " 5" is a quoting slip, not a number */
    if (!*s || isspace((unsigned char)*s)) bad_option(opt, s, "is not an integer", range);
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end) bad_option(opt, s, "is not an integer", range);
    if (errno == ERANGE || v < lo || v > hi) bad_option(opt, s, "is out of range", range);
    return v;
}

static double parse_double(const char *opt, const char *s, double lo_excl, double hi)
{
    char range[96], *end;
    snprintf(range, sizeof range, "a number greater than %g and at most %g", lo_excl, hi);
    if (!*s || isspace((unsigned char)*s)) bad_option(opt, s, "is not a number", range);
    errno = 0;
    double v = strtod(s, &end);
    if (*end) bad_option(opt, s, "is not a number", range);
    if (!isfinite(v)) bad_option(opt, s, "is not a finite number", range);
    if (errno == ERANGE || !(v > lo_excl && v <= hi)) bad_option(opt, s, "is out of range", range);
    return v;
}

static void on_signal(int sig)
{
    bn_out_abort_all();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The cleanup handler for every terminating signal, with all of them blocked while it runs, so
 * a second signal cannot cut the removal of temporary files short. */
static void catch_signals(void)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
}

/* Every size passed to GSL is checked by the caller, so a GSL error is a bug: say where. */
static void gsl_fatal(const char *reason, const char *file, int line, int gsl_errno)
{
    bn_die(1, "internal error: GSL: %s (%s:%d, error %d)", reason, file, line, gsl_errno);
}

/* The options that decide the results, in a fixed order and spelling: make keeps this as the
 * run's configuration, so only a change of substance reruns the experiments. `bnflags` repeats
 * the ones that differ from the defaults, as options (what `make verify` reruns with). */
static void print_config(const bn_opts *o)
{
    bn_opts d;
    bn_opts_default(&d);
    struct { const char *key, *opt; double v, dv; int is_int; } n[] = {
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
    size_t fl = 0;
    printf("key\tvalue\nseed\t%lu\nupdate_rule\t%s\n", o->seed, bn_rule_name(o->rule));
    if (o->rule != d.rule)
        fl += (size_t)snprintf(flags + fl, sizeof flags - fl, "--update-rule %s", bn_rule_name(o->rule));
    for (size_t i = 0; i < sizeof n / sizeof *n; i++) {
        if (n[i].is_int) snprintf(v, sizeof v, "%.0f", n[i].v);
        else bn_fmt(v, sizeof v, n[i].v);
        printf("%s\t%s\n", n[i].key, v);
        if (n[i].v != n[i].dv && fl < sizeof flags)
            fl += (size_t)snprintf(flags + fl, sizeof flags - fl, "%s%s %s", fl ? " " : "", n[i].opt, v);
    }
    printf("bnflags\t%s\n", flags);
}

/* Results go to files; stdout carries only `info` and `--help`, and a failed write there
 * (a full disk, a closed pipe) must not end with status 0. */
static int finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) bn_die(1, "cannot write standard output: %s", strerror(errno ? errno : EIO));
    return 0;
}

/* Remove an experiment's completion file before it is redone, so that if this run fails after
 * rewriting some of the experiment's files, the old completion file cannot vouch for them. */
static void invalidate(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) != 0 && errno != ENOENT) bn_die(1, "cannot remove old %s: %s", path, strerror(errno));
}

static void print_info(void)
{
    printf("compiler\tgcc %s\n", __VERSION__);
    printf("gsl_version\t%s\n", gsl_version);
    printf("blas_config\t%s\n", bn_blas_config());
    printf("blas_core\t%s\n", bn_blas_corename());
    printf("blas_threads_per_process\t1\n");
    printf("rng\tgsl_rng_mt19937, one stream per (seed, experiment, point, stream)\n");
}

static void write_dataset_info(const bn_opts *o, const bn_dataset *ds)
{
    bn_out f;
    bn_out_open(&f, o->out, "dataset.info.tsv");
    bn_out_printf(&f, "key\tvalue\n");
    bn_out_printf(&f, "dataset\t%s\n", ds->kind == BN_DS_CIFAR10 ? "cifar-10" : "fashion-mnist");
    bn_out_printf(&f, "folder\t%s\n", ds->dir);
    bn_out_printf(&f, "train_records\t%ld\nval_records\t%ld\ntest_records\t%ld\ndim\t%d\n", ds->train.n, ds->val.n,
                  ds->test.n, ds->dim);
    bn_out_commit(&f);
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();   /* before anything is opened: no result file may become stderr */
    bn_progname = "bnlab";
    bn_opts o;
    bn_opts_default(&o);
    const char *cmd = NULL, *out = NULL;
    char outbuf[256];
    int have_data = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* options taking a value: "--opt VALUE" or "--opt=VALUE" */
        const char *val = NULL;
        char name[64];
        const char *eq = strchr(a, '=');
        if (a[0] == '-' && a[1] == 'j' && a[2]) {          /* "-j4", as make accepts */
            snprintf(name, sizeof name, "-j");
            val = a + 2;
        } else if (a[0] == '-' && a[1] == '-' && eq) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
/* A following "--option" is a missing value (as from `make JOBS=`), never the value itself. */
#define NEEDVAL() do { if (!val) { \
            if (i + 1 >= argc) bn_die(2, "option %s needs a value", name); \
            if (!strncmp(argv[i + 1], "--", 2)) bn_die(2, "option %s needs a value, got option %s", name, argv[i + 1]); \
            val = argv[++i]; } } while (0)
#define NOVAL() do { if (val) bn_die(2, "option %s takes no value, got '%s'", name, val); } while (0)
        if (!strcmp(name, "-h") || !strcmp(name, "--help")) { NOVAL(); usage(stdout); return finish_stdout(); }
        else if (!strcmp(name, "-q") || !strcmp(name, "--quiet")) { NOVAL(); bn_quiet = 1; }
        else if (!strcmp(name, "--seed")) { NEEDVAL(); o.seed = (unsigned long)parse_long(name, val, 0, 4294967295LL); }
        else if (!strcmp(name, "--out")) { NEEDVAL(); if (!*val) bn_die(2, "option --out: empty folder name"); out = val; }
        else if (!strcmp(name, "--data") || !strcmp(name, "--fashion-mnist")) {
            NEEDVAL();
            if (!*val) bn_die(2, "option %s: empty folder name", name);
            o.data_dir = val;
            o.ds_kind = strcmp(name, "--data") ? BN_DS_FASHION_MNIST : BN_DS_CIFAR10;
            have_data = 1;
        }
        else if (!strcmp(name, "-j") || !strcmp(name, "--jobs")) { NEEDVAL(); o.jobs = (int)parse_long(name, val, 1, 256); }
        else if (!strcmp(name, "--epochs")) { NEEDVAL(); o.epochs = (int)parse_long(name, val, 1, 1000); }
        else if (!strcmp(name, "--batch-size")) { NEEDVAL(); o.batch_size = (int)parse_long(name, val, 1, 10000); }
        else if (!strcmp(name, "--lr")) { NEEDVAL(); o.lr = parse_double(name, val, 0.0, 10.0); }
        else if (!strcmp(name, "--update-rule")) {
            NEEDVAL();
            int r = bn_rule_parse(val);
            if (r < 0) bad_option(name, val, "is not an update rule", "sgd, sgd_momentum, rmsprop, adam");
            o.rule = (bn_rule)r;
        }
        else if (!strcmp(name, "--num-train")) { NEEDVAL(); o.num_train = (int)parse_long(name, val, 1, 49000); }
        else if (!strcmp(name, "--points")) { NEEDVAL(); o.points = (int)parse_long(name, val, 1, 200); }
        else if (!strcmp(name, "--ws-min")) { NEEDVAL(); o.ws_min = parse_double(name, val, 0.0, 100.0); }
        else if (!strcmp(name, "--ws-max")) { NEEDVAL(); o.ws_max = parse_double(name, val, 0.0, 100.0); }
        else if (!strcmp(name, "--deep-ws")) { NEEDVAL(); o.deep_ws = parse_double(name, val, 0.0, 100.0); }
        else if (!strcmp(name, "--train-records")) { NEEDVAL(); o.train_records = (long)parse_long(name, val, 1, 1000000); }
        else if (!strcmp(name, "--val-records")) { NEEDVAL(); o.val_records = (long)parse_long(name, val, 1, 1000000); }
        else if (!strcmp(name, "--test-records")) { NEEDVAL(); o.test_records = (long)parse_long(name, val, 1, 1000000); }
        else if (!strcmp(name, "--speed-reps")) { NEEDVAL(); o.speed_reps = (int)parse_long(name, val, 1, 100000); }
        else if (a[0] == '-') bn_die(2, "unknown option %s (see bnlab --help)", name);
        else if (!cmd) cmd = a;
        else bn_die(2, "unexpected argument '%s' after command %s", a, cmd);
#undef NEEDVAL
#undef NOVAL
    }
    if (!cmd) bn_die(2, "no command given (see bnlab --help)");
    if (o.ws_min > o.ws_max) bn_die(2, "option --ws-min %g is larger than --ws-max %g", o.ws_min, o.ws_max);
    if (o.num_train > o.train_records)
        bn_die(2, "option --num-train %d exceeds --train-records %ld", o.num_train, o.train_records);

    /* Each command is a set of experiments. */
    enum { E1 = 1, E2 = 2, E3 = 4, E4 = 8, E7A = 16, E5 = 32, E6 = 64, E7B = 128, INFO = 256, CONFIG = 512 };
    enum { CHECKS = E1 | E2 | E3 | E4 | E7A, TRAIN = E5 | E6 | E7B };
    static const struct { const char *name; int set; } cmds[] = {
        {"forward-train", E1}, {"forward-test", E2}, {"bn-gradcheck", E3}, {"net-gradcheck", E4},
        {"layernorm-checks", E7A}, {"checks", CHECKS}, {"deepnet", E5}, {"sweep", E6}, {"batchsize", E7B},
        {"train", TRAIN}, {"all", CHECKS | TRAIN}, {"info", INFO}, {"config", CONFIG}};
    int set = 0;
    for (size_t k = 0; k < sizeof cmds / sizeof *cmds; k++) if (!strcmp(cmd, cmds[k].name)) set = cmds[k].set;
    if (!set) bn_die(2, "unknown command '%s' (see bnlab --help)", cmd);
    gsl_set_error_handler(gsl_fatal);
    bn_blas_single_thread();
    if (set == INFO) { print_info(); return finish_stdout(); }
    if (set == CONFIG) { print_config(&o); return finish_stdout(); }

    /* SIGPIPE too: a reader of our stderr that went away (`... 2>&1 | head`) ends the run like
     * SIGTERM, removing temporary files; the default action would leave them. */
    catch_signals();
    bn_guard_blas();   /* OpenBLAS's buffer now, while it fits: it would spin forever later */
    /* Past a file-size limit, a write then fails with EFBIG and is reported with the file's
     * name, instead of the default silent kill that leaves the temporary file behind. */
    signal(SIGXFSZ, SIG_IGN);

    if (!out) { snprintf(outbuf, sizeof outbuf, "data/runs/seed-%lu", o.seed); out = outbuf; }
    o.out = out;
    int needs_data = (set & TRAIN) != 0;
    bn_dataset ds;
    if (needs_data) {
        if (!have_data) {
            const char *env = getenv("CIFAR10_DIR");
            o.data_dir = env && *env ? env : "data/cifar-10-batches-bin";
        }
        double t0 = bn_now();
        /* Load before creating any output, so a bad dataset leaves nothing behind. */
        bn_dataset_load(&ds, o.ds_kind, o.data_dir, o.train_records, o.val_records, o.test_records);
        bn_progress("dataset %s (%s): %ld train, %ld val, %ld test records of %d values, loaded in %.2f s",
                    o.data_dir, o.ds_kind == BN_DS_CIFAR10 ? "CIFAR-10" : "Fashion-MNIST", ds.train.n, ds.val.n,
                    ds.test.n, ds.dim, bn_now() - t0);
        if (o.ds_kind == BN_DS_FASHION_MNIST)
            bn_warn("WARNING: training on Fashion-MNIST, not CIFAR-10: results are not the assignment's");
    }
    bn_mkdir_p(o.out);
    bn_remove_stale_tmp(o.out);
    if (set & E1) bn_exp_forward_train(&o);
    if (set & E2) bn_exp_forward_test(&o);
    if (set & E3) bn_exp_bn_gradcheck(&o);
    if (set & E4) bn_exp_net_gradcheck(&o);
    if (set & E7A) { invalidate(o.out, "exp7_net_gradcheck_norms.tsv"); bn_exp_layernorm_checks(&o); }
    if (needs_data) {
        write_dataset_info(&o, &ds);
        if (set & E5) { invalidate(o.out, "exp5_deepnet.tsv"); bn_exp_deepnet(&o, &ds); }
        if (set & E6) { invalidate(o.out, "exp6_sweep.tsv"); bn_exp_sweep(&o, &ds); }
        if (set & E7B) { invalidate(o.out, "exp7_batchsize.tsv"); bn_exp_batchsize(&o, &ds); }
        bn_dataset_free(&ds);
    }
    return 0;
}
