/* render.c - TSV data files and the report template engine.
 *
 * A template is Markdown with placeholders; lines starting with "%%" are template comments
 * and are dropped. A placeholder is {{QUERY}} or {{QUERY|FORMAT}} on one line:
 *
 *   QUERY := TERM | TERM (" + " | " - ") TERM ... (left to right) | TERM " / " TERM
 *   TERM  := FILE:COL[:SEL]                  the one cell SEL selects (exactly one row)
 *          | AGG(FILE:COL[:SEL])             AGG: count nonfinite min max mean std sd sum list
 *          | argmax(FILE:COL:SEL:OUT)        OUT's cell in the row where COL is largest
 *          | argmin(FILE:COL:SEL:OUT)        ... smallest (the first such row on ties)
 *          | judge(QUERY ; QUERY)            a difference judged against a threshold by
 *                                            bn_verdict_compare: -1 below -threshold, 0 within
 *                                            it, +1 above (words by sign:NEG:ZERO:POS)
 *          | NAME                            a named value supplied by the program
 *          | table(FILE:COL[=Label],...[:SEL])  a Markdown table; alone on its line
 *   SEL   := (empty: every row) | #N | #-N (row N from the start, 0-based, or from the end)
 *          | COND[,COND...] with COND := COL OP VALUE, OP one of = != < <= > >=, VALUE a
 *            number, another column's name, or (for = and !=) a word
 *   FORMAT:= a printf conversion (f e g E G or d, with flags, width, precision and text
 *            around it, %% for a percent sign) | %s (the text as written; the default)
 *          | sign:NEG:ZERO:POS (a word chosen by the value's sign)
 *          | link or link:TEXT (a Markdown link to the value, a relative path of letters,
 *            digits and . _ / - #; its text is TEXT, or the path itself)
 *            for table(), one format per column or one for all, separated by commas.
 *   {{?QUERY}} at the start of a line keeps the rest of the line when QUERY's value is
 *   non-zero and drops the whole line when it is zero (e.g. a warning shown only if needed).
 *   {{if QUERY}}, {{else}} and {{end}}, each alone on its line, keep the lines between them
 *   (or after {{else}}) only when QUERY is non-zero (zero); they nest. Placeholders in lines
 *   that are dropped are not evaluated, so a block can use a data file that may be absent.
 *
 * min, max, mean, std (population, divided by n), sd (sample, divided by n - 1; needs two values),
 * sum, argmin and argmax use the finite values of the
 * selected rows and fail when there are none; count counts the selected rows (COL may be
 * "*"), nonfinite the non-finite values among them; list joins the selected cells with ", "
 * ("none" if no row is selected). Any query that finds no value is an error, never an empty
 * string. */
#include "render.h"
#include "alloc.h"
#include "error.h"
#include "number.h"
#include "verdict.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PH_MAX 2048   /* longest placeholder body */
#define FIELDS_MAX 4

void bn_buf_append(bn_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = bn_malloc(cap);
        if (b->len) memcpy(p, b->s, b->len);
        free(b->s);
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void bn_buf_puts(bn_buf *b, const char *s) { bn_buf_append(b, s, strlen(s)); }

void bn_buf_put_html(bn_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '&') bn_buf_puts(b, "&amp;");
        else if (*s == '<') bn_buf_puts(b, "&lt;");
        else if (*s == '>') bn_buf_puts(b, "&gt;");
        else if (*s == '"') bn_buf_puts(b, "&quot;");
        else bn_buf_append(b, s, 1);
    }
}

void bn_buf_free(bn_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

const bn_tsv *bn_tsv_set_find(void *ctx, const char *name, char *err, size_t errlen)
{
    const bn_tsv_set *s = ctx;
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->tabs[i].name, name)) return &s->tabs[i];
    bn_errf(err, errlen, "no data file %s", name);
    return NULL;
}

/* ---------------------------------------------------------------- values */

typedef struct {
    int isnum;
    double num;
    const char *text;   /* the cell's own text, or NULL for a computed number */
} val;

typedef struct {
    const bn_lookup *lk;
    char *err;
    size_t errlen;
    long line;
    char ph[160];       /* the placeholder, shortened and printable, for messages */
} ctx;

static int fail(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ctx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* keep the message on one line whatever the input held */
    for (char *q = msg; *q; q++) if ((unsigned char)*q < 0x20) *q = '?';
    snprintf(c->err, c->errlen, "line %ld: {{%s}}: %s", c->line, c->ph, msg);
    return -1;
}

static void trim(char **s)
{
    while (**s == ' ') (*s)++;
    char *e = *s + strlen(*s);
    while (e > *s && e[-1] == ' ') *--e = '\0';
}

/* Split s in place at every `sep` into at most max fields; returns the count or -1. */
static int split(char *s, char sep, char **f, int max)
{
    int n = 0;
    for (;;) {
        if (n == max) return -1;
        f[n++] = s;
        char *q = strchr(s, sep);
        if (!q) break;
        *q = '\0';
        s = q + 1;
    }
    for (int i = 0; i < n; i++) trim(&f[i]);
    return n;
}

