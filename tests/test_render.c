/* test_render.c - the report's TSV reader and template engine (src/report/render.c): placeholders
 * filled from in-memory tables, every kind of bad input reported as an error naming the
 * placeholder (never a blank), table expansion, number formats, and a mutation loop that
 * must never crash (run under ASan+UBSan by `make unit-asan`). */
#include "testutil.h"

#include "render.h"
#include "excerpt.h"

/* A small sweep-like table: weight scale, two nets' accuracies, a loss with non-finite values. */
static const char sweep_tsv[] =
    "point\tws\tbn\tbase\tloss\tname\n"
    "0\t0.0001\t0.25\t0.119\t2.3\talpha\n"
    "1\t0.01\t0.31\t0.2\tnan\tbeta\n"
    "2\t1\t0.16\t0.15\tinf\tgamma\n";
static const char kv_tsv[] = "key\tvalue\nseed\t7\ndataset\tcifar-10\nodd\ta<b|c*d_e\nnote\tshort of the line\nhash\t0123456789abcdef0123456789abcdef\n";

typedef struct {
    bn_tsv tabs[2];
    bn_tsv_set set;
    bn_lookup lk;
    bn_buf out;
    char err[1024];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    assert_int_equal(bn_tsv_parse(&f->tabs[0], "sweep.tsv", sweep_tsv, strlen(sweep_tsv), err, sizeof err), 0);
    assert_int_equal(bn_tsv_parse(&f->tabs[1], "kv.tsv", kv_tsv, strlen(kv_tsv), err, sizeof err), 0);
    f->set = (bn_tsv_set){f->tabs, 2};
    static const char *const names[] = {"answer"}, *const values[] = {"42"};
    f->lk = (bn_lookup){bn_tsv_set_find, &f->set, names, values, 1, 0};
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bn_tsv_free(&f->tabs[0]);
    bn_tsv_free(&f->tabs[1]);
    bn_buf_free(&f->out);
    free(f);
    return 0;
}

/* Render tmpl; returns the status, leaves the text in f->out and any message in f->err. */
static int render(fixture *f, const char *tmpl)
{
    bn_buf_free(&f->out);
    f->err[0] = '\0';
    return bn_render(tmpl, strlen(tmpl), &f->lk, &f->out, f->err, sizeof f->err);
}

static void expect(fixture *f, const char *tmpl, const char *want)
{
    int rc = render(f, tmpl);
    if (rc) print_message("template %s: unexpected error: %s\n", tmpl, f->err);
    assert_int_equal(rc, 0);
    assert_string_equal(f->out.s, want);
}

/* The render must fail, with a one-line message holding every fragment given. */
static void expect_error(fixture *f, const char *tmpl, const char *frag1, const char *frag2)
{
    int rc = render(f, tmpl);
    if (rc == 0) print_message("template %s: rendered as '%s', expected an error\n", tmpl, f->out.s);
    assert_int_equal(rc, -1);
    assert_null(strchr(f->err, '\n'));
    if (!strstr(f->err, frag1) || (frag2 && !strstr(f->err, frag2)))
        print_message("message '%s' lacks '%s' / '%s'\n", f->err, frag1, frag2 ? frag2 : "");
    assert_non_null(strstr(f->err, frag1));
    if (frag2) assert_non_null(strstr(f->err, frag2));
}

static void tsv_parse_reads_header_and_cells(void **state)
{
    fixture *f = *state;
    const bn_tsv *t = &f->tabs[0];
    assert_int_equal(t->ncols, 6);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(t->cols[4], "loss");
    assert_int_equal(bn_tsv_col(t, "base"), 3);
    assert_int_equal(bn_tsv_col(t, "nope"), -1);
    assert_string_equal(t->cells[2 * t->ncols + 5], "gamma");

    /* no final newline, empty cells and a header-only file are all fine */
    bn_tsv u;
    char err[256];
    assert_int_equal(bn_tsv_parse(&u, "u.tsv", "a\tb\n\t2", 6, err, sizeof err), 0);
    assert_int_equal(u.nrows, 1);
    assert_string_equal(u.cells[0], "");
    assert_string_equal(u.cells[1], "2");
    bn_tsv_free(&u);
    assert_int_equal(bn_tsv_parse(&u, "u.tsv", "a\tb\n", 4, err, sizeof err), 0);
    assert_int_equal(u.nrows, 0);
    bn_tsv_free(&u);
}

