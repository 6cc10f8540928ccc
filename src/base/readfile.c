/* readfile.c - see readfile.h. */
#define _POSIX_C_SOURCE 200809L
#include "readfile.h"
#include "alloc.h"
#include "error.h"
#include "guard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *bn_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    /* a file of gigabytes is no text file the tools read */
    return bn_read_file_max(path, (unsigned long long)1 << 30, "a text file the tools read", len, err, errlen);
}

char *bn_read_file_max(const char *path, unsigned long long max_bytes, const char *what, size_t *len, char *err,
                       size_t errlen)
{
    /* a FIFO would block the reader forever: refused before it is opened */
    if (bn_check_regular(path, max_bytes, what, err, errlen)) return NULL;
    struct stat st;
    char why[160];
    if (stat(path, &st) != 0) {
        bn_errf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* the file named, rather than an allocation failure at a line of this file */
    if (bn_mem_room((size_t)st.st_size, 1, why, sizeof why)) {
        bn_errf(err, errlen, "%s: out of memory reading its %lld bytes: %s", path, (long long)st.st_size, why);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        bn_errf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t want = (size_t)st.st_size;
    char *buf = bn_malloc(want + 1);
    size_t got = fread(buf, 1, want, f);
    int bad = ferror(f);
    fclose(f);
    /* a file that shrank while being read is not the file that was measured */
    if (bad || got != want) {
        free(buf);
        bn_errf(err, errlen, "%s: read error (%zu of %zu bytes)", path, got, want);
        return NULL;
    }
    buf[want] = '\0';
    *len = want;
    return buf;
}

int bn_is_file(const char *dir, const char *name)
{
    char p[4200];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}
