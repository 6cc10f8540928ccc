#!/usr/bin/python3
"""Experiments 5 and 6 of the study written again in plain NumPy, to time bnlab against NumPy on
the same machine: the deep net (5 hidden layers of 100) and the 20-point weight-scale sweep
(7 hidden layers of 50), each trained with and without batchnorm. Same data, shapes, iterations,
accuracy checks and dtype as bnlab (src/study/exp_training.c, solver_impl.h, net_impl.h,
layers_impl.h, optim_impl.h, options.c, data.c); NumPy's own generator, so not bnlab's numbers.

usage: scripts/numpy-study.py [--data DIR | --fashion-mnist DIR] [--dtype float32|float64]
                              [-j N] [--only deepnet|sweep] [--seed S]
"""
import os

# One BLAS thread per process, as in bnlab: the parallelism is the -j worker processes. Set
# before NumPy loads OpenBLAS, which reads them once.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse
import ctypes
import gzip
import multiprocessing
import sys
import time

import numpy as np

# bnlab's defaults (options.c, exp_training.c, solver.h, layers.h, optim_impl.h)
TRAIN_RECORDS, VAL_RECORDS, TEST_RECORDS = 49000, 1000, 1000
NUM_TRAIN = 1000          # the first 1000 training records are the trainings' training set
EPOCHS, BATCH, LR = 10, 50, 1e-3
ACC_TRAIN_SAMPLES = 1000  # the Solver's accuracy subsample of the training set (none when N <= it)
PREDICT_BATCH = 100       # rows per forward pass when checking accuracy
BN_MOMENTUM, BN_EPS = 0.9, 1e-5
ADAM_B1, ADAM_B2, ADAM_EPS = 0.9, 0.999, 1e-8
DEEP_HIDDEN, DEEP_WS = [100] * 5, 2e-2
SWEEP_HIDDEN, SWEEP_WS = [50] * 7, np.logspace(-4, 0, 20)
EXPERIMENTS = {"deepnet": 0, "sweep": 1}   # the generator key of each experiment

DATA = None   # (Xtr, ytr, Xval, yval, classes) in the training dtype; workers inherit it by fork


def load_cifar(d):
    """49,000 training and 1,000 validation records from data_batch_1..5 in file order, the first
    1,000 of test_batch, as data.c reads them; the record count comes from each file's size."""
    def read(name):
        raw = np.fromfile(os.path.join(d, name), dtype=np.uint8)
        if raw.size == 0 or raw.size % 3073:
            sys.exit(f"numpy-study: {d}/{name}: not whole 3073-byte CIFAR-10 records")
        rec = raw.reshape(-1, 3073)
        return rec[:, 1:], rec[:, 0].astype(np.intp)
    parts = [read(f"data_batch_{b}.bin") for b in range(1, 6)]
    px, y = np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
    test = read("test_batch.bin")
    return px, y, test[0][:TEST_RECORDS], 10


