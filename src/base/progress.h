/* progress.h - one status line per running experiment: trainings done of total, elapsed, time
 * left. On a terminal the line is rewritten in place (\r, clear to end of line); otherwise it is
 * printed as plain lines, at most one every BN_PROGRESS_EVERY seconds, plus the final one. Only
 * ever on stderr (fd 2), never into a result file; silenced by bn_quiet. */
#ifndef BN_PROGRESS_H
#define BN_PROGRESS_H

#define BN_PROGRESS_EVERY 5.0

typedef struct {
    const char *name;   /* the experiment, e.g. "sweep" */
    long total, done;
    double t0, last;    /* start, time of the last plain line */
    int tty, shown;
} bn_progress_line;

/* Start the line of `total` trainings of experiment `name`. */
void bn_progress_start(bn_progress_line *p, const char *name, long total);
/* `done` trainings are complete: show the line when it is due (always on a terminal). */
void bn_progress_update(bn_progress_line *p, long done);
/* The last line: every training done, with the elapsed time (ends the terminal's line). */
void bn_progress_finish(bn_progress_line *p);

/* Stop without a final line (a failure follows): ends the terminal's line. */
void bn_progress_stop(bn_progress_line *p);

/* A SIGALRM every `seconds` (0: stop) that interrupts the parent's wait for its workers, so the
 * line's elapsed time and time left move while no training completes. */
void bn_progress_ticker(double seconds);

/* The status text itself, for the tests: "NAME: D/T trainings done, elapsed H:MM:SS, left ~H:MM:SS". */
void bn_progress_format(char *buf, unsigned long n, const char *name, long done, long total, double elapsed);

#endif
