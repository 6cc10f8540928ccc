/* net_impl.h - the net for one dtype (included by net.c once per dtype, with BN_F32 set; see
 * real.h): its normalisation table, construction, forward, loss and gradients, prediction. */
#include "real.h"

/* The normalisations, one row each, indexed by bn_norm. A row adapts its layer pair to one
 * signature; "none" has no functions (the pre-activation is the affine output itself) and no
 * gamma, beta or cache. Adding a normalisation: its layer pair in layers.c, a bn_norm value, a row. */
typedef struct {
    const char *name;
    /* elements of cache for an N x D input */
    long (*cache_size)(int N, int D);
    /* train mode: out (N,D) from x (N,D); batch statistics into cache; running ones updated */
    void (*forward)(REAL *out, REAL *cache, REAL *run_mean, REAL *run_var, const REAL *x,
                    const REAL *gamma, const REAL *beta, int N, int D);
    /* test mode: out (N,D) from x (N,D) and the running statistics; cache is scratch */
    void (*forward_test)(REAL *out, REAL *cache, const REAL *run_mean, const REAL *run_var,
                         const REAL *x, const REAL *gamma, const REAL *beta, int N, int D);
    /* dx, dgamma, dbeta from dout and the train-mode cache; staged selects the reference form
     * where there is one; work is 2*D elements */
    void (*backward)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                     const REAL *gamma, REAL *work, int staged, int N, int D);
} BN_FN(norm_row);

static long BN_FN(bn_cache_size)(int N, int D) { return BN_CACHE_SIZE(N, D); }
static long BN_FN(ln_cache_size)(int N, int D) { return BN_LN_CACHE_SIZE(N, D); }

static void BN_FN(bn_fwd)(REAL *out, REAL *cache, REAL *run_mean, REAL *run_var, const REAL *x,
                   const REAL *gamma, const REAL *beta, int N, int D)
{
    BN_FN(bn_forward)(out, cache, run_mean, run_var, x, gamma, beta, N, D);
}
static void BN_FN(bn_fwd_test)(REAL *out, REAL *cache, const REAL *run_mean, const REAL *run_var,
                        const REAL *x, const REAL *gamma, const REAL *beta, int N, int D)
{
    (void)cache;
    BN_FN(bn_forward_test)(out, x, gamma, beta, run_mean, run_var, N, D);
}
static void BN_FN(bn_bwd)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                   const REAL *gamma, REAL *work, int staged, int N, int D)
{
    if (staged) BN_FN(bn_backward_staged)(dx, dgamma, dbeta, dout, cache, gamma, work, N, D);
    else BN_FN(bn_backward)(dx, dgamma, dbeta, dout, cache, gamma, N, D);
}

/* layer norm's statistics are per sample: train and test mode are the same computation */
static void BN_FN(ln_fwd)(REAL *out, REAL *cache, REAL *run_mean, REAL *run_var, const REAL *x,
                   const REAL *gamma, const REAL *beta, int N, int D)
{
    (void)run_mean; (void)run_var;
    BN_FN(bn_layernorm_forward)(out, cache, x, gamma, beta, N, D);
}
static void BN_FN(ln_fwd_test)(REAL *out, REAL *cache, const REAL *run_mean, const REAL *run_var,
                        const REAL *x, const REAL *gamma, const REAL *beta, int N, int D)
{
    (void)run_mean; (void)run_var;
    BN_FN(bn_layernorm_forward)(out, cache, x, gamma, beta, N, D);
}
static void BN_FN(ln_bwd)(REAL *dx, REAL *dgamma, REAL *dbeta, const REAL *dout, const REAL *cache,
                   const REAL *gamma, REAL *work, int staged, int N, int D)
{
    (void)work; (void)staged;
    BN_FN(bn_layernorm_backward)(dx, dgamma, dbeta, dout, cache, gamma, N, D);
}

