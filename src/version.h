/* version.h - what --version prints: the release and the commit the program was built from. */
#ifndef BN_VERSION_H
#define BN_VERSION_H

#define BN_VERSION "1.0"

/* The git commit of the build ("unknown" outside a git checkout); set by the Makefile. */
const char *bn_commit(void);

/* Print "PROG (bnlab) VERSION, commit COMMIT" on stdout. */
void bn_print_version(const char *prog);

#endif