def load_fashion(d):
    """Fashion-MNIST, bnlab's fallback when scripts/dataset.sh finds no CIFAR-10."""
    def idx(name, header):
        with gzip.open(os.path.join(d, name)) as f:
            return np.frombuffer(f.read(), dtype=np.uint8)[header:]
    px = idx("train-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    y = idx("train-labels-idx1-ubyte.gz", 8).astype(np.intp)
    test = idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    return px, y, test[:TEST_RECORDS], 10


def load(kind, d):
    """The splits and the mean training image (float64), as bnlab's dataset load makes them."""
    px, y, test, classes = (load_cifar if kind == "cifar" else load_fashion)(d)
    if len(px) < TRAIN_RECORDS + VAL_RECORDS or len(test) < TEST_RECORDS:
        sys.exit(f"numpy-study: {d}: too few records")
    train, val = px[:TRAIN_RECORDS], px[TRAIN_RECORDS:TRAIN_RECORDS + VAL_RECORDS]
    mean = train.mean(axis=0, dtype=np.float64)
    return (train, y[:TRAIN_RECORDS], val, y[TRAIN_RECORDS:TRAIN_RECORDS + VAL_RECORDS], mean, classes)


def trainset(ds, dtype):
    """Mean-subtracted rows in float64, cast once to the training dtype (as trainset_make)."""
    train, ytr, val, yval, mean, classes = ds
    return ((train[:NUM_TRAIN] - mean).astype(dtype), ytr[:NUM_TRAIN],
            (val - mean).astype(dtype), yval, classes)


def train(task):
    """One training: Adam on a fully connected ReLU net with softmax loss, best weights kept."""
    exp, point, hidden, use_bn, ws, seed = task
    X, y, Xv, yv, classes = DATA
    dt = X.dtype
    f = dt.type   # every scalar goes through f(): a Python float would be harmless, an np.float64 not
    N = len(X)
    dims = [X.shape[1]] + hidden + [classes]
    L = len(dims) - 1
    # One flat buffer for the parameters and one for their gradients, so Adam is one update.
    shapes = [s for l in range(L) for s in ((dims[l], dims[l + 1]), (dims[l + 1],))]
    if use_bn:
        shapes += [(h,) for h in hidden for _ in range(2)]
    sizes = [int(np.prod(s)) for s in shapes]
    params, grads = np.zeros(sum(sizes), dt), np.zeros(sum(sizes), dt)

    def views(flat):
        offs = np.cumsum([0] + sizes)
        return [flat[offs[i]:offs[i + 1]].reshape(s) for i, s in enumerate(shapes)]
    pv, gv = views(params), views(grads)
    W, b, dW, db = pv[0:2 * L:2], pv[1:2 * L:2], gv[0:2 * L:2], gv[1:2 * L:2]
    gamma, beta, dgamma, dbeta = pv[2 * L::2], pv[2 * L + 1::2], gv[2 * L::2], gv[2 * L + 1::2]
    state = np.zeros(2 * sum(hidden), dt)   # running means and variances, kept with the best weights
    soffs = np.cumsum([0] + [h for h in hidden for _ in range(2)])
    run = [state[soffs[i]:soffs[i + 1]] for i in range(2 * len(hidden))]
    rmean, rvar = run[0::2], run[1::2]

    # Both variants of a point draw the same weights and minibatches (bnlab's per-point streams).
    key = [seed, EXPERIMENTS[exp], point]
    rinit, rbatch = np.random.default_rng(key + [0]), np.random.default_rng(key + [1])
    for w in W:
        w[...] = ws * rinit.standard_normal(w.shape)
    for g in gamma:
        g[...] = 1
    mom, one_m_mom, eps = f(BN_MOMENTUM), f(1.0 - BN_MOMENTUM), f(BN_EPS)

    def forward(x, training):
        cache = []
        for l in range(L - 1):
            z = x @ W[l]
            z += b[l]
            xhat = rstd = None
            if use_bn:
                if training:
                    mu, var = z.mean(axis=0), z.var(axis=0)
                    rmean[l] *= mom
                    rmean[l] += one_m_mom * mu
                    rvar[l] *= mom
                    rvar[l] += one_m_mom * var
                else:
                    mu, var = rmean[l], rvar[l]
                rstd = 1 / np.sqrt(var + eps)
                xhat = (z - mu) * rstd
                z = gamma[l] * xhat + beta[l]
            cache.append((x, z, xhat, rstd))
            x = np.maximum(z, 0)
        scores = x @ W[-1]
        scores += b[-1]
        cache.append((x,))
        return scores, cache

    def loss_grad(xb, yb):
        scores, cache = forward(xb, True)
        n, rows = len(yb), np.arange(len(yb))
        s = scores - scores.max(axis=1, keepdims=True)
        logz = np.log(np.exp(s).sum(axis=1))
        loss = (logz - s[rows, yb]).mean()
        d = np.exp(s - logz[:, None])
        d[rows, yb] -= 1
        d /= n
        for l in reversed(range(L)):
            if l < L - 1:
                _, z, xhat, rstd = cache[l]
                d *= z > 0
                if use_bn:
                    np.sum(d * xhat, axis=0, out=dgamma[l])
                    np.sum(d, axis=0, out=dbeta[l])
                    d = (gamma[l] * rstd / n) * (n * d - dbeta[l] - xhat * dgamma[l])
            np.matmul(cache[l][0].T, d, out=dW[l])
            np.sum(d, axis=0, out=db[l])
            if l:
                d = d @ W[l].T
        # matmul(out=) and the in-place updates would hide an upcast: check the chain's end
        assert d.dtype == dt and loss.dtype == dt, (d.dtype, loss.dtype)
        return loss

    def accuracy(x, yy):
        pred = np.concatenate([forward(x[s:s + PREDICT_BATCH], False)[0].argmax(axis=1)
                               for s in range(0, len(x), PREDICT_BATCH)])
        return float((pred == yy).mean())

    m, v = np.zeros_like(params), np.zeros_like(params)
    ipe = max(N // BATCH, 1)
    iters = ipe * EPOCHS
    nsub = min(N, ACC_TRAIN_SAMPLES)
    losses = np.empty(iters)
    best_val, train_accs, nonfinite = -1.0, [], 0
    best, best_state = params.copy(), state.copy()
    t0 = time.perf_counter()
    for t in range(iters):
        idx = rbatch.integers(0, N, BATCH)   # with replacement, as the Solver samples
        loss = loss_grad(X[idx], y[idx])
        losses[t] = loss
        nonfinite += not np.isfinite(loss)
        # Adam with both bias corrections folded into two scalars formed in float64
        step = f(LR / (1.0 - ADAM_B1 ** (t + 1)))
        inv_c2 = f(1.0 / (1.0 - ADAM_B2 ** (t + 1)))
        m *= f(ADAM_B1)
        m += f(1.0 - ADAM_B1) * grads
        v *= f(ADAM_B2)
        v += f(1.0 - ADAM_B2) * grads * grads
        upd = step * m / (np.sqrt(v * inv_c2) + f(ADAM_EPS))
        assert upd.dtype == dt, upd.dtype
        params -= upd
        if t == 0 or t == iters - 1 or (t + 1) % ipe == 0:
            if nsub < N:
                sub = rbatch.integers(0, N, nsub)
                tr = accuracy(X[sub], y[sub])
            else:
                tr = accuracy(X, y)
            va = accuracy(Xv, yv)
            train_accs.append(tr)
            if va > best_val:
                best_val = va
                best[...], best_state[...] = params, state
    params[...], state[...] = best, best_state
    for a in (params, grads, m, v, state, best, forward(Xv[:PREDICT_BATCH], False)[0]):
        assert a.dtype == dt, a.dtype
    return {"best_val": best_val, "best_train": max(train_accs), "nonfinite": nonfinite,
            "final_loss": float(losses[-100:].mean()), "seconds": time.perf_counter() - t0}


def study(name, hidden, scales, ds, dtype, jobs, seed):
    """All trainings of one experiment, [point][batchnorm, baseline], on `jobs` worker processes
    forked for it, as bnlab's runner does. Returns (wall seconds, results)."""
    global DATA
    t0 = time.perf_counter()
    DATA = trainset(ds, dtype)
    tasks = [(name, p, hidden, bn, float(ws), seed) for p, ws in enumerate(scales) for bn in (True, False)]
    # Diverging trainings at large weight scales are part of the sweep: their non-finite losses
    # are counted and reported, not warned about one by one.
    with np.errstate(all="ignore"):
        if jobs <= 1 or len(tasks) <= 1:
            res = [train(t) for t in tasks]
        else:
            with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
                res = pool.map(train, tasks, chunksize=1)
    return time.perf_counter() - t0, res


def blas_info():
    """The BLAS library NumPy has loaded, and OpenBLAS's core and thread count if it is OpenBLAS."""
    with open("/proc/self/maps") as f:
        libs = sorted({ln.split()[-1] for ln in f if "blas" in ln.rsplit("/", 1)[-1]})
    for lib in libs:
        try:
            ob = ctypes.CDLL(lib)
            ob.openblas_get_corename.restype = ctypes.c_char_p
            return f"{lib} (OpenBLAS core {ob.openblas_get_corename().decode()}, " \
                   f"{ob.openblas_get_num_threads()} thread(s) per process)"
        except (OSError, AttributeError):
            continue
    return (", ".join(libs) or "none found") + " (not OpenBLAS)"


def cli(framework, version, study_fn, blas_note=""):
    """The command line of this script and of scripts/torch-study.py: parse, load, run
    study_fn(name, hidden, scales, ds, dtype, jobs, seed) for each experiment, print the table."""
    ap = argparse.ArgumentParser(description=f"Experiments 5 and 6 in {framework}, timed like bnbench.")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--data", metavar="DIR", help="CIFAR-10 binary folder (default: $CIFAR10_DIR)")
    src.add_argument("--fashion-mnist", metavar="DIR", help="Fashion-MNIST folder instead")
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    ap.add_argument("-j", type=int, default=2, metavar="N", help="worker processes (default 2)")
    ap.add_argument("--only", choices=["deepnet", "sweep"])
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if not 1 <= a.j <= 256:
        ap.error(f"-j {a.j}: not an integer from 1 to 256")
    if a.seed < 0:
        ap.error(f"--seed {a.seed}: not a non-negative integer")
    kind, d = ("fashion", a.fashion_mnist) if a.fashion_mnist else ("cifar", a.data or os.environ.get("CIFAR10_DIR"))
    if not d:
        ap.error("no dataset: give --data DIR or set CIFAR10_DIR")
    dtype = np.dtype(a.dtype)

    t0 = time.perf_counter()
    ds = load(kind, d)
    load_s = time.perf_counter() - t0
    runs = {}
    if a.only != "sweep":
        runs["deepnet"] = study_fn("deepnet", DEEP_HIDDEN, [DEEP_WS], ds, dtype, a.j, a.seed)
    if a.only != "deepnet":
        runs["sweep"] = study_fn("sweep", SWEEP_HIDDEN, SWEEP_WS, ds, dtype, a.j, a.seed)

    print(f"{framework} {version} study: {a.dtype}, {a.j} worker process(es), seed {a.seed}")
    print(f"BLAS: {blas_info()}{blas_note}")
    print(f"dataset load ({(TRAIN_RECORDS + VAL_RECORDS) // 1000}k+{TEST_RECORDS // 1000}k records): {load_s:.2f} s")
    print(f"{'part':<28} {'seconds':>9}")
    if "deepnet" in runs:
        print(f"{'exp5 deep net (2 trainings)':<28} {runs['deepnet'][0]:9.2f}")
    if "sweep" in runs:
        print(f"{'exp6 sweep (40 trainings)':<28} {runs['sweep'][0]:9.2f}")
    print(f"{'exp5 + exp6' if len(runs) == 2 else a.only:<28} {sum(r[0] for r in runs.values()):9.2f}")
    for name, (_, res) in runs.items():
        bn, base = res[0::2], res[1::2]
        nf = sum(r["nonfinite"] for r in res)
        what = "best val acc" if name == "deepnet" else "mean best val acc over 20 scales"
        print(f"{name} {what}: batchnorm {np.mean([r['best_val'] for r in bn]):.3f}, "
              f"baseline {np.mean([r['best_val'] for r in base]):.3f} ({nf} non-finite losses)")


if __name__ == "__main__":
    cli("NumPy", np.__version__, study)
