/* readfile.h - a whole regular file into memory: the one reader for data files, templates,
 * stylesheets and dataset batches. */
#ifndef BN_READFILE_H
#define BN_READFILE_H

#include <stddef.h>

/* The file's bytes, NUL-terminated (the NUL not counted in *len); NULL with "<path>: problem"
 * in err if it cannot be read. A file that is not a regular file (a folder, a FIFO, a device)
 * is refused before it is opened, so a reader never blocks on one. */
char *bn_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* The same for a file that must be a regular file of at most max_bytes (what: what it should be,
 * for the message: "a CIFAR-10 batch"), and that fits in memory. */
char *bn_read_file_max(const char *path, unsigned long long max_bytes, const char *what, size_t *len, char *err,
                       size_t errlen);

/* True if dir/name is a regular file (never opened: a FIFO cannot block). */
int bn_is_file(const char *dir, const char *name);

#endif
