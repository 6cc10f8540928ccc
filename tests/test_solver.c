/* test_solver.c - minibatch training: iteration and accuracy-check schedule, the history layout,
 * learning a separable problem, keeping the best parameters, determinism, and divergence. */
#include "testutil.h"

#include "common.h"
#include "rng.h"
#include "blas.h"
#include "net.h"
#include "solver.h"

enum { DIM = 4, NCLS = 3 };

/* n points in NCLS well-separated Gaussian blobs: class c centred at 4 e_c, sd 0.5. The centres
 * are 5.7 apart, 11 standard deviations: the classes are linearly separable with certainty
 * for the sizes used here. Labels cycle 0, 1, 2, ... */
static void make_blobs(double *X, int *y, int n, gsl_rng *r)
{
    for (int i = 0; i < n; i++) {
        y[i] = i % NCLS;
        for (int d = 0; d < DIM; d++) X[i * DIM + d] = (d == y[i] ? 4.0 : 0.0) + 0.5 * gsl_ran_gaussian(r, 1.0);
    }
}

/* Owns a history's memory. */
typedef struct {
    bn_history h;
    double *mem;
} history;

static void history_make(history *hm, int epochs, int N, int batch)
{
    long iters = bn_solver_iters(epochs, N, batch);
    int checks = bn_solver_checks(iters, iters / epochs);
    hm->mem = tu_doubles(bn_history_doubles(iters, checks));
    bn_history_bind(&hm->h, hm->mem, iters, checks);
}

static bn_solver_cfg config(bn_rule rule, double lr, int epochs, int batch, int num_train_samples)
{
    bn_solver_cfg c = {rule, lr, 1.0, epochs, batch, num_train_samples, "test", NULL, NULL, 0, 0};
    return c;
}

static void solver_iteration_and_check_counts(void **state)
{
    (void)state;
    /* iters_per_epoch = max(N / batch, 1) */
    assert_int_equal(bn_solver_iters(10, 1000, 50), 200);
    assert_int_equal(bn_solver_iters(3, 30, 50), 3);     /* N < batch: one iteration per epoch */
    assert_int_equal(bn_solver_iters(2, 110, 50), 4);    /* the remainder of 10 is dropped */
    assert_int_equal(bn_solver_iters(1, 50, 50), 1);
    /* a check after the first iteration, at every epoch end, and at the last (counted once) */
    assert_int_equal(bn_solver_checks(200, 20), 11);
    assert_int_equal(bn_solver_checks(3, 1), 3);         /* iteration 1 is also epoch 1's end */
    assert_int_equal(bn_solver_checks(4, 2), 3);
    assert_int_equal(bn_solver_checks(20, 20), 2);
    assert_int_equal(bn_solver_checks(1, 1), 1);
}

static void history_bind_lays_out_disjoint_arrays_inside_the_block(void **state)
{
    (void)state;
    const long iters[] = {1, 7, 200};
    const int checks[] = {1, 5, 11};
    for (int k = 0; k < 3; k++) {
        long n = bn_history_doubles(iters[k], checks[k]);
        /* exactly the advertised size: ASan reports any write past it */
        double *mem = malloc(sizeof(double) * (size_t)n);
        assert_non_null(mem);
        bn_history h;
        memset(&h, 0xff, sizeof h);
        bn_history_bind(&h, mem, iters[k], checks[k]);
        assert_int_equal(h.iters, iters[k]);
        assert_int_equal(h.checks, checks[k]);
        assert_int_equal(h.nonfinite, 0);
        assert_ptr_equal(h.loss, mem);
        /* the phase timings last, so the results before them compare alone */
        assert_ptr_equal(h.phase, mem + n - BN_PHASE_COUNT);
        assert_int_equal((uintptr_t)h.check_iter % _Alignof(long), 0);
        assert_int_equal((uintptr_t)h.check_epoch % _Alignof(int), 0);
        /* fill every array with its own pattern, then read all of them back */
        for (long i = 0; i < iters[k]; i++) h.loss[i] = 1000.0 + (double)i;
        for (int c = 0; c < checks[k]; c++) {
            h.train_acc[c] = 0.25 + c;
            h.val_acc[c] = 0.5 + c;
            h.check_iter[c] = 7000 + c;
            h.check_epoch[c] = 9000 + c;
        }
        for (long i = 0; i < iters[k]; i++) assert_true(h.loss[i] == 1000.0 + (double)i);
        for (int c = 0; c < checks[k]; c++) {
            assert_true(h.train_acc[c] == 0.25 + c);
            assert_true(h.val_acc[c] == 0.5 + c);
            assert_int_equal(h.check_iter[c], 7000 + c);
            assert_int_equal(h.check_epoch[c], 9000 + c);
        }
        /* and every array ends inside the block */
        char *end = (char *)(mem + n);
        assert_true((char *)(h.loss + iters[k]) <= end);
        assert_true((char *)(h.train_acc + checks[k]) <= end);
        assert_true((char *)(h.val_acc + checks[k]) <= end);
        assert_true((char *)(h.check_iter + checks[k]) <= end);
        assert_true((char *)(h.check_epoch + checks[k]) <= (char *)h.phase);
        for (int q = 0; q < BN_PHASE_COUNT; q++) h.phase[q] = 5.0 + q;
        for (long i = 0; i < iters[k]; i++) assert_true(h.loss[i] == 1000.0 + (double)i);
        for (int c = 0; c < checks[k]; c++) assert_int_equal(h.check_epoch[c], 9000 + c);
        free(mem);
    }
}