static void cell_val(const bn_tsv *t, long r, int col, val *v)
{
    v->text = t->cells[r * t->ncols + col];
    v->isnum = bn_parse_num(v->text, &v->num);
}

static int need_num(ctx *c, const bn_tsv *t, long r, int col, double *x)
{
    const char *s = t->cells[r * t->ncols + col];
    if (!bn_parse_num(s, x)) return fail(c, "%s row #%ld column %s: '%.40s' is not a number", t->name, r, t->cols[col], s);
    return 0;
}

static const bn_tsv *get_table(ctx *c, const char *name)
{
    char why[300] = "not found";
    const bn_tsv *t = c->lk->table ? c->lk->table(c->lk->ctx, name, why, sizeof why) : NULL;
    if (!t) fail(c, "%s", why);
    return t;
}

static int get_col(ctx *c, const bn_tsv *t, const char *name)
{
    int j = bn_tsv_col(t, name);
    if (j < 0) {
        char have[200] = "";
        size_t n = 0;
        for (int k = 0; k < t->ncols && n + 1 < sizeof have; k++) {
            int w = snprintf(have + n, sizeof have - n, "%s%s", k ? ", " : "", t->cols[k]);
            if (w < 0) break;
            n += (size_t)w;
        }
        fail(c, "%s has no column '%s' (columns: %s)", t->name, name, have);
    }
    return j;
}

/* ---------------------------------------------------------------- row selection */

enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

typedef struct {
    int col, op;
    int rkind;          /* 0 number, 1 column, 2 word */
    double rnum;
    int rcol;
    const char *rword;
} cond;

static int parse_cond(ctx *c, const bn_tsv *t, char *s, cond *k)
{
    char *o = strpbrk(s, "=!<>");
    if (!o || o == s) return fail(c, "selector '%s' is not COLUMN OP VALUE", s);
    char *rhs;
    if (o[0] == '=') { k->op = OP_EQ; rhs = o + 1; }
    else if (o[0] == '!' && o[1] == '=') { k->op = OP_NE; rhs = o + 2; }
    else if (o[0] == '<') { k->op = o[1] == '=' ? OP_LE : OP_LT; rhs = o + (o[1] == '=' ? 2 : 1); }
    else if (o[0] == '>') { k->op = o[1] == '=' ? OP_GE : OP_GT; rhs = o + (o[1] == '=' ? 2 : 1); }
    else return fail(c, "selector '%s' is not COLUMN OP VALUE", s);
    *o = '\0';
    trim(&s);
    trim(&rhs);
    if ((k->col = get_col(c, t, s)) < 0) return -1;
    if (bn_parse_num(rhs, &k->rnum)) k->rkind = 0;
    else if ((k->rcol = bn_tsv_col(t, rhs)) >= 0) k->rkind = 1;
    else if (k->op == OP_EQ || k->op == OP_NE) { k->rkind = 2; k->rword = rhs; }
    else return fail(c, "selector compares %s with '%s', which is neither a number nor a column", s, rhs);
    return 0;
}

/* Sets *m to whether row r satisfies k. Text is compared as text only by = and !=. */
static int cond_match(ctx *c, const bn_tsv *t, long r, const cond *k, int *m)
{
    const char *ls = t->cells[r * t->ncols + k->col];
    const char *rs = k->rkind == 1 ? t->cells[r * t->ncols + k->rcol] : k->rword;
    double a, b = k->rnum;
    int lnum = bn_parse_num(ls, &a), rnum = k->rkind == 0 || (k->rkind == 1 && bn_parse_num(rs, &b));
    if (lnum && rnum) {
        switch (k->op) {
        case OP_EQ: *m = a == b; break;
        case OP_NE: *m = !(a == b); break;
        case OP_LT: *m = a < b; break;
        case OP_LE: *m = a <= b; break;
        case OP_GT: *m = a > b; break;
        default: *m = a >= b; break;
        }
        return 0;
    }
    if (k->op != OP_EQ && k->op != OP_NE)
        return fail(c, "%s row #%ld: '%.40s' is not a number to compare", t->name, r, lnum ? rs : ls);
    if (k->rkind == 0) {
        *m = k->op == OP_NE;   /* text never equals a number */
        return 0;
    }
    *m = (strcmp(ls, rs) == 0) == (k->op == OP_EQ);
    return 0;
}

