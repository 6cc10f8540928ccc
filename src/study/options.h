/* options.h - bnlab's options as one table: a row per option gives its name, the field of bn_opts
 * it sets, its kind and range, its default, its help, and whether it decides results. Parsing,
 * the usage text, the defaults, `bnlab config` (a run's config.info.tsv) and the range checks all
 * derive from the rows; adding an option is one row plus its use. */
#ifndef BN_OPTIONS_H
#define BN_OPTIONS_H

#include "experiments.h"

#include <stddef.h>
#include <stdio.h>

typedef enum {
    BN_OPT_INT,     /* an integer in [lo, hi] */
    BN_OPT_REAL,    /* a finite number in (lo, hi] */
    BN_OPT_CHOICE,  /* one of the names of `choice` */
    BN_OPT_PATH     /* a non-empty folder name */
} bn_opt_kind;

typedef enum { BN_FIELD_INT, BN_FIELD_LONG, BN_FIELD_ULONG, BN_FIELD_DOUBLE, BN_FIELD_STR } bn_field_type;

/* Whether an option decides results: not at all, as a key of the configuration only (the seed,
 * which names the run on its own), or as a key and, when not the default, in its `bnflags`. */
typedef enum { BN_DECIDES_NOT, BN_DECIDES_KEY, BN_DECIDES_FLAG } bn_decides;

typedef struct {
    const char *name;       /* long option, without the dashes */
    char short_name;        /* or 0 */
    bn_opt_kind kind;
    size_t field;           /* offsetof(bn_opts, ...) */
    bn_field_type type;
    double lo, hi;          /* the range of an INT or REAL */
    double def;             /* the default of an INT, REAL or CHOICE (its index) */
    const char *const *choice; /* a CHOICE's names, NULL-terminated, in the order of its enum */
    const char *noun;       /* a CHOICE's "an update rule": the error says '...' is not that */
    const char *metavar, *help, *default_text; /* default_text: for the usage where def cannot say it */
    bn_decides decides;
    const char *key;        /* its key in the configuration (when it decides results) */
} bn_option;

extern const bn_option bn_options[];
extern const int bn_n_options;

/* Parse VAL for option row R as the user spelled it (SPELLED: "--epochs" or "-j") into o; on a
 * bad value, exit 2 with one line naming the option, the value and what is accepted. */
void bn_option_set(bn_opts *o, const bn_option *r, const char *spelled, const char *val);
/* The options' part of the usage text, one line per row. */
void bn_options_usage(FILE *f);
/* After parsing: the checks between options (--ws-min at most --ws-max, one dataset folder, ...),
 * each exiting 2 with one line, and what options set together (--fashion-mnist: the dataset kind). */
void bn_options_finish(bn_opts *o);

#endif