static void accuracy_counts_correct_predictions_across_predict_batches(void **state)
{
    (void)state;
    /* a linear classifier (no hidden layer) with W = identity predicts argmax_d x_d */
    enum { N = 250 };
    bn_net *net = bn_net_new(NULL, 0, NCLS, NCLS, BN_NORM_NONE, 0.0, BN_PREDICT_BATCH);
    memset(net->params, 0, sizeof(double) * (size_t)net->nparams);
    for (int d = 0; d < NCLS; d++) net->W[0][d * NCLS + d] = 1.0;
    gsl_rng *r = tu_rng(3);
    double X[N * NCLS];
    int y[N], pred[N], correct = 0;
    tu_fill_gaussian(X, N * NCLS, r, 1.0, 0.0);
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int d = 1; d < NCLS; d++) if (X[i * NCLS + d] > X[i * NCLS + best]) best = d;
        /* every third label is wrong on purpose */
        y[i] = i % 3 == 0 ? (best + 1) % NCLS : best;
        correct += i % 3 != 0;
    }
    /* 250 rows: predicted in batches of 100, 100, 50 */
    tu_assert_rel(bn_accuracy(net, X, y, N, pred), (double)correct / N, 1e-15);
    for (int i = 0; i < N; i++) assert_int_equal(pred[i], i % 3 == 0 ? (y[i] + 2) % NCLS : y[i]);
    gsl_rng_free(r);
    bn_net_free(net);
}

static void solver_checks_after_first_iteration_and_every_epoch(void **state)
{
    (void)state;
    /* 10 epochs of 1000 samples in batches of 50: 20 iterations per epoch, 200 in all */
    enum { N = 1000, NVAL = 30 };
    gsl_rng *r = tu_rng(21), *rb = tu_rng(22);
    double *X = tu_doubles(N * DIM), *Xv = tu_doubles(NVAL * DIM);
    int y[N], yv[NVAL];
    make_blobs(X, y, N, r);
    make_blobs(Xv, yv, NVAL, r);
    const int hidden[] = {10};
    bn_net *net = bn_net_new(hidden, 1, DIM, NCLS, BN_NORM_BATCH, 0.0, BN_PREDICT_BATCH);
    bn_net_init(net, r, 0.1);
    history hm;
    history_make(&hm, 10, N, 50);
    bn_history *h = &hm.h;
    assert_int_equal(h->iters, 200);
    assert_int_equal(h->checks, 11);
    /* training accuracy on a random subsample of 40 of the 1000 samples */
    bn_solver_cfg cfg = config(BN_SGD, 1e-2, 10, 50, 40);
    bn_solver_train(net, &cfg, X, y, N, Xv, yv, NVAL, rb, h);
    for (int c = 0; c < 11; c++) {
        /* checks after iteration 1 (epoch 0) and after iterations 20, 40, ..., 200 (epochs 1..10) */
        assert_int_equal(h->check_iter[c], c == 0 ? 1 : 20 * c);
        assert_int_equal(h->check_epoch[c], c);
        /* accuracies are counts over 40 subsampled training rows and 30 validation rows */
        double tr = h->train_acc[c] * 40, va = h->val_acc[c] * NVAL;
        tu_assert_near(tr, round(tr), 1e-9);
        tu_assert_near(va, round(va), 1e-9);
        assert_true(h->train_acc[c] >= 0.0 && h->train_acc[c] <= 1.0);
    }
    for (long t = 0; t < h->iters; t++) assert_true(isfinite(h->loss[t]));
    assert_int_equal(h->nonfinite, 0);
    free(hm.mem);
    free(X);
    free(Xv);
    bn_net_free(net);
    gsl_rng_free(r);
    gsl_rng_free(rb);
}