/* rows (t->nrows longs) receives the selected row indices; returns their count or -1. */
static long select_rows(ctx *c, const bn_tsv *t, char *sel, long *rows)
{
    if (!sel || !*sel) {
        for (long r = 0; r < t->nrows; r++) rows[r] = r;
        return t->nrows;
    }
    if (sel[0] == '#') {
        char *end;
        long i = strtol(sel + 1, &end, 10);
        if (sel[1] == '\0' || *end || (sel[1] != '-' && (sel[1] < '0' || sel[1] > '9')))
            return fail(c, "row selector '%s' is not #N or #-N", sel);
        long r = i < 0 ? t->nrows + i : i;
        if (r < 0 || r >= t->nrows) return fail(c, "row %s: %s has %ld rows", sel, t->name, t->nrows);
        rows[0] = r;
        return 1;
    }
    char *parts[16];
    int n = split(sel, ',', parts, 16);
    if (n < 0) return fail(c, "more than 16 conditions");
    cond k[16];
    for (int i = 0; i < n; i++)
        if (parse_cond(c, t, parts[i], &k[i])) return -1;
    long count = 0;
    for (long r = 0; r < t->nrows; r++) {
        int all = 1;
        for (int i = 0; i < n && all; i++)
            if (cond_match(c, t, r, &k[i], &all)) return -1;
        if (all) rows[count++] = r;
    }
    return count;
}

/* ---------------------------------------------------------------- formats */

/* Check a printf-style format: one conversion of f e g E G d with flags, width and
 * precision (none for d); literal text and %% around it. *conv receives the conversion's
 * offset in fmt, so %d can be widened to %lld. */
static int check_format(ctx *c, const char *fmt, size_t *conv)
{
    int n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        if (p[1] == '%') { p++; continue; }
        p++;
        while (*p && strchr("-+ 0#", *p)) p++;
        for (int d = 0; *p >= '0' && *p <= '9'; p++) if (++d > 2) return fail(c, "format '%s': width too large", fmt);
        int prec = *p == '.';
        if (prec) {
            p++;
            for (int d = 0; *p >= '0' && *p <= '9'; p++) if (++d > 2) return fail(c, "format '%s': precision too large", fmt);
        }
        if (!*p || !strchr("feEgGd", *p)) return fail(c, "format '%s' is not one printf conversion of f, e, g, E, G or d", fmt);
        if (*p == 'd' && prec) return fail(c, "format '%s': %%d takes no precision", fmt);
        *conv = (size_t)(p - fmt);
        n++;
    }
    if (n != 1) return fail(c, "format '%s' needs exactly one conversion (or %%s, or sign:NEG:ZERO:POS)", fmt);
    return 0;
}

/* Append the Markdown-escaped text s: punctuation that could start markup is backslashed,
 * control characters become spaces. */
static void put_md(bn_buf *out, const char *s)
{
    for (; *s; s++) {
        char ch = *s;
        if ((unsigned char)ch < 0x20) ch = ' ';
        if (strchr("\\`*_[]<>&|!#~^{}", ch)) bn_buf_append(out, "\\", 1);
        bn_buf_append(out, &ch, 1);
    }
}

/* Append s escaped for a double-quoted HTML attribute inside a Markdown table row. */
static void put_attr(bn_buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': bn_buf_puts(out, "&amp;"); break;
        case '<': bn_buf_puts(out, "&lt;"); break;
        case '>': bn_buf_puts(out, "&gt;"); break;
        case '"': bn_buf_puts(out, "&quot;"); break;
        case '|': bn_buf_puts(out, "&#124;"); break;
        case '\\': bn_buf_puts(out, "&#92;"); break;
        default:
            if ((unsigned char)*s < 0x20) bn_buf_puts(out, " ");
            else bn_buf_append(out, s, 1);
        }
    }
}

/* The format link or link:TEXT. */
static int is_link(const char *fmt)
{
    return fmt && !strncmp(fmt, "link", 4) && (fmt[4] == '\0' || fmt[4] == ':');
}