static void tsv_parse_rejects_malformed_files(void **state)
{
    (void)state;
    static const struct { const char *text; size_t len; const char *frag; } bad[] = {
        {"", 0, "empty file"},
        {"a\tb\n1\t2\n3\n", 10, "line 3: 1 fields, the header has 2"},
        {"a\tb\n1\t2\t3\n", 10, "line 2: 3 fields, the header has 2"},
        {"a\tb\r\n1\t2\r\n", 11, "carriage return"},
        {"a\ta\n1\t2\n", 8, "'a' appears twice"},
        {"a\t\n1\t2\n", 7, "column 2 has no name"},
        {"a\tb\n\n1\t2\n", 9, "line 2: empty line"},
        {"a\tb\n1\0\t2\n", 8, "NUL byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bn_tsv t;
        char err[256] = "";
        int rc = bn_tsv_parse(&t, "bad.tsv", bad[i].text, bad[i].len, err, sizeof err);
        if (rc == 0 || !strstr(err, bad[i].frag)) print_message("case %zu: rc %d, message '%s'\n", i, rc, err);
        assert_int_equal(rc, -1);
        assert_non_null(strstr(err, bad[i].frag));
    }
}

static void cells_are_filled_by_row_and_by_condition(void **state)
{
    fixture *f = *state;
    expect(f, "ws {{sweep.tsv:ws:#0}} and {{sweep.tsv:ws:#-1}}.", "ws 0.0001 and 1.");
    expect(f, "{{sweep.tsv:bn:name=beta|%.3f}}", "0.310");
    expect(f, "{{ sweep.tsv : base : point=2 , ws>0.5 }}", "0.15");
    expect(f, "{{kv.tsv:value:key=dataset}} seed {{kv.tsv:value:key=seed|%d}}", "cifar-10 seed 7");
    /* a column on the right of a condition compares cell with cell */
    expect(f, "{{count(sweep.tsv:*:base>bn)}} {{sweep.tsv:name:bn>base,ws>0.5}}", "0 gamma");
}

static void missing_values_are_errors_not_blanks(void **state)
{
    fixture *f = *state;
    expect_error(f, "x {{sweep.tsv:nope:#0}} y", "{{sweep.tsv:nope:#0}}", "no column 'nope'");
    expect_error(f, "{{absent.tsv:a:#0}}", "absent.tsv", NULL);
    expect_error(f, "{{sweep.tsv:bn:name=delta}}", "selects 0 rows", NULL);
    expect_error(f, "{{sweep.tsv:bn}}", "selects 3 rows", NULL);
    expect_error(f, "{{sweep.tsv:bn:#3}}", "has 3 rows", NULL);
    expect_error(f, "{{unknown_name}}", "no value named 'unknown_name'", NULL);
    expect_error(f, "{{mean(sweep.tsv:loss:point>0)}}", "no finite values", NULL);
    expect_error(f, "{{min(sweep.tsv:name)}}", "'alpha' is not a number", NULL);
    expect_error(f, "{{median(sweep.tsv:bn)}}", "unknown function 'median'", NULL);
    expect_error(f, "{{sweep.tsv:bn:name<beta}}", "neither a number nor a column", NULL);
    expect_error(f, "{{}}", "empty placeholder", NULL);
    expect_error(f, "line one\nline {{sweep.tsv:bn:#0", "line 2", "without '}}'");
    expect_error(f, "{{list(sweep.tsv:bn) - sweep.tsv:bn:#0}}", "cannot take part in arithmetic", NULL);
    /* the line number counts template lines, comments included */
    expect_error(f, "%% comment\n\nsee {{sweep.tsv:bad:#0}}", "line 3:", NULL);
}

static void aggregates_use_finite_values(void **state)
{
    fixture *f = *state;
    expect(f, "{{count(sweep.tsv:*)}} {{count(sweep.tsv:*:base<=0.12)}} {{count(sweep.tsv:*:point>5)}}", "3 1 0");
    expect(f, "{{min(sweep.tsv:bn)}} {{max(sweep.tsv:bn)}} {{sum(sweep.tsv:point)}}", "0.16 0.31 3");
    expect(f, "{{mean(sweep.tsv:bn)|%.4f}}", "0.2400");
    /* population std of 0.25, 0.31, 0.16 */
    expect(f, "{{std(sweep.tsv:bn)|%.6f}}", "0.061644");
    /* sample sd (n - 1) of the same */
    expect(f, "{{sd(sweep.tsv:bn)|%.6f}}", "0.075498");
    /* loss holds 2.3, nan, inf: one finite value, two non-finite */
    expect(f, "{{mean(sweep.tsv:loss)}} {{nonfinite(sweep.tsv:loss)}}", "2.3 2");
    expect(f, "{{argmax(sweep.tsv:bn::ws)}} {{argmin(sweep.tsv:bn::name)}}", "0.01 gamma");
    expect(f, "[{{list(sweep.tsv:ws:base<0.2)|%.0e}}] [{{list(sweep.tsv:ws:base>1)}}]", "[1e-04, 1e+00] [none]");
}

static void arithmetic_and_formats(void **state)
{
    fixture *f = *state;
    expect(f, "{{sweep.tsv:bn:#1 - sweep.tsv:base:#1|%+.2f}}", "+0.11");
    expect(f, "{{max(sweep.tsv:bn) / min(sweep.tsv:bn)|%.3g}}", "1.94");
    expect(f, "{{mean(sweep.tsv:bn) - mean(sweep.tsv:base)|sign:lower:equal:higher}}", "higher");
    expect(f, "{{sweep.tsv:bn:#0 - sweep.tsv:bn:#0|sign:lower:equal:higher}}", "equal");
    expect(f, "{{sweep.tsv:bn:#0|%.1f%%}} {{sweep.tsv:bn:#0|%8.3e}} {{count(sweep.tsv:*)|%03d}}", "0.2% 2.500e-01 003");
    expect(f, "{{sweep.tsv:loss:#1|%.3f}} {{sweep.tsv:loss:#2|%.3f}}", "nan inf");
    expect(f, "{{answer}} {{answer|%.1f}}", "42 42.0");
    expect_error(f, "{{sweep.tsv:bn:#0|%d}}", "not an integer", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0|%s%s}}", "format", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0|%n}}", "not one printf conversion", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0|%.3f %.3f}}", "exactly one conversion", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0|%123f}}", "width too large", NULL);
    expect_error(f, "{{sweep.tsv:name:#0|%.2f}}", "'alpha' is not a number", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0|sign:a:b}}", "sign:NEG:ZERO:POS", NULL);
}

