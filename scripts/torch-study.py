#!/usr/bin/python3
"""Experiments 5 and 6 of the study in PyTorch, the counterpart of scripts/numpy-study.py, to time
bnlab against PyTorch on the same machine: the deep net (5 hidden layers of 100) and the 20-point
weight-scale sweep (7 hidden layers of 50), each trained with and without batchnorm. The
constants, the dataset loading, the generator keys, the command line and the printed table are
numpy-study.py's own (imported, not copied); so are the weights and minibatches, drawn by the
same NumPy streams.

The net is written as PyTorch users write it: nn.Linear, nn.BatchNorm1d and ReLU in an
nn.Sequential, autograd for the backward pass, torch.optim.Adam with its defaults (its bias
correction, lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps), is numpy-study's), F.cross_entropy
for the softmax loss. One thread per process (intra- and inter-op), one training at a time per
process; the parallelism is the -j worker processes, forked as numpy-study forks them.
Differences that do not change the work timed: BatchNorm1d's momentum 0.1 is PyTorch's name for
our 0.9 decay, and its running variance takes the unbiased (n/(n-1)) batch variance where
numpy-study keeps the biased one, so the test-mode outputs, and the accuracies, differ slightly.

usage: scripts/torch-study.py [--data DIR | --fashion-mnist DIR] [--dtype float32|float64]
                              [-j N] [--only deepnet|sweep] [--seed S]
"""
import importlib.util
import math
import os
import sys

# Importing numpy-study sets OPENBLAS_NUM_THREADS and OMP_NUM_THREADS to 1 before NumPy, and so
# before torch, loads OpenBLAS (torch's generic BLAS is the same libblas.so.3) and OpenMP.
_spec = importlib.util.spec_from_file_location(
    "numpy_study", os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy-study.py"))
ns = importlib.util.module_from_spec(_spec)
sys.dont_write_bytecode = True   # no __pycache__ left beside the scripts for an imported script
_spec.loader.exec_module(ns)

import multiprocessing
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

# Inter-op threads can be set only once per process, before any parallel work, and a forked
# child that tries again aborts: set both here, the workers inherit them and set the intra-op
# count once more in the pool's initializer.
torch.set_num_threads(1)
torch.set_num_interop_threads(1)

DATA = None   # (X, y, Xval, yval, classes) as tensors in the training dtype; workers inherit it


def train(task):
    """One training: Adam on a fully connected ReLU net with softmax loss, best weights kept."""
    exp, point, hidden, use_bn, ws, seed = task
    X, y, Xv, yv, classes = DATA
    dt, N = X.dtype, len(X)
    dims = [X.shape[1]] + hidden + [classes]
    layers, linears = [], []
    for l in range(len(dims) - 1):
        linears.append(nn.Linear(dims[l], dims[l + 1], dtype=dt))
        layers.append(linears[-1])
        if l < len(hidden):
            if use_bn:
                layers.append(nn.BatchNorm1d(dims[l + 1], eps=ns.BN_EPS,
                                             momentum=1 - ns.BN_MOMENTUM, dtype=dt))
                layers[-1].running_var.zero_()   # numpy-study's running variances start at 0, not 1
            layers.append(nn.ReLU())
    net = nn.Sequential(*layers)

    # numpy-study's streams and draws: W = ws * N(0,1) of shape (in, out) in float64, layer by
    # layer, then cast; nn.Linear keeps W transposed. Biases 0; gamma 1 and beta 0 are the default.
    key = [seed, ns.EXPERIMENTS[exp], point]
    rinit, rbatch = np.random.default_rng(key + [0]), np.random.default_rng(key + [1])
    with torch.no_grad():
        for lin in linears:
            lin.weight.copy_(torch.from_numpy(ws * rinit.standard_normal(lin.weight.shape[::-1])).T)
            lin.bias.zero_()

    @torch.no_grad()
    def accuracy(x, yy):
        net.eval()
        pred = torch.cat([net(x[s:s + ns.PREDICT_BATCH]).argmax(dim=1)
                          for s in range(0, len(x), ns.PREDICT_BATCH)])
        net.train()
        return (pred == yy).double().mean().item()

    opt = torch.optim.Adam(net.parameters(), lr=ns.LR, betas=(ns.ADAM_B1, ns.ADAM_B2), eps=ns.ADAM_EPS)
    ipe = max(N // ns.BATCH, 1)
    iters = ipe * ns.EPOCHS
    nsub = min(N, ns.ACC_TRAIN_SAMPLES)
    losses = []
    best_val, train_accs = -1.0, []
    best = {k: v.clone() for k, v in net.state_dict().items()}
    t0 = time.perf_counter()
    for t in range(iters):
        idx = torch.from_numpy(rbatch.integers(0, N, ns.BATCH))   # with replacement, as the Solver
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(X[idx]), y[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if t == 0 or t == iters - 1 or (t + 1) % ipe == 0:
            if nsub < N:
                sub = torch.from_numpy(rbatch.integers(0, N, nsub))
                tr = accuracy(X[sub], y[sub])
            else:
                tr = accuracy(X, y)
            va = accuracy(Xv, yv)
            train_accs.append(tr)
            if va > best_val:
                best_val = va
                best = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best)
    with torch.no_grad():
        net.eval()
        out = net(Xv[:ns.PREDICT_BATCH])
    assert out.dtype == dt and all(p.dtype == dt for p in net.parameters()), out.dtype
    return {"best_val": best_val, "best_train": max(train_accs),
            "nonfinite": sum(not math.isfinite(v) for v in losses),
            "final_loss": float(np.mean(losses[-100:])), "seconds": time.perf_counter() - t0}


def study(name, hidden, scales, ds, dtype, jobs, seed):
    """All trainings of one experiment, [point][batchnorm, baseline], on `jobs` worker processes
    forked for it, as numpy-study does. Returns (wall seconds, results)."""
    global DATA
    t0 = time.perf_counter()
    X, y, Xv, yv, classes = ns.trainset(ds, dtype)
    # from_numpy shares the arrays: the cast is numpy-study's, done once, and the fork shares it
    DATA = (torch.from_numpy(X), torch.from_numpy(y).long(), torch.from_numpy(Xv),
            torch.from_numpy(yv).long(), classes)
    tasks = [(name, p, hidden, bn, float(ws), seed) for p, ws in enumerate(scales) for bn in (True, False)]
    if jobs <= 1 or len(tasks) <= 1:
        res = [train(t) for t in tasks]
    else:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks)),
                                                      initializer=torch.set_num_threads,
                                                      initargs=(1,)) as pool:
            res = pool.map(train, tasks, chunksize=1)
    return time.perf_counter() - t0, res


if __name__ == "__main__":
    ns.cli("PyTorch", torch.__version__, study,
           f"; torch threads per process: {torch.get_num_threads()} intra-op, "
           f"{torch.get_num_interop_threads()} inter-op")
