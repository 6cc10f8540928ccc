/* registry.h - the experiments, one row each: what bnlab runs, the files each writes, and what
 * the Makefile, the manifest, bnagg, the report pages and the tests take from it. The rows are
 * data (src/study/registry.def); bnlab alone binds each row to its function, so bnagg links the
 * table too. Adding an experiment is adding a row (docs/experiments.md, "Adding an experiment"). */
#ifndef BN_REGISTRY_H
#define BN_REGISTRY_H

#include <stdio.h>

/* How an experiment's file is summarised over the seeds of a study (`bnagg seeds`): the runs'
 * copies of `in`, which must have the same rows with the same key cells, become `out` beside the
 * study, with the key columns `keys` and for each word of `cols` the statistics of a column
 * (NAME: its mean, SD, ... over the seeds) or, for NAME=A-B, of the paired difference of columns
 * A and B (aggregate.h, bn_agg_write). Skipped when a run lacks `in`. */
typedef struct {
    const char *in, *out, *keys, *cols;
} bn_seed_agg;

/* A training whose two runs are judged against the noise (bnagg compare, noise): its summary
 * file, one row per trained setting matched between runs by the key columns `keys` (at most
 * two); its per-iteration loss file; the study's statistics of the summary (a bn_seed_agg out);
 * its section id on the run page and its name on the compare page; per_net: the summary has
 * batchnorm_X and baseline_X columns (else one net per row, named by its `norm` cell); noise: the
 * run page judges batchnorm - baseline of each row (bnagg noise); seeds_verdict: the file the
 * study's per-row verdicts of batchnorm against the baseline go to (bnagg seeds; per_net only,
 * NULL for none). The compare figure's band
 * file: `band` written from the run's `band_file` (matched by `band_keys`, its columns
 * `band_show` shown and `band_cols` measured), the study's `band_seeds`, with the final loss's
 * within-run noise from the loss file when band_file is the summary. */
typedef struct {
    const char *summary, *loss, *seeds, *keys, *anchor, *label;
    int per_net, noise;
    const char *seeds_verdict;
    const char *band, *band_file, *band_seeds, *band_keys, *band_show, *band_cols;
} bn_judged;

typedef struct {
    const char *command;      /* bnlab COMMAND, and make's name for the experiment */
    const char *help;         /* its line in `bnlab --help` */
    int training;             /* 1: reads the dataset, part of `train`, runs -j JOBS workers; 0: a check */
    /* Result files, space-separated (compared by the manifest, `make verify` and `make compare`).
     * The first is the completion file: written last, removed before the experiment reruns, and
     * the target make rebuilds. */
    const char *files;
    /* The C files that compute it besides the library every experiment shares (every library
     * file but the experiments' own, src/study/exp_*.c), for the content stamp that decides when
     * it reruns; headers come from the compiler. Naming a file here changes no other row. */
    const char *sources;
    /* Figures: report/NAME.gp drawn on the run page (space-separated NAMEs: an experiment may
     * have several), the several-seed page, the compare page ("" for none). A run figure is
     * redrawn when the completion file changes. */
    const char *figure, *seeds_figure, *compare_figure;
    /* What the pages take from it, space-separated: the files whose values the run page quotes;
     * the files bnagg makes from it that the several-seed page quotes; the result files the
     * compare page compares cell by cell (bnagg compare, in the rows' order). */
    const char *report, *seeds, *compared;
    /* 1: runs one point per process (`bnlab --point K COMMAND`, parts joined by `bnlab merge`;
     * make's BN_SPLIT); its completion file is one row per point, its _loss and _acc files
     * numbered by iteration and check. */
    int split;
    /* How it is summarised over seeds, ended by an entry with no `in` (NULL: not at all). */
    const bn_seed_agg *aggregate;
    /* How two runs of it are judged against the noise (NULL: not at all). */
    const bn_judged *judged;
} bn_experiment;

extern const bn_experiment bn_experiments[];
extern const int bn_n_experiments;

/* The row of COMMAND, or NULL. */
const bn_experiment *bn_experiment_find(const char *command);

/* The i-th word (from 0) of a space-separated list into buf (n bytes); 0 when there is none. */
int bn_registry_word(const char *list, int i, char *buf, size_t n);

/* `bnlab list-files`: one line per result file, "experiment<TAB>kind<TAB>file<TAB>completion". */
void bn_registry_list_files(FILE *f);
/* `bnlab list-files --make`: the registry as make variables (build/experiments.mk). */
void bn_registry_print_make(FILE *f);

#endif
