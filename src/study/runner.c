/* runner.c - see runner.h. */
#define _DEFAULT_SOURCE
#include "runner.h"
#include "progress.h"
#include "common.h"
#include "rng.h"
#include "timing.h"
#include "guard.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Make and free the job's net (in its dtype), so that one that cannot fit in memory fails here. */
static void job_net_fits(const bn_job *j, const bn_trainset *d)
{
    int maxb = j->cfg.batch_size > BN_PREDICT_BATCH ? j->cfg.batch_size : BN_PREDICT_BATCH;
    if (d->dtype == BN_FLOAT32)
        bn_net_free_f32(bn_net_new_f32(j->hidden, j->nhidden, d->dim, d->classes, j->norm, 0.0, maxb));
    else
        bn_net_free(bn_net_new(j->hidden, j->nhidden, d->dim, d->classes, j->norm, 0.0, maxb));
}

static void run_one(bn_job *j, unsigned long seed, const bn_trainset *d)
{
    double t0 = bn_now();
    gsl_rng *ri = bn_rng_new(seed, j->experiment, j->point, "init");
    gsl_rng *rb = bn_rng_new(seed, j->experiment, j->point, "batch");
    j->cfg.label = j->label;
    if (d->dtype == BN_FLOAT32)
        bn_solver_train_new_f32(j->hidden, j->nhidden, j->norm, j->weight_scale, &j->cfg, d->Xtr32, d->ytr, d->Ntr,
                                d->Xval32, d->yval, d->Nval, d->dim, d->classes, ri, rb, &j->h);
    else
        bn_solver_train_new(j->hidden, j->nhidden, j->norm, j->weight_scale, &j->cfg, d->Xtr, d->ytr, d->Ntr, d->Xval,
                            d->yval, d->Nval, d->dim, d->classes, ri, rb, &j->h);
    gsl_rng_free(ri);
    gsl_rng_free(rb);
    j->seconds = bn_now() - t0;
}

/* Shared region of bn_run_parallel: the next task to take and how many are done. */
typedef struct {
    long next;
    long done;   /* tasks completed, for the progress line */
} shared_head;

void bn_run_parallel(int n, int workers, const char *name, void (*task)(int i, void *ctx), void *ctx)
{
    bn_progress_line pl;
    bn_progress_start(&pl, name, n);
    if (workers <= 1 || n <= 1) {
        for (int i = 0; i < n; i++) { task(i, ctx); bn_progress_update(&pl, i + 1); }
        bn_progress_finish(&pl);
        return;
    }
    if (workers > n) workers = n;
    shared_head *head = mmap(NULL, sizeof *head, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (head == MAP_FAILED) bn_die(1, "cannot map shared memory: %s", strerror(errno));
    head->next = head->done = 0;
    bn_progress_ticker(1.0);   /* interrupts the wait below every second, to move the progress line */
    fflush(NULL);
    pid_t *pids = bn_calloc((size_t)workers, sizeof(pid_t));
    pid_t parent = getpid();
    for (int w = 0; w < workers; w++) {
        pid_t pid = fork();
        if (pid < 0) bn_die(1, "cannot start worker process: %s", strerror(errno));
        if (pid == 0) {
            free(pids);   /* the parent's bookkeeping; a worker never reads it */
            /* A worker must not outlive its parent: killing bnlab stops every training. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent) _exit(1);   /* the parent died before prctl took effect */
            for (;;) {
                long i = __atomic_fetch_add(&head->next, 1, __ATOMIC_SEQ_CST);
                if (i >= n) break;
                task((int)i, ctx);
                __atomic_fetch_add(&head->done, 1, __ATOMIC_SEQ_CST);
            }
            fflush(NULL);
            _exit(0);
        }
        pids[w] = pid;
    }
    /* Wait for whichever worker ends first; one that fails stops the others at once. Each
     * failure is described by its pid and how it ended (the message names them all). */
    int bad = 0, stopped = 0;
    char why[1024] = "";
    size_t wl = 0;
    for (int left = workers; left > 0;) {
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            if (errno == EINTR) { bn_progress_update(&pl, __atomic_load_n(&head->done, __ATOMIC_SEQ_CST)); continue; }
            bn_die(1, "waiting for worker: %s", strerror(errno));
        }
        int w = 0;
        while (w < workers && pids[w] != pid) w++;
        if (w == workers) continue;   /* not one of ours */
        pids[w] = 0;
        left--;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            /* the ones stopped by us after a first failure are counted apart, not as causes */
            int ours = bad && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
            if (!bad)
                for (int k = 0; k < workers; k++) if (pids[k] > 0) kill(pids[k], SIGTERM);
            if (ours) stopped++;
            else {
                int w2;
                if (WIFSIGNALED(st))
                    w2 = snprintf(why + wl, sizeof why - wl, "%sworker %ld killed by signal %d (SIG%s)", bad ? "; " : "",
                                  (long)pid, WTERMSIG(st), bn_signame(WTERMSIG(st)));
                else
                    w2 = snprintf(why + wl, sizeof why - wl, "%sworker %ld exited with status %d", bad ? "; " : "",
                                  (long)pid, WEXITSTATUS(st));
                if (w2 > 0 && wl + (size_t)w2 < sizeof why) wl += (size_t)w2;
                bad++;
            }
        }
    }
    bn_progress_ticker(0);
    free(pids);
    munmap(head, sizeof *head);
    if (bad) {
        bn_progress_stop(&pl);
        /* a worker died: stop the others' output from being taken as complete */
        bn_die(1, "%d training worker process(es) failed: %s%s", bad, why,
               stopped ? " (the others were stopped)" : "");
    }
    bn_progress_finish(&pl);
}

