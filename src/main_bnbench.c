/* main_bnbench.c - times the dataset load and experiments 5 and 6 in float32 and in float64, each
 * against the machine's gemm peak of its dtype (sgemm, dgemm), with the trainings' peak memory. */
#define _DEFAULT_SOURCE
#include "common.h"
#include "blas.h"
#include "timing.h"
#include "data.h"
#include "experiments.h"
#include "guard.h"
#include "blas_guard.h"
#include "gemm.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Operands of na and nb elements of dtype t, small integers (exact in both dtypes), and a zeroed
 * result of nc; free all three. */
static void operands(bn_dtype t, long na, long nb, long nc, void **a, void **b, void **c)
{
    size_t el = t == BN_FLOAT32 ? sizeof(float) : sizeof(double);
    *a = bn_malloc(el * (size_t)na);
    *b = bn_malloc(el * (size_t)nb);
    *c = bn_calloc((size_t)nc, el);
    for (long i = 0; i < na || i < nb; i++) {
        double x = (double)(i % 7) - 3.0, y = (double)(i % 5) - 2.0;
        if (t == BN_FLOAT32) { if (i < na) ((float *)*a)[i] = (float)x; if (i < nb) ((float *)*b)[i] = (float)y; }
        else { if (i < na) ((double *)*a)[i] = x; if (i < nb) ((double *)*b)[i] = y; }
    }
}

/* GFLOP/s of single-threaded gemm (n x n) of one dtype in one process, best of `reps` calls. */
static double gemm_rate(bn_dtype t, int n, int reps)
{
    void *a, *b, *c;
    operands(t, (long)n * n, (long)n * n, (long)n * n, &a, &b, &c);
    double best = 0.0;
    for (int r = 0; r < reps; r++) {
        double t0 = bn_now();
        if (t == BN_FLOAT32) bn_gemm_openblas_f32(0, 0, n, n, n, a, b, 0.0f, c);
        else bn_gemm_openblas(0, 0, n, n, n, a, b, 0.0, c);
        double rate = 2.0 * n * n * (double)n / (bn_now() - t0) / 1e9;
        if (rate > best) best = rate;
    }
    free(a); free(b); free(c);
    return best;
}

/* The study's products, one row each: what bn_gemm does with them against OpenBLAS (through GSL)
 * on the same operands, single-threaded, best of several rounds of repeated calls (operands in
 * cache: the rates trainings see are lower). */
static const bn_gemm_shape shapes[] = {
    {"forward, first layer, sweep", 0, 0, 50, 50, 3072},
    {"forward, first layer, deep net", 0, 0, 50, 100, 3072},
    {"accuracy check, first layer, sweep", 0, 0, 100, 50, 3072},
    {"weight gradient, first layer, sweep", 1, 0, 3072, 50, 50},
    {"forward, hidden layer, sweep", 0, 0, 50, 50, 50},
    {"input gradient, hidden layer, sweep", 0, 1, 50, 50, 50},
};

/* seconds per call of one path (0: OpenBLAS through GSL, 1: bn_gemm) on one shape and dtype */
static double shape_time(const bn_gemm_shape *r, bn_dtype t, int path)
{
    void *a, *b, *c;
    operands(t, (long)r->M * r->K, (long)r->K * r->N, (long)r->M * r->N, &a, &b, &c);
    int reps = (int)(4e8 / (2.0 * r->M * r->N * r->K)) + 1;
    double best = 1e30;
    for (int round = 0; round < 5; round++) {
        double t0 = bn_now();
        for (int i = 0; i < reps; i++) {
            if (t == BN_FLOAT32)
                (path ? bn_gemm_f32 : bn_gemm_openblas_f32)(r->ta, r->tb, r->M, r->N, r->K, a, b, 0.0f, c);
            else
                (path ? bn_gemm : bn_gemm_openblas)(r->ta, r->tb, r->M, r->N, r->K, a, b, 0.0, c);
        }
        double dt = (bn_now() - t0) / reps;
        if (dt < best) best = dt;
    }
    free(a); free(b); free(c);
    return best;
}

