/* excerpt.c - see excerpt.h. The tools do the parsing and the colouring: ctags gives each
 * function's first and last line (--fields=+ne), source-highlight the HTML. */
#define _POSIX_C_SOURCE 200809L
#include "excerpt.h"
#include "common.h"
#include "tsv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define FOLD_LINES 30   /* longer excerpts start folded */
/* the comment that marks a line as make bench's instrumentation, not the computation */
#define BENCH_MARK "/* bench */"

/* ctags' output for srcdir, made once per process. */
static char *tags_text;
static char tags_dir[1024];

static int safe_path(const char *s)
{
    if (!*s || strlen(s) >= sizeof tags_dir) return 0;
    for (; *s; s++) if (!isalnum((unsigned char)*s) && !strchr("._/-+", *s)) return 0;
    return 1;
}

/* All of a program's standard output, or NULL if it could not run or exited non-zero. argv
 * goes to the program word by word (no shell reads it, so no path can become a command); its
 * standard error is discarded. */
static char *run_argv(char *const argv[])
{
    int fd[2];
    if (pipe(fd)) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc) {
        close(fd[0]);
        return NULL;
    }
    bn_buf b = {0};
    char chunk[8192];
    ssize_t n;
    while ((n = read(fd[0], chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        bn_buf_append(&b, chunk, (size_t)n);
    }
    close(fd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) { st = -1; break; }
    if (n < 0 || st == -1 || !WIFEXITED(st) || WEXITSTATUS(st)) { bn_buf_free(&b); return NULL; }
    if (!b.s) bn_buf_puts(&b, "");
    return b.s;
}

static int load_tags(const char *srcdir, char *err, size_t errlen)
{
    if (tags_text && !strcmp(tags_dir, srcdir)) return 0;
    if (!safe_path(srcdir)) { snprintf(err, errlen, "source folder '%s': letters, digits and . _ / - + only", srcdir); return -1; }
    /* ctags and source-highlight write temporary files in TMPDIR (else /tmp): one that cannot be
     * written there is named as such, not as a missing tool */
    const char *td = getenv("TMPDIR");
    int from_env = td && *td;
    if (!from_env) td = "/tmp";
    if (access(td, W_OK | X_OK)) {
        snprintf(err, errlen, "code excerpts: cannot create a temporary file in %.600s (%s): %s", td,
                 from_env ? "TMPDIR" : "TMPDIR unset", strerror(errno));
        return -1;
    }
    /* the layers, net, optimiser and solver are written once for both dtypes in *_impl.h, each
     * function named BN_FN(name) (real.h): ctags reads those headers as C with BN_FN(x) as x */
    /* the programs' mains at the top of srcdir, the library one folder down, by layer */
    static const char *const pats[] = {"%s/*.c", "%s/*/*.c", "%s/*/*_impl.h"};
    enum { NPATS = sizeof pats / sizeof *pats };
    glob_t g;
    int gc = GLOB_NOMATCH;
    for (int k = 0; k < NPATS && (gc == 0 || gc == GLOB_NOMATCH); k++) {
        char pat[1100];
        snprintf(pat, sizeof pat, pats[k], srcdir);
        gc = glob(pat, k ? GLOB_APPEND : 0, NULL, &g);
    }
    free(tags_text);
    tags_text = NULL;
    if (gc == 0 || gc == GLOB_NOMATCH) {
        const char *head[] = {"ctags", "--fields=+ne", "--kinds-C=f", "--output-format=u-ctags", "-D", "BN_FN(x)=x",
                              "--langmap=C:+.h", "-o", "-"};
        size_t nh = sizeof head / sizeof *head;
        char **argv = bn_malloc(sizeof(char *) * (nh + g.gl_pathc + 1));
        for (size_t i = 0; i < nh; i++) argv[i] = (char *)head[i];
        for (size_t i = 0; i < g.gl_pathc; i++) argv[nh + i] = g.gl_pathv[i];
        argv[nh + g.gl_pathc] = NULL;
        if (g.gl_pathc) tags_text = run_argv(argv);
        free(argv);
    }
    if (gc == 0 || gc == GLOB_NOMATCH) globfree(&g);
    if (!tags_text || !*tags_text) {
        snprintf(err, errlen, "Universal Ctags found no C functions in %s (*.c, *_impl.h; is universal-ctags installed? scripts/deps.sh report)", srcdir);
        return -1;
    }
    snprintf(tags_dir, sizeof tags_dir, "%s", srcdir);
    return 0;
}

int bn_excerpt_line(const char *line, size_t len, char *name, size_t namelen)
{
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\r')) len--;
    if (len < 11 || strncmp(line, "{{code(", 7) || strncmp(line + len - 3, ")}}", 3)) return 0;
    size_t n = len - 10;
    if (n == 0 || n >= namelen) return 0;
    for (size_t i = 0; i < n; i++) if (!isalnum((unsigned char)line[7 + i]) && line[7 + i] != '_') return 0;
    memcpy(name, line + 7, n);
    name[n] = '\0';
    return 1;
}

/* A line of the comment block (or attribute) right above a function. */
static int is_comment_line(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) { s++; n--; }
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (!n) return 0;
    return !strncmp(s, "/*", 2) || *s == '*' || !strncmp(s, "//", 2) || (n >= 2 && !strncmp(s + n - 2, "*/", 2))
        || !strncmp(s, "__attribute__", 13);   /* an attribute line belongs to the function below it */
}

