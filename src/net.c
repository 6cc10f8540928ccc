/* net.c - see net.h. */
#include "net.h"
#include "common.h"
#include "layers.h"

#include <stdio.h>
#include <string.h>
#include <gsl/gsl_randist.h>

/* The normalisations, one row each, indexed by bn_norm. A row adapts its layer pair to one
 * signature; "none" has no functions (the pre-activation is the affine output itself) and no
 * gamma, beta or cache. Adding a normalisation: its layer pair in layers.c, a bn_norm value, a row. */
typedef struct {
    const char *name;
    /* doubles of cache for an N x D input */
    long (*cache_size)(int N, int D);
    /* train mode: out (N,D) from x (N,D); batch statistics into cache; running ones updated */
    void (*forward)(double *out, double *cache, double *run_mean, double *run_var, const double *x,
                    const double *gamma, const double *beta, int N, int D);
    /* test mode: out (N,D) from x (N,D) and the running statistics; cache is scratch */
    void (*forward_test)(double *out, double *cache, const double *run_mean, const double *run_var,
                         const double *x, const double *gamma, const double *beta, int N, int D);
    /* dx, dgamma, dbeta from dout and the train-mode cache; staged selects the reference form
     * where there is one; work is 2*D doubles */
    void (*backward)(double *dx, double *dgamma, double *dbeta, const double *dout, const double *cache,
                     const double *gamma, double *work, int staged, int N, int D);
} norm_row;

static long bn_cache_size(int N, int D) { return BN_CACHE_SIZE(N, D); }
static long ln_cache_size(int N, int D) { return BN_LN_CACHE_SIZE(N, D); }

static void bn_fwd(double *out, double *cache, double *run_mean, double *run_var, const double *x,
                   const double *gamma, const double *beta, int N, int D)
{
    bn_forward(out, cache, run_mean, run_var, x, gamma, beta, N, D);
}
static void bn_fwd_test(double *out, double *cache, const double *run_mean, const double *run_var,
                        const double *x, const double *gamma, const double *beta, int N, int D)
{
    (void)cache;
    bn_forward_test(out, x, gamma, beta, run_mean, run_var, N, D);
}
static void bn_bwd(double *dx, double *dgamma, double *dbeta, const double *dout, const double *cache,
                   const double *gamma, double *work, int staged, int N, int D)
{
    if (staged) bn_backward_staged(dx, dgamma, dbeta, dout, cache, gamma, work, N, D);
    else bn_backward(dx, dgamma, dbeta, dout, cache, gamma, N, D);
}

/* layer norm's statistics are per sample: train and test mode are the same computation */
static void ln_fwd(double *out, double *cache, double *run_mean, double *run_var, const double *x,
                   const double *gamma, const double *beta, int N, int D)
{
    (void)run_mean; (void)run_var;
    bn_layernorm_forward(out, cache, x, gamma, beta, N, D);
}
static void ln_fwd_test(double *out, double *cache, const double *run_mean, const double *run_var,
                        const double *x, const double *gamma, const double *beta, int N, int D)
{
    (void)run_mean; (void)run_var;
    bn_layernorm_forward(out, cache, x, gamma, beta, N, D);
}
static void ln_bwd(double *dx, double *dgamma, double *dbeta, const double *dout, const double *cache,
                   const double *gamma, double *work, int staged, int N, int D)
{
    (void)work; (void)staged;
    bn_layernorm_backward(dx, dgamma, dbeta, dout, cache, gamma, N, D);
}

static const norm_row norms[BN_NORM_COUNT] = {
    [BN_NORM_NONE] = {"none", NULL, NULL, NULL, NULL},
    [BN_NORM_BATCH] = {"batchnorm", bn_cache_size, bn_fwd, bn_fwd_test, bn_bwd},
    [BN_NORM_LAYER] = {"layernorm", ln_cache_size, ln_fwd, ln_fwd_test, ln_bwd},
};

const char *bn_norm_name(bn_norm n)
{
    return n >= 0 && n < BN_NORM_COUNT ? norms[n].name : "none";
}

static void add_slice(bn_net *net, const char *name, int layer, long *off, long n)
{
    bn_slice *s = &net->slices[net->nslices++];
    snprintf(s->name, sizeof s->name, "%s%d", name, layer + 1);
    s->off = *off;
    s->n = n;
    *off += n;
}

