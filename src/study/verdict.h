/* verdict.h - the study's decisions, computed once here and written as columns of the run's
 * *_verdict.tsv files; the report pages only look them up and count them.
 *
 * Every threshold is one constant below, and each verdict file carries the constants it used as
 * columns, so a page quotes them from the data instead of restating them.
 *
 * Files (one per judged result file, named <result stem>_verdict.tsv, written before the result
 * file that marks its experiment complete; verdict columns are "pass"/"fail" or 0/1):
 *   exp1_forward_train_verdict.tsv   stage feature std std_below verdict
 *   exp2_forward_test_verdict.tsv    feature mean std tol verdict
 *   exp3_bn_gradcheck_verdict.tsv    check kind rel_error tol verdict
 *   exp7_layernorm_gradcheck_verdict.tsv  (the same columns)
 *   exp4_initial_loss_verdict.tsv    reg initial_loss expected tol lo hi verdict
 *   exp4_net_gradcheck_verdict.tsv   reg param, then the gradient-check columns below
 *   exp7_net_gradcheck_norms_verdict.tsv  norm reg param, then the same
 *   exp5_deepnet_verdict.tsv, exp6_sweep_verdict.tsv  the training-study columns below
 *   exp5_deepnet_seeds_verdict.tsv, exp6_sweep_seeds_verdict.tsv  (bnagg seeds) below */
#ifndef BN_VERDICT_H
#define BN_VERDICT_H

#include "outfile.h"

/* ---- thresholds ---- */
/* A net gradient check's relative error above this is large (errors through several layers and
 * through batchnorm over 2 samples are less exact than through one layer). */
#define BN_VERDICT_NET_TOL 4e-3
/* A gradient whose largest element is below this in size is zero up to rounding. */
#define BN_VERDICT_ZERO_GRAD 1e-8
/* A single layer's relative error against finite differences must be at most this. */
#define BN_VERDICT_LAYER_TOL 1e-5
/* Training-mode batchnorm with gamma 1 divides by sqrt(var + eps): every deviation is below this. */
#define BN_VERDICT_TRAIN_STD_BELOW 1.0
/* Test-mode batchnorm: each feature's mean within this of 0 and its deviation within this of 1. */
#define BN_VERDICT_TEST_TOL 0.5
/* A loss within this of ln C (C classes: a uniform guess) is "at chance"; above ln C + this it is
 * worse than a uniform guess (scores that explode). */
#define BN_VERDICT_LOSS_TOL 0.1
/* A loss or a gradient norm within this fraction of another is unchanged (scale invariance). */
#define BN_VERDICT_INVARIANT_REL 1e-2
/* A best validation accuracy at or below this is no better than answering one class (10 classes). */
#define BN_VERDICT_CHANCE_ACC 0.12

/* ---- the net gradient check (report sections 5 and 9) ----
 * Per parameter: rel_error over all elements (step h), rel_error_smooth without the elements whose
 * +-h straddle a ReLU kink, rel_error_small_h with the smaller step (kinks left out), and the
 * largest element in size of the gradient by backpropagation and by finite differences. */
typedef struct {
    double rel_error, rel_error_smooth, rel_error_small_h, max_abs_grad, max_abs_num_grad;
} bn_gc_measure;

/* Why a parameter passes or fails. In order of the rule:
 *   nonfinite      a measure is not a finite number: fail
 *   zero_gradient  both gradients are zero up to rounding (a bias feeding batchnorm, whose mean
 *                  subtraction removes it): the relative error compares noise with noise: pass
 *   fault          one gradient is zero up to rounding and the other is not, with an error above
 *                  the threshold; or neither is zero and the error stays above the threshold both
 *                  without the kinks and with the smaller step: fail
 *   ok             the error is at most the threshold: pass
 *   kink           above it, at most it without the elements at ReLU kinks: pass
 *   curvature      above it also without kinks, at most it with the smaller step (a centred
 *                  difference's curvature error shrinks with h^2): pass
 * A backward pass off by 1% has error 0.01/2.01 ~ 5e-3 at every element, whatever the step: fault. */
typedef enum {
    BN_GC_OK, BN_GC_KINK, BN_GC_CURVATURE, BN_GC_ZERO_GRADIENT, BN_GC_FAULT, BN_GC_NONFINITE
} bn_gc_reason;

bn_gc_reason bn_verdict_net_gradcheck(const bn_gc_measure *m);
int bn_gc_passes(bn_gc_reason r);
const char *bn_gc_reason_name(bn_gc_reason r);
/* Which gradient is zero up to rounding: "none", "both", "backprop" or "finite_diff". */
const char *bn_gc_zero_name(const bn_gc_measure *m);