int bn_excerpt(const char *srcdir, const char *name, const char *link_base, bn_buf *out, char *err, size_t errlen)
{
    if (load_tags(srcdir, err, errlen)) return -1;
    /* name<TAB>file<TAB>pattern;"<TAB>f<TAB>line:N ... end:M */
    char file[1024] = "";
    long first = 0, last = 0;
    int found = 0;
    size_t nl = strlen(name);
    for (const char *p = tags_text; *p;) {
        const char *e = strchr(p, '\n');
        size_t L = e ? (size_t)(e - p) : strlen(p);
        if (L > nl && !strncmp(p, name, nl) && p[nl] == '\t' && p[0] != '!') {
            char line[4096];
            snprintf(line, sizeof line, "%.*s", (int)(L < sizeof line ? L : sizeof line - 1), p);
            char *f2 = line + nl + 1, *tab = strchr(f2, '\t');
            const char *ext = strstr(line, ";\"\t");
            if (tab && ext) {
                *tab = '\0';
                const char *ln = strstr(ext, "\tline:"), *en = strstr(ext, "\tend:");
                if (ln && en) {
                    if (found++) {
                        snprintf(err, errlen, "code(%s): function %s is defined twice (%s and %s)", name, name, file, f2);
                        return -1;
                    }
                    snprintf(file, sizeof file, "%s", f2);
                    first = atol(ln + 6);
                    last = atol(en + 5);
                }
            }
        }
        p += L + (e ? 1 : 0);
    }
    if (!found) {
        snprintf(err, errlen, "code(%s): no function %s in %s (*.c, *_impl.h; renamed or deleted? update the template)", name, name, srcdir);
        return -1;
    }

    size_t flen;
    char why[600];
    char *text = bn_read_file(file, &flen, why, sizeof why);
    if (!text) { snprintf(err, errlen, "code(%s): cannot read %s", name, why); return -1; }
    /* line starts */
    long nlines = 0;
    for (size_t i = 0; i < flen; i++) if (text[i] == '\n') nlines++;
    const char **ls = bn_malloc(sizeof(char *) * (size_t)(nlines + 2));
    long k = 0;
    ls[k++] = text;
    for (size_t i = 0; i < flen; i++) if (text[i] == '\n') ls[k++] = text + i + 1;
    if (first < 1 || last < first || last > k - 1 + (text[flen ? flen - 1 : 0] != '\n')) {
        free(ls);
        free(text);
        snprintf(err, errlen, "code(%s): ctags gave lines %ld-%ld of %s, which has %ld", name, first, last, file, nlines);
        return -1;
    }
    /* the comment block right above the function says what it does: keep it (and any attribute) */
    long from = first;
    while (from > 1 && is_comment_line(ls[from - 2], (size_t)(ls[from - 1] - ls[from - 2]))) from--;
    const char *a = ls[from - 1], *b = last < k ? ls[last] : text + flen;

    /* the excerpt goes to source-highlight through a temporary file in TMPDIR (else /tmp) */
    const char *td = getenv("TMPDIR");
    if (!td || !*td) td = "/tmp";
    char tmp[1200];
    if (snprintf(tmp, sizeof tmp, "%s/bnreport-excerpt-XXXXXX", td) >= (int)sizeof tmp) {
        free(ls);
        free(text);
        snprintf(err, errlen, "code(%s): TMPDIR=%.200s: path too long for a temporary file", name, td);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(ls);
        free(text);
        snprintf(err, errlen, "code(%s): cannot create a temporary file in %.600s (TMPDIR): %s", name, td, strerror(e));
        return -1;
    }
    /* lines marked with the comment BENCH_MARK are make bench's clocks (phase timers): they are
     * left out of what the page shows, which says how many */
    long dropped = 0;
    int ok = 1;
    for (const char *l = a; l < b && ok;) {
        const char *nl = memchr(l, '\n', (size_t)(b - l));
        const char *le = nl ? nl + 1 : b;
        size_t ll = (size_t)(le - l);
        char probe[1024];
        size_t pl = ll < sizeof probe - 1 ? ll : sizeof probe - 1;
        memcpy(probe, l, pl);
        probe[pl] = 0;
        if (strstr(probe, BENCH_MARK)) dropped++;
        else ok = write(fd, l, ll) == (ssize_t)ll;
        l = le;
    }
    ok = close(fd) == 0 && ok;
    char *html = NULL;
    if (!ok) {
        int e = errno;
        unlink(tmp);
        free(ls);
        free(text);
        snprintf(err, errlen, "code(%s): cannot write the temporary file %.600s: %s", name, tmp, strerror(e));
        return -1;
    }
    char *argv[] = {"source-highlight", "-s", "c", "-f", "html-css", "-i", tmp, NULL};
    html = run_argv(argv);
    unlink(tmp);
    free(ls);
    free(text);
    char *pre = html ? strstr(html, "<pre><tt>") : NULL, *end = pre ? strstr(pre, "</tt></pre>") : NULL;
    if (!pre || !end) {
        free(html);
        snprintf(err, errlen, "code(%s): GNU source-highlight failed (is it installed? scripts/deps.sh report)", name);
        return -1;
    }
    *end = '\0';
    pre += 9;
    long n = last - from + 1 - dropped;
    char head[2400];
    snprintf(head, sizeof head, "<details class=\"code-excerpt\" id=\"code-%s\"%s>\n<summary><code>%s</code> · ", name,
             n > FOLD_LINES ? "" : " open", name);
    bn_buf_puts(out, head);
    bn_buf_puts(out, "<a class=\"src\" href=\"");
    bn_buf_put_html(out, link_base);
    bn_buf_puts(out, "/");
    bn_buf_put_html(out, file);
    char note[128] = "";
    if (dropped) snprintf(note, sizeof note, "; %ld lines of make bench's clocks left out", dropped);
    snprintf(head, sizeof head, "#L%ld\">%s:%ld</a> <span class=\"lines\">(%ld lines%s%s)</span></summary>\n", first, file, first, n,
             note, n > FOLD_LINES ? "<span class=\"hint\">, click to unfold</span>" : "");
    bn_buf_puts(out, head);
    bn_buf_puts(out, "<pre class=\"code\"><code>");
    bn_buf_puts(out, pre);
    bn_buf_puts(out, "</code></pre>\n</details>\n");
    free(html);
    return 0;
}
