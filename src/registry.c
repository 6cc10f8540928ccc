/* registry.c - the table of experiments; bnlab's usage, dispatch and `list-files`, and the
 * Makefile's per-experiment rules (through build/experiments.mk) all derive from it. */
#include "registry.h"

#include <string.h>

/* One row per experiment; a row's fields are described in registry.h. */
const bn_experiment bn_experiments[] = {
    {.command = "forward-train", .help = "experiment 1: batchnorm forward, train mode",
     .check = bn_exp_forward_train, .files = "exp1_forward_train.tsv", .sources = "src/exp_checks.c",
     .report = "exp1_forward_train.tsv", .compared = "exp1_forward_train.tsv"},
    {.command = "forward-test", .help = "experiment 2: batchnorm forward, test mode after 50 warm-up batches",
     .check = bn_exp_forward_test, .files = "exp2_forward_test.tsv", .sources = "src/exp_checks.c",
     .report = "exp2_forward_test.tsv", .compared = "exp2_forward_test.tsv"},
    {.command = "bn-gradcheck", .help = "experiment 3: batchnorm backward gradient check and speed",
     .check = bn_exp_bn_gradcheck, .files = "exp3_bn_gradcheck.tsv", .sources = "src/exp_checks.c src/gradcheck.c",
     .report = "exp3_bn_gradcheck.tsv", .compared = "exp3_bn_gradcheck.tsv"},
    {.command = "net-gradcheck", .help = "experiment 4: gradient check of a small net with batchnorm",
     .check = bn_exp_net_gradcheck, .files = "exp4_net_gradcheck.tsv exp4_initial_loss.tsv",
     .sources = "src/exp_checks.c src/gradcheck.c", .report = "exp4_net_gradcheck.tsv exp4_initial_loss.tsv",
     .compared = "exp4_initial_loss.tsv exp4_net_gradcheck.tsv"},
    {.command = "deepnet", .help = "experiment 5: deep net, batchnorm vs baseline (needs the dataset)",
     .training = 1, .train = bn_exp_deepnet, .files = "exp5_deepnet.tsv exp5_deepnet_loss.tsv exp5_deepnet_acc.tsv",
     .sources = "src/exp_training.c src/solver.c src/optim.c src/runner.c src/data.c",
     .figure = "exp5_deepnet", .seeds_figure = "seeds_deepnet", .compare_figure = "compare_deepnet",
     .report = "exp5_deepnet.tsv exp5_deepnet_acc.tsv", .seeds = "exp5_deepnet_seeds.tsv exp5_deepnet_by_seed.tsv",
     .compared = "exp5_deepnet.tsv"},
    {.command = "sweep", .help = "experiment 6: weight-scale sweep (needs the dataset)",
     .training = 1, .train = bn_exp_sweep, .files = "exp6_sweep.tsv exp6_sweep_loss.tsv exp6_sweep_acc.tsv",
     .sources = "src/exp_training.c src/solver.c src/optim.c src/runner.c src/data.c",
     .figure = "exp6_sweep", .seeds_figure = "seeds_sweep", .compare_figure = "compare_sweep",
     .report = "exp6_sweep.tsv", .seeds = "exp6_sweep_seeds.tsv exp6_sweep_by_seed.tsv", .compared = "exp6_sweep.tsv"},
    {.command = "layernorm-checks", .help = "experiment 7a: layernorm forward and gradient checks; net check per norm",
     .check = bn_exp_layernorm_checks,
     .files = "exp7_net_gradcheck_norms.tsv exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv",
     .sources = "src/exp_checks.c src/gradcheck.c",
     .report = "exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv exp7_net_gradcheck_norms.tsv",
     .compared = "exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv exp7_net_gradcheck_norms.tsv"},
    {.command = "batchsize", .help = "experiment 7b: batch sizes 5, 10, 50 with batchnorm/layernorm, baseline at 5",
     .training = 1, .train = bn_exp_batchsize, .files = "exp7_batchsize.tsv exp7_batchsize_loss.tsv exp7_batchsize_acc.tsv",
     .sources = "src/exp_training.c src/solver.c src/optim.c src/runner.c src/data.c",
     .figure = "exp7_batchsize", .seeds_figure = "seeds_batchsize", .compare_figure = "compare_batchsize",
     .report = "exp7_batchsize.tsv exp7_batchsize_acc.tsv", .seeds = "exp7_batchsize_seeds.tsv exp7_gap_seeds.tsv",
     .compared = "exp7_batchsize.tsv"},
};
const int bn_n_experiments = (int)(sizeof bn_experiments / sizeof *bn_experiments);

