/* cmdline.c - see cmdline.h. */
#define _GNU_SOURCE
#include "cmdline.h"
#include "error.h"

#include <stdio.h>
#include <string.h>

/* "--name" of the long option whose short value is c, else "-c". */
static void opt_name(int c, const struct option *longopts, char *buf, size_t n)
{
    for (const struct option *o = longopts; o && o->name; o++)
        if (o->val == c && !o->flag) {
            snprintf(buf, n, "--%s", o->name);
            return;
        }
    snprintf(buf, n, "-%c", c);
}

void bn_opt_fail(int c, char **argv, const struct option *longopts, const char *hint)
{
    char name[128];
    const char *arg = argv[optind - 1];
    if (c == ':') {
        opt_name(optopt, longopts, name, sizeof name);
        bn_die(2, "option %s needs a value%s", name, hint);
    }
    /* an unknown long option leaves optopt 0; an unknown letter of a cluster like -qx is named alone */
    if (optopt && strncmp(arg, "--", 2)) bn_die(2, "unknown option -%c%s", optopt, hint);
    if (optopt && strchr(arg, '=')) {
        opt_name(optopt, longopts, name, sizeof name);
        bn_die(2, "option %s takes no value%s", name, hint);
    }
    char shown[128];
    snprintf(shown, sizeof shown, "%.*s", (int)strcspn(arg, "="), arg);
    bn_die(2, "unknown option %s%s", shown, hint);
}

void bn_opt_nonempty(const char *arg, int c, const struct option *longopts)
{
    char name[128];
    if (arg && *arg) return;
    opt_name(c, longopts, name, sizeof name);
    bn_die(2, "option %s needs a value", name);
}