/* Format v with fmt (NULL or "" means %s) into buf. */
static int format_val(ctx *c, const val *v, const char *fmt, char *buf, size_t n)
{
    if (!fmt || !*fmt || !strcmp(fmt, "%s")) {
        /* a value is shown whole (callers pass plain text on unformatted) or refused */
        if (v->text && strlen(v->text) >= n) return fail(c, "value of %zu characters is too long for a format", strlen(v->text));
        if (v->text) snprintf(buf, n, "%s", v->text);
        else bn_fmt(buf, n, v->num);
        return 0;
    }
    if (is_link(fmt)) {
        /* a relative path only: it becomes a link on the page, so nothing that could leave
         * the folder tree by a scheme or an absolute path, or break out of the Markdown */
        const char *u = v->text ? v->text : "";
        int ok = *u && *u != '/' && strlen(u) < n && !strstr(u, "//");
        for (const char *p = u; ok && *p; p++) ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("._/-#", *p);
        if (!ok) return fail(c, "'%.40s' is not a relative link (letters, digits and . _ / - # only)", u);
        if (fmt[4] == ':' && !fmt[5]) return fail(c, "format 'link:' needs a text after the colon");
        snprintf(buf, n, "%s", u);
        return 0;
    }
    if (!v->isnum) return fail(c, "'%.40s' is not a number for format '%s'", v->text ? v->text : "", fmt);
    if (!strncmp(fmt, "sign:", 5)) {
        char words[PH_MAX], *w[4];
        snprintf(words, sizeof words, "%s", fmt + 5);
        if (split(words, ':', w, 3) != 3) return fail(c, "format '%s' is not sign:NEG:ZERO:POS", fmt);
        if (isnan(v->num)) return fail(c, "the value is not a number, so it has no sign");
        snprintf(buf, n, "%s", v->num < 0 ? w[0] : v->num == 0 ? w[1] : w[2]);
        return 0;
    }
    size_t conv = 0;
    if (check_format(c, fmt, &conv)) return -1;
    if (!isfinite(v->num)) {
        snprintf(buf, n, "%s", isnan(v->num) ? "nan" : v->num > 0 ? "inf" : "-inf");
        return 0;
    }
    int w;
    if (fmt[conv] == 'd') {
        if (v->num != floor(v->num) || fabs(v->num) > 9e15) return fail(c, "%.17g is not an integer for format '%s'", v->num, fmt);
        char f2[PH_MAX + 8];
        snprintf(f2, sizeof f2, "%.*slld%s", (int)conv, fmt, fmt + conv + 1);
        w = snprintf(buf, n, f2, (long long)v->num);
    } else {
        w = snprintf(buf, n, fmt, v->num);
    }
    if (w < 0 || (size_t)w >= n) return fail(c, "formatted value too long");
    return 0;
}

static void emit(ctx *c, bn_buf *out, const char *query, const char *fmt, const char *text)
{
    if (c->lk->annotate) {
        /* a number (any short token) never breaks inside ("9.9e-" / "25"); a phrase or a long
         * token (a path, a hash) wraps like the text around it */
        const char *shown = is_link(fmt) && fmt[4] == ':' ? fmt + 5 : text;
        int wrap = strchr(shown, ' ') || strlen(shown) > 24;
        bn_buf_puts(out, wrap ? "<span class=\"v wrap\" title=\"" : "<span class=\"v\" title=\"");
        put_attr(out, query);
        if (fmt && *fmt) {
            bn_buf_puts(out, "\" data-f=\"");
            put_attr(out, fmt);
        }
        /* focusable, so that a tap (or the keyboard) shows the provenance: style.css draws the
         * title beside a focused value */
        bn_buf_puts(out, "\" tabindex=\"0\">");
    }
    if (is_link(fmt)) {
        /* text is a checked relative path: [TEXT](path) */
        bn_buf_puts(out, "[");
        put_md(out, fmt[4] == ':' ? fmt + 5 : text);
        bn_buf_puts(out, "](");
        bn_buf_puts(out, text);
        bn_buf_puts(out, ")");
    } else {
        put_md(out, text);
    }
    if (c->lk->annotate) bn_buf_puts(out, "</span>");
}

/* ---------------------------------------------------------------- queries */

static const char *const aggs[] = {"count", "nonfinite", "min", "max", "mean", "std", "sum", "list", "argmin", "argmax", "sd"};
enum { A_COUNT, A_NONFINITE, A_MIN, A_MAX, A_MEAN, A_STD, A_SUM, A_LIST, A_ARGMIN, A_ARGMAX, A_SD, A_N };

/* Evaluate one term into v. When list_fmt is non-NULL a list() is allowed and its formatted
 * text goes to list_out instead. */
static int eval_expr(ctx *c, const char *q, val *v);

/* judge(DIFF ; THRESHOLD): -1, 0 or +1 as bn_verdict_compare finds DIFF below -THRESHOLD, within
 * it or above +THRESHOLD (each a query of terms joined by + - /); inner is what the parentheses
 * hold. An infinite difference (a value that diverged) is beyond any threshold; a NaN, or a
 * threshold that is not a finite number, cannot be judged: an error, never a verdict. */
static int eval_judge(ctx *c, const char *inner, val *v)
{
    const char *semi = strstr(inner, " ; ");
    if (!semi || strstr(semi + 3, " ; ")) return fail(c, "expected judge(DIFFERENCE ; THRESHOLD)");
    char q[PH_MAX];
    val d, t;
    snprintf(q, sizeof q, "%.*s", (int)(semi - inner), inner);
    if (eval_expr(c, q, &d)) return -1;
    if (eval_expr(c, semi + 3, &t)) return -1;
    if (!d.isnum || !t.isnum) return fail(c, "judge() needs two numbers");
    const char *w = bn_verdict_compare(d.num, t.num);
    if (!strcmp(w, "unknown")) return fail(c, "judge(): %g against %g is not a comparison of finite numbers", d.num, t.num);
    memset(v, 0, sizeof *v);
    v->isnum = 1;
    v->num = !strcmp(w, "higher") ? 1 : !strcmp(w, "lower") ? -1 : 0;
    return 0;
}

