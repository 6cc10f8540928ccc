/* common.c - see common.h. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* OpenBLAS's own controls; declared here so that no <cblas.h> sits beside GSL's headers. */
extern void openblas_set_num_threads(int num_threads);
extern char *openblas_get_config(void);
extern char *openblas_get_corename(void);

const char *bn_progname = "bnlab";
int bn_quiet = 0;

void *bn_malloc_at(size_t n, const char *file, int line)
{
    if (n >= BN_MEM_CHECK_MIN) bn_mem_check_at(n, file, line);   /* issue 12: before, not after */
    void *p = malloc(n ? n : 1);
    if (!p) bn_die(1, "out of memory allocating %zu bytes at %s:%d", n, file, line);
    return p;
}

void *bn_calloc_at(size_t count, size_t size, const char *file, int line)
{
    if (size && count >= BN_MEM_CHECK_MIN / size && count <= SIZE_MAX / size) bn_mem_check_at(count * size, file, line);
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) bn_die(1, "out of memory allocating %zu x %zu bytes at %s:%d", count, size, file, line);
    return p;
}

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
    bn_out_abort_all();
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

/* Open temporary files, so that a fatal error or a signal can remove them. */
#define BN_MAX_OPEN 16
static bn_out *open_outs[BN_MAX_OPEN];

static void track(bn_out *o, int add)
{
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

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) { h ^= c[i]; h *= 1099511628211ULL; }
    return h;
}

uint64_t bn_stream_key(unsigned long seed, const char *experiment, long point, const char *stream)
{
    uint64_t h = 14695981039346656037ULL;
    uint64_t s = (uint64_t)seed;
    int64_t pt = (int64_t)point;
    /* Fixed-width little-endian encodings keep the key independent of the platform's long. */
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(s >> (8 * i));
    h = fnv1a(h, b, 8);
    h = fnv1a(h, experiment, strlen(experiment) + 1);
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)((uint64_t)pt >> (8 * i));
    h = fnv1a(h, b, 8);
    h = fnv1a(h, stream, strlen(stream) + 1);
    /* splitmix64 finaliser: spreads nearby keys over the whole range. */
    h += 0x9e3779b97f4a7c15ULL;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

gsl_rng *bn_rng_new(unsigned long seed, const char *experiment, long point, const char *stream)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) bn_die(1, "out of memory allocating a GSL generator");
    /* mt19937 takes a 32-bit seed; fold the 64-bit key so both halves count. */
    uint64_t k = bn_stream_key(seed, experiment, point, stream);
    unsigned long s32 = (unsigned long)((k ^ (k >> 32)) & 0xffffffffUL);
    gsl_rng_set(r, s32 ? s32 : 4357UL);
    return r;
}

double bn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void bn_fmt(char *buf, size_t n, double v)
{
    if (isnan(v)) { snprintf(buf, n, "nan"); return; }
    if (isinf(v)) { snprintf(buf, n, v > 0 ? "inf" : "-inf"); return; }
    if (v == floor(v) && fabs(v) < 1e15) { snprintf(buf, n, "%.0f", v); return; }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

void bn_blas_single_thread(void) { openblas_set_num_threads(1); }
const char *bn_blas_config(void) { return openblas_get_config(); }
const char *bn_blas_corename(void) { return openblas_get_corename(); }

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

char *bn_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    /* a FIFO would block the reader forever; a file of gigabytes is no data file */
    if (bn_check_regular(path, (unsigned long long)1 << 30, "a text file the tools read", err, errlen)) return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = bn_malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            char *p = bn_malloc(cap * 2);
            memcpy(p, buf, n);
            free(buf);
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error: %s", path, strerror(e ? e : EIO));
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int bn_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}
