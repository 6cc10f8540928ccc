/* main_bnreport.c - renders the report: fills the Markdown template from a run folder's data
 * files (src/render.c), converts it with cmark-gfm and writes one self-contained HTML page
 * with a table of contents. Figures are checked, not drawn: gnuplot made them beforehand. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"
#include "render.h"
#include "guard.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bnreport --run DIR --template FILE --style FILE --out FILE\n"
        "  --run DIR        run folder holding the data files (*.tsv) the template reads\n"
        "  --template FILE  Markdown template with {{...}} placeholders (syntax: its header comment)\n"
        "  --style FILE     stylesheet embedded in the page\n"
        "  --out FILE       HTML page to write; the figures it shows must already be in its folder\n"
        "  -h, --help       this text\n");
}

/* Whole file into memory (NUL-terminated); fatal error naming it on failure. */
static char *read_file(const char *path, size_t *len)
{
    char err[1200];
    char *buf = bn_read_file(path, len, err, sizeof err);
    if (!buf) bn_die(1, "cannot read %s", err);
    return buf;
}

/* Data files of the run folder, loaded the first time a placeholder names them. */
typedef struct {
    const char *dir;
    bn_tsv **tabs;      /* each its own allocation, so pointers handed out stay valid */
    int n, cap;
} run_tables;

static const bn_tsv *load_table(void *ctx, const char *name, char *err, size_t errlen)
{
    run_tables *rt = ctx;
    for (int i = 0; i < rt->n; i++)
        if (!strcmp(rt->tabs[i]->name, name)) return rt->tabs[i];
    /* only plain .tsv names: a template must not reach outside the run folder */
    size_t L = strlen(name);
    int ok = L > 4 && L < 200 && name[0] != '.' && !strcmp(name + L - 4, ".tsv");
    for (const char *p = name; ok && *p; p++) ok = isalnum((unsigned char)*p) || strchr("._-", *p);
    if (!ok) {
        snprintf(err, errlen, "'%s' is not a data file name (FILE.tsv in the run folder)", name);
        return NULL;
    }
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", rt->dir, name);
    size_t len;
    char why[300];
    char *text = bn_read_file(path, &len, why, sizeof why);
    if (!text) {
        snprintf(err, errlen, "cannot read %s", why);
        return NULL;
    }
    bn_tsv *t = bn_malloc(sizeof *t);
    int rc = bn_tsv_parse(t, name, text, len, why, sizeof why);
    free(text);
    if (rc) {
        free(t);
        snprintf(err, errlen, "%s: %s", path, why);
        return NULL;
    }
    if (rt->n == rt->cap) {
        int cap = rt->cap ? rt->cap * 2 : 16;
        bn_tsv **p = bn_malloc(sizeof(bn_tsv *) * (size_t)cap);
        if (rt->n) memcpy(p, rt->tabs, sizeof(bn_tsv *) * (size_t)rt->n);
        free(rt->tabs);
        rt->tabs = p;
        rt->cap = cap;
    }
    rt->tabs[rt->n++] = t;
    return t;
}

/* Plain text of a node's descendants (headings' words for the contents and ids). */
static void node_text(cmark_node *n, bn_buf *out)
{
    for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
        cmark_node_type ty = cmark_node_get_type(k);
        if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE) bn_buf_puts(out, cmark_node_get_literal(k));
        else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK) bn_buf_puts(out, " ");
        else node_text(k, out);
    }
}

static void put_html_text(bn_buf *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '&') bn_buf_puts(out, "&amp;");
        else if (*s == '<') bn_buf_puts(out, "&lt;");
        else if (*s == '>') bn_buf_puts(out, "&gt;");
        else if (*s == '"') bn_buf_puts(out, "&quot;");
        else bn_buf_append(out, s, 1);
    }
}

#define MAX_HEADINGS 256

typedef struct {
    cmark_node *node;
    int level;
    char id[96];
    bn_buf text;
} heading;