/* judge(): a difference against a threshold, each way, as a word, in a condition and in a sum */
/* judge(): a difference against a threshold, each way, as a word, in a condition and in a sum */
static void judge_says_within_noise_or_a_direction(void **state)
{
    fixture *f = *state;
    /* bn holds 0.25, 0.31, 0.16; base 0.119, 0.2, 0.15: bn#1 - base#1 = +0.11, bn#2 - base#2 = 0.01 */
    const char *words = "|sign:lower:within noise:higher}}";
    const char *d = "sweep.tsv:bn:#1 - sweep.tsv:base:#1", *small = "sweep.tsv:bn:#2 - sweep.tsv:base:#2";
    char t[512];
    snprintf(t, sizeof t, "{{judge(%s ; %s)%s", d, small, words);
    expect(f, t, "higher");                                         /* +0.11 beyond 0.01 */
    snprintf(t, sizeof t, "{{judge(%s ; sweep.tsv:base:#1)%s", d, words);
    expect(f, t, "within noise");                                   /* +0.11 within 0.2 */
    snprintf(t, sizeof t, "{{judge(sweep.tsv:base:#1 - sweep.tsv:bn:#1 ; %s)%s", small, words);
    expect(f, t, "lower");                                          /* -0.11 below -0.01 */
    snprintf(t, sizeof t, "{{judge(%s ; sweep.tsv:bn:#0)%s", small, words);
    expect(f, t, "within noise");
    snprintf(t, sizeof t, "{{judge(sweep.tsv:bn:#0 - sweep.tsv:bn:#0 ; sweep.tsv:bn:#1 - sweep.tsv:bn:#1)%s", words);
    expect(f, t, "within noise");                                   /* 0 at a threshold of 0: not beyond */
    snprintf(t, sizeof t, "{{judge(%s ; %s) + judge(sweep.tsv:base:#1 - sweep.tsv:bn:#1 ; %s)|%%+.0f}}", d, small, small);
    expect(f, t, "+0");                                             /* +1 and -1: a value like any other */
    snprintf(t, sizeof t, "{{if judge(%s ; sweep.tsv:base:#1)}}\nbeyond\n{{else}}\nwithin\n{{end}}\n", d);
    expect(f, t, "within\n");
    snprintf(t, sizeof t, "{{if judge(%s ; %s)}}\nbeyond\n{{else}}\nwithin\n{{end}}\n", d, small);
    expect(f, t, "beyond\n");
    /* nothing to judge: an error, never a verdict */
    expect_error(f, "{{judge(sweep.tsv:loss:#1 ; sweep.tsv:bn:#0)|sign:a:b:c}}", "judge()", "not a comparison of finite numbers");
    expect_error(f, "{{judge(sweep.tsv:bn:#0 ; sweep.tsv:loss:#2)}}", "judge()", "not a comparison of finite numbers");
    /* a value that diverged (loss #2 is inf) is beyond any finite threshold */
    expect(f, "{{judge(sweep.tsv:loss:#2 ; sweep.tsv:bn:#0)|sign:lower:within:higher}}", "higher");
    expect(f, "{{judge(sweep.tsv:bn:#0 - sweep.tsv:loss:#2 ; sweep.tsv:bn:#0)|sign:lower:within:higher}}", "lower");
    expect_error(f, "{{judge(sweep.tsv:bn:#0)}}", "judge(DIFFERENCE ; THRESHOLD)", NULL);
    expect_error(f, "{{judge(sweep.tsv:bn:#0 ; sweep.tsv:bn:#1 ; sweep.tsv:bn:#2)}}", "judge(DIFFERENCE ; THRESHOLD)", NULL);
    expect_error(f, "{{judge(sweep.tsv:name:#0 ; sweep.tsv:bn:#0)}}", "two numbers", NULL);
}