const bn_experiment *bn_experiment_find(const char *command)
{
    for (int i = 0; i < bn_n_experiments; i++)
        if (!strcmp(bn_experiments[i].command, command)) return &bn_experiments[i];
    return NULL;
}

/* An optional field: absent means none. */
static const char *opt(const char *field) { return field ? field : ""; }

/* Print the words of a space-separated list, each through FMT (one %s). */
static void each_word(FILE *f, const char *list, const char *fmt)
{
    char w[256];
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n > 0 && n < sizeof w) {
            memcpy(w, p, n);
            w[n] = 0;
            fprintf(f, fmt, w);
        }
        p += n;
        p += strspn(p, " ");
    }
}

void bn_registry_list_files(FILE *f)
{
    fprintf(f, "experiment\tkind\tfile\tcompletion\n");
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_experiment *e = &bn_experiments[i];
        size_t first = strcspn(e->files, " ");
        char fmt[160];
        snprintf(fmt, sizeof fmt, "%s\t%s\t%%s\tno\n", e->command, e->training ? "training" : "check");
        fprintf(f, "%s\t%s\t%.*s\tyes\n", e->command, e->training ? "training" : "check", (int)first, e->files);
        each_word(f, e->files + first, fmt);
    }
}

/* Per experiment X: BN_EXP_DONE_X (its completion file), BN_EXP_FILES_X, BN_EXP_SOURCES_X,
 * BN_EXP_FIGURE_X (etc., "" for none); and the lists over all rows. */
void bn_registry_print_make(FILE *f)
{
    const char *lists[] = {"BN_CHECKS", "BN_TRAININGS", "BN_FIGURES", "BN_SEEDS_FIGURES", "BN_COMPARE_FIGURES",
                           "BN_RESULT_FILES", "BN_CLAIMED_SOURCES", "BN_REPORT_FILES", "BN_SEEDS_FILES",
                           "BN_COMPARED_FILES"};
    fprintf(f, "# build/experiments.mk: generated by `bnlab list-files --make` from src/registry.c; do not edit.\n");
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_experiment *e = &bn_experiments[i];
        const char *c = e->command;
        fprintf(f, "BN_EXP_DONE_%s := %.*s\n", c, (int)strcspn(e->files, " "), e->files);
        fprintf(f, "BN_EXP_FILES_%s := %s\nBN_EXP_SOURCES_%s := %s\n", c, e->files, c, e->sources);
        fprintf(f, "BN_EXP_FIGURE_%s := %s\nBN_EXP_SEEDS_FIGURE_%s := %s\nBN_EXP_COMPARE_FIGURE_%s := %s\n", c,
                opt(e->figure), c, opt(e->seeds_figure), c, opt(e->compare_figure));
    }
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) {
        fprintf(f, "%s :=", lists[l]);
        for (int i = 0; i < bn_n_experiments; i++) {
            const bn_experiment *e = &bn_experiments[i];
            switch (l) {
            case 0: if (!e->training) fprintf(f, " %s", e->command); break;
            case 1: if (e->training) fprintf(f, " %s", e->command); break;
            case 2: fprintf(f, " %s", opt(e->figure)); break;
            case 3: fprintf(f, " %s", opt(e->seeds_figure)); break;
            case 4: fprintf(f, " %s", opt(e->compare_figure)); break;
            case 5: fprintf(f, " %s", e->files); break;
            case 6: fprintf(f, " %s", e->sources); break;
            case 7: fprintf(f, " %s", opt(e->report)); break;
            case 8: fprintf(f, " %s", opt(e->seeds)); break;
            default: fprintf(f, " %s", opt(e->compared)); break;
            }
        }
        fprintf(f, "\n");
    }
}
