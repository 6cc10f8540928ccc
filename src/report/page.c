/* page.c - see page.h. The template is filled first (render.c), so a data file's problem is
 * reported before any figure's; the page is composed in memory and written only when whole. */
#define _POSIX_C_SOURCE 200809L
#include "page.h"

#include "alloc.h"
#include "error.h"
#include "excerpt.h"
#include "outfile.h"
#include "readfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

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
    /* only plain .tsv names, in the run folder or in its report/ folder (where the files about
     * the page itself go, such as the noise it judges by): a template must not reach further */
    const char *base = strncmp(name, "report/", 7) ? name : name + 7;
    size_t L = strlen(base);
    int ok = L > 4 && L < 200 && base[0] != '.' && !strcmp(base + L - 4, ".tsv");
    for (const char *p = base; ok && *p; p++) ok = isalnum((unsigned char)*p) || strchr("._-", *p);
    if (!ok) {
        snprintf(err, errlen, "'%s' is not a data file name (FILE.tsv or report/FILE.tsv in the run folder)", name);
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

static void free_tables(run_tables *rt)
{
    for (int i = 0; i < rt->n; i++) {
        bn_tsv_free(rt->tabs[i]);
        free(rt->tabs[i]);
    }
    free(rt->tabs);
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

#define MAX_HEADINGS 256

typedef struct {
    cmark_node *node;
    int level;
    char id[96];
    bn_buf text;
} heading;

/* A heading ending in {#ID} (letters, digits, - _) takes that id; the braces leave the text. */
static int explicit_id(heading *h)
{
    cmark_node *last = cmark_node_last_child(h->node);
    if (!last || cmark_node_get_type(last) != CMARK_NODE_TEXT) return 0;
    const char *t = cmark_node_get_literal(last);
    const char *open = strstr(t, "{#");
    size_t L = strlen(t);
    if (!open || L < 3 || t[L - 1] != '}' || (size_t)(t + L - 1 - open - 2) >= sizeof h->id) return 0;
    for (const char *p = open + 2; p < t + L - 1; p++) if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') return 0;
    snprintf(h->id, sizeof h->id, "%.*s", (int)(t + L - 1 - open - 2), open + 2);
    char keep[4096];
    size_t k = (size_t)(open - t);
    while (k && t[k - 1] == ' ') k--;
    snprintf(keep, sizeof keep, "%.*s", (int)k, t);
    cmark_node_set_literal(last, keep);
    h->text.len = 0;
    if (h->text.s) h->text.s[0] = '\0';
    node_text(h->node, &h->text);
    return 1;
}

/* An id from the words: lowercase letters and digits joined by single hyphens, unique.
 * Returns 0, or -1 when an explicit id is taken already. */
static int make_id(heading *h, const heading *prev, int nprev, char *err, size_t errlen)
{
    if (explicit_id(h)) {
        for (int i = 0; i < nprev; i++)
            if (!strcmp(prev[i].id, h->id)) return bn_errf(err, errlen, "two headings have the id %s", h->id);
        return 0;
    }
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
    return 0;
}

/* A figure the page shows must be a non-empty file beside it (an SVG that says so).
 * Returns 0, or -1 with the reason naming the template and the figure. */
static int check_figure(const char *tmpl_path, const char *outdir, const char *url, char *err, size_t errlen)
{
    if (!*url || url[0] == '/' || strstr(url, "://") || strstr(url, "..") || strchr(url, '\\'))
        return bn_errf(err, errlen, "%s: figure '%s': must be a file name in the report folder", tmpl_path, url);
    char path[4400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", outdir, url);
    if (stat(path, &st) != 0)
        return bn_errf(err, errlen, "%s: figure %s: %s (draw the figures first: make figures)", tmpl_path, path,
                       strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_size == 0)
        return bn_errf(err, errlen, "%s: figure %s: empty or not a file", tmpl_path, path);
    size_t L = strlen(url);
    if (L > 4 && !strcmp(url + L - 4, ".svg")) {
        char head[1025];
        FILE *f = fopen(path, "rb");
        if (!f) return bn_errf(err, errlen, "%s: figure %s: %s", tmpl_path, path, strerror(errno));
        size_t n = fread(head, 1, sizeof head - 1, f);
        fclose(f);
        head[n] = '\0';
        if (!strstr(head, "<svg"))
            return bn_errf(err, errlen, "%s: figure %s: not an SVG file (no <svg> in its first kilobyte)", tmpl_path, path);
    }
    return 0;
}

/* Figures given as raw HTML (<figure>, <picture>): every src="..." and srcset="..." file. */
static int check_html_figures(const char *tmpl_path, const char *outdir, const char *html, char *err, size_t errlen)
{
    static const char *const attrs[] = {" src=\"", " srcset=\""};
    for (int a = 0; a < 2; a++)
        for (const char *p = strstr(html, attrs[a]); p; p = strstr(p + 1, attrs[a])) {
            const char *v = p + strlen(attrs[a]), *e = strchr(v, '"');
            if (!e) break;
            char url[512];
            snprintf(url, sizeof url, "%.*s", (int)(e - v < 511 ? e - v : 511), v);
            size_t L = strlen(url);
            if (L > 4 && !strcmp(url + L - 4, ".svg") && check_figure(tmpl_path, outdir, url, err, errlen)) return -1;
        }
    return 0;
}

/* Template lines {{code(NAME)}} become HTML comments the parser keeps as blocks of their own
 * (one line for one, so the template engine's line numbers stay right); the excerpts replace
 * them after parsing, where a blank line in the code cannot end the block. */
static char *mark_excerpts(const char *tmpl, size_t *len)
{
    bn_buf b = {0};
    for (size_t a = 0; a < *len;) {
        const char *e = memchr(tmpl + a, '\n', *len - a);
        size_t L = e ? (size_t)(e - tmpl - a) : *len - a;
        char name[128];
        if (bn_excerpt_line(tmpl + a, L, name, sizeof name)) {
            bn_buf_puts(&b, "<!--bn-code:");
            bn_buf_puts(&b, name);
            bn_buf_puts(&b, "-->");
        } else {
            bn_buf_append(&b, tmpl + a, L);
        }
        if (e) bn_buf_puts(&b, "\n");
        a += L + (e ? 1 : 0);
    }
    if (!b.s) bn_buf_puts(&b, "");
    *len = b.len;
    return b.s;
}

/* A marked line's block replaced by the function's excerpt. */
static int put_excerpt(const bn_page_opts *o, cmark_node *n, char *err, size_t errlen)
{
    const char *src_dir = o->src_dir ? o->src_dir : "src";
    char name[128], xerr[1200];
    const char *lit = cmark_node_get_literal(n) + 12, *e = strstr(lit, "-->");
    snprintf(name, sizeof name, "%.*s", (int)(e ? e - lit : 0), lit);
    bn_buf x = {0};
    char parent[4096];
    if (!o->src_url) {
        snprintf(parent, sizeof parent, "%s", src_dir);
        char *sl = strrchr(parent, '/');
        if (sl) *sl = '\0'; else snprintf(parent, sizeof parent, ".");
    }
    if (bn_excerpt(src_dir, name, o->src_url ? o->src_url : parent, &x, xerr, sizeof xerr))
        return bn_errf(err, errlen, "%s: %s", o->tmpl_path, xerr);
    cmark_node_set_literal(n, x.s);
    bn_buf_free(&x);
    return 0;
}

/* The page's folder ("." for a bare name) into outdir and its file name; NULL if it has none. */
static const char *split_out(const char *out_path, char *outdir, size_t n)
{
    snprintf(outdir, n, "%s", out_path);
    char *slash = strrchr(outdir, '/');
    const char *base = out_path;
    if (slash) { *slash = '\0'; base = slash + 1; } else snprintf(outdir, n, ".");
    return *base ? base : NULL;
}

/* Whole file into memory (NUL-terminated); NULL with the reason naming it. */
static char *read_whole(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[1200];
    char *buf = bn_read_file(path, len, why, sizeof why);
    if (!buf) bn_errf(err, errlen, "cannot read %s", why);
    return buf;
}

int bn_page_render(const bn_page_opts *o, bn_buf *html, char *err, size_t errlen)
{
    int rc = 1;
    char *tmpl = NULL, *style = NULL;
    run_tables rt = {o->run, NULL, 0, 0};
    bn_buf md = {0}, title = {0};
    cmark_parser *parser = NULL;
    cmark_node *doc = NULL;
    heading *hs = NULL;
    int nh = 0;

    /* 1. Fill the template from the run's data files. */
    size_t tlen, slen;
    if (!(tmpl = read_whole(o->tmpl_path, &tlen, err, errlen))) goto done;
    if (!(style = read_whole(o->style_path, &slen, err, errlen))) goto done;
    char *marked = mark_excerpts(tmpl, &tlen);
    free(tmpl);
    tmpl = marked;
    bn_lookup lk = {load_table, &rt, NULL, NULL, 0, 1};
    char rerr[1024];
    if (bn_render(tmpl, tlen, &lk, &md, rerr, sizeof rerr)) {
        bn_errf(err, errlen, "%s: %s", o->tmpl_path, rerr);
        goto done;
    }

    /* 2. Markdown to a tree: GFM tables, raw HTML kept (the value annotations are spans). */
    int opts = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
    cmark_gfm_core_extensions_ensure_registered();
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!table) {
        bn_errf(err, errlen, "cmark-gfm has no table extension");
        goto done;
    }
    parser = cmark_parser_new(opts);
    cmark_parser_attach_syntax_extension(parser, table);
    cmark_parser_feed(parser, md.s, md.len);
    doc = cmark_parser_finish(parser);
    cmark_llist *exts = cmark_parser_get_syntax_extensions(parser);

    /* 3. Headings get ids (sections of level 2 make the contents); figures must exist beside the page. */
    char outdir[4096];
    if (!split_out(o->out_path, outdir, sizeof outdir)) {
        bn_errf(err, errlen, "--out %s: not a file name", o->out_path);
        rc = 2;
        goto done;
    }
    hs = bn_calloc(MAX_HEADINGS, sizeof *hs);
    cmark_iter *it = cmark_iter_new(doc);
    int bad = 0;
    for (cmark_event_type ev; !bad && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type ty = cmark_node_get_type(n);
        if (ty == CMARK_NODE_IMAGE && check_figure(o->tmpl_path, outdir, cmark_node_get_url(n), err, errlen)) bad = 1;
        else if ((ty == CMARK_NODE_HTML_BLOCK || ty == CMARK_NODE_HTML_INLINE) &&
                 check_html_figures(o->tmpl_path, outdir, cmark_node_get_literal(n), err, errlen)) bad = 1;
        else if (ty == CMARK_NODE_HTML_BLOCK && !strncmp(cmark_node_get_literal(n), "<!--bn-code:", 12) &&
                 put_excerpt(o, n, err, errlen)) bad = 1;
        if (bad || ty != CMARK_NODE_HEADING) continue;
        int level = cmark_node_get_heading_level(n);
        if (level == 1 && !title.len) node_text(n, &title);
        if (level != 2 && level != 3) continue;
        if (nh == MAX_HEADINGS) {
            bn_errf(err, errlen, "%s: more than %d section headings", o->tmpl_path, MAX_HEADINGS);
            bad = 1;
            continue;
        }
        heading *h = &hs[nh];
        h->node = n;
        h->level = level;
        node_text(n, &h->text);
        nh++;
        if (make_id(h, hs, nh - 1, err, errlen)) bad = 1;
    }
    cmark_iter_free(it);
    if (bad) goto done;
    if (!title.len) {
        bn_errf(err, errlen, "%s: no level-1 heading to title the page", o->tmpl_path);
        goto done;
    }
    for (int i = 0; i < nh; i++) {
        /* an empty anchor as the heading's first child: cmark's renderer gives headings no ids */
        char a[160];
        snprintf(a, sizeof a, "<span class=\"anchor\" id=\"%s\"></span>", hs[i].id);
        cmark_node *span = cmark_node_new(CMARK_NODE_HTML_INLINE);
        cmark_node_set_literal(span, a);
        cmark_node_prepend_child(hs[i].node, span);
    }

    /* 4. The page: contents before the first section, every block rendered in turn. */
    bn_buf_puts(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"bnreport\">\n<title>");
    bn_buf_put_html(html, title.s);
    bn_buf_puts(html, "</title>\n<style>\n");
    bn_buf_puts(html, style);
    bn_buf_puts(html, "</style>\n</head>\n<body>\n<main id=\"top\">\n");
    int toc_done = 0;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
        if (!toc_done && cmark_node_get_type(n) == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) == 2) {
            bn_buf_puts(html, "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n");
            for (int i = 0; i < nh; i++) {
                if (hs[i].level != 2) continue;
                bn_buf_puts(html, "<li><a href=\"#");
                bn_buf_puts(html, hs[i].id);
                bn_buf_puts(html, "\">");
                bn_buf_put_html(html, hs[i].text.s ? hs[i].text.s : "");
                bn_buf_puts(html, "</a></li>\n");
            }
            bn_buf_puts(html, "</ol>\n</nav>\n");
            toc_done = 1;
        }
        char *part = cmark_render_html(n, opts, exts);
        bn_buf_puts(html, part);
        free(part);
    }
    bn_buf_puts(html, "<p class=\"to-top\"><a href=\"#top\">↑ Back to top</a></p>\n</main>\n</body>\n</html>\n");
    rc = 0;

done:
    for (int i = 0; hs && i < nh; i++) bn_buf_free(&hs[i].text);
    free(hs);
    bn_buf_free(&title);
    bn_buf_free(&md);
    if (doc) cmark_node_free(doc);
    if (parser) cmark_parser_free(parser);
    free_tables(&rt);
    free(tmpl);
    free(style);
    return rc;
}

int bn_page_write(const bn_page_opts *o, char *err, size_t errlen)
{
    bn_buf html = {0};
    int rc = bn_page_render(o, &html, err, errlen);
    if (rc) {
        bn_buf_free(&html);
        return rc;
    }
    char outdir[4096];
    const char *base = split_out(o->out_path, outdir, sizeof outdir);
    bn_mkdir_p(outdir);
    bn_out out;
    bn_out_open(&out, outdir, base);
    bn_out_printf(&out, "%s", html.s);
    bn_out_commit(&out);
    bn_progress("%s: wrote %s", bn_progname, out.path);
    bn_buf_free(&html);
    return 0;
}