static void print_shapes(void)
{
    printf("\nthe study's products, GFLOP/s in one process (operands in cache), OpenBLAS -> bn_gemm\n");
    printf("%-38s %-20s %17s %17s\n", "product", "M x N x K", "float32", "float64");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        const bn_gemm_shape *r = &shapes[i];
        double f = 2.0 * r->M * r->N * r->K / 1e9;
        char dims[64];
        snprintf(dims, sizeof dims, "%d x %d x %d%s%s", r->M, r->N, r->K, r->ta ? " (A^T)" : "", r->tb ? " (B^T)" : "");
        printf("%-38s %-20s", r->what, dims);
        for (int k = 0; k < 2; k++) {
            bn_dtype t = k ? BN_FLOAT64 : BN_FLOAT32;
            printf(" %7.1f -> %6.1f", f / shape_time(r, t, 0), f / shape_time(r, t, 1));
        }
        printf("\n");
    }
}

static void *shared_doubles(int n)
{
    void *p = mmap(NULL, sizeof(double) * (size_t)n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) bn_die(1, "cannot map shared memory: %s", strerror(errno));
    return p;
}

/* Machine peak: `procs` processes running gemm at once, their rates summed. */
static double machine_peak(bn_dtype t, int procs)
{
    double *rates = shared_doubles(procs);
    fflush(NULL);
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid < 0) bn_die(1, "cannot fork: %s", strerror(errno));
        if (pid == 0) { rates[p] = gemm_rate(t, 1536, 8); _exit(0); }
    }
    for (int p = 0; p < procs; p++) wait(NULL);
    double sum = 0.0;
    for (int p = 0; p < procs; p++) sum += rates[p];
    munmap(rates, sizeof(double) * procs);
    return sum;
}

/* Experiments 5 and 6 in dtype t, in a child process of their own (with its worker processes),
 * so that its peak resident memory is theirs: secs[0], secs[1] get their wall-clock seconds.
 * Returns the peak resident set of the largest process of that tree, in MB (wait4's ru_maxrss
 * covers the child and the workers it waited for). The dataset, loaded before the fork, counts:
 * its pages are mapped in every process, as they are in bnlab. */