static int eval_term(ctx *c, const char *src, val *v, const char *list_fmt, bn_buf *list_out)
{
    char s[PH_MAX], *f[FIELDS_MAX];
    snprintf(s, sizeof s, "%s", src);
    char *body = s;
    trim(&body);
    memset(v, 0, sizeof *v);
    if (!strncmp(body, "judge(", 6)) {
        size_t L = strlen(body);
        if (body[L - 1] != ')') return fail(c, "'%s' does not end with ')'", body);
        body[L - 1] = '\0';
        return eval_judge(c, body + 6, v);
    }
    char *paren = strchr(body, '(');
    int agg = -1;
    if (paren) {
        size_t L = strlen(body);
        if (body[L - 1] != ')') return fail(c, "'%s' does not end with ')'", body);
        body[L - 1] = '\0';
        *paren = '\0';
        for (int a = 0; a < A_N; a++) if (!strcmp(body, aggs[a])) agg = a;
        if (agg < 0) return fail(c, "unknown function '%s' (known: count nonfinite min max mean std sd sum list argmin argmax judge table)", body);
        body = paren + 1;
    } else if (!strchr(body, ':')) {
        for (int i = 0; i < c->lk->nvalues; i++) {
            if (!strcmp(c->lk->names[i], body)) {
                v->text = c->lk->values[i];
                v->isnum = bn_parse_num(v->text, &v->num);
                return 0;
            }
        }
        return fail(c, "no value named '%s'", body);
    }
    int nf = split(body, ':', f, FIELDS_MAX);
    int want_lo = agg == A_ARGMIN || agg == A_ARGMAX ? 4 : 2, want_hi = agg == A_ARGMIN || agg == A_ARGMAX ? 4 : 3;
    if (nf < want_lo || nf > want_hi)
        return fail(c, agg == A_ARGMIN || agg == A_ARGMAX ? "expected FILE:COLUMN:SELECTOR:OUTPUT_COLUMN" : "expected FILE:COLUMN[:SELECTOR]");
    const bn_tsv *t = get_table(c, f[0]);
    if (!t) return -1;
    int col = -1, out = -1;
    if (!(agg == A_COUNT && !strcmp(f[1], "*")) && (col = get_col(c, t, f[1])) < 0) return -1;
    if (nf == 4 && (out = get_col(c, t, f[3])) < 0) return -1;

    long *rows = bn_malloc(sizeof(long) * (size_t)(t->nrows > 0 ? t->nrows : 1));
    long n = select_rows(c, t, nf >= 3 ? f[2] : NULL, rows);
    int rc = 0;
    if (n < 0) {
        rc = -1;
    } else if (agg < 0) {
        if (n != 1) rc = fail(c, "selects %ld rows of %s; a single value needs exactly one", n, t->name);
        else cell_val(t, rows[0], col, v);
    } else if (agg == A_COUNT) {
        v->isnum = 1;
        v->num = (double)n;
    } else if (agg == A_LIST) {
        if (!list_out) rc = fail(c, "list() gives text, it cannot take part in arithmetic");
        if (!rc && n == 0) bn_buf_puts(list_out, "none");
        for (long i = 0; i < n && !rc; i++) {
            val e;
            char buf[512];
            cell_val(t, rows[i], col, &e);
            int plain = (!list_fmt || !*list_fmt || !strcmp(list_fmt, "%s")) && e.text;   /* whole, never cut */
            rc = plain ? 0 : format_val(c, &e, list_fmt, buf, sizeof buf);
            if (!rc) {
                if (i) bn_buf_puts(list_out, ", ");
                bn_buf_puts(list_out, plain ? e.text : buf);
            }
        }
    } else {
        double sum = 0, best = 0, x;
        long nfin = 0, nonfin = 0, at = -1;
        for (long i = 0; i < n; i++) {
            if ((rc = need_num(c, t, rows[i], col, &x))) break;
            if (!isfinite(x)) { nonfin++; continue; }
            if (at < 0 || (agg == A_MAX || agg == A_ARGMAX ? x > best : x < best)) { best = x; at = rows[i]; }
            sum += x;
            nfin++;
        }
        if (!rc && agg == A_NONFINITE) {
            v->isnum = 1;
            v->num = (double)nonfin;
        } else if (!rc && nfin == 0) {
            rc = fail(c, "no finite values in %s column %s among the %ld selected rows", t->name, t->cols[col], n);
        } else if (!rc) {
            v->isnum = 1;
            if (agg == A_MIN || agg == A_MAX) v->num = best;
            else if (agg == A_SUM) v->num = sum;
            else if (agg == A_SD && nfin < 2) rc = fail(c, "sd() needs two finite values, %s column %s has %ld", t->name, t->cols[col], nfin);
            else if (agg == A_MEAN || agg == A_STD || agg == A_SD) {
                double mean = sum / (double)nfin, ss = 0;
                if (agg != A_MEAN) {
                    for (long i = 0; i < n; i++) {
                        need_num(c, t, rows[i], col, &x);
                        if (isfinite(x)) ss += (x - mean) * (x - mean);
                    }
                }
                v->num = agg == A_MEAN ? mean : sqrt(ss / (double)(agg == A_SD ? nfin - 1 : nfin));
            } else {
                cell_val(t, at, out, v);
            }
        }
    }
    free(rows);
    return rc;
}