static void tables_expand_to_markdown(void **state)
{
    fixture *f = *state;
    expect(f, "before\n{{table(sweep.tsv:ws=Scale,name,bn=BN acc.:point<2)|%.2g,%s,%.2f}}\nafter",
           "before\n| Scale | name | BN acc. |\n| ---: | :--- | ---: |\n| 0.0001 | alpha | 0.25 |\n| 0.01 | beta | 0.31 |\nafter");
    expect(f, "  {{table(kv.tsv:key:key=seed)}}  ", "  | key |\n| :--- |\n| seed |  ");
    expect_error(f, "text {{table(sweep.tsv:ws)}}", "alone on its line", NULL);
    expect_error(f, "{{table(sweep.tsv:ws,bn)|%.1f,%.1f,%.1f}}", "3 formats for 2 columns", NULL);
    expect_error(f, "{{table(sweep.tsv:ws:point>9)}}", "matches no rows", NULL);
    expect_error(f, "{{table(sweep.tsv:nope)}}", "no column 'nope'", NULL);
}

static void comments_and_conditions_drop_lines(void **state)
{
    fixture *f = *state;
    expect(f, "%% a comment {{not parsed}}\nkept\n%%\n", "kept\n");
    expect(f, "a\n{{?count(sweep.tsv:*:bn>0.3)}}shown {{kv.tsv:value:key=seed}}\nb", "a\nshown 7\nb");
    expect(f, "a\n  {{?count(sweep.tsv:*:bn>0.5)}}hidden\nb", "a\nb");
    expect(f, "{{?kv.tsv:value:key=seed}}yes", "yes");
    expect_error(f, "x {{?count(sweep.tsv:*)}}", "must start its line", NULL);
    expect_error(f, "{{?kv.tsv:value:key=dataset}}", "needs a number", NULL);
}

