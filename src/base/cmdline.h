/* cmdline.h - getopt_long's error cases turned into bnlab's one-line messages, shared by the
 * programs' command lines. */
#ifndef BN_CMDLINE_H
#define BN_CMDLINE_H

#include <getopt.h>

/* Call with the value getopt_long returned when it is '?' or ':' (optstring starting with ':'):
 * exits with status 2 and "unknown option X" or "option --NAME needs a value"; `hint` is appended
 * (e.g. " (see bnagg --help)"). */
void bn_opt_fail(int c, char **argv, const struct option *longopts, const char *hint) __attribute__((noreturn));

/* A value given as --opt= (empty) is refused like a missing one. */
void bn_opt_nonempty(const char *arg, int c, const struct option *longopts);

#endif