/* Find the next top-level " + ", " - " or " / " (outside parentheses). */
static const char *find_op(const char *s)
{
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '(') depth++;
        else if (*p == ')') depth--;
        else if (depth == 0 && p[0] == ' ' && (p[1] == '-' || p[1] == '+' || p[1] == '/') && p[2] == ' ') return p;
    }
    return NULL;
}

/* A query of one term, of terms joined by + and - (left to right), or of two terms divided:
 * its value into v. */
static int eval_expr(ctx *c, const char *q, val *v)
{
    if (!find_op(q)) return eval_term(c, q, v, NULL, NULL);
    double acc = 0;
    int nterms = 0, divided = 0;
    char prev = '+';
    for (const char *s = q;;) {
        const char *op = find_op(s);
        char term[PH_MAX];
        val t;
        snprintf(term, sizeof term, "%.*s", op ? (int)(op - s) : (int)strlen(s), s);
        if (eval_term(c, term, &t, NULL, NULL)) return -1;
        if (!t.isnum) return fail(c, "'%.40s' is not a number", t.text ? t.text : "");
        acc = nterms == 0 ? t.num : prev == '+' ? acc + t.num : prev == '-' ? acc - t.num : acc / t.num;
        nterms++;
        if (!op) break;
        prev = op[1];
        divided |= prev == '/';
        s = op + 3;
    }
    if (divided && nterms != 2) return fail(c, "a query with ' / ' takes exactly two terms");
    memset(v, 0, sizeof *v);
    v->isnum = 1;
    v->num = acc;
    return 0;
}

static int is_list(const char *s)
{
    while (*s == ' ') s++;
    return !strncmp(s, "list(", 5);
}

static int eval_value(ctx *c, const char *q, const char *fmt, bn_buf *out)
{
    char text[PH_MAX];
    const char *op = find_op(q);
    if (!op && is_list(q)) {
        if (is_link(fmt)) return fail(c, "list() cannot be a link");
        bn_buf lst = {0};
        int rc = eval_term(c, q, &(val){0}, fmt, &lst);
        if (!rc) emit(c, out, q, fmt, lst.s ? lst.s : "");
        bn_buf_free(&lst);
        return rc;
    }
    val v;
    if (eval_expr(c, q, &v)) return -1;
    int plain = (!fmt || !*fmt || !strcmp(fmt, "%s")) && v.text;   /* whole, never cut */
    if (!plain && format_val(c, &v, fmt, text, sizeof text)) return -1;
    emit(c, out, q, fmt, plain ? v.text : text);
    return 0;
}

static int eval_table(ctx *c, char *args, const char *fmts, bn_buf *out)
{
    char *f[FIELDS_MAX], *colspec[64], *fm[64], fbuf[PH_MAX];
    int nf = split(args, ':', f, FIELDS_MAX);
    if (nf < 2 || nf > 3) return fail(c, "expected table(FILE:COLUMN[=Label],...[:SELECTOR])");
    const bn_tsv *t = get_table(c, f[0]);
    if (!t) return -1;
    int nc = split(f[1], ',', colspec, 64);
    if (nc < 0) return fail(c, "more than 64 columns");
    int cols[64], nfm = 0;
    const char *labels[64];
    for (int i = 0; i < nc; i++) {
        char *eq = strchr(colspec[i], '=');
        labels[i] = colspec[i];
        if (eq) {
            *eq = '\0';
            labels[i] = eq + 1;
            trim(&colspec[i]);
            while (*labels[i] == ' ') labels[i]++;
        }
        if ((cols[i] = get_col(c, t, colspec[i])) < 0) return -1;
    }
    if (fmts) {
        snprintf(fbuf, sizeof fbuf, "%s", fmts);
        nfm = split(fbuf, ',', fm, 64);
        if (nfm != 1 && nfm != nc) return fail(c, "%d formats for %d columns (give one, or one per column)", nfm, nc);
    }
    long *rows = bn_malloc(sizeof(long) * (size_t)(t->nrows > 0 ? t->nrows : 1));
    long n = select_rows(c, t, nf == 3 ? f[2] : NULL, rows);
    int rc = n < 0 ? -1 : 0;
    if (n == 0) rc = fail(c, "the selector matches no rows of %s", t->name);
    if (!rc) {
        bn_buf_puts(out, "|");
        for (int i = 0; i < nc; i++) { bn_buf_puts(out, " "); bn_buf_puts(out, labels[i]); bn_buf_puts(out, " |"); }
        bn_buf_puts(out, "\n|");
        for (int i = 0; i < nc; i++) {
            /* numbers line up on the right, text on the left */
            int numeric = 1;
            double x;
            for (long r = 0; r < n && numeric; r++) numeric = bn_parse_num(t->cells[rows[r] * t->ncols + cols[i]], &x);
            bn_buf_puts(out, numeric ? " ---: |" : " :--- |");
        }
    }
    for (long r = 0; r < n && !rc; r++) {
        bn_buf_puts(out, "\n|");
        for (int i = 0; i < nc && !rc; i++) {
            val v;
            char text[PH_MAX], row[32];
            const char *fmt = nfm == 0 ? NULL : fm[nfm == 1 ? 0 : i];
            cell_val(t, rows[r], cols[i], &v);
            /* each cell's query names its row, as a single-value placeholder would */
            bn_buf q = {0};
            snprintf(row, sizeof row, ":#%ld", rows[r]);
            bn_buf_puts(&q, t->name);
            bn_buf_puts(&q, ":");
            bn_buf_puts(&q, t->cols[cols[i]]);
            bn_buf_puts(&q, row);
            int plain = (!fmt || !*fmt || !strcmp(fmt, "%s")) && v.text;   /* whole, never cut */
            rc = plain ? 0 : format_val(c, &v, fmt, text, sizeof text);
            if (!rc) {
                bn_buf_puts(out, " ");
                emit(c, out, q.s, fmt, plain ? v.text : text);
                bn_buf_puts(out, " |");
            }
            bn_buf_free(&q);
        }
    }
    free(rows);
    return rc;
}