static double run_trainings(bn_opts *o, const bn_dataset *ds, bn_dtype t, double secs[2])
{
    double *sh = shared_doubles(2);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) bn_die(1, "cannot fork: %s", strerror(errno));
    if (pid == 0) {
        o->dtype = t;
        double t0 = bn_now();
        bn_exp_deepnet(o, ds);
        sh[0] = bn_now() - t0;
        t0 = bn_now();
        bn_exp_sweep(o, ds);
        sh[1] = bn_now() - t0;
        fflush(NULL);
        _exit(0);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        bn_die(1, "the %s trainings failed", bn_dtype_name(t));
    secs[0] = sh[0];
    secs[1] = sh[1];
    munmap(sh, sizeof(double) * 2);
    return ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();
    bn_progname = "bnbench";
    bn_guard_blas();
    bn_opts o;
    bn_opts_default(&o);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores > 0 ? (int)cores : 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc) { o.data_dir = argv[++i]; o.ds_kind = BN_DS_CIFAR10; }
        else if (!strcmp(argv[i], "--fashion-mnist") && i + 1 < argc) { o.data_dir = argv[++i]; o.ds_kind = BN_DS_FASHION_MNIST; }
        else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > 256) bn_die(2, "option -j: '%s' is not an integer from 1 to 256", argv[i]);
            o.jobs = (int)j;
        }
        else if (!strcmp(argv[i], "-q")) bn_quiet = 1;
        else bn_die(2, "unknown or incomplete option '%s' (usage: bnbench [--data DIR | --fashion-mnist DIR] [-j N] [-q])", argv[i]);
    }
    if (!o.data_dir) {
        const char *env = getenv("CIFAR10_DIR");
        o.data_dir = env && *env ? env : "data/cifar-10-batches-bin";
    }
    bn_gemm_check_target();
    bn_blas_single_thread();
    const char *td = getenv("TMPDIR");
    if (!td || !*td) td = "/tmp";
    char tmpl[1200];
    if (snprintf(tmpl, sizeof tmpl, "%s/bnbench.XXXXXX", td) >= (int)sizeof tmpl) bn_die(2, "TMPDIR=%.200s: too long", td);
    if (!mkdtemp(tmpl)) bn_die(1, "cannot create a temporary folder in %s (TMPDIR): %s", td, strerror(errno));
    o.out = tmpl;

    const bn_dtype dtypes[2] = {BN_FLOAT32, BN_FLOAT64};
    const char *gemm[2] = {"sgemm", "dgemm"};
    double peak1[2], peak[2];
    for (int k = 0; k < 2; k++) {
        peak1[k] = gemm_rate(dtypes[k], 1536, 8);
        peak[k] = machine_peak(dtypes[k], o.jobs);
    }

    double t0 = bn_now();
    bn_dataset ds;
    /* only the rows experiments 5 and 6 train on, as bnlab keeps them */
    bn_dataset_load(&ds, o.ds_kind, o.data_dir, o.train_records, o.num_train, o.val_records, o.test_records);
    double load = bn_now() - t0;

    int quiet = bn_quiet;
    bn_quiet = 1;
    double secs[2][2], rss[2];
    for (int k = 0; k < 2; k++) rss[k] = run_trainings(&o, &ds, dtypes[k], secs[k]);
    bn_quiet = quiet;
    double g5 = bn_exp_deepnet_gflop(&o, ds.dim, ds.classes, (int)ds.val.n);
    double g6 = bn_exp_sweep_gflop(&o, ds.dim, ds.classes, (int)ds.val.n);

    printf("bnlab benchmark: %d worker process(es), GEMM kernels %s, single-threaded BLAS per process\n", o.jobs,
           bn_gemm_kernel());
    for (int k = 0; k < 2; k++)
        printf("%s peak (OpenBLAS, 1536^3): %.1f GFLOP/s in one process, %.1f GFLOP/s with %d processes at once\n", gemm[k],
               peak1[k], peak[k], o.jobs);
    printf("dataset load (50k+1k records): %.2f s\n", load);
    for (int k = 0; k < 2; k++) {
        double t5 = secs[k][0], t6 = secs[k][1], p = peak[k];
        printf("\n%s, against the %s peak; peak resident memory of the trainings %.0f MB\n", bn_dtype_name(dtypes[k]),
               gemm[k], rss[k]);
        printf("%-28s %9s %9s %9s %9s %9s\n", "part", "seconds", "GFLOP", "GFLOP/s", "of peak", "bound s");
        printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp5 deep net (2 trainings)", t5, g5, g5 / t5, 100.0 * g5 / t5 / p, g5 / p);
        printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp6 sweep (40 trainings)", t6, g6, g6 / t6, 100.0 * g6 / t6 / p, g6 / p);
        printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp5 + exp6", t5 + t6, g5 + g6, (g5 + g6) / (t5 + t6),
               100.0 * (g5 + g6) / (t5 + t6) / p, (g5 + g6) / p);
        printf("ratio to the %s bound (target <= 1.5): %.2f\n", gemm[k], (t5 + t6) / ((g5 + g6) / p));
    }
    printf("\nfloat64 / float32 time (exp5 + exp6): %.2f\n", (secs[1][0] + secs[1][1]) / (secs[0][0] + secs[0][1]));
    print_shapes();

    /* remove the scratch run folder, whatever the experiments wrote into it */
    DIR *d = opendir(tmpl);
    struct dirent *e;
    char path[4200];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') { snprintf(path, sizeof path, "%s/%s", tmpl, e->d_name); unlink(path); }
    if (d) closedir(d);
    rmdir(tmpl);
    bn_dataset_free(&ds);
    return 0;
}
