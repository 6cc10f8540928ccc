/* main_bnreport.c - renders the report: the command line, then one call to src/report/page.c,
 * which fills the Markdown template from a run folder's data files, converts it with cmark-gfm
 * and writes one self-contained HTML page with a table of contents. Figures are checked, not
 * drawn: gnuplot made them beforehand. */
#define _POSIX_C_SOURCE 200809L
#include "cmdline.h"
#include "error.h"
#include "page.h"
#include "version.h"
#include "guard.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bnreport [-q] --run DIR --template FILE --style FILE --out FILE\n"
        "  --run DIR        run folder holding the data files (*.tsv) the template reads\n"
        "  --template FILE  Markdown template with {{...}} placeholders (syntax: its header comment)\n"
        "  --style FILE     stylesheet embedded in the page\n"
        "  --out FILE       HTML page to write; the figures it shows must already be in its folder\n"
        "  --src DIR        C sources that {{code(FUNCTION)}} lines excerpt (default src)\n"
        "  --src-url URL    what the excerpts' file:line links start with (default: the --src folder's parent)\n"
        "  -q, --quiet      no progress line\n"
        "  -h, --help       this text\n"
        "  -V, --version    version and commit\n"
        "Options take their value as --opt VALUE or --opt=VALUE, and may be shortened while unambiguous.\n");
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();
    bn_progname = "bnreport";
    const char *run = NULL, *tmpl_path = NULL, *style_path = NULL, *out_path = NULL, *src_dir = "src", *src_url = NULL;
    static const struct option longopts[] = {
        {"run", required_argument, NULL, 'r'},   {"template", required_argument, NULL, 't'},
        {"style", required_argument, NULL, 's'}, {"out", required_argument, NULL, 'o'},
        {"src", required_argument, NULL, 'S'},   {"src-url", required_argument, NULL, 'U'},
        {"quiet", no_argument, NULL, 'q'},       {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0}};
    int c;
    opterr = 0;
    /* only -q, -h and -V are short: the values are always given by their long names */
    while ((c = getopt_long(argc, argv, ":qhV", longopts, NULL)) != -1) {
        const char **dst = c == 'r' ? &run : c == 't' ? &tmpl_path : c == 's' ? &style_path : c == 'o' ? &out_path
                         : c == 'S' ? &src_dir : c == 'U' ? &src_url : NULL;
        if (dst) {
            bn_opt_nonempty(optarg, c, longopts);
            *dst = optarg;
        } else if (c == 'q') bn_quiet = 1;
        else if (c == 'h') { usage(stdout); return 0; }
        else if (c == 'V') { bn_print_version("bnreport"); return 0; }
        else if (c == '?' && optopt == 0) {
            char shown[128];
            snprintf(shown, sizeof shown, "%.*s", (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
            bn_die(2, "unknown argument '%s' (see bnreport --help)", shown);
        } else bn_opt_fail(c, argv, longopts, " (see bnreport --help)");
    }
    if (optind < argc) bn_die(2, "unknown argument '%s' (see bnreport --help)", argv[optind]);
    if (!run || !tmpl_path || !style_path || !out_path)
        bn_die(2, "--run, --template, --style and --out are all required (see bnreport --help)");

    bn_page_opts po = {run, tmpl_path, style_path, out_path, src_dir, src_url};
    char err[2048];
    int rc = bn_page_write(&po, err, sizeof err);
    if (rc) bn_die(rc, "%s", err);
    return 0;
}
