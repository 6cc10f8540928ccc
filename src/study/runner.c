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

/* Shared region: a job counter, then each job's history. */
typedef struct {
    long next;
    long done;   /* trainings completed, for the progress line */
} shared_head;

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

bn_shared bn_run_jobs(bn_job *jobs, int njobs, int workers, unsigned long seed, const bn_trainset *d)
{
    /* Size and bind every history inside one shared mapping. */
    size_t total = sizeof(shared_head);
    for (int i = 0; i < njobs; i++) {
        bn_job *j = &jobs[i];
        long iters = bn_solver_iters(j->cfg.epochs, d->Ntr, j->cfg.batch_size);
        long ipe = iters / j->cfg.epochs;
        int checks = bn_solver_checks(iters, ipe);
        total += sizeof(double) * (size_t)bn_history_doubles(iters, checks);
    }
    void *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) bn_die(1, "cannot map %zu bytes of shared memory: %s", total, strerror(errno));
    bn_shared shared = {mem, total};
    shared_head *head = mem;
    double *p = (double *)((char *)mem + sizeof(shared_head));
    for (int i = 0; i < njobs; i++) {
        bn_job *j = &jobs[i];
        long iters = bn_solver_iters(j->cfg.epochs, d->Ntr, j->cfg.batch_size);
        int checks = bn_solver_checks(iters, iters / j->cfg.epochs);
        bn_history_bind(&j->h, p, iters, checks);
        p += bn_history_doubles(iters, checks);
    }

    bn_progress_line pl;
    bn_progress_start(&pl, njobs ? jobs[0].experiment : "train", njobs);
    if (workers <= 1 || njobs <= 1) {
        for (int i = 0; i < njobs; i++) { run_one(&jobs[i], seed, d); bn_progress_update(&pl, i + 1); }
        bn_progress_finish(&pl);
        return shared;
    }
    if (workers > njobs) workers = njobs;
    /* Each job's net is made once here first: one that cannot fit in memory is one error line
     * from this process, not one from every worker followed by a summary. */
    for (int i = 0; i < njobs; i++) job_net_fits(&jobs[i], d);

    /* Scalars (best_val, nonfinite, seconds) live in the job structs, which are private after
     * fork: ship them back through a second small shared array. */
    double *scal = mmap(NULL, sizeof(double) * 3 * (size_t)njobs, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (scal == MAP_FAILED) bn_die(1, "cannot map shared memory: %s", strerror(errno));
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
                if (i >= njobs) break;
                run_one(&jobs[i], seed, d);
                scal[3 * i] = jobs[i].h.best_val;
                scal[3 * i + 1] = (double)jobs[i].h.nonfinite;
                scal[3 * i + 2] = jobs[i].seconds;
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
    if (bad) bn_progress_stop(&pl); else bn_progress_finish(&pl);
    if (bad) {
        /* a worker died: stop the others' output from being taken as complete */
        bn_die(1, "%d training worker process(es) failed: %s%s", bad, why,
               stopped ? " (the others were stopped)" : "");
    }
    for (int i = 0; i < njobs; i++) {
        jobs[i].h.best_val = scal[3 * i];
        jobs[i].h.nonfinite = (long)scal[3 * i + 1];
        jobs[i].seconds = scal[3 * i + 2];
    }
    munmap(scal, sizeof(double) * 3 * (size_t)njobs);
    return shared;
}

void bn_shared_release(bn_shared *s)
{
    if (s->base) munmap(s->base, s->size);
    s->base = NULL;
}
