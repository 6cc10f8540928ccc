/* error.c - see error.h. */
#define _POSIX_C_SOURCE 200809L
#include "error.h"

#include <stdarg.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

const char *bn_progname = "bnlab";
int bn_quiet = 0;
int bn_verbose = 0;
void (*bn_die_cleanup)(void) = NULL;

/* "prog: message\n" written with one write(), so lines from worker processes never interleave. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
    char line[2048], raw[2048];
    int n = prefix ? snprintf(line, sizeof line, "%s: ", prefix) : 0;
    if (n < 0) n = 0;
    int m = vsnprintf(raw, sizeof raw, fmt, ap);
    /* values echoed in the message may hold control characters: escaped, never sent raw */
    size_t len = (size_t)n + bn_escape(line + n, sizeof line - 1 - (size_t)n, raw, m < 0 ? 0 : strnlen(raw, sizeof raw));
    line[len++] = '\n';
    if (write(STDERR_FILENO, line, len) < 0) { /* nothing left to report to */ }
}

void bn_die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(bn_progname, fmt, ap);
    va_end(ap);
    if (bn_die_cleanup) bn_die_cleanup();
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

size_t bn_escape(char *dst, size_t cap, const char *src, size_t n)
{
    size_t k = 0;
    if (!cap) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        char e[8];
        if (c >= 0x20 && c != 0x7f) { e[0] = (char)c; e[1] = '\0'; }
        else if (c == '\r') strcpy(e, "\\r");
        else if (c == '\n') strcpy(e, "\\n");
        else if (c == '\t') strcpy(e, "\\t");
        else snprintf(e, sizeof e, "\\x%02x", c);
        size_t el = strlen(e);
        if (k + el >= cap) break;
        memcpy(dst + k, e, el);
        k += el;
    }
    dst[k] = '\0';
    return k;
}