/* Gradient-check verdict file: keys (tab-separated column names, e.g. "reg\tparam"), then
 *   rel_error rel_error_smooth rel_error_small_h max_abs_grad max_abs_num_grad  (copied)
 *   zero            none | both | backprop | finite_diff
 *   above_tol       1 if rel_error > tol
 *   small_h_worse   1 if rel_error_small_h > rel_error_smooth (the smaller step less exact)
 *   verdict reason  pass | fail, and the reason above
 *   tol zero_grad   BN_VERDICT_NET_TOL, BN_VERDICT_ZERO_GRAD */
void bn_verdict_gc_header(bn_out *f, const char *keys);
/* keyvals: the row's key cells, tab-separated, without a trailing tab. */
void bn_verdict_gc_row(bn_out *f, const char *keyvals, const bn_gc_measure *m);

/* ---- single-layer and forward checks ---- */
int bn_verdict_layer(double rel_error);                 /* finite and <= BN_VERDICT_LAYER_TOL */
int bn_verdict_train_std(double std);                   /* < BN_VERDICT_TRAIN_STD_BELOW */
int bn_verdict_test_stats(double mean, double std);     /* within BN_VERDICT_TEST_TOL of 0 and 1 */
/* Initial loss of a net with `classes` outputs and L2 penalty l2 (0.5 reg sum W^2 at
 * initialisation, 0 without regularisation): within BN_VERDICT_LOSS_TOL of ln(classes) + l2,
 * as nearly equal scores give ln(classes) and the penalty adds to it. */
int bn_verdict_initial_loss(double loss, int classes, double l2);

/* Layer check file: header "check\tkind\trel_error\ttol\tverdict"; kind is "numeric" (against
 * finite differences) or "forms" (two analytic forms against each other). */
void bn_verdict_layer_header(bn_out *f);
void bn_verdict_layer_row(bn_out *f, const char *check, const char *kind, double rel_error);

/* ---- training studies (experiments 5 and 6) ----
 * Per point (weight scale) and net: the best validation accuracy, the final training loss (mean
 * of the last losses) and the number of iterations with a non-finite loss. */
typedef struct {
    double best_val, final_loss;
    long nonfinite;
} bn_train_outcome;

int bn_verdict_fails_to_learn(double best_val);          /* best_val <= BN_VERDICT_CHANCE_ACC */
int bn_verdict_loss_at_chance(double loss, int classes); /* |loss - ln C| <= BN_VERDICT_LOSS_TOL */
int bn_verdict_loss_explodes(double loss, int classes);  /* loss > ln C + BN_VERDICT_LOSS_TOL */

/* Study verdict file: point weight_scale, then for each net N: N_fails_to_learn N_loss_at_chance
 * N_loss_explodes N_diverged (0/1), then better (the net with the higher best validation accuracy,
 * or "tie"; two nets only), then chance_acc loss_expected loss_tol.
 * Rows for points first..first+npoints-1 (a part of a sweep writes its own); ws is indexed by
 * point, out is laid out [point - first][net]. */
void bn_verdict_write_study(const char *dir, const char *name, int first, int npoints, const double *ws, int nnets,
                            const char *const *nets, const bn_train_outcome *out, int classes);

/* ---- across seeds (bnagg seeds) ----
 * A 95% interval of a paired difference (first net - second): "first" if it lies above zero,
 * "second" below zero, "undecided" if it contains zero (or is NaN: fewer than two seeds). */
const char *bn_verdict_interval(double lo, double hi, const char *first, const char *second);

/* ---- claims of the findings, ablations and the reproduction ledger (bnagg findings) ----
 * A difference (b - a) judged against a threshold: "higher" if it is above +threshold, "lower"
 * if below -threshold, "within" otherwise; an infinite difference (one value diverged) is higher
 * or lower whatever the threshold, as in noise.h; "unknown" if the difference is NaN or the
 * threshold is not a finite number. */
const char *bn_verdict_compare(double diff, double threshold);

/* One number the reference notebook printed against this run's value of it. rule:
 *   "expect"  both should be within tol of `expected` (a value the mathematics fixes: 0, 1, beta,
 *             gamma, ln 10): "equal" if both are; "reference_fails" if only this run is;
 *             "differs" if this run is not
 *   "below"   both should be at most tol (a relative error against a pass threshold): "equal" if
 *             both are, "reference_fails" if only this run is, "differs" if this run is not
 *   "noise"   |run - reference| at most tol (the sampling noise of the difference, computed by the
 *             caller): "within_noise", else "differs"
 *   "draw"    a statistic of random numbers the notebook drew without a seed: "another_draw"
 * NULL for an unknown rule; "differs" when a value is not a finite number. */
const char *bn_verdict_ledger(const char *rule, double reference, double run, double tol, double expected);

#endif
