/* main_bnlab.c - command-line front end: parses and validates options, runs experiments. */
#define _GNU_SOURCE /* getopt_long */
#include "common.h"
#include "rng.h"
#include "blas.h"
#include "timing.h"
#include "data.h"
#include "experiments.h"
#include "options.h"
#include "gemm.h"
#include "machine.h"
#include "registry.h"
#include "version.h"
#include "parts.h"
#include "guard.h"
#include "blas_guard.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

/* Each row's function, in the rows' order (registry.def names it beside the row's data). */
#define BN_CHECK(function, ...) void function(const bn_opts *o);
#define BN_TRAINING(function, ...) void function(const bn_opts *o, const bn_dataset *ds);
#include "registry.def"
#undef BN_CHECK
#undef BN_TRAINING
static const struct {
    void (*check)(const bn_opts *o);
    void (*train)(const bn_opts *o, const bn_dataset *ds);
} run_of[] = {   /* the same rows as bn_experiments, so the same count and order */
#define BN_CHECK(function, ...) {function, NULL},
#define BN_TRAINING(function, ...) {NULL, function},
#include "registry.def"
#undef BN_CHECK
#undef BN_TRAINING
};

static void usage(FILE *f)
{
    fprintf(f, "usage: bnlab [options] COMMAND\ncommands:\n");
    for (int i = 0; i < bn_n_experiments; i++)
        fprintf(f, "  %-15s %s\n", bn_experiments[i].command, bn_experiments[i].help);
    fprintf(f,
        "  checks          every check (no dataset needed)\n"
        "  train           every training, loading the dataset once\n"
        "  all             every experiment\n"
        "  merge           join experiment 6's parts (sweep --point K) into its files, then remove them\n"
        "  info            build and library configuration, as key<TAB>value lines\n"
        "  config          the options that decide the results, as key<TAB>value lines (writes nothing)\n"
        "  configure       record them as the run folder's config.info.tsv (what every command above\n"
        "                  does first); a folder of other options has its results removed first\n"
        "  list-files      the result files of each experiment (--make: as make variables)\n"
        "options (accepted range in brackets; a long option may be shortened to any unambiguous\n"
        "prefix, and its value given as --opt=VALUE; short options group: -qj2):\n");
    bn_options_usage(f);
    fprintf(f,
        "  -q, --quiet         no progress output\n"
        "  -v, --verbose       also each training's per-epoch line\n"
        "  -h, --help          this text\n"
        "  -V, --version       version and git commit\n"
        "  --                  ends the options\n");
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

/* Results go to files; stdout carries only `info` and `--help`, and a failed write there
 * (a full disk, a closed pipe) must not end with status 0. */
static int finish_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) bn_die(1, "cannot write standard output: %s", strerror(errno ? errno : EIO));
    return 0;
}

/* Remove an experiment's completion file (the first of FILES) before it is redone, so that if
 * this run fails after rewriting some of the experiment's files, the old completion file cannot
 * vouch for them. An experiment of one file needs none: that file is replaced whole or not at all. */
static void invalidate(const char *dir, const char *files)
{
    size_t len = strcspn(files, " ");
    if (!files[len]) return;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)len, files);
    bn_remove_done(dir, name);
}

/* Remove dir/NAME (its first len bytes) if it is there; a folder in the way is left for the
 * experiment that writes NAME to name. */
static void remove_file(const char *dir, const char *name, size_t len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%.*s", dir, (int)len, name);
    if (unlink(path) != 0 && errno != ENOENT && errno != EISDIR) bn_die(1, "cannot remove %s: %s", path, strerror(errno));
}

static void record_config(const bn_opts *o, const char *dir)
{
    char want[4096];
    bn_config_text(o, want, sizeof want);
    bn_mkdir_p(dir);
    bn_out f;
    bn_out_open(&f, dir, "config.info.tsv");
    bn_out_printf(&f, "%s", want);
    bn_out_commit(&f);
}

/* A run folder holds one configuration, recorded in its config.info.tsv. Before anything is
 * written into dir, a folder recorded for other options (or holding results with no record) has
 * every result of those removed, each completion file first, so that a run stopped half-way
 * leaves nothing of the other configuration that could be taken for this one's; then this
 * configuration is recorded. Returns 1 for a folder with neither record nor results: its record
 * is written when the run succeeds (a run that fails writes nothing but its own results, which
 * without a record any later run removes). */