bn_net *bn_net_new(const int *hidden, int nhidden, int input_dim, int num_classes, bn_norm norm,
                   double reg, int max_batch)
{
    if (nhidden < 0 || nhidden + 1 > BN_MAX_LAYERS) bn_die(2, "a net has at most %d hidden layers", BN_MAX_LAYERS - 1);
    bn_net *net = bn_calloc(1, sizeof *net);
    net->L = nhidden + 1;
    net->dims[0] = input_dim;
    for (int i = 0; i < nhidden; i++) net->dims[i + 1] = hidden[i];
    net->dims[net->L] = num_classes;
    net->norm = norm;
    net->reg = reg;
    net->max_batch = max_batch;

    /* Parameters: slices in the order W, b for every layer, then gamma, beta for every hidden one. */
    long off = 0;
    int L = net->L, maxd = 0;
    for (int l = 0; l < L; l++) {
        add_slice(net, "W", l, &off, (long)net->dims[l] * net->dims[l + 1]);
        add_slice(net, "b", l, &off, net->dims[l + 1]);
    }
    const norm_row *nr = &norms[norm];
    if (nr->forward)
        for (int l = 0; l < L - 1; l++) {
            add_slice(net, "gamma", l, &off, net->dims[l + 1]);
            add_slice(net, "beta", l, &off, net->dims[l + 1]);
        }
    net->nparams = off;
    net->params = bn_calloc((size_t)off, sizeof(double));
    net->grads = bn_calloc((size_t)off, sizeof(double));
    for (int s = 0, l = 0; l < L; l++, s += 2) {
        net->W[l] = net->params + net->slices[s].off;  net->dW[l] = net->grads + net->slices[s].off;
        net->b[l] = net->params + net->slices[s + 1].off; net->db[l] = net->grads + net->slices[s + 1].off;
    }
    if (nr->forward)
        for (int s = 2 * L, l = 0; l < L - 1; l++, s += 2) {
            net->gamma[l] = net->params + net->slices[s].off;  net->dgamma[l] = net->grads + net->slices[s].off;
            net->beta[l] = net->params + net->slices[s + 1].off; net->dbeta[l] = net->grads + net->slices[s + 1].off;
        }

    long nstate = 0;
    for (int l = 0; l < L - 1; l++) nstate += 2L * net->dims[l + 1];
    net->state = bn_calloc((size_t)(nstate ? nstate : 1), sizeof(double));
    for (long o = 0, l = 0; l < L - 1; l++) {
        net->run_mean[l] = net->state + o; o += net->dims[l + 1];
        net->run_var[l] = net->state + o;  o += net->dims[l + 1];
    }

    /* Workspace: per hidden layer z, cache, hn, a; then scores and two gradient buffers. */
    long N = max_batch, nws = 0;
    for (int l = 0; l <= L; l++) if (net->dims[l] > maxd) maxd = net->dims[l];
    for (int l = 0; l < L - 1; l++) {
        long H = net->dims[l + 1];
        nws += 3 * N * H + (nr->cache_size ? nr->cache_size((int)N, (int)H) : 0);
    }
    nws += N * num_classes + 2 * N * maxd + 2L * maxd;
    net->ws = bn_calloc((size_t)nws, sizeof(double));
    double *p = net->ws;
    for (int l = 0; l < L - 1; l++) {
        long H = net->dims[l + 1];
        net->z[l] = p;     p += N * H;
        net->cache[l] = p; p += nr->cache_size ? nr->cache_size((int)N, (int)H) : 0;
        net->hn[l] = p;    p += N * H;
        net->a[l] = p;     p += N * H;
    }
    net->scores = p; p += N * num_classes;
    net->d1 = p;     p += N * maxd;
    net->d2 = p;     p += N * maxd;
    net->bnwork = p;
    return net;
}

void bn_net_free(bn_net *net)
{
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->state);
    free(net->ws);
    free(net);
}

void bn_net_init(bn_net *net, gsl_rng *r, double weight_scale)
{
    for (int l = 0; l < net->L; l++) {
        long n = (long)net->dims[l] * net->dims[l + 1];
        for (long i = 0; i < n; i++) net->W[l][i] = weight_scale * gsl_ran_gaussian(r, 1.0);
        memset(net->b[l], 0, (size_t)net->dims[l + 1] * sizeof(double));
    }
    for (int l = 0; l < net->L - 1; l++) {
        int H = net->dims[l + 1];
        if (norms[net->norm].forward)
            for (int j = 0; j < H; j++) { net->gamma[l][j] = 1.0; net->beta[l][j] = 0.0; }
        memset(net->run_mean[l], 0, (size_t)H * sizeof(double));
        memset(net->run_var[l], 0, (size_t)H * sizeof(double));
    }
}