static const BN_FN(norm_row) BN_FN(norms)[BN_NORM_COUNT] = {
    [BN_NORM_NONE] = {"none", NULL, NULL, NULL, NULL},
    [BN_NORM_BATCH] = {"batchnorm", BN_FN(bn_cache_size), BN_FN(bn_fwd), BN_FN(bn_fwd_test), BN_FN(bn_bwd)},
    [BN_NORM_LAYER] = {"layernorm", BN_FN(ln_cache_size), BN_FN(ln_fwd), BN_FN(ln_fwd_test), BN_FN(ln_bwd)},
};

BN_FN(bn_net) *BN_FN(bn_net_new)(const int *hidden, int nhidden, int input_dim, int num_classes, bn_norm norm,
                                 double reg, int max_batch)
{
    if (nhidden < 0 || nhidden + 1 > BN_MAX_LAYERS) bn_die(2, "a net has at most %d hidden layers", BN_MAX_LAYERS - 1);
    BN_FN(bn_net) *net = bn_calloc(1, sizeof *net);
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
        add_slice(net->slices, &net->nslices, "W", l, &off, (long)net->dims[l] * net->dims[l + 1]);
        add_slice(net->slices, &net->nslices, "b", l, &off, net->dims[l + 1]);
    }
    const BN_FN(norm_row) *nr = &BN_FN(norms)[norm];
    if (nr->forward)
        for (int l = 0; l < L - 1; l++) {
            add_slice(net->slices, &net->nslices, "gamma", l, &off, net->dims[l + 1]);
            add_slice(net->slices, &net->nslices, "beta", l, &off, net->dims[l + 1]);
        }
    net->nparams = off;
    net->params = bn_calloc((size_t)off, sizeof(REAL));
    net->grads = bn_calloc((size_t)off, sizeof(REAL));
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
    net->state = bn_calloc((size_t)(nstate ? nstate : 1), sizeof(REAL));
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
    net->ws = bn_calloc((size_t)nws, sizeof(REAL));
    REAL *p = net->ws;
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

void BN_FN(bn_net_free)(BN_FN(bn_net) *net)
{
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->state);
    free(net->ws);
    free(net);
}

void BN_FN(bn_net_init)(BN_FN(bn_net) *net, gsl_rng *r, double weight_scale)
{
    for (int l = 0; l < net->L; l++) {
        long n = (long)net->dims[l] * net->dims[l + 1];
        for (long i = 0; i < n; i++) net->W[l][i] = (REAL)(weight_scale * bn_gaussian(r, 1.0));
        memset(net->b[l], 0, (size_t)net->dims[l + 1] * sizeof(REAL));
    }
    for (int l = 0; l < net->L - 1; l++) {
        int H = net->dims[l + 1];
        if (BN_FN(norms)[net->norm].forward)
            for (int j = 0; j < H; j++) { net->gamma[l][j] = R(1); net->beta[l][j] = R(0); }
        memset(net->run_mean[l], 0, (size_t)H * sizeof(REAL));
        memset(net->run_var[l], 0, (size_t)H * sizeof(REAL));
    }
}

/* Forward through every layer; train selects batch statistics. Returns the scores. */
static const REAL *BN_FN(forward)(BN_FN(bn_net) *net, const REAL *X, int N, int train)
{
    if (N > net->max_batch) bn_die(1, "internal: batch of %d rows exceeds the net's %d", N, net->max_batch);
    const BN_FN(norm_row) *nr = &BN_FN(norms)[net->norm];
    const REAL *in = X;
    for (int l = 0; l < net->L - 1; l++) {
        int D = net->dims[l], H = net->dims[l + 1];
        long n = (long)N * H;
        BN_FN(bn_affine_forward)(net->z[l], in, net->W[l], net->b[l], N, D, H);
        const REAL *pre = net->z[l];
        if (nr->forward) {
            if (train)
                nr->forward(net->hn[l], net->cache[l], net->run_mean[l], net->run_var[l], net->z[l],
                            net->gamma[l], net->beta[l], N, H);
            else
                nr->forward_test(net->hn[l], net->cache[l], net->run_mean[l], net->run_var[l], net->z[l],
                                 net->gamma[l], net->beta[l], N, H);
            pre = net->hn[l];
        }
        BN_FN(bn_relu_forward)(net->a[l], pre, n);
        in = net->a[l];
    }
    int l = net->L - 1;
    BN_FN(bn_affine_forward)(net->scores, in, net->W[l], net->b[l], N, net->dims[l], net->dims[l + 1]);
    return net->scores;
}

