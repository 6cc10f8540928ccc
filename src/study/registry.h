/* registry.h - the experiments, one row each: what bnlab runs, the files each writes, and what
 * the Makefile, the manifest, the report pages and the tests take from it. Adding an experiment
 * is adding a row (see docs/experiments.md, "Adding an experiment"). */
#ifndef BN_REGISTRY_H
#define BN_REGISTRY_H

#include "experiments.h"

#include <stdio.h>

typedef struct {
    const char *command;      /* bnlab COMMAND, and make's name for the experiment */
    const char *help;         /* its line in `bnlab --help` */
    int training;             /* 1: reads the dataset, part of `train`, runs -j JOBS workers; 0: a check */
    void (*check)(const bn_opts *o);                         /* a check's function, or NULL */
    void (*train)(const bn_opts *o, const bn_dataset *ds);   /* a training's function, or NULL */
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
     * compare page compares cell by cell. */
    const char *report, *seeds, *compared;
} bn_experiment;

extern const bn_experiment bn_experiments[];
extern const int bn_n_experiments;

/* The row of COMMAND, or NULL. */
const bn_experiment *bn_experiment_find(const char *command);

/* `bnlab list-files`: one line per result file, "experiment<TAB>kind<TAB>file<TAB>completion". */
void bn_registry_list_files(FILE *f);
/* `bnlab list-files --make`: the registry as make variables (build/experiments.mk). */
void bn_registry_print_make(FILE *f);

#endif