static void solver_small_training_set_gives_one_iteration_per_epoch(void **state)
{
    (void)state;
    /* 30 samples, batch 50: max(30/50, 1) = 1 iteration per epoch, every one ends an epoch */
    enum { N = 30, NVAL = 9, EPOCHS = 4 };
    gsl_rng *r = tu_rng(31), *rb = tu_rng(32);
    double X[N * DIM], Xv[NVAL * DIM];
    int y[N], yv[NVAL];
    make_blobs(X, y, N, r);
    make_blobs(Xv, yv, NVAL, r);
    const int hidden[] = {8};
    bn_net *net = bn_net_new(hidden, 1, DIM, NCLS, BN_NORM_NONE, 0.0, BN_PREDICT_BATCH);
    bn_net_init(net, r, 0.1);
    history hm;
    history_make(&hm, EPOCHS, N, 50);
    assert_int_equal(hm.h.iters, EPOCHS);
    assert_int_equal(hm.h.checks, EPOCHS);
    bn_solver_cfg cfg = config(BN_ADAM, 1e-2, EPOCHS, 50, 1000);
    bn_solver_train(net, &cfg, X, y, N, Xv, yv, NVAL, rb, &hm.h);
    for (int c = 0; c < EPOCHS; c++) {
        assert_int_equal(hm.h.check_iter[c], c + 1);
        assert_int_equal(hm.h.check_epoch[c], c + 1);
    }
    free(hm.mem);
    bn_net_free(net);
    gsl_rng_free(r);
    gsl_rng_free(rb);
}

/* Train a one-hidden-layer net on blobs; returns the final training accuracy on all rows. */
static double train_blobs(bn_norm norm, unsigned long seed, history *hm, double *val_after)
{
    enum { N = 150, NVAL = 60, EPOCHS = 15, BATCH = 25 };
    gsl_rng *r = tu_rng(seed), *rb = tu_rng(seed + 1000);
    double X[N * DIM], Xv[NVAL * DIM];
    int y[N], yv[NVAL], pred[N > NVAL ? N : NVAL];
    make_blobs(X, y, N, r);
    make_blobs(Xv, yv, NVAL, r);
    const int hidden[] = {16};
    bn_net *net = bn_net_new(hidden, 1, DIM, NCLS, norm, 0.0, BN_PREDICT_BATCH);
    bn_net_init(net, r, 0.1);
    history_make(hm, EPOCHS, N, BATCH);
    bn_solver_cfg cfg = config(BN_ADAM, 1e-2, EPOCHS, BATCH, 1000);
    bn_solver_train(net, &cfg, X, y, N, Xv, yv, NVAL, rb, &hm->h);
    double acc = bn_accuracy(net, X, y, N, pred);
    *val_after = bn_accuracy(net, Xv, yv, NVAL, pred);
    bn_net_free(net);
    gsl_rng_free(r);
    gsl_rng_free(rb);
    return acc;
}

static void solver_reaches_full_training_accuracy_on_separable_blobs(void **state)
{
    (void)state;
    const bn_norm norms[] = {BN_NORM_NONE, BN_NORM_BATCH, BN_NORM_LAYER};
    for (int k = 0; k < 3; k++) {
        history hm;
        double val;
        double acc = train_blobs(norms[k], 40 + (unsigned long)k, &hm, &val);
        /* separable classes, 90 Adam steps: every training and validation point right */
        tu_assert_rel(acc, 1.0, 0.0);
        tu_assert_rel(hm.h.train_acc[hm.h.checks - 1], 1.0, 0.0);
        tu_assert_rel(hm.h.best_val, 1.0, 0.0);
        /* and it had to learn that: the first check (after one step) is well below */
        assert_true(hm.h.val_acc[0] < 0.9);
        free(hm.mem);
    }
}

