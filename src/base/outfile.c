/* outfile.c - see outfile.h. */
#define _POSIX_C_SOURCE 200809L
#include "outfile.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Open temporary files, so that a fatal error or a signal can remove them. */
#define BN_MAX_OPEN 16
static bn_out *open_outs[BN_MAX_OPEN];

static void track(bn_out *o, int add)
{
    bn_die_cleanup = bn_out_abort_all;
    for (int i = 0; i < BN_MAX_OPEN; i++) {
        if (add && !open_outs[i]) { open_outs[i] = o; return; }
        if (!add && open_outs[i] == o) { open_outs[i] = NULL; return; }
    }
    if (add) bn_die(1, "too many output files open at once (limit %d)", BN_MAX_OPEN);
}

void bn_out_abort_all(void)
{
    for (int i = 0; i < BN_MAX_OPEN; i++) {
        if (open_outs[i]) {
            unlink(open_outs[i]->tmp);
            open_outs[i] = NULL;
        }
    }
}

void bn_out_open(bn_out *o, const char *dir, const char *name)
{
    int n = snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof o->path) bn_die(1, "output path too long: %s/%s", dir, name);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", o->path, (long)getpid());
    /* Tracked before it exists: a signal arriving just after fopen must still find it to remove. */
    track(o, 1);
    o->f = fopen(o->tmp, "w");
    if (!o->f) bn_die(1, "cannot write %s: %s", o->tmp, strerror(errno));
}

void bn_out_printf(bn_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(o->f, fmt, ap);
    va_end(ap);
    if (r < 0) bn_die(1, "cannot write %s: %s", o->path, strerror(errno));
}

void bn_out_commit(bn_out *o)
{
    /* A full disk may only show at the flush, the fsync (delayed allocation, network file
     * systems) or the close; each is checked, with the errno of the call that failed. */
    int e = 0;
    if (ferror(o->f)) e = EIO;
    else if (fflush(o->f) != 0) e = errno;
    else if (fsync(fileno(o->f)) != 0 && errno != EINVAL) e = errno;   /* EINVAL: cannot sync, not an error */
    if (fclose(o->f) != 0 && !e) e = errno;
    o->f = NULL;
    if (e) bn_die(1, "cannot write %s: %s", o->path, strerror(e));
    if (rename(o->tmp, o->path) != 0) {
        e = errno;
        if (e == EISDIR) bn_die(1, "cannot write %s: a folder of that name is in the way", o->path);
        bn_die(1, "cannot rename %s to %s: %s", o->tmp, o->path, strerror(e));
    }
    track(o, 0);
}

void bn_mkdir_p(const char *dir)
{
    char buf[4096];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof buf) bn_die(1, "bad output folder '%s'", dir);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST)
                bn_die(1, "cannot create folder %s: %s", buf, strerror(errno));
            buf[i] = c;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) bn_die(1, "output folder %s is not a folder", dir);
    /* access() judges by permission bits alone and misses root-squashed NFS, ACL or security-module
     * denials and immutable folders, so a file is really created: an unwritable folder is reported
     * now, not after hours of training. */
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/.bnlab-probe.%ld", dir, (long)getpid());
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) bn_die(1, "output folder %s is not writable: %s", dir, strerror(errno));
    close(fd);
    unlink(probe);
}

void bn_remove_stale_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        /* "<name>.tmp.<pid>" left by a process killed outright (SIGKILL, power loss) */
        const char *t = strstr(e->d_name, ".tmp.");
        if (!t) continue;
        char *end;
        long pid = strtol(t + 5, &end, 10);
        if (*end || pid <= 0) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;   /* its writer is still alive */
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}