static void sums_chain_left_to_right(void **state)
{
    fixture *f = *state;
    /* 0.31 - 0.2 + 0.25 - 0.119, left to right */
    expect(f, "{{sweep.tsv:bn:#1 - sweep.tsv:base:#1 + sweep.tsv:bn:#0 - sweep.tsv:base:#0|%.3f}}", "0.241");
    expect(f, "{{count(sweep.tsv:*) + count(sweep.tsv:*:bn>0.3) + answer}}", "46");
    expect(f, "{{?count(sweep.tsv:*:bn>0.5) + count(sweep.tsv:*:bn>0.3)}}kept", "kept");
    expect_error(f, "{{sweep.tsv:bn:#0 / sweep.tsv:bn:#1 + sweep.tsv:bn:#2}}", "exactly two terms", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0 + sweep.tsv:name:#0}}", "'alpha' is not a number", NULL);
    expect_error(f, "{{sweep.tsv:bn:#0 + list(sweep.tsv:bn)}}", "cannot take part in arithmetic", NULL);
}

static void blocks_keep_or_drop_lines(void **state)
{
    fixture *f = *state;
    expect(f, "a\n{{if count(sweep.tsv:*:bn>0.3)}}\nin {{sweep.tsv:ws:#0}}\n{{else}}\nout\n{{end}}\nb\n", "a\nin 0.0001\nb\n");
    expect(f, "a\n  {{ if count(sweep.tsv:*:bn>0.5) }}  \nin\n{{else}}\nout\n {{end}}\nb", "a\nout\nb");
    /* a dropped block is not evaluated: its placeholders may name absent files */
    expect(f, "{{if count(sweep.tsv:*:bn>0.5)}}\n{{absent.tsv:x:#0}} {{table(absent.tsv:x)}}\n{{end}}\nok", "ok");
    /* nested: the inner condition is evaluated only inside a kept block */
    expect(f, "{{if count(sweep.tsv:*)}}\n1\n{{if count(sweep.tsv:*:bn>0.5)}}\n2\n{{else}}\n3\n{{end}}\n4\n{{end}}\n",
           "1\n3\n4\n");
    expect(f, "{{if count(sweep.tsv:*:bn>0.5)}}\n{{if absent.tsv:x:#0}}\nx\n{{else}}\ny\n{{end}}\n{{else}}\nz\n{{end}}\n", "z\n");
    expect_error(f, "x\n{{if count(sweep.tsv:*)}}\ny\n", "line 2", "without {{end}}");
    expect_error(f, "{{end}}", "{{end}} without {{if}}", NULL);
    expect_error(f, "{{else}}", "{{else}} without {{if}}", NULL);
    expect_error(f, "{{if answer}}\n{{else}}\n{{else}}\n{{end}}", "a second {{else}}", NULL);
    expect_error(f, "text {{if answer}}", "must stand alone", NULL);
    expect_error(f, "{{if kv.tsv:value:key=dataset}}\n{{end}}", "needs a number", NULL);
    expect_error(f, "{{if answer|%d}}\n{{end}}", "takes no format", NULL);
    expect_error(f, "{{if absent.tsv:x:#0}}\n{{end}}", "absent.tsv", NULL);
}

static void links_are_relative_paths(void **state)
{
    fixture *f = *state;
    static const char pages_tsv[] = "seed\tpage\n0\t../../seed-0/report/index.html\n1\thttp://x.org/a\n2\t/etc/passwd\n";
    bn_tsv tabs[3];
    char err[256];
    tabs[0] = f->tabs[0];
    tabs[1] = f->tabs[1];
    assert_int_equal(bn_tsv_parse(&tabs[2], "pages.tsv", pages_tsv, strlen(pages_tsv), err, sizeof err), 0);
    bn_tsv_set set = {tabs, 3};
    f->lk.ctx = &set;
    expect(f, "{{pages.tsv:page:seed=0|link}}", "[../../seed-0/report/index.html](../../seed-0/report/index.html)");
    expect(f, "{{pages.tsv:page:seed=0|link:seed 0 [page]}}", "[seed 0 \\[page\\]](../../seed-0/report/index.html)");
    expect(f, "{{table(pages.tsv:seed=Seed,page=Page:seed=0)|%s,link:open}}",
           "| Seed | Page |\n| ---: | :--- |\n| 0 | [open](../../seed-0/report/index.html) |");
    f->lk.annotate = 1;
    expect(f, "{{pages.tsv:page:seed=0|link:open}}",
           "<span class=\"v\" title=\"pages.tsv:page:seed=0\" data-f=\"link:open\" tabindex=\"0\">[open](../../seed-0/report/index.html)</span>");
    f->lk.annotate = 0;
    expect_error(f, "{{pages.tsv:page:seed=1|link}}", "not a relative link", NULL);
    expect_error(f, "{{pages.tsv:page:seed=2|link}}", "not a relative link", NULL);
    expect_error(f, "{{pages.tsv:page:seed=0|link:}}", "needs a text", NULL);
    expect_error(f, "{{list(pages.tsv:page)|link}}", "cannot be a link", NULL);
    f->lk.ctx = &f->set;
    bn_tsv_free(&tabs[2]);
}

static void annotation_names_the_source_and_escapes(void **state)
{
    fixture *f = *state;
    f->lk.annotate = 1;
    expect(f, "{{sweep.tsv:bn:ws<0.001|%.2f}}",
           "<span class=\"v\" title=\"sweep.tsv:bn:ws&lt;0.001\" data-f=\"%.2f\" tabindex=\"0\">0.25</span>");
    /* Markdown punctuation in values is backslashed; table cells name their row */
    expect(f, "{{kv.tsv:value:key=odd}}", "<span class=\"v\" title=\"kv.tsv:value:key=odd\" tabindex=\"0\">a\\<b\\|c\\*d\\_e</span>");
    expect(f, "{{table(kv.tsv:value:key=seed)}}",
           "| value |\n| ---: |\n| <span class=\"v\" title=\"kv.tsv:value:#0\" tabindex=\"0\">7</span> |");
    /* a number or a short word never breaks inside; a phrase or a long token may wrap */
    expect(f, "{{kv.tsv:value:key=note}}", "<span class=\"v wrap\" title=\"kv.tsv:value:key=note\" tabindex=\"0\">short of the line</span>");
    expect(f, "{{kv.tsv:value:key=hash}}",
           "<span class=\"v wrap\" title=\"kv.tsv:value:key=hash\" tabindex=\"0\">0123456789abcdef0123456789abcdef</span>");
    expect(f, "{{kv.tsv:value:key=dataset}}", "<span class=\"v\" title=\"kv.tsv:value:key=dataset\" tabindex=\"0\">cifar-10</span>");
    f->lk.annotate = 0;
}

/* Random byte edits of a valid template must give either a rendering or an error message,
 * never a crash or a read out of bounds. */
static void mutated_templates_never_crash(void **state)
{
    fixture *f = *state;
    static const char base[] =
        "# T\n{{sweep.tsv:bn:#0|%.3f}} {{mean(sweep.tsv:bn:ws>0.001) - min(sweep.tsv:base)|%+.2e}}\n"
        "{{table(sweep.tsv:ws=W,bn=B:point!=1)|%.2g,%.2f}}\n{{?count(sweep.tsv:*)}}{{list(sweep.tsv:name)}}\n"
        "{{argmax(sweep.tsv:bn::name)}} {{kv.tsv:value:key=seed|sign:a:b:c}} {{answer}}\n"
        "{{if count(sweep.tsv:*) - answer + count(sweep.tsv:*:bn>0.2)}}\nin\n{{else}}\n{{kv.tsv:value:#0|link:x}}\n{{end}}\n";
    const char alphabet[] = "{}|:#()%-,=<>!?*.0123456789abdefgnstvx \n\t";
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 4);
    char buf[sizeof base];
    int ok = 0, failed = 0;
    for (int it = 0; it < 4000; it++) {
        memcpy(buf, base, sizeof base);
        int edits = 1 + (int)gsl_rng_uniform_int(r, 4);
        for (int e = 0; e < edits; e++) {
            size_t at = gsl_rng_uniform_int(r, sizeof base - 1);
            buf[at] = gsl_rng_uniform(r) < 0.05 ? (char)gsl_rng_uniform_int(r, 256)
                                               : alphabet[gsl_rng_uniform_int(r, sizeof alphabet - 1)];
        }
        bn_buf out = {0};
        char err[512] = "";
        f->lk.annotate = (int)(it & 1);
        int rc = bn_render(buf, sizeof base - 1, &f->lk, &out, err, sizeof err);
        if (rc) {
            failed++;
            assert_true(err[0] != '\0');
            assert_null(strchr(err, '\n'));
        } else {
            ok++;
        }
        bn_buf_free(&out);
    }
    f->lk.annotate = 0;
    gsl_rng_free(r);
    /* both outcomes occur, so the loop exercises the engine's success and error paths */
    assert_true(ok > 0 && failed > 0);
}

