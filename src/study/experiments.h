/* experiments.h - the study's experiments; each writes tab-separated data files into opts->out. */
#ifndef BN_EXPERIMENTS_H
#define BN_EXPERIMENTS_H

#include "data.h"
#include "net.h"
#include "optim.h"

typedef struct {
    unsigned long seed;
    const char *out;             /* run folder */
    int jobs;                    /* trainings run at once (processes) */
    /* training experiments */
    int epochs, batch_size, num_train, points;
    int point;                   /* sweep: only this point (a unit of work, parts.c), or -1 for all */
    double lr, ws_min, ws_max, deep_ws;
    double bs_lr;                /* experiment 7's learning rate, 10^-3.5 */
    bn_rule rule;
    bn_dtype dtype;              /* of the trainings (5, 6, 7b); the checks are float64 */
    /* dataset */
    bn_ds_kind ds_kind;
    const char *data_dir;
    const char *fmnist_dir;      /* --fashion-mnist: data_dir of that kind (bn_options_finish) */
    long train_records, val_records, test_records;
    /* experiment 3 timing */
    int speed_reps;
} bn_opts;

void bn_opts_default(bn_opts *o);
/* The sweep's weight scale at point i of o->points: log-spaced from ws_min to ws_max inclusive
 * (numpy.logspace), the ends exactly ws_min and ws_max, the rest exp of the interpolated logs. */
double bn_sweep_scale(const bn_opts *o, int i);
/* The options that decide the results, as key<TAB>value lines in a fixed order and spelling
 * (`bnlab config`, a run folder's config.info.tsv): `bnflags` repeats the ones that differ from
 * the defaults, as options. Cut at n bytes. */
void bn_config_text(const bn_opts *o, char *buf, size_t n);
/* Such a text in one phrase for a message: "seed 0 --epochs 2". */
void bn_config_describe(const char *text, char *buf, size_t n);

/* Experiments 1-4: numerical checks, no dataset needed. */
void bn_exp_forward_train(const bn_opts *o);
void bn_exp_forward_test(const bn_opts *o);
void bn_exp_bn_gradcheck(const bn_opts *o);
void bn_exp_net_gradcheck(const bn_opts *o);
/* Experiments 5-6: training on the dataset, loaded once for both when run together. */
void bn_exp_deepnet(const bn_opts *o, const bn_dataset *ds);
void bn_exp_sweep(const bn_opts *o, const bn_dataset *ds);
/* Experiment 6's points first..first+count-1 only, rows numbered as in the whole sweep (parts.c). */
void bn_exp_sweep_points(const bn_opts *o, const bn_dataset *ds, int first, int count);
/* Experiment 7: batch sizes 5, 10, 50 with batchnorm and with layernorm, and a baseline at 5. */
void bn_exp_batchsize(const bn_opts *o, const bn_dataset *ds);
/* Experiment 7 checks: layernorm forward statistics, its gradient check, and the net gradient
 * check of experiment 4 with each normalisation. */
void bn_exp_layernorm_checks(const bn_opts *o);
/* Experiment 8: pre-activation spread per layer at initialisation and after training, for a few
 * of the sweep's weight scales, with and without batchnorm (why the sweep looks as it does). */
void bn_exp_activations(const bn_opts *o, const bn_dataset *ds);
/* Experiment 9: the sweep's batchnorm training at a few points with one mechanism switched off
 * (a tiny eps, SGD instead of Adam, the output layer at a unit-variance scale). */
void bn_exp_ablations(const bn_opts *o, const bn_dataset *ds);

/* Floating-point operations (GFLOP) of the matrix products of experiments 5 and 6 as configured:
 * forward, weight gradients, input gradients except the first layer's, and the accuracy checks. */
double bn_exp_deepnet_gflop(const bn_opts *o, int dim, int classes, int nval);
double bn_exp_sweep_gflop(const bn_opts *o, int dim, int classes, int nval);

/* Write "<name>" in o->out as a two-column key/value timing file (kept apart from results). */
void bn_write_timing(const bn_opts *o, const char *name, const char *const *keys, const double *vals, int n);

#endif
