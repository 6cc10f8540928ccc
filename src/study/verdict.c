/* verdict.c - see verdict.h. */
#include "verdict.h"
#include "fixedmath.h"
#include "number.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int zero(double g) { return g < BN_VERDICT_ZERO_GRAD; }

bn_gc_reason bn_verdict_net_gradcheck(const bn_gc_measure *m)
{
    const double tol = BN_VERDICT_NET_TOL;
    if (!isfinite(m->rel_error) || !isfinite(m->rel_error_smooth) || !isfinite(m->rel_error_small_h) ||
        !isfinite(m->max_abs_grad) || !isfinite(m->max_abs_num_grad))
        return BN_GC_NONFINITE;
    int za = zero(m->max_abs_grad), zn = zero(m->max_abs_num_grad);
    if (za && zn) return BN_GC_ZERO_GRADIENT;
    if (za != zn) {
        /* one side says zero, the other does not: only a small error (both tiny) excuses it, and
         * then only if it holds without kinks or with the smaller step as well */
        if (m->rel_error > tol) return BN_GC_FAULT;
        if (m->rel_error_smooth > tol && m->rel_error_small_h > tol) return BN_GC_FAULT;
        return BN_GC_OK;
    }
    if (m->rel_error <= tol) return BN_GC_OK;
    if (m->rel_error_smooth <= tol) return BN_GC_KINK;
    if (m->rel_error_small_h <= tol) return BN_GC_CURVATURE;
    return BN_GC_FAULT;
}

int bn_gc_passes(bn_gc_reason r) { return r != BN_GC_FAULT && r != BN_GC_NONFINITE; }

const char *bn_gc_reason_name(bn_gc_reason r)
{
    static const char *names[] = {"ok", "kink", "curvature", "zero_gradient", "fault", "nonfinite"};
    return names[r];
}

const char *bn_gc_zero_name(const bn_gc_measure *m)
{
    int za = zero(m->max_abs_grad), zn = zero(m->max_abs_num_grad);
    return za && zn ? "both" : za ? "backprop" : zn ? "finite_diff" : "none";
}

void bn_verdict_gc_header(bn_out *f, const char *keys)
{
    bn_out_printf(f, "%s\trel_error\trel_error_smooth\trel_error_small_h\tmax_abs_grad\tmax_abs_num_grad"
                     "\tzero\tabove_tol\tsmall_h_worse\tverdict\treason\ttol\tzero_grad\n", keys);
}

void bn_verdict_gc_row(bn_out *f, const char *keyvals, const bn_gc_measure *m)
{
    char v[5][64], tol[64], zg[64];
    const double x[5] = {m->rel_error, m->rel_error_smooth, m->rel_error_small_h, m->max_abs_grad, m->max_abs_num_grad};
    for (int i = 0; i < 5; i++) bn_fmt(v[i], sizeof v[i], x[i]);
    bn_fmt(tol, sizeof tol, BN_VERDICT_NET_TOL);
    bn_fmt(zg, sizeof zg, BN_VERDICT_ZERO_GRAD);
    bn_gc_reason r = bn_verdict_net_gradcheck(m);
    bn_out_printf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", keyvals, v[0], v[1], v[2], v[3], v[4],
                  bn_gc_zero_name(m), m->rel_error > BN_VERDICT_NET_TOL, m->rel_error_small_h > m->rel_error_smooth,
                  bn_gc_passes(r) ? "pass" : "fail", bn_gc_reason_name(r), tol, zg);
}

int bn_verdict_layer(double rel_error) { return isfinite(rel_error) && rel_error <= BN_VERDICT_LAYER_TOL; }
int bn_verdict_train_std(double std) { return std < BN_VERDICT_TRAIN_STD_BELOW; }

int bn_verdict_test_stats(double mean, double std)
{
    return fabs(mean) <= BN_VERDICT_TEST_TOL && fabs(std - 1.0) <= BN_VERDICT_TEST_TOL;
}

int bn_verdict_loss_at_chance(double loss, int classes)
{
    return fabs(loss - bn_log((double)classes)) <= BN_VERDICT_LOSS_TOL;
}

int bn_verdict_initial_loss(double loss, int classes, double l2)
{
    return fabs(loss - (bn_log((double)classes) + l2)) <= BN_VERDICT_LOSS_TOL;
}

