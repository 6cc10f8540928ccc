/* version.h - what --version prints: the release and the git commit the program was built from. */
#ifndef BN_VERSION_H
#define BN_VERSION_H

/* Defined in version.c, the only file compiled with the version and the commit (-D from the
 * Makefile), so that a new commit rebuilds that one object and nothing a result depends on. */
extern const char bn_version[];
extern const char bn_commit[];

/* Print "PROG (bnlab) VERSION, commit COMMIT" on stdout. */
void bn_print_version(const char *prog);

#endif