/* Code excerpts come from src/ by function name (Universal Ctags); a missing name is an error
 * naming it, and only a whole line {{code(NAME)}} asks for one. Run from the repository root. */
static void excerpts_are_found_by_name_or_fail_naming_it(void **state)
{
    (void)state;
    char name[64], err[1200];
    assert_true(bn_excerpt_line("{{code(bn_forward)}}", 20, name, sizeof name));
    assert_string_equal(name, "bn_forward");
    assert_false(bn_excerpt_line("see {{code(bn_forward)}}", 24, name, sizeof name));
    assert_false(bn_excerpt_line("{{code(bn forward)}}", 20, name, sizeof name));
    bn_buf out = {0};
    assert_int_equal(bn_excerpt("src", "bn_forward", "../..", &out, err, sizeof err), 0);
    assert_non_null(strstr(out.s, "<details class=\"code-excerpt\""));
    assert_non_null(strstr(out.s, "href=\"../../src/nn/layers_impl.h#L"));
    assert_non_null(strstr(out.s, "bn_eps"));   /* the function's own body, highlighted */
    bn_buf_free(&out);
    /* the solver's phase clocks (lines marked as make bench's) are left out, and the header says how many */
    bn_buf solver = {0};
    assert_int_equal(bn_excerpt("src", "bn_solver_train", "..", &solver, err, sizeof err), 0);
    assert_non_null(strstr(solver.s, "lines of make bench's clocks left out"));
    assert_null(strstr(solver.s, "PHASE_END"));
    assert_null(strstr(solver.s, "bn_gemm_seconds"));
    assert_non_null(strstr(solver.s, "bn_optim_step"));   /* the computation stays */
    bn_buf_free(&solver);
    bn_buf empty = {0};
    assert_int_equal(bn_excerpt("src", "bn_no_such_function", "..", &empty, err, sizeof err), -1);
    assert_non_null(strstr(err, "no function bn_no_such_function"));
    assert_null(empty.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tsv_parse_reads_header_and_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(tsv_parse_rejects_malformed_files, setup, teardown),
        cmocka_unit_test_setup_teardown(cells_are_filled_by_row_and_by_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_values_are_errors_not_blanks, setup, teardown),
        cmocka_unit_test_setup_teardown(aggregates_use_finite_values, setup, teardown),
        cmocka_unit_test_setup_teardown(arithmetic_and_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(judge_says_within_noise_or_a_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_expand_to_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(comments_and_conditions_drop_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(sums_chain_left_to_right, setup, teardown),
        cmocka_unit_test_setup_teardown(blocks_keep_or_drop_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(links_are_relative_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(annotation_names_the_source_and_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(mutated_templates_never_crash, setup, teardown),
        cmocka_unit_test(excerpts_are_found_by_name_or_fail_naming_it),
    };
    tu_filter();
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
