/* test_page.c - the report page (src/report/page.c) from a tiny run folder written here: numbers
 * from the data files formatted as the template asks, the contents listing the sections with
 * their anchors, the stylesheet embedded, the same bytes on every render, and a missing figure
 * or data file reported by name with no page written. */
#include "testutil.h"

#include "error.h"
#include "page.h"

/* acc = 0.12345 (key/value) and a column x = 1, 2, 4 in the run's report/ folder */
static const char a_tsv[] = "key\tvalue\nacc\t0.12345\nloss\t2.5\n";
static const char b_tsv[] = "point\tx\n0\t1\n1\t2\n2\t4\n";
static const char style_css[] = "body { color: #123456; }\n";
static const char fig_svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n";
static const char tmpl_md[] =
    "# Tiny & page\n"
    "\n"
    "Before the sections.\n"
    "\n"
    "## First part\n"
    "\n"
    "Accuracy {{a.tsv:value:key=acc|%.2f}}, mean x {{mean(report/b.tsv:x)|%.1f}}.\n"
    "\n"
    "![the figure](fig.svg)\n"
    "\n"
    "### A detail\n"
    "\n"
    "## Second `a<b` part {#custom}\n"
    "\n"
    "## First part\n";

/* The tiny run in the test's folder: DIR/run (data), DIR/out (the page's folder, with the
 * figure), DIR/style.css, DIR/page.md; o points at them, the page at DIR/out/page.html. */
typedef struct {
    char run[128], out[128], style[128], tmpl[128], page[160];
    bn_page_opts o;
} tiny;

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[256];
    tu_write_file(tu_path(path, sizeof path, dir, name), text, strlen(text));
}

static void make_tiny(tiny *t, const char *dir, const char *tmpl)
{
    char sub[160];
    tu_path(t->run, sizeof t->run, dir, "run");
    tu_path(t->out, sizeof t->out, dir, "out");
    tu_path(t->style, sizeof t->style, dir, "style.css");
    tu_path(t->tmpl, sizeof t->tmpl, dir, "page.md");
    tu_path(t->page, sizeof t->page, t->out, "page.html");
    assert_int_equal(mkdir(t->run, 0700), 0);
    assert_int_equal(mkdir(tu_path(sub, sizeof sub, t->run, "report"), 0700), 0);
    assert_int_equal(mkdir(t->out, 0700), 0);
    write_text(t->run, "a.tsv", a_tsv);
    write_text(t->run, "report/b.tsv", b_tsv);
    write_text(t->out, "fig.svg", fig_svg);
    write_text(dir, "style.css", style_css);
    write_text(dir, "page.md", tmpl);
    t->o = (bn_page_opts){t->run, t->tmpl, t->style, t->page, NULL, NULL};
}

/* Render that must succeed; the page's text in *html. */
static void render_ok(const tiny *t, bn_buf *html)
{
    char err[2048] = "";
    int rc = bn_page_render(&t->o, html, err, sizeof err);
    if (rc) print_message("unexpected error: %s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(html->s);
}

/* The folder holds exactly the names given (no page, no temporary file left behind). */
static void assert_folder_holds(const char *dir, const char *const *names, int n)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int seen = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        int known = 0;
        for (int i = 0; i < n; i++) known |= !strcmp(e->d_name, names[i]);
        if (!known) print_error("unexpected file %s/%s\n", dir, e->d_name);
        assert_true(known);
        seen++;
    }
    closedir(d);
    assert_int_equal(seen, n);
}

/* The writing must fail with status 1 and a one-line message holding both fragments, and
 * leave the page's folder as it was. */
static void expect_write_error(const tiny *t, const char *frag1, const char *frag2)
{
    char err[2048] = "";
    assert_int_equal(bn_page_write(&t->o, err, sizeof err), 1);
    if (!strstr(err, frag1) || !strstr(err, frag2)) print_message("message '%s' lacks '%s' / '%s'\n", err, frag1, frag2);
    assert_non_null(strstr(err, frag1));
    assert_non_null(strstr(err, frag2));
    assert_null(strchr(err, '\n'));
    static const char *const only_fig[] = {"fig.svg"};
    assert_folder_holds(t->out, only_fig, 1);
}

static void numbers_come_formatted_from_the_data_files(void **state)
{
    tiny t;
    make_tiny(&t, *state, tmpl_md);
    bn_buf html = {0};
    render_ok(&t, &html);
    /* %.2f of 0.12345 and %.1f of mean(1, 2, 4) = 2.333..., each in a span naming its query */
    assert_non_null(strstr(html.s, "title=\"a.tsv:value:key=acc\" data-f=\"%.2f\" tabindex=\"0\">0.12</span>"));
    assert_non_null(strstr(html.s, ">2.3</span>"));
    assert_null(strstr(html.s, "0.123"));
    assert_null(strstr(html.s, "{{"));
    /* the title from the level-1 heading, escaped */
    assert_non_null(strstr(html.s, "<title>Tiny &amp; page</title>"));
    assert_non_null(strstr(html.s, "<img src=\"fig.svg\" alt=\"the figure\" />"));
    bn_buf_free(&html);
}