/* An id from the words: lowercase letters and digits joined by single hyphens, unique. */
static void make_id(heading *h, const heading *prev, int nprev)
{
    size_t k = 0;
    int dash = 0;
    for (const char *p = h->text.s ? h->text.s : ""; *p && k + 8 < sizeof h->id; p++) {
        if (isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80)) {
            if (dash && k) h->id[k++] = '-';
            h->id[k++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else {
            dash = 1;
        }
    }
    h->id[k] = '\0';
    if (!k) snprintf(h->id, sizeof h->id, "section");
    char base[96];
    snprintf(base, sizeof base, "%s", h->id);
    for (int n = 2;; n++) {
        int clash = 0;
        for (int i = 0; i < nprev; i++) clash |= !strcmp(prev[i].id, h->id);
        if (!clash) break;
        snprintf(h->id, sizeof h->id, "%.80s-%d", base, n);
    }
}

/* A figure the page shows must be a non-empty file beside it (an SVG that says so). */
static void check_figure(const char *tmpl_path, const char *outdir, const char *url)
{
    if (!*url || url[0] == '/' || strstr(url, "://") || strstr(url, "..") || strchr(url, '\\'))
        bn_die(1, "%s: figure '%s': must be a file name in the report folder", tmpl_path, url);
    char path[4400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", outdir, url);
    if (stat(path, &st) != 0) bn_die(1, "%s: figure %s: %s (draw the figures first: make figures)", tmpl_path, path, strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_size == 0) bn_die(1, "%s: figure %s: empty or not a file", tmpl_path, path);
    size_t L = strlen(url);
    if (L > 4 && !strcmp(url + L - 4, ".svg")) {
        char head[1025];
        FILE *f = fopen(path, "rb");
        if (!f) bn_die(1, "%s: figure %s: %s", tmpl_path, path, strerror(errno));
        size_t n = fread(head, 1, sizeof head - 1, f);
        fclose(f);
        head[n] = '\0';
        if (!strstr(head, "<svg")) bn_die(1, "%s: figure %s: not an SVG file (no <svg> in its first kilobyte)", tmpl_path, path);
    }
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();
    bn_progname = "bnreport";
    const char *run = NULL, *tmpl_path = NULL, *style_path = NULL, *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        const char **dst = !strcmp(a, "--run") ? &run : !strcmp(a, "--template") ? &tmpl_path
                         : !strcmp(a, "--style") ? &style_path : !strcmp(a, "--out") ? &out_path : NULL;
        if (!dst) bn_die(2, "unknown argument '%s' (see bnreport --help)", a);
        if (i + 1 >= argc || !*argv[i + 1]) bn_die(2, "option %s needs a value", a);
        *dst = argv[++i];
    }
    if (!run || !tmpl_path || !style_path || !out_path)
        bn_die(2, "--run, --template, --style and --out are all required (see bnreport --help)");

    /* 1. Fill the template from the run's data files. */
    size_t tlen, slen;
    char *tmpl = read_file(tmpl_path, &tlen), *style = read_file(style_path, &slen);
    run_tables rt = {run, NULL, 0, 0};
    bn_lookup lk = {load_table, &rt, NULL, NULL, 0, 1};
    bn_buf md = {0};
    char err[1024];
    if (bn_render(tmpl, tlen, &lk, &md, err, sizeof err)) bn_die(1, "%s: %s", tmpl_path, err);

    /* 2. Markdown to a tree: GFM tables, raw HTML kept (the value annotations are spans). */
    int opts = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
    cmark_gfm_core_extensions_ensure_registered();
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!table) bn_die(1, "cmark-gfm has no table extension");
    cmark_parser *parser = cmark_parser_new(opts);
    cmark_parser_attach_syntax_extension(parser, table);
    cmark_parser_feed(parser, md.s, md.len);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);

    /* 3. Headings get ids (sections of level 2 make the contents); figures must exist beside the page. */
    char outdir[4096], *slash;
    snprintf(outdir, sizeof outdir, "%s", out_path);
    slash = strrchr(outdir, '/');
    const char *base = out_path;
    if (slash) { *slash = '\0'; base = slash + 1; } else snprintf(outdir, sizeof outdir, ".");
    if (!*base) bn_die(2, "--out %s: not a file name", out_path);

    static heading hs[MAX_HEADINGS];
    int nh = 0;
    bn_buf title = {0};
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (cmark_node_get_type(n) == CMARK_NODE_IMAGE) check_figure(tmpl_path, outdir, cmark_node_get_url(n));
        if (cmark_node_get_type(n) != CMARK_NODE_HEADING) continue;
        int level = cmark_node_get_heading_level(n);
        if (level == 1 && !title.len) node_text(n, &title);
        if (level != 2 && level != 3) continue;
        if (nh == MAX_HEADINGS) bn_die(1, "%s: more than %d section headings", tmpl_path, MAX_HEADINGS);
        heading *h = &hs[nh];
        h->node = n;
        h->level = level;
        node_text(n, &h->text);
        make_id(h, hs, nh);
        nh++;
    }
    cmark_iter_free(it);
    if (!title.len) bn_die(1, "%s: no level-1 heading to title the page", tmpl_path);
    for (int i = 0; i < nh; i++) {
        /* an empty anchor as the heading's first child: cmark's renderer gives headings no ids */
        char a[160];
        snprintf(a, sizeof a, "<span class=\"anchor\" id=\"%s\"></span>", hs[i].id);
        cmark_node *span = cmark_node_new(CMARK_NODE_HTML_INLINE);
        cmark_node_set_literal(span, a);
        cmark_node_prepend_child(hs[i].node, span);
    }

    /* 4. The page: contents before the first section, every block rendered in turn. */
    bn_mkdir_p(outdir);
    bn_out o;
    bn_out_open(&o, outdir, base);
    bn_buf head = {0};
    bn_buf_puts(&head, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"bnreport\">\n<title>");
    put_html_text(&head, title.s);
    bn_buf_puts(&head, "</title>\n<style>\n");
    bn_out_printf(&o, "%s%s</style>\n</head>\n<body>\n<main>\n", head.s, style);
    int toc_done = 0;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        if (!toc_done && cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2) {
            bn_out_printf(&o, "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n");
            for (int i = 0; i < nh; i++) {
                if (hs[i].level != 2) continue;
                bn_buf li = {0};
                put_html_text(&li, hs[i].text.s ? hs[i].text.s : "");
                bn_out_printf(&o, "<li><a href=\"#%s\">%s</a></li>\n", hs[i].id, li.s ? li.s : "");
                bn_buf_free(&li);
            }
            bn_out_printf(&o, "</ol>\n</nav>\n");
            toc_done = 1;
        }
        char *html = cmark_render_html(n, opts, exts);
        bn_out_printf(&o, "%s", html);
        free(html);
    }
    bn_out_printf(&o, "</main>\n</body>\n</html>\n");
    bn_out_commit(&o);
    bn_progress("bnreport: wrote %s", o.path);

    for (int i = 0; i < nh; i++) bn_buf_free(&hs[i].text);
    bn_buf_free(&head);
    bn_buf_free(&title);
    bn_buf_free(&md);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    for (int i = 0; i < rt.n; i++) {
        bn_tsv_free(rt.tabs[i]);
        free(rt.tabs[i]);
    }
    free(rt.tabs);
    free(tmpl);
    free(style);
    return 0;
}
