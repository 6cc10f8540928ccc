/* progress.c - see progress.h. */
#define _POSIX_C_SOURCE 200809L
#include "progress.h"
#include "error.h"
#include "timing.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static void hms(char *buf, size_t n, double s)
{
    long t = s < 0 ? 0 : (long)(s + 0.5);
    snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t % 3600 / 60, t % 60);
}

void bn_progress_format(char *buf, unsigned long n, const char *name, long done, long total, double elapsed)
{
    char el[32], left[32] = "?";
    hms(el, sizeof el, elapsed);
    /* time left = elapsed x (trainings left / trainings done), once one is done */
    if (done > 0) hms(left, sizeof left, elapsed * (double)(total - done) / (double)done);
    snprintf(buf, n, "%s: %ld/%ld trainings done, elapsed %s, left ~%s", name, done, total, el, left);
}

/* One write() per line, so lines from other processes never split it. */
static void emit(bn_progress_line *p, int final)
{
    char text[256], line[300];
    double now = bn_now();
    bn_progress_format(text, sizeof text, p->name, p->done, p->total, now - p->t0);
    int n = p->tty ? snprintf(line, sizeof line, "\r%s\033[K%s", text, final ? "\n" : "")
                   : snprintf(line, sizeof line, "%s\n", text);
    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0) { /* nothing left to report to */ }
    p->last = now;
    p->shown = 1;
}

void bn_progress_start(bn_progress_line *p, const char *name, long total)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->total = total;
    p->t0 = p->last = bn_now();
    p->tty = isatty(STDERR_FILENO);
    if (!bn_quiet && p->tty) emit(p, 0);
}

void bn_progress_update(bn_progress_line *p, long done)
{
    if (done > p->total) done = p->total;
    int changed = done != p->done;
    p->done = done;
    if (bn_quiet || done >= p->total) return;   /* the final line is bn_progress_finish's */
    if (p->tty) emit(p, 0);
    else if (changed && bn_now() - p->last >= BN_PROGRESS_EVERY) emit(p, 0);
}

void bn_progress_finish(bn_progress_line *p)
{
    p->done = p->total;
    if (!bn_quiet) emit(p, 1);
}

void bn_progress_stop(bn_progress_line *p)
{
    if (!bn_quiet && p->tty && p->shown && write(STDERR_FILENO, "\n", 1) < 0) { /* nothing to report to */ }
}

static void on_tick(int sig) { (void)sig; }

void bn_progress_ticker(double seconds)
{
    struct itimerval it;
    memset(&it, 0, sizeof it);
    if (seconds > 0) {
        /* no SA_RESTART: the signal ends the parent's waitpid() with EINTR */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_tick;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
        long us = (long)(seconds * 1e6);
        it.it_interval.tv_sec = it.it_value.tv_sec = us / 1000000;
        it.it_interval.tv_usec = it.it_value.tv_usec = us % 1000000;
    }
    setitimer(ITIMER_REAL, &it, NULL);
}