int bn_verdict_loss_explodes(double loss, int classes)
{
    return loss > bn_log((double)classes) + BN_VERDICT_LOSS_TOL;
}

int bn_verdict_fails_to_learn(double best_val) { return best_val <= BN_VERDICT_CHANCE_ACC; }

void bn_verdict_layer_header(bn_out *f) { bn_out_printf(f, "check\tkind\trel_error\ttol\tverdict\n"); }

void bn_verdict_layer_row(bn_out *f, const char *check, const char *kind, double rel_error)
{
    char v[64], tol[64];
    bn_fmt(v, sizeof v, rel_error);
    bn_fmt(tol, sizeof tol, BN_VERDICT_LAYER_TOL);
    bn_out_printf(f, "%s\t%s\t%s\t%s\t%s\n", check, kind, v, tol, bn_verdict_layer(rel_error) ? "pass" : "fail");
}

void bn_verdict_write_study(const char *dir, const char *name, int first, int npoints, const double *ws, int nnets,
                            const char *const *nets, const bn_train_outcome *out, int classes)
{
    bn_out f;
    char w[64], ca[64], le[64], lt[64];
    bn_fmt(ca, sizeof ca, BN_VERDICT_CHANCE_ACC);
    bn_fmt(le, sizeof le, bn_log((double)classes));
    bn_fmt(lt, sizeof lt, BN_VERDICT_LOSS_TOL);
    bn_out_open(&f, dir, name);
    bn_out_printf(&f, "point\tweight_scale");
    for (int n = 0; n < nnets; n++)
        bn_out_printf(&f, "\t%s_fails_to_learn\t%s_loss_at_chance\t%s_loss_explodes\t%s_diverged", nets[n], nets[n],
                      nets[n], nets[n]);
    bn_out_printf(&f, "%s\tchance_acc\tloss_expected\tloss_tol\n", nnets == 2 ? "\tbetter" : "");
    for (int p = 0; p < npoints; p++) {
        const bn_train_outcome *o = out + (long)p * nnets;
        bn_fmt(w, sizeof w, ws[first + p]);
        bn_out_printf(&f, "%d\t%s", first + p, w);
        for (int n = 0; n < nnets; n++)
            bn_out_printf(&f, "\t%d\t%d\t%d\t%d", bn_verdict_fails_to_learn(o[n].best_val),
                          bn_verdict_loss_at_chance(o[n].final_loss, classes),
                          bn_verdict_loss_explodes(o[n].final_loss, classes), o[n].nonfinite > 0);
        if (nnets == 2)
            bn_out_printf(&f, "\t%s", o[0].best_val > o[1].best_val ? nets[0] : o[1].best_val > o[0].best_val ? nets[1] : "tie");
        bn_out_printf(&f, "\t%s\t%s\t%s\n", ca, le, lt);
    }
    bn_out_commit(&f);
}

const char *bn_verdict_interval(double lo, double hi, const char *first, const char *second)
{
    if (lo > 0) return first;
    if (hi < 0) return second;
    return "undecided";
}

const char *bn_verdict_compare(double diff, double threshold)
{
    if (isnan(diff) || !isfinite(threshold)) return "unknown";
    if (diff > threshold) return "higher";
    if (diff < -threshold) return "lower";
    return "within";
}

const char *bn_verdict_ledger(const char *rule, double reference, double run, double tol, double expected)
{
    if (!strcmp(rule, "draw")) return "another_draw";
    int known = !strcmp(rule, "expect") || !strcmp(rule, "below") || !strcmp(rule, "noise");
    if (!known) return NULL;
    if (!isfinite(reference) || !isfinite(run) || !isfinite(tol)) return "differs";
    if (!strcmp(rule, "noise")) return fabs(run - reference) <= tol ? "within_noise" : "differs";
    int ok_run, ok_ref;
    if (!strcmp(rule, "expect")) {
        ok_run = fabs(run - expected) <= tol;
        ok_ref = fabs(reference - expected) <= tol;
    } else {
        ok_run = run <= tol;
        ok_ref = reference <= tol;
    }
    return !ok_run ? "differs" : ok_ref ? "equal" : "reference_fails";
}
