/* error.c - see error.h. */
#define _POSIX_C_SOURCE 200809L
#include "error.h"
#include "outfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *bn_progname = "bnlab";
int bn_quiet = 0;
int bn_verbose = 0;

/* "prog: message\n" written with one write(), so lines from worker processes never interleave. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    char line[2048];
    int n = prefix ? snprintf(line, sizeof line, "%s: ", prefix) : 0;
    if (n < 0) n = 0;
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    size_t len = m < 0 ? (size_t)n : (size_t)n + (size_t)m;
    if (len > sizeof line - 2) len = sizeof line - 2;
    line[len++] = '\n';
    if (write(STDERR_FILENO, line, len) < 0) { /* nothing left to report to */ }
}

void bn_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(bn_progname, fmt, ap);
    va_end(ap);
    bn_out_abort_all();
    exit(status);
}

void bn_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(bn_progname, fmt, ap);
    va_end(ap);
}

void bn_progress(const char *fmt, ...)
{
    if (bn_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

int bn_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