/* Forward through every layer; train selects batch statistics. Returns the scores. */
static const double *forward(bn_net *net, const double *X, int N, int train)
{
    if (N > net->max_batch) bn_die(1, "internal: batch of %d rows exceeds the net's %d", N, net->max_batch);
    const norm_row *nr = &norms[net->norm];
    const double *in = X;
    for (int l = 0; l < net->L - 1; l++) {
        int D = net->dims[l], H = net->dims[l + 1];
        long n = (long)N * H;
        bn_affine_forward(net->z[l], in, net->W[l], net->b[l], N, D, H);
        const double *pre = net->z[l];
        if (nr->forward) {
            if (train)
                nr->forward(net->hn[l], net->cache[l], net->run_mean[l], net->run_var[l], net->z[l],
                            net->gamma[l], net->beta[l], N, H);
            else
                nr->forward_test(net->hn[l], net->cache[l], net->run_mean[l], net->run_var[l], net->z[l],
                                 net->gamma[l], net->beta[l], N, H);
            pre = net->hn[l];
        }
        bn_relu_forward(net->a[l], pre, n);
        in = net->a[l];
    }
    int l = net->L - 1;
    bn_affine_forward(net->scores, in, net->W[l], net->b[l], N, net->dims[l], net->dims[l + 1]);
    return net->scores;
}

double bn_net_loss(bn_net *net, const double *X, const int *y, int N)
{
    int L = net->L, C = net->dims[L];
    const norm_row *nr = &norms[net->norm];
    forward(net, X, N, 1);
    double *dcur = net->d1, *dnext = net->d2;
    double loss = bn_softmax_loss(dcur, net->scores, y, N, C);

    for (int l = L - 1; l >= 0; l--) {
        int D = net->dims[l], H = net->dims[l + 1];
        const double *in = l ? net->a[l - 1] : X;
        if (l < L - 1) {
            const double *pre = nr->forward ? net->hn[l] : net->z[l];
            bn_relu_backward(dcur, dcur, pre, (long)N * H);
            if (nr->backward) {
                nr->backward(dnext, net->dgamma[l], net->dbeta[l], dcur, net->cache[l], net->gamma[l], net->bnwork,
                             net->staged_backward, N, H);
                double *t = dcur; dcur = dnext; dnext = t;
            }
        }
        /* The input gradient of the first layer is never used: skip its product. */
        bn_affine_backward(l ? dnext : NULL, net->dW[l], net->db[l], dcur, in, net->W[l], N, D, H);
        double *t = dcur; dcur = dnext; dnext = t;
    }

    if (net->reg != 0.0) {
        double r = 0.0;
        for (int l = 0; l < L; l++) {
            long n = (long)net->dims[l] * net->dims[l + 1];
            for (long i = 0; i < n; i++) {
                r += net->W[l][i] * net->W[l][i];
                net->dW[l][i] += net->reg * net->W[l][i];
            }
        }
        loss += 0.5 * net->reg * r;
    }
    return loss;
}

const double *bn_net_scores(bn_net *net, const double *X, int N)
{
    return forward(net, X, N, 0);
}

void bn_net_predict(bn_net *net, const double *X, int N, int *pred)
{
    int D = net->dims[0], C = net->dims[net->L];
    for (int start = 0; start < N; start += net->max_batch) {
        int n = N - start < net->max_batch ? N - start : net->max_batch;
        const double *s = forward(net, X + (long)start * D, n, 0);
        for (int i = 0; i < n; i++) {
            int best = 0;
            /* NaN scores never compare greater, so a diverged net predicts class 0 */
            for (int j = 1; j < C; j++) if (s[(long)i * C + j] > s[(long)i * C + best]) best = j;
            pred[start + i] = best;
        }
    }
}

const bn_slice *bn_net_slice(const bn_net *net, const char *name)
{
    for (int i = 0; i < net->nslices; i++)
        if (strcmp(net->slices[i].name, name) == 0) return &net->slices[i];
    return NULL;
}

double bn_net_flops_step(const bn_net *net, int N)
{
    /* 2 flops per multiply-add: forward x.W everywhere, dW everywhere, dx for all but the first layer */
    double f = 0.0;
    for (int l = 0; l < net->L; l++) {
        double mac = (double)N * net->dims[l] * net->dims[l + 1];
        f += 2.0 * mac * (l ? 3.0 : 2.0);
    }
    return f;
}

double bn_net_flops_predict(const bn_net *net, int N)
{
    double f = 0.0;
    for (int l = 0; l < net->L; l++) f += 2.0 * (double)N * net->dims[l] * net->dims[l + 1];
    return f;
}