static void solver_leaves_the_best_validation_parameters_in_the_net(void **state)
{
    (void)state;
    /* lr_decay = inf: the learning rate is multiplied by it at the end of epoch 1, so the first
     * update of epoch 2 turns every weight into +-inf or NaN (inf * 0), whatever the machine's
     * rounding. From then on scores are NaN, the net predicts class 0 and scores exactly 1/3 on
     * the cycling labels, and its running statistics are NaN too. The best check is therefore
     * one of the first two, and only restoring both parameters and running statistics can
     * reproduce its accuracy. */
    enum { N = 150, NVAL = 60, EPOCHS = 4, BATCH = 25 };
    gsl_rng *r = tu_rng(50), *rb = tu_rng(51);
    double X[N * DIM], Xv[NVAL * DIM];
    int y[N], yv[NVAL], pred[N];
    make_blobs(X, y, N, r);
    make_blobs(Xv, yv, NVAL, r);
    const int hidden[] = {16};
    bn_net *net = bn_net_new(hidden, 1, DIM, NCLS, BN_NORM_BATCH, 0.0, BN_PREDICT_BATCH);
    bn_net_init(net, r, 0.1);
    history hm;
    history_make(&hm, EPOCHS, N, BATCH);
    bn_solver_cfg cfg = config(BN_SGD, 0.1, EPOCHS, BATCH, 1000);
    cfg.lr_decay = INFINITY;
    bn_solver_train(net, &cfg, X, y, N, Xv, yv, NVAL, rb, &hm.h);
    assert_int_equal(hm.h.checks, 5);
    for (int c = 2; c < 5; c++) tu_assert_near(hm.h.val_acc[c], 1.0 / 3.0, 1e-15);
    assert_true(hm.h.nonfinite > 0);
    double best = -1.0;
    for (int c = 0; c < hm.h.checks; c++) best = tu_max(best, hm.h.val_acc[c]);
    assert_true(hm.h.best_val == best);
    assert_true(best > 0.5);
    /* parameters and running statistics of the best check: finite, and scoring best_val again */
    for (long i = 0; i < net->nparams; i++) assert_true(isfinite(net->params[i]));
    for (long i = 0; i < 2L * 16; i++) assert_true(isfinite(net->state[i]));
    assert_true(bn_accuracy(net, Xv, yv, NVAL, pred) == hm.h.best_val);
    free(hm.mem);
    bn_net_free(net);
    gsl_rng_free(r);
    gsl_rng_free(rb);
}

static void solver_is_deterministic_given_its_generators(void **state)
{
    (void)state;
    history a, b, c;
    double va, vb, vc;
    train_blobs(BN_NORM_BATCH, 60, &a, &va);
    train_blobs(BN_NORM_BATCH, 60, &b, &vb);
    train_blobs(BN_NORM_BATCH, 61, &c, &vc);
    /* the results, without the phase timings at the block's end (bn_history_bind) */
    long n = bn_history_doubles(a.h.iters, a.h.checks) - BN_PHASE_COUNT;
    /* the same seeds give the same history to the last bit */
    assert_memory_equal(a.mem, b.mem, sizeof(double) * (size_t)n);
    assert_memory_not_equal(a.mem, c.mem, sizeof(double) * (size_t)a.h.iters);
    free(a.mem);
    free(b.mem);
    free(c.mem);
}

static void solver_diverging_configuration_records_nonfinite_losses(void **state)
{
    (void)state;
    /* five hidden layers, no normalisation, weight scale 1e3 and plain SGD with lr 10: the first
     * loss is 2.7e22, the update overflows the weights and the scores become inf, then NaN (13 of
     * the 15 losses are non-finite) */
    enum { N = 100, NVAL = 20, EPOCHS = 3, BATCH = 20 };
    gsl_rng *r = tu_rng(70), *rb = tu_rng(71);
    double X[N * DIM], Xv[NVAL * DIM];
    int y[N], yv[NVAL];
    make_blobs(X, y, N, r);
    make_blobs(Xv, yv, NVAL, r);
    const int hidden[] = {50, 50, 50, 50, 50};
    bn_net *net = bn_net_new(hidden, 5, DIM, NCLS, BN_NORM_NONE, 0.0, BN_PREDICT_BATCH);
    bn_net_init(net, r, 1e3);
    history hm;
    history_make(&hm, EPOCHS, N, BATCH);
    bn_solver_cfg cfg = config(BN_SGD, 10.0, EPOCHS, BATCH, 1000);
    bn_solver_train(net, &cfg, X, y, N, Xv, yv, NVAL, rb, &hm.h);
    long count = 0;
    for (long t = 0; t < hm.h.iters; t++) count += !isfinite(hm.h.loss[t]);
    if (tu_verbose())
        print_message("[ measure  ] diverging run: first loss %.3g, %ld of %ld losses non-finite\n", hm.h.loss[0],
                      count, hm.h.iters);
    assert_true(hm.h.nonfinite > 0);
    assert_int_equal(hm.h.nonfinite, count);
    /* accuracies stay proper fractions (a NaN net predicts class 0) */
    for (int c = 0; c < hm.h.checks; c++) {
        assert_true(hm.h.train_acc[c] >= 0.0 && hm.h.train_acc[c] <= 1.0);
        assert_true(hm.h.val_acc[c] >= 0.0 && hm.h.val_acc[c] <= 1.0);
    }
    free(hm.mem);
    bn_net_free(net);
    gsl_rng_free(r);
    gsl_rng_free(rb);
}

