/* guard.c - see guard.h. */
#define _GNU_SOURCE   /* sigabbrev_np */
#include "guard.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

void bn_guard_stdfds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        /* open() returns the lowest free descriptor: this one */
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n != fd) {
            /* no stderr to report on, perhaps: the exit status has to say it */
            if (n >= 0) close(n);
            _exit(1);
        }
    }
}

/* A "Key:   123 kB" line of a /proc file, in bytes; -1 if absent. */
static long long proc_kb(const char *file, const char *key)
{
    FILE *f = fopen(file, "r");
    if (!f) return -1;
    char line[256];
    size_t k = strlen(key);
    long long v = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, k) && line[k] == ':') {
            v = strtoll(line + k + 1, NULL, 10) * 1024;
            break;
        }
    fclose(f);
    return v;
}

int bn_mem_room(size_t bytes, int physical, char *why, size_t n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        long long mapped = proc_kb("/proc/self/status", "VmSize");
        long long left = mapped < 0 ? (long long)rl.rlim_cur : (long long)rl.rlim_cur - mapped;
        if (left < 0) left = 0;
        if ((long long)bytes > left)
            return bn_errf(why, n, "the address-space limit (ulimit -v %llu kB) leaves %lld MB",
                           (unsigned long long)rl.rlim_cur / 1024, left >> 20);
    }
    if (physical) {
        long long avail = proc_kb("/proc/meminfo", "MemAvailable");
        if (avail >= 0 && (long long)bytes > avail)
            return bn_errf(why, n, "the machine has %lld MB available", avail >> 20);
    }
    return 0;
}

void bn_mem_check(size_t bytes, const char *what)
{
    char why[160];
    if (bn_mem_room(bytes, 1, why, sizeof why))
        bn_die(1, "out of memory: %s needs %zu MB, but %s", what, (bytes + (1 << 20) - 1) >> 20, why);
}

void bn_mem_check_at(size_t bytes, const char *file, int line)
{
    char why[160];
    if (bn_mem_room(bytes, 1, why, sizeof why))
        bn_die(1, "out of memory allocating %zu bytes at %s:%d: %s", bytes, file, line, why);
}

int bn_check_regular(const char *path, unsigned long long max_bytes, const char *what, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) return bn_errf(err, errlen, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return bn_errf(err, errlen, "%s: not a regular file", path);
    if ((unsigned long long)st.st_size > max_bytes)
        return bn_errf(err, errlen, "%s: %llu bytes, too large for %s (at most %llu)", path,
                       (unsigned long long)st.st_size, what, max_bytes);
    return 0;
}

const char *bn_signame(int sig)
{
    const char *s = sigabbrev_np(sig);
    return s ? s : "UNKNOWN";
}

void bn_remove_done(const char *dir, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (unlink(path) == 0 || errno == ENOENT) return;
    if (errno == EISDIR) bn_die(1, "cannot write %s: a folder of that name is in the way", path);
    bn_die(1, "cannot remove old %s: %s", path, strerror(errno));
}