static void contents_list_the_sections_with_their_anchors(void **state)
{
    tiny t;
    make_tiny(&t, *state, tmpl_md);
    bn_buf html = {0};
    render_ok(&t, &html);
    /* level-2 headings in order: ids from the words (unique), or the one given by {#ID} */
    const char *toc = strstr(html.s, "<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n"
                                     "<li><a href=\"#first-part\">First part</a></li>\n"
                                     "<li><a href=\"#custom\">Second a&lt;b part</a></li>\n"
                                     "<li><a href=\"#first-part-2\">First part</a></li>\n"
                                     "</ol>\n</nav>\n");
    assert_non_null(toc);
    /* after the introduction, before the first section */
    const char *intro = strstr(html.s, "Before the sections."), *first = strstr(html.s, "<h2>");
    assert_non_null(intro);
    assert_non_null(first);
    assert_true(intro < toc && toc < first);
    /* each anchor is where its link points, the level-3 heading's too (not listed) */
    static const char *const ids[] = {"first-part", "custom", "first-part-2", "a-detail"};
    for (int i = 0; i < 4; i++) {
        char a[128];
        snprintf(a, sizeof a, "<span class=\"anchor\" id=\"%s\"></span>", ids[i]);
        const char *at = strstr(html.s, a);
        if (!at) print_message("no anchor %s\n", ids[i]);
        assert_non_null(at);
        assert_null(strstr(at + 1, a));
    }
    assert_non_null(strstr(html.s, "<h3><span class=\"anchor\" id=\"a-detail\"></span>A detail</h3>"));
    assert_null(strstr(html.s, "href=\"#a-detail\""));
    assert_null(strstr(html.s, "{#custom}"));
    bn_buf_free(&html);
}

static void style_is_embedded_and_the_page_is_whole(void **state)
{
    tiny t;
    make_tiny(&t, *state, tmpl_md);
    bn_buf html = {0};
    render_ok(&t, &html);
    assert_non_null(strstr(html.s, "<style>\nbody { color: #123456; }\n</style>\n"));
    assert_int_equal(strncmp(html.s, "<!DOCTYPE html>\n", 16), 0);
    const char *end = "</main>\n</body>\n</html>\n";
    assert_true(html.len > strlen(end));
    assert_string_equal(html.s + html.len - strlen(end), end);
    bn_buf_free(&html);
}

static void renders_are_byte_identical(void **state)
{
    tiny t;
    make_tiny(&t, *state, tmpl_md);
    bn_quiet = 1;
    char err[2048] = "", again[160];
    assert_int_equal(bn_page_write(&t.o, err, sizeof err), 0);
    tu_path(again, sizeof again, t.out, "again.html");
    t.o.out_path = again;
    assert_int_equal(bn_page_write(&t.o, err, sizeof err), 0);
    assert_true(tu_files_equal(t.page, again));
    /* the written page is the rendered text, and nothing else is left in its folder */
    bn_buf html = {0};
    render_ok(&t, &html);
    size_t n;
    uint8_t *written = tu_read_file(again, &n);
    assert_int_equal(n, html.len);
    assert_memory_equal(written, html.s, n);
    free(written);
    bn_buf_free(&html);
    static const char *const names[] = {"fig.svg", "page.html", "again.html"};
    assert_folder_holds(t.out, names, 3);
}

static void missing_figure_is_named_and_nothing_written(void **state)
{
    tiny t;
    make_tiny(&t, *state, "# T\n\n## A\n\n{{a.tsv:value:key=acc}}\n\n![gone](missing.svg)\n");
    expect_write_error(&t, "missing.svg", "page.md");
    /* raw HTML figures are checked too */
    write_text(*state, "page.md", "# T\n\n<figure><img src=\"also-missing.svg\"></figure>\n");
    expect_write_error(&t, "also-missing.svg", "draw the figures first");
}

static void missing_data_file_is_named_and_nothing_written(void **state)
{
    tiny t;
    make_tiny(&t, *state, "# T\n\n## A\n\nv {{nope.tsv:value:key=acc}}\n\n![f](fig.svg)\n");
    expect_write_error(&t, "nope.tsv", "cannot read");
    /* a column the file lacks names the file and its columns */
    write_text(*state, "page.md", "# T\n\nv {{a.tsv:zzz}}\n");
    expect_write_error(&t, "a.tsv has no column 'zzz'", "columns: key, value");
    /* a missing stylesheet names it */
    t.o.style_path = "/nonexistent/style.css";
    write_text(*state, "page.md", tmpl_md);
    expect_write_error(&t, "cannot read /nonexistent/style.css", "No such file");
}

static void bad_out_and_bad_headings_are_errors(void **state)
{
    tiny t;
    make_tiny(&t, *state, "## no title\n");
    char err[2048] = "";
    bn_buf html = {0};
    assert_int_equal(bn_page_render(&t.o, &html, err, sizeof err), 1);
    assert_non_null(strstr(err, "no level-1 heading"));
    write_text(*state, "page.md", "# T\n\n## A {#x}\n\n## B {#x}\n");
    assert_int_equal(bn_page_render(&t.o, &html, err, sizeof err), 1);
    assert_non_null(strstr(err, "two headings have the id x"));
    /* an --out that names a folder, not a file: the usage status */
    char slash[200];
    snprintf(slash, sizeof slash, "%s/", t.out);
    t.o.out_path = slash;
    write_text(*state, "page.md", tmpl_md);
    assert_int_equal(bn_page_render(&t.o, &html, err, sizeof err), 2);
    assert_non_null(strstr(err, "not a file name"));
    bn_buf_free(&html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(numbers_come_formatted_from_the_data_files, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(contents_list_the_sections_with_their_anchors, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(style_is_embedded_and_the_page_is_whole, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(renders_are_byte_identical, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(missing_figure_is_named_and_nothing_written, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(missing_data_file_is_named_and_nothing_written, tu_setup_dir, tu_teardown_dir),
        cmocka_unit_test_setup_teardown(bad_out_and_bad_headings_are_errors, tu_setup_dir, tu_teardown_dir),
    };
    tu_filter();
    return cmocka_run_group_tests_name("page", tests, NULL, NULL);
}