/* The float32 training path (bn_solver_train_new_f32: float net, float Adam, float inputs) learns
 * the separable blobs as the float64 one does, for each normalisation, and gives the same history
 * to the last bit when repeated with the same generators. */
static void solver_f32_learns_blobs_and_is_deterministic(void **state)
{
    (void)state;
    enum { N = 150, NVAL = 60, EPOCHS = 15, BATCH = 25 };
    const bn_norm norms[] = {BN_NORM_NONE, BN_NORM_BATCH, BN_NORM_LAYER};
    for (int k = 0; k < 3; k++) {
        gsl_rng *r = tu_rng(80 + (unsigned long)k);
        double X[N * DIM], Xv[NVAL * DIM];
        float Xf[N * DIM], Xvf[NVAL * DIM];
        int y[N], yv[NVAL];
        make_blobs(X, y, N, r);
        make_blobs(Xv, yv, NVAL, r);
        for (int i = 0; i < N * DIM; i++) Xf[i] = (float)X[i];
        for (int i = 0; i < NVAL * DIM; i++) Xvf[i] = (float)Xv[i];
        const int hidden[] = {16};
        history a, b;
        for (int rep = 0; rep < 2; rep++) {
            history *hm = rep ? &b : &a;
            gsl_rng *ri = tu_rng(90), *rb = tu_rng(91);
            history_make(hm, EPOCHS, N, BATCH);
            bn_solver_cfg cfg = config(BN_ADAM, 1e-2, EPOCHS, BATCH, 1000);
            bn_solver_train_new_f32(hidden, 1, norms[k], 0.1, &cfg, Xf, y, N, Xvf, yv, NVAL, DIM, NCLS, ri, rb, &hm->h);
            gsl_rng_free(ri);
            gsl_rng_free(rb);
        }
        tu_assert_rel(a.h.train_acc[a.h.checks - 1], 1.0, 0.0);
        tu_assert_rel(a.h.best_val, 1.0, 0.0);
        /* it learned: the last loss is well below the first (log 3 = 1.1 at the start) */
        assert_true(a.h.loss[a.h.iters - 1] < 0.25 * a.h.loss[0]);
        assert_int_equal(a.h.nonfinite, 0);
        assert_memory_equal(a.mem, b.mem,
                            sizeof(double) * (size_t)(bn_history_doubles(a.h.iters, a.h.checks) - BN_PHASE_COUNT));
        /* a float loss is stored exactly: every recorded loss is a float value */
        for (long t = 0; t < a.h.iters; t++) assert_true(a.h.loss[t] == (double)(float)a.h.loss[t]);
        free(a.mem);
        free(b.mem);
        gsl_rng_free(r);
    }
}

int main(void)
{
    bn_blas_single_thread();
    bn_quiet = 1;   /* no progress lines between cmocka's */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solver_iteration_and_check_counts),
        cmocka_unit_test(history_bind_lays_out_disjoint_arrays_inside_the_block),
        cmocka_unit_test(accuracy_counts_correct_predictions_across_predict_batches),
        cmocka_unit_test(solver_checks_after_first_iteration_and_every_epoch),
        cmocka_unit_test(solver_small_training_set_gives_one_iteration_per_epoch),
        cmocka_unit_test(solver_reaches_full_training_accuracy_on_separable_blobs),
        cmocka_unit_test(solver_leaves_the_best_validation_parameters_in_the_net),
        cmocka_unit_test(solver_is_deterministic_given_its_generators),
        cmocka_unit_test(solver_f32_learns_blobs_and_is_deterministic),
        cmocka_unit_test(solver_diverging_configuration_records_nonfinite_losses),
    };
    tu_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