static int claim_folder(const bn_opts *o, const char *dir)
{
    char want[4096], err[4400], path[4200];
    bn_config_text(o, want, sizeof want);
    snprintf(path, sizeof path, "%s/config.info.tsv", dir);
    size_t hl = 0;
    char *have = NULL;
    if (access(path, F_OK) == 0 && !(have = bn_read_file(path, &hl, err, sizeof err))) bn_die(1, "%s", err);
    if (have && hl == strlen(want) && !memcmp(have, want, hl)) { free(have); return 0; }
    int results = have != NULL;
    for (int i = 0; i < bn_n_experiments && !results; i++) {
        char first[256];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(bn_experiments[i].files, " "), bn_experiments[i].files);
        results = bn_is_file(dir, first);
    }
    if (!results) return 1;
    {
        char a[1200], b[1200];
        bn_config_describe(have ? have : "", a, sizeof a);
        bn_config_describe(want, b, sizeof b);
        bn_warn("%s holds a run of %s: its results are removed before the run of %s", dir, a, b);
        /* the completion files first, then each experiment's other files and what the run derived */
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i < bn_n_experiments; i++) {
                const char *f = bn_experiments[i].files;
                for (int first = 1; *f; first = 0) {
                    size_t len = strcspn(f, " ");
                    if (first == !pass) remove_file(dir, f, len);
                    f += len;
                    f += strspn(f, " ");
                }
                if (pass) {
                    char stamp[300];
                    snprintf(stamp, sizeof stamp, ".stamps/%s", bn_experiments[i].command);
                    remove_file(dir, stamp, strlen(stamp));
                }
            }
        static const char *const derived[] = {"manifest.tsv", "params.info.tsv", "dataset.info.tsv", "checks.info.tsv",
                                              "machine.info.tsv"};
        for (size_t i = 0; i < sizeof derived / sizeof *derived; i++) remove_file(dir, derived[i], strlen(derived[i]));
        /* and the timing files, which belong to the runs that wrote them */
        DIR *d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));) {
            size_t l = strlen(e->d_name), tl = strlen(".timing.tsv");
            if (l > tl && !strcmp(e->d_name + l - tl, ".timing.tsv")) remove_file(dir, e->d_name, l);
        }
        if (d) closedir(d);
    }
    free(have);
    record_config(o, dir);
    return 0;
}

static void print_info(void)
{
    printf("compiler\tgcc %s\n", __VERSION__);
    printf("gsl_version\t%s\n", gsl_version);
    printf("blas_config\t%s\n", bn_blas_config());
    printf("blas_core\t%s\n", bn_blas_corename());
    printf("libxsmm_version\t%s\n", bn_gemm_libxsmm_version());
    printf("gemm_kernels\t%s\n", bn_gemm_kernel());
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
    bn_out_printf(&f, "train_records\t%ld\nval_records\t%ld\ntest_records\t%ld\ndim\t%d\n", ds->train_records, ds->val.n,
                  ds->test.n, ds->dim);
    bn_out_commit(&f);
}

/* getopt_long's table: the rows of bn_options (value BN_OPT_BASE + row, or the row's short
 * letter), then the program's own flags. */
