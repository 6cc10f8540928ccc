/* error.h - one-line errors, warnings and progress on stderr, and error text for functions that
 * report instead of exiting. */
#ifndef BN_ERROR_H
#define BN_ERROR_H

#include <stddef.h>

/* Program name used as the prefix of every error line. */
extern const char *bn_progname;
/* Quiet flag: when set, progress lines are suppressed (errors never are). */
extern int bn_quiet;

/* Verbose flag (-v): detail lines such as each training's per-epoch line are shown only when set. */
extern int bn_verbose;

/* Print "prog: message" on stderr, remove open temporary output files, exit with `status`. */
void bn_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Print "prog: message" on stderr (a warning; execution continues). */
void bn_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress line on stderr, silenced by bn_quiet. */
void bn_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write a one-line reason into err (for functions that report instead of exiting); returns -1. */
int bn_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* src[0..n) into dst (capacity cap, always NUL-terminated) with every control character
 * written as an escape (\r, \n, \t, \x1b ...), so an echoed value cannot rewrite the
 * terminal line. Returns the length written. */
size_t bn_escape(char *dst, size_t cap, const char *src, size_t n);

/* Called by bn_die before it exits, when set: the output files' module sets it to remove its
 * temporary files (so error.c depends on no other module). */
extern void (*bn_die_cleanup)(void);

#endif
