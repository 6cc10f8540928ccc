/* version.h - the program version and the git commit it was built from. */
#ifndef BN_VERSION_H
#define BN_VERSION_H

/* Defined in version.c, the only file compiled with the commit (-DBN_COMMIT), so that a new
 * commit rebuilds that one object and nothing an experiment's result depends on. */
extern const char bn_version[];
extern const char bn_commit[];

#endif