enum { O_MAKE = 255, BN_OPT_BASE = 256 };
static const struct option flags[] = {
    {"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'}, {"make", no_argument, NULL, O_MAKE}};
enum { N_FLAGS = sizeof flags / sizeof *flags, MAX_LONGOPTS = 64 };
static struct option longopts[MAX_LONGOPTS];

static void build_longopts(char *shortopts, size_t n)
{
    int k = 0;
    size_t len = (size_t)snprintf(shortopts, n, ":hqvV");
    for (int i = 0; i < bn_n_options && k < MAX_LONGOPTS - N_FLAGS - 1; i++, k++) {
        const bn_option *r = &bn_options[i];
        longopts[k] = (struct option){r->name, required_argument, NULL, r->short_name ? r->short_name : BN_OPT_BASE + i};
        if (r->short_name && len + 3 < n) { shortopts[len++] = r->short_name; shortopts[len++] = ':'; shortopts[len] = 0; }
    }
    for (int i = 0; i < N_FLAGS; i++) longopts[k++] = flags[i];
    longopts[k] = (struct option){NULL, 0, NULL, 0};
}

/* The row of option code C (a row's code or short letter), or NULL. */
static const bn_option *option_row(int c)
{
    if (c >= BN_OPT_BASE && c < BN_OPT_BASE + bn_n_options) return &bn_options[c - BN_OPT_BASE];
    for (int i = 0; i < bn_n_options; i++)
        if (bn_options[i].short_name && bn_options[i].short_name == c) return &bn_options[i];
    return NULL;
}

/* The option as the user spelled its kind: "--name" (full name, even when given as a prefix)
 * for a long option, "-c" for a short one. */
static const char *opt_name(int val, const char *arg, char *buf, size_t n)
{
    if (arg && !strncmp(arg, "--", 2))
        for (const struct option *l = longopts; l->name; l++)
            if (l->val == val) { snprintf(buf, n, "--%s", l->name); return buf; }
    snprintf(buf, n, "-%c", val < 256 ? val : '?');
    return buf;
}

/* Why getopt_long refused ARG: an ambiguous prefix, a flag given a value, or an unknown option. */
static void refuse(const char *arg, int optopt_)
{
    if (optopt_ && optopt_ < 256 && !(!strncmp(arg, "--", 2) && strchr(arg, '='))) bn_die(2, "unknown option -%c (see bnlab --help)", optopt_);
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg) - 2;
    char names[512] = "";
    int hits = 0;
    for (const struct option *l = longopts; l->name; l++) {
        if (strncmp(l->name, arg + 2, len)) continue;
        if (strlen(l->name) == len) { hits = 1; names[0] = 0; }
        if (strlen(l->name) == len || hits++ < 8) {
            size_t k = strlen(names);
            snprintf(names + k, sizeof names - k, "%s--%s", k ? ", " : "", l->name);
        }
        if (strlen(l->name) == len) break;
    }
    if (hits > 1) bn_die(2, "option %.*s is ambiguous (could be %s)", (int)(len + 2), arg, names);
    if (hits == 1 && eq) bn_die(2, "option %s takes no value, got '%s'", names, eq + 1);
    bn_die(2, "unknown option %.*s (see bnlab --help)", (int)(len + 2), arg);
}

/* Whether command CMD runs the experiment COMMAND: named alone, or as one of the checks, the
 * trainings, or all. */
static int selected(const char *cmd, const char *command, int training)
{
    return !strcmp(cmd, command) || !strcmp(cmd, "all") || !strcmp(cmd, training ? "train" : "checks");
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();   /* before anything is opened: no result file may become stderr */
    bn_progname = "bnlab";
    bn_opts o;
    bn_opts_default(&o);
    char outbuf[256], name[64], shortopts[64];
    int as_make = 0;

    build_longopts(shortopts, sizeof shortopts);
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shortopts, longopts, NULL);
        if (c == -1) break;
        if (c == '?') refuse(argv[optind - 1], optopt);
        if (c == ':') bn_die(2, "option %s needs a value", opt_name(optopt, argv[optind - 1], name, sizeof name));
        /* the argument that held an option with a value: the one before it, or the value's own */
        const char *arg = !optarg ? "" : optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
        opt_name(c, arg, name, sizeof name);
        const char *val = optarg;
        /* A following "--option" is a missing value (as from `make JOBS=`), never the value itself. */
        if (val && val == argv[optind - 1] && !strncmp(val, "--", 2))
            bn_die(2, "option %s needs a value, got option %s", name, val);
        const bn_option *row = option_row(c);
        if (row) { bn_option_set(&o, row, name, val); continue; }
        switch (c) {
        case 'h': usage(stdout); return finish_stdout();
        case 'V': bn_print_version("bnlab"); return finish_stdout();
        case 'q': bn_quiet = 1; break;
        case 'v': bn_verbose = 1; break;
        case O_MAKE: as_make = 1; break;
        default: bn_die(1, "internal error: option code %d has no case", c);
        }
    }
    if (optind >= argc) bn_die(2, "no command given (see bnlab --help)");
    const char *cmd = argv[optind];
    if (optind + 1 < argc) bn_die(2, "unexpected argument '%s' after command %s", argv[optind + 1], cmd);
    int have_data = o.data_dir || o.fmnist_dir;
    bn_options_finish(&o);
    if (as_make && strcmp(cmd, "list-files")) bn_die(2, "option --make is for the list-files command only");

    gsl_set_error_handler(gsl_fatal);
    bn_blas_single_thread();

    if (!strcmp(cmd, "config")) {
        char text[4096];
        bn_config_text(&o, text, sizeof text);
        fputs(text, stdout);
        return finish_stdout();
    }
    if (!strcmp(cmd, "list-files")) {
        if (as_make) bn_registry_print_make(stdout);
        else bn_registry_list_files(stdout);
        return finish_stdout();
    }
    bn_gemm_check_target();   /* before any product: a set this CPU lacks would end it with SIGILL */
    if (!strcmp(cmd, "info")) { print_info(); return finish_stdout(); }
    int known = 0, needs_data = 0;
    for (int i = 0; i < bn_n_experiments; i++)
        if (selected(cmd, bn_experiments[i].command, bn_experiments[i].training)) {
            known = 1;
            needs_data |= bn_experiments[i].training;
        }
    int merge = !strcmp(cmd, "merge"), configure = !strcmp(cmd, "configure");
    if (!known && !merge && !configure) bn_die(2, "unknown command '%s' (see bnlab --help)", cmd);
    /* the experiment that runs one point per process (the registry's split row) */
    const bn_experiment *split = NULL;
    for (int i = 0; i < bn_n_experiments && !split; i++)
        if (bn_experiments[i].split) split = &bn_experiments[i];
    if ((o.point >= 0 || merge) && !split) bn_die(2, "no experiment runs one point per process (--point, merge)");
    if (o.point >= 0 && strcmp(cmd, split->command))
        bn_die(2, "option --point applies to the %s command only, not %s", split->command, cmd);

    /* SIGPIPE too: a reader of our stderr that went away (`... 2>&1 | head`) ends the run like
     * SIGTERM, removing temporary files; the default action would leave them. */
    catch_signals();
    bn_guard_blas();   /* OpenBLAS's buffer now, while it fits: it would spin forever later */
    /* Past a file-size limit, a write then fails with EFBIG and is reported with the file's
     * name, instead of the default silent kill that leaves the temporary file behind. */
    signal(SIGXFSZ, SIG_IGN);

    if (!o.out) { snprintf(outbuf, sizeof outbuf, "data/runs/seed-%lu", o.seed); o.out = outbuf; }
    if (merge) { bn_sweep_merge(&o, split->command, split->files); return 0; }
    if (configure) {
        if (claim_folder(&o, o.out)) record_config(&o, o.out);
        return 0;
    }
    /* one sweep point is a run folder of its own under RUN/parts/, joined later by `merge` */
    char partdir[4200];
    if (o.point >= 0) { bn_part_dir(partdir, sizeof partdir, o.out, split->files, o.point); o.out = partdir; }
    bn_dataset ds;
    if (needs_data) {
        if (!have_data) {
            const char *env = getenv("CIFAR10_DIR");
            o.data_dir = env && *env ? env : "data/cifar-10-batches-bin";
        }
        double t0 = bn_now();
        /* Load before creating any output, so a bad dataset leaves nothing behind. The
         * experiments train on the first --num-train training records (at most --train-records,
         * checked above): only those are kept, the mean image is still of all of them. */
        bn_dataset_load(&ds, o.ds_kind, o.data_dir, o.train_records, o.num_train, o.val_records, o.test_records);
        bn_progress("dataset %s (%s): %ld train, %ld val, %ld test records of %d values, loaded in %.2f s",
                    o.data_dir, o.ds_kind == BN_DS_CIFAR10 ? "CIFAR-10" : "Fashion-MNIST", ds.train_records, ds.val.n,
                    ds.test.n, ds.dim, bn_now() - t0);
        if (o.ds_kind == BN_DS_FASHION_MNIST)
            bn_warn("WARNING: training on Fashion-MNIST, not CIFAR-10: results are not the assignment's");
    }
    int record = claim_folder(&o, o.out);
    bn_mkdir_p(o.out);
    bn_remove_stale_tmp(o.out);
    /* The checks, then the trainings, each in the registry's order. */
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_experiment *row = &bn_experiments[i];
        if (row->training || !selected(cmd, row->command, 0)) continue;
        invalidate(o.out, row->files);
        run_of[i].check(&o);
    }
    if (needs_data) {
        write_dataset_info(&o, &ds);
        for (int i = 0; i < bn_n_experiments; i++) {
            const bn_experiment *row = &bn_experiments[i];
            if (!row->training || !selected(cmd, row->command, 1)) continue;
            invalidate(o.out, row->files);
            run_of[i].train(&o, &ds);
            bn_machine_note(o.out, row->command, NULL, NULL);   /* the kernel it was made with */
        }
        bn_dataset_free(&ds);
    }
    if (record) record_config(&o, o.out);
    return 0;
}