REAL BN_FN(bn_net_loss)(BN_FN(bn_net) *net, const REAL *X, const int *y, int N)
{
    int L = net->L, C = net->dims[L];
    const BN_FN(norm_row) *nr = &BN_FN(norms)[net->norm];
    BN_FN(forward)(net, X, N, 1);
    REAL *dcur = net->d1, *dnext = net->d2;
    REAL loss = BN_FN(bn_softmax_loss)(dcur, net->scores, y, N, C);

    for (int l = L - 1; l >= 0; l--) {
        int D = net->dims[l], H = net->dims[l + 1];
        const REAL *in = l ? net->a[l - 1] : X;
        if (l < L - 1) {
            const REAL *pre = nr->forward ? net->hn[l] : net->z[l];
            BN_FN(bn_relu_backward)(dcur, dcur, pre, (long)N * H);
            if (nr->backward) {
                nr->backward(dnext, net->dgamma[l], net->dbeta[l], dcur, net->cache[l], net->gamma[l], net->bnwork,
                             net->staged_backward, N, H);
                REAL *t = dcur; dcur = dnext; dnext = t;
            }
        }
        /* The input gradient of the first layer is never used: skip its product. */
        BN_FN(bn_affine_backward)(l ? dnext : NULL, net->dW[l], net->db[l], dcur, in, net->W[l], N, D, H);
        REAL *t = dcur; dcur = dnext; dnext = t;
    }

    if (net->reg != 0.0) {
        REAL reg = R(net->reg), r = R(0);
        for (int l = 0; l < L; l++) {
            long n = (long)net->dims[l] * net->dims[l + 1];
            for (long i = 0; i < n; i++) {
                r += net->W[l][i] * net->W[l][i];
                net->dW[l][i] += reg * net->W[l][i];
            }
        }
        loss += R(0.5) * reg * r;
    }
    return loss;
}

const REAL *BN_FN(bn_net_scores)(BN_FN(bn_net) *net, const REAL *X, int N)
{
    return BN_FN(forward)(net, X, N, 0);
}

void BN_FN(bn_net_predict)(BN_FN(bn_net) *net, const REAL *X, int N, int *pred)
{
    int D = net->dims[0], C = net->dims[net->L];
    for (int start = 0; start < N; start += net->max_batch) {
        int n = N - start < net->max_batch ? N - start : net->max_batch;
        const REAL *s = BN_FN(forward)(net, X + (long)start * D, n, 0);
        for (int i = 0; i < n; i++) {
            int best = 0;
            /* NaN scores never compare greater, so a diverged net predicts class 0 */
            for (int j = 1; j < C; j++) if (s[(long)i * C + j] > s[(long)i * C + best]) best = j;
            pred[start + i] = best;
        }
    }
}

const bn_slice *BN_FN(bn_net_slice)(const BN_FN(bn_net) *net, const char *name)
{
    for (int i = 0; i < net->nslices; i++)
        if (strcmp(net->slices[i].name, name) == 0) return &net->slices[i];
    return NULL;
}

double BN_FN(bn_net_flops_step)(const BN_FN(bn_net) *net, int N)
{
    /* 2 flops per multiply-add: forward x.W everywhere, dW everywhere, dx for all but the first layer */
    double f = 0.0;
    for (int l = 0; l < net->L; l++) {
        double mac = (double)N * net->dims[l] * net->dims[l + 1];
        f += 2.0 * mac * (l ? 3.0 : 2.0);
    }
    return f;
}

double BN_FN(bn_net_flops_predict)(const BN_FN(bn_net) *net, int N)
{
    double f = 0.0;
    for (int l = 0; l < net->L; l++) f += 2.0 * (double)N * net->dims[l] * net->dims[l + 1];
    return f;
}

#undef BN_F32
#include "real.h"
