/* registry.c - the table of experiments; bnlab's usage, dispatch and `list-files`, and the
 * Makefile's per-experiment rules (through build/experiments.mk) all derive from it. */
#include "registry.h"

#include <stddef.h>
#include <string.h>

/* One row per experiment; a row's fields are described in registry.h. */
const bn_experiment bn_experiments[] = {
    {.command = "forward-train", .help = "experiment 1: batchnorm forward, train mode",
     .check = bn_exp_forward_train, .files = "exp1_forward_train.tsv exp1_forward_train_verdict.tsv", .sources = "src/study/exp_checks.c",
     .report = "exp1_forward_train.tsv exp1_forward_train_verdict.tsv", .compared = "exp1_forward_train.tsv"},
    {.command = "forward-test", .help = "experiment 2: batchnorm forward, test mode after 50 warm-up batches",
     .check = bn_exp_forward_test, .files = "exp2_forward_test.tsv exp2_forward_test_verdict.tsv", .sources = "src/study/exp_checks.c",
     .report = "exp2_forward_test.tsv exp2_forward_test_verdict.tsv", .compared = "exp2_forward_test.tsv"},
    {.command = "bn-gradcheck", .help = "experiment 3: batchnorm backward gradient check and speed",
     .check = bn_exp_bn_gradcheck, .files = "exp3_bn_gradcheck.tsv exp3_bn_gradcheck_verdict.tsv", .sources = "src/study/exp_checks.c",
     .report = "exp3_bn_gradcheck.tsv exp3_bn_gradcheck_verdict.tsv", .compared = "exp3_bn_gradcheck.tsv"},
    {.command = "net-gradcheck", .help = "experiment 4: gradient check of a small net with batchnorm",
     .check = bn_exp_net_gradcheck, .files = "exp4_net_gradcheck.tsv exp4_initial_loss.tsv exp4_net_gradcheck_verdict.tsv exp4_initial_loss_verdict.tsv",
     .sources = "src/study/exp_checks.c", .report = "exp4_net_gradcheck.tsv exp4_initial_loss.tsv exp4_net_gradcheck_verdict.tsv exp4_initial_loss_verdict.tsv",
     .compared = "exp4_initial_loss.tsv exp4_net_gradcheck.tsv"},
    {.command = "deepnet", .help = "experiment 5: deep net, batchnorm vs baseline (needs the dataset)",
     .training = 1, .train = bn_exp_deepnet, .files = "exp5_deepnet.tsv exp5_deepnet_loss.tsv exp5_deepnet_acc.tsv exp5_deepnet_verdict.tsv",
     .sources = "src/study/exp_training.c",
     .figure = "exp5_deepnet", .seeds_figure = "seeds_deepnet", .compare_figure = "compare_deepnet",
     .report = "exp5_deepnet.tsv exp5_deepnet_acc.tsv exp5_deepnet_verdict.tsv", .seeds = "exp5_deepnet_seeds.tsv exp5_deepnet_by_seed.tsv exp5_deepnet_seeds_verdict.tsv",
     .compared = "exp5_deepnet.tsv"},
    {.command = "sweep", .help = "experiment 6: weight-scale sweep (needs the dataset)",
     .training = 1, .train = bn_exp_sweep, .files = "exp6_sweep.tsv exp6_sweep_loss.tsv exp6_sweep_acc.tsv exp6_sweep_verdict.tsv",
     .sources = "src/study/exp_training.c",
     .figure = "exp6_sweep", .seeds_figure = "seeds_sweep", .compare_figure = "compare_sweep",
     .report = "exp6_sweep.tsv exp6_sweep_verdict.tsv", .seeds = "exp6_sweep_seeds.tsv exp6_sweep_by_seed.tsv exp6_sweep_seeds_verdict.tsv", .compared = "exp6_sweep.tsv"},
    {.command = "layernorm-checks", .help = "experiment 7a: layernorm forward and gradient checks; net check per norm",
     .check = bn_exp_layernorm_checks,
     .files = "exp7_net_gradcheck_norms.tsv exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv exp7_layernorm_gradcheck_verdict.tsv exp7_net_gradcheck_norms_verdict.tsv",
     .sources = "src/study/exp_checks.c",
     .report = "exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv exp7_net_gradcheck_norms.tsv exp7_layernorm_gradcheck_verdict.tsv exp7_net_gradcheck_norms_verdict.tsv",
     .compared = "exp7_layernorm_forward.tsv exp7_layernorm_gradcheck.tsv exp7_net_gradcheck_norms.tsv"},
    {.command = "batchsize", .help = "experiment 7b: batch sizes 5, 10, 50 with batchnorm/layernorm, baseline at 5",
     .training = 1, .train = bn_exp_batchsize, .files = "exp7_batchsize.tsv exp7_batchsize_loss.tsv exp7_batchsize_acc.tsv",
     .sources = "src/study/exp_training.c",
     .figure = "exp7_batchsize", .seeds_figure = "seeds_batchsize", .compare_figure = "compare_batchsize",
     .report = "exp7_batchsize.tsv exp7_batchsize_acc.tsv", .seeds = "exp7_batchsize_seeds.tsv exp7_gap_seeds.tsv exp7_gap_seeds_verdict.tsv exp7_dependence_seeds.tsv",
     .compared = "exp7_batchsize.tsv"},
    {.command = "activations", .help = "experiment 8: per-layer activation spread, init vs trained, for sweep scales",
     .training = 1, .train = bn_exp_activations,
     .files = "exp8_activations.tsv exp8_activations.info.tsv exp8_updates.tsv exp8_layers.tsv exp8_rescale.tsv",
     .sources = "src/study/exp_activations.c", .figure = "exp8_activations exp8_updates",
     .seeds_figure = "seeds_activations", .seeds = "exp8_activations_seeds.tsv",
     .report = "exp8_activations.tsv exp8_activations.info.tsv exp8_updates.tsv exp8_layers.tsv exp8_rescale.tsv", .compared = "exp8_activations.tsv"},
    {.command = "ablations", .help = "experiment 9: the sweep's batchnorm training with eps, Adam or the output scale changed",
     .training = 1, .train = bn_exp_ablations, .files = "exp9_ablations.tsv exp9_ablations_acc.tsv",
     .sources = "src/study/exp_training.c", .figure = "exp9_ablations",
     .report = "exp9_ablations.tsv", .compared = "exp9_ablations.tsv"},
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

/* The row's string fields as make variables: BN_EXP_<NAME>_X per experiment X, and <LIST>, the
 * concatenation over every row ("" for a list only per experiment). */
static const struct { const char *name, *list; size_t off; } fields[] = {
    {"FILES", "BN_RESULT_FILES", offsetof(bn_experiment, files)},
    {"SOURCES", "", offsetof(bn_experiment, sources)},
    {"FIGURE", "BN_FIGURES", offsetof(bn_experiment, figure)},
    {"SEEDS_FIGURE", "BN_SEEDS_FIGURES", offsetof(bn_experiment, seeds_figure)},
    {"COMPARE_FIGURE", "BN_COMPARE_FIGURES", offsetof(bn_experiment, compare_figure)},
    {"REPORT", "BN_REPORT_FILES", offsetof(bn_experiment, report)},
    {"SEEDS", "BN_SEEDS_FILES", offsetof(bn_experiment, seeds)},
    {"COMPARED", "BN_COMPARED_FILES", offsetof(bn_experiment, compared)},
};
enum { N_FIELDS = sizeof fields / sizeof *fields };

static const char *field(const bn_experiment *e, int k)
{
    return opt(*(const char *const *)(const void *)((const char *)e + fields[k].off));
}

/* Also BN_EXP_DONE_X (X's completion file), and BN_CHECKS and BN_TRAININGS (the commands). */
void bn_registry_print_make(FILE *f)
{
    fprintf(f, "# build/experiments.mk: generated by `bnlab list-files --make` from src/study/registry.c; do not edit.\n");
    for (int i = 0; i < bn_n_experiments; i++) {
        const bn_experiment *e = &bn_experiments[i];
        fprintf(f, "BN_EXP_DONE_%s := %.*s\n", e->command, (int)strcspn(e->files, " "), e->files);
        for (int k = 0; k < N_FIELDS; k++) fprintf(f, "BN_EXP_%s_%s := %s\n", fields[k].name, e->command, field(e, k));
    }
    for (int training = 0; training < 2; training++) {
        fprintf(f, "%s :=", training ? "BN_TRAININGS" : "BN_CHECKS");
        for (int i = 0; i < bn_n_experiments; i++)
            if (bn_experiments[i].training == training) fprintf(f, " %s", bn_experiments[i].command);
        fprintf(f, "\n");
    }
    for (int k = 0; k < N_FIELDS; k++) {
        if (!*fields[k].list) continue;
        fprintf(f, "%s :=", fields[k].list);
        for (int i = 0; i < bn_n_experiments; i++)
            if (*field(&bn_experiments[i], k)) fprintf(f, " %s", field(&bn_experiments[i], k));
        fprintf(f, "\n");
    }
}
