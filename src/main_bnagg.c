/* main_bnagg.c - bnagg's command line: `seeds` (statistics across seeded runs, agg_seeds.c),
 * `compare` (two runs side by side, agg_compare.c) and `noise` (a run page's noise, agg_noise.c). */
#include "agg_tools.h"
#include "cmdline.h"
#include "error.h"
#include "guard.h"
#include "version.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
    "usage: bnagg seeds [-q] --out DIR RUN...\n"
    "       bnagg compare [-q] --out DIR RUN_A RUN_B\n"
    "       bnagg noise [-q] --out DIR RUN\n"
    "       bnagg findings [-q] --out DIR RUN REFERENCE.tsv\n"
    "       bnagg claims [-q] --out DIR RUN...\n"
    "  seeds            statistics across the seeded runs RUN... (one configuration, different seeds)\n"
    "  compare          which result files of RUN_A and RUN_B differ, and every numeric cell of both\n"
    "  noise            the noise RUN's own page judges batchnorm - baseline by (a study of its\n"
    "                   configuration beside it, seeds-*, or sampling noise only)\n"
    "  findings         the comparisons RUN's page states, each judged by a verdict function: the\n"
    "                   reference notebook's numbers (REFERENCE.tsv) against RUN's, the ablations\n"
    "                   against the sweep, the batch sizes against each other\n"
    "  claims           those findings of every RUN's page (RUN/report/), over the seeds: in how\n"
    "                   many seeds each holds, and the ledger's values with their spread\n"
    "  -o, --out DIR    folder for the data files (created if needed)\n"
    "  -q, --quiet      no progress line\n"
    "  -h, --help       this text\n"
    "  -V, --version    version and commit\n"
    "Options may come before or after the run folders; -- ends the options.\n";

static void usage_die(void)
{
    bn_die(2, "usage: bnagg seeds|compare|noise|findings|claims [-q] --out DIR RUN... (see bnagg --help)");
}

int main(int argc, char **argv)
{
    bn_guard_stdfds();   /* before anything is opened: no output file may become stderr */
    bn_progname = "bnagg";
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},      {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    if (argc < 2) usage_die();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) { fputs(usage_text, stdout); return 0; }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) { bn_print_version("bnagg"); return 0; }
    if (strcmp(cmd, "seeds") && strcmp(cmd, "compare") && strcmp(cmd, "noise") && strcmp(cmd, "findings") &&
        strcmp(cmd, "claims"))
        usage_die();

    /* getopt_long over the words after the tool's name */
    const char *out = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc - 1, argv + 1, ":o:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            bn_opt_nonempty(optarg, c, longopts);
            /* "--out -q": a following option is a missing value, never the folder's name */
            if (optarg == argv[optind] && optarg[0] == '-') bn_die(2, "option --out needs a value, got option %s", optarg);
            out = optarg;
            break;
        case 'q': bn_quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return 0;
        case 'V': bn_print_version("bnagg"); return 0;
        default: bn_opt_fail(c, argv + 1, longopts, "");
        }
    }
    char **runs = argv + 1 + optind;
    int nruns = argc - 1 - optind;
    /* findings: the last word is the reference file, not a run folder */
    const char *reference = NULL;
    if (!strcmp(cmd, "findings") && nruns == 2) {
        struct stat st;
        reference = runs[1];
        if (stat(reference, &st) != 0 || !S_ISREG(st.st_mode)) bn_die(1, "reference file %s: no such file", reference);
        nruns = 1;
    }
    for (int i = 0; i < nruns; i++) {
        struct stat st;
        if (stat(runs[i], &st) != 0 || !S_ISDIR(st.st_mode)) bn_die(1, "run folder %s: no such folder", runs[i]);
    }
    if (!out) bn_die(2, "option --out DIR is required");
    if (!strcmp(cmd, "seeds")) {
        if (nruns < 1) bn_die(2, "seeds needs at least one run folder");
        return bn_agg_seeds(out, runs, nruns);
    }
    if (!strcmp(cmd, "claims")) {
        if (nruns < 1) bn_die(2, "claims needs at least one run folder");
        return bn_agg_findings_seeds(out, runs, nruns);
    }
    if (!strcmp(cmd, "noise")) {
        if (nruns != 1) bn_die(2, "noise needs exactly one run folder, got %d", nruns);
        return bn_agg_noise(out, runs[0]);
    }
    if (!strcmp(cmd, "findings")) {
        if (!reference || nruns != 1) bn_die(2, "findings needs one run folder and the reference file");
        return bn_agg_findings(out, runs[0], reference);
    }
    if (nruns != 2) bn_die(2, "compare needs exactly two run folders, got %d", nruns);
    return bn_agg_compare(out, runs[0], runs[1]);
}