/* {{?QUERY}}: whether the rest of the line is kept (a non-zero value) or dropped. */
static int eval_condition(ctx *c, const char *q, int *keep)
{
    val v = {0};
    if (eval_expr(c, q, &v)) return -1;
    if (!v.isnum || isnan(v.num)) return fail(c, "a condition needs a number, got '%.40s'", v.text ? v.text : "nan");
    *keep = v.num != 0;
    return 0;
}

/* body: the text between {{ and }}; alone: whether it stands alone on its line (for a
 * condition: whether only blanks precede it). Returns 1 when a condition drops the line. */
static int eval_placeholder(ctx *c, const char *body, size_t n, int alone, int first, bn_buf *out)
{
    char s[PH_MAX];
    if (n >= sizeof s) return fail(c, "placeholder longer than %d characters", PH_MAX - 1);
    memcpy(s, body, n);
    s[n] = '\0';
    char *q = s, *fmt = strchr(s, '|');
    if (fmt) {
        *fmt++ = '\0';
        trim(&fmt);
    }
    trim(&q);
    if (!*q) return fail(c, "empty placeholder");
    if (!strncmp(q, "if ", 3) || !strcmp(q, "else") || !strcmp(q, "end"))
        return fail(c, "{{if QUERY}}, {{else}} and {{end}} must stand alone on their line");
    if (q[0] == '?') {
        int keep = 0;
        if (!first) return fail(c, "a condition must start its line");
        if (fmt) return fail(c, "a condition takes no format");
        if (eval_condition(c, q + 1, &keep)) return -1;
        return keep ? 0 : 1;
    }
    if (!strncmp(q, "table(", 6)) {
        size_t L = strlen(q);
        if (q[L - 1] != ')') return fail(c, "table(...) does not end with ')'");
        if (!alone) return fail(c, "a table must stand alone on its line");
        q[L - 1] = '\0';
        return eval_table(c, q + 6, fmt, out);
    }
    return eval_value(c, q, fmt, out);
}

/* Copy the placeholder body for messages: printable, shortened with "..." if needed. */
static void set_ph(ctx *c, const char *body, size_t n)
{
    size_t k = 0;
    for (size_t p = 0; p < n && k + 1 < sizeof c->ph; p++) c->ph[k++] = (unsigned char)body[p] < 0x20 ? '?' : body[p];
    c->ph[k] = '\0';
    if (n > k && k > 3) memcpy(c->ph + k - 3, "...", 3);
}

#define NEST_MAX 16

/* Block conditionals: one level per open {{if}}. */
typedef struct {
    int outer;      /* whether the lines around the block are kept */
    int cond;       /* the condition's value (0 when the block is inside a dropped one) */
    int in_else;
    long line;
} block;

/* If the line [a, e) is a control line ({{if QUERY}}, {{else}} or {{end}}, blanks around),
 * handle it and return 1; 0 if it is not one; -1 on error. *keep: whether lines are kept now. */