/* The jobs and the shared array their scalars come back through. */
typedef struct {
    bn_job *jobs;
    double *scal;
    unsigned long seed;
    const bn_trainset *d;
} jobs_ctx;

static void job_task(int i, void *ctx)
{
    jobs_ctx *c = ctx;
    run_one(&c->jobs[i], c->seed, c->d);
    c->scal[3 * i] = c->jobs[i].h.best_val;
    c->scal[3 * i + 1] = (double)c->jobs[i].h.nonfinite;
    c->scal[3 * i + 2] = c->jobs[i].seconds;
}

bn_shared bn_run_jobs(bn_job *jobs, int njobs, int workers, unsigned long seed, const bn_trainset *d)
{
    /* Size and bind every history inside one shared mapping. */
    size_t total = 0;
    for (int i = 0; i < njobs; i++) {
        bn_job *j = &jobs[i];
        long iters = bn_solver_iters(j->cfg.epochs, d->Ntr, j->cfg.batch_size);
        long ipe = iters / j->cfg.epochs;
        int checks = bn_solver_checks(iters, ipe);
        total += sizeof(double) * (size_t)bn_history_doubles(iters, checks);
    }
    /* Scalars (best_val, nonfinite, seconds) live in the job structs, which are private after
     * fork: they come back through the same mapping, after the histories. */
    total += sizeof(double) * 3 * (size_t)(njobs ? njobs : 1);
    void *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) bn_die(1, "cannot map %zu bytes of shared memory: %s", total, strerror(errno));
    bn_shared shared = {mem, total};
    double *p = mem;
    for (int i = 0; i < njobs; i++) {
        bn_job *j = &jobs[i];
        long iters = bn_solver_iters(j->cfg.epochs, d->Ntr, j->cfg.batch_size);
        int checks = bn_solver_checks(iters, iters / j->cfg.epochs);
        bn_history_bind(&j->h, p, iters, checks);
        p += bn_history_doubles(iters, checks);
    }
    /* Each job's net is made once here first: one that cannot fit in memory is one error line
     * from this process, not one from every worker followed by a summary. */
    if (workers > 1 && njobs > 1)
        for (int i = 0; i < njobs; i++) job_net_fits(&jobs[i], d);
    jobs_ctx c = {jobs, p, seed, d};
    bn_run_parallel(njobs, workers, njobs ? jobs[0].experiment : "train", job_task, &c);
    for (int i = 0; i < njobs; i++) {
        jobs[i].h.best_val = p[3 * i];
        jobs[i].h.nonfinite = (long)p[3 * i + 1];
        jobs[i].seconds = p[3 * i + 2];
    }
    return shared;
}

void bn_shared_release(bn_shared *s)
{
    if (s->base) munmap(s->base, s->size);
    s->base = NULL;
}
