/* main_bnbench.c - times the dataset load and experiments 5 and 6 against the machine's dgemm peak. */
#define _DEFAULT_SOURCE
#include "common.h"
#include "data.h"
#include "experiments.h"
#include "guard.h"
#include "blas_guard.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gsl/gsl_blas.h>

/* GFLOP/s of single-threaded dgemm (n x n) in one process, best of `reps` calls. */
static double dgemm_rate(int n, int reps)
{
    double *a = bn_malloc(sizeof(double) * n * n), *b = bn_malloc(sizeof(double) * n * n);
    double *c = bn_malloc(sizeof(double) * n * n);
    for (long i = 0; i < (long)n * n; i++) { a[i] = (double)(i % 7) - 3.0; b[i] = (double)(i % 5) - 2.0; c[i] = 0.0; }
    gsl_matrix_view A = gsl_matrix_view_array(a, n, n), B = gsl_matrix_view_array(b, n, n), C = gsl_matrix_view_array(c, n, n);
    double best = 0.0;
    for (int r = 0; r < reps; r++) {
        double t0 = bn_now();
        gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, &C.matrix);
        double rate = 2.0 * n * n * (double)n / (bn_now() - t0) / 1e9;
        if (rate > best) best = rate;
    }
    free(a); free(b); free(c);
    return best;
}

/* Machine peak: `procs` processes running dgemm at once, their rates summed. */
static double machine_peak(int procs)
{
    double *rates = mmap(NULL, sizeof(double) * procs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (rates == MAP_FAILED) bn_die(1, "cannot map shared memory: %s", strerror(errno));
    fflush(NULL);
    for (int p = 0; p < procs; p++) {
        pid_t pid = fork();
        if (pid < 0) bn_die(1, "cannot fork: %s", strerror(errno));
        if (pid == 0) { rates[p] = dgemm_rate(1536, 8); _exit(0); }
    }
    for (int p = 0; p < procs; p++) wait(NULL);
    double sum = 0.0;
    for (int p = 0; p < procs; p++) sum += rates[p];
    munmap(rates, sizeof(double) * procs);
    return sum;
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
    bn_blas_single_thread();
    char tmpl[] = "/tmp/bnbench.XXXXXX";
    if (!mkdtemp(tmpl)) bn_die(1, "cannot create a temporary folder: %s", strerror(errno));
    o.out = tmpl;

    double peak1 = dgemm_rate(1536, 8);
    double peak = machine_peak(o.jobs);

    double t0 = bn_now();
    bn_dataset ds;
    bn_dataset_load(&ds, o.ds_kind, o.data_dir, o.train_records, o.val_records, o.test_records);
    double load = bn_now() - t0;

    int quiet = bn_quiet;
    bn_quiet = 1;
    t0 = bn_now();
    bn_exp_deepnet(&o, &ds);
    double t5 = bn_now() - t0;
    t0 = bn_now();
    bn_exp_sweep(&o, &ds);
    double t6 = bn_now() - t0;
    bn_quiet = quiet;
    double g5 = bn_exp_deepnet_gflop(&o, ds.dim, ds.classes, (int)ds.val.n);
    double g6 = bn_exp_sweep_gflop(&o, ds.dim, ds.classes, (int)ds.val.n);

    printf("bnlab benchmark: %d worker process(es), OpenBLAS core %s, single-threaded BLAS per process\n", o.jobs, bn_blas_corename());
    printf("dgemm peak (1536^3): %.1f GFLOP/s in one process, %.1f GFLOP/s with %d processes at once\n\n", peak1, peak, o.jobs);
    printf("%-28s %9s %9s %9s %9s %9s\n", "part", "seconds", "GFLOP", "GFLOP/s", "of peak", "bound s");
    printf("%-28s %9.2f %9s %9s %9s %9s\n", "dataset load (50k+1k recs)", load, "-", "-", "-", "-");
    printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp5 deep net (2 trainings)", t5, g5, g5 / t5, 100.0 * g5 / t5 / peak, g5 / peak);
    printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp6 sweep (40 trainings)", t6, g6, g6 / t6, 100.0 * g6 / t6 / peak, g6 / peak);
    printf("%-28s %9.2f %9.1f %9.1f %8.0f%% %9.2f\n", "exp5 + exp6", t5 + t6, g5 + g6, (g5 + g6) / (t5 + t6),
           100.0 * (g5 + g6) / (t5 + t6) / peak, (g5 + g6) / peak);
    printf("\nratio to the bound (target <= 1.5): %.2f\n", (t5 + t6) / ((g5 + g6) / peak));

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