static int control_line(ctx *c, const char *tmpl, size_t a, size_t e, block *st, int *depth, int *keep)
{
    while (a < e && tmpl[a] == ' ') a++;
    while (e > a && tmpl[e - 1] == ' ') e--;
    if (e - a < 4 || tmpl[a] != '{' || tmpl[a + 1] != '{' || tmpl[e - 2] != '}' || tmpl[e - 1] != '}') return 0;
    for (size_t p = a + 2; p + 1 < e - 2; p++)
        if ((tmpl[p] == '{' && tmpl[p + 1] == '{') || (tmpl[p] == '}' && tmpl[p + 1] == '}')) return 0;
    size_t b = a + 2, n = e - 2 - b;
    while (n && tmpl[b] == ' ') b++, n--;
    while (n && tmpl[b + n - 1] == ' ') n--;
    set_ph(c, tmpl + b, n);
    if (n > 3 && !strncmp(tmpl + b, "if ", 3)) {
        if (*depth == NEST_MAX) return fail(c, "more than %d nested {{if}} blocks", NEST_MAX);
        block *k = &st[(*depth)++];
        k->outer = *keep;
        k->cond = 0;
        k->in_else = 0;
        k->line = c->line;
        if (*keep) {
            char q[PH_MAX];
            if (n >= sizeof q) return fail(c, "placeholder longer than %d characters", PH_MAX - 1);
            memcpy(q, tmpl + b + 3, n - 3);
            q[n - 3] = '\0';
            if (strchr(q, '|')) return fail(c, "a condition takes no format");
            if (eval_condition(c, q, &k->cond)) return -1;
        }
        *keep = k->outer && k->cond;
        return 1;
    }
    if (n == 4 && !strncmp(tmpl + b, "else", 4)) {
        if (*depth == 0) return fail(c, "{{else}} without {{if}}");
        block *k = &st[*depth - 1];
        if (k->in_else) return fail(c, "a second {{else}} for the {{if}} of line %ld", k->line);
        k->in_else = 1;
        *keep = k->outer && !k->cond;
        return 1;
    }
    if (n == 3 && !strncmp(tmpl + b, "end", 3)) {
        if (*depth == 0) return fail(c, "{{end}} without {{if}}");
        *keep = st[--*depth].outer;
        return 1;
    }
    return 0;
}

int bn_render(const char *tmpl, size_t len, const bn_lookup *lk, bn_buf *out, char *err, size_t errlen)
{
    ctx c = {lk, err, errlen, 1, ""};
    size_t i = 0;
    block st[NEST_MAX];
    int depth = 0, keep = 1;
    bn_buf_append(out, "", 0);
    while (i < len) {
        int bol = i == 0 || tmpl[i - 1] == '\n';
        if (bol && i + 1 < len && tmpl[i] == '%' && tmpl[i + 1] == '%') {
            /* template comment: drop the whole line */
            while (i < len && tmpl[i] != '\n') i++;
            i++;
            c.line++;
            continue;
        }
        if (bol) {
            size_t e = i;
            while (e < len && tmpl[e] != '\n' && tmpl[e] != '\0') e++;
            int rc = control_line(&c, tmpl, i, e, st, &depth, &keep);
            if (rc < 0) return -1;
            if (rc > 0 || !keep) {
                /* a control line, or a line inside a dropped block: not copied, not evaluated */
                while (e < len && tmpl[e] != '\n') e++;
                i = e + 1;
                c.line++;
                continue;
            }
        }
        if (tmpl[i] == '\0') return bn_errf(err, errlen, "line %ld: NUL byte in the template", c.line);
        if (tmpl[i] == '{' && i + 1 < len && tmpl[i + 1] == '{') {
            size_t j = i + 2;
            while (j + 1 < len && !(tmpl[j] == '}' && tmpl[j + 1] == '}') && tmpl[j] != '\n' && tmpl[j] != '\0') j++;
            if (j < len && tmpl[j] == '\0') return bn_errf(err, errlen, "line %ld: NUL byte in the template", c.line);
            if (j + 1 >= len || tmpl[j] == '\n')
                return bn_errf(err, errlen, "line %ld: '{{' without '}}' on the same line", c.line);
            size_t n = j - (i + 2);
            set_ph(&c, tmpl + i + 2, n);
            /* a table placeholder must have its line to itself, a condition must start it */
            int first = 1, alone;
            for (size_t p = i; p > 0 && tmpl[p - 1] != '\n'; p--) if (tmpl[p - 1] != ' ') first = 0;
            alone = first;
            for (size_t p = j + 2; p < len && tmpl[p] != '\n'; p++) if (tmpl[p] != ' ') alone = 0;
            int rc = eval_placeholder(&c, tmpl + i + 2, n, alone, first, out);
            if (rc < 0) return -1;
            i = j + 2;
            if (rc == 1) {
                /* a false condition: drop the line with its newline (and the blanks before it) */
                while (out->len && out->s[out->len - 1] == ' ') out->s[--out->len] = '\0';
                while (i < len && tmpl[i] != '\n') i++;
                if (i < len) i++;
                c.line++;
            }
            continue;
        }
        if (tmpl[i] == '\n') c.line++;
        bn_buf_append(out, tmpl + i, 1);
        i++;
    }
    if (depth) return bn_errf(err, errlen, "line %ld: {{if}} without {{end}}", st[depth - 1].line);
    return 0;
}
