"""Benchmark: the teaching workload through train(), side by side with the bare minimum.

Workload: digits, 64 -> 10 hidden layers of 100 -> 10, ReLU, He normal, SGD lr 0.01,
batch 32, 5 epochs. Printed, as the best of several repeats in one run:

- train() with diagnostics (the app's setting) and without;
- a bare NumPy loop doing only the same work: initial weights, forward matrix products, ReLU,
  softmax gradient, backward products, SGD updates, and the same evaluation (training and
  validation splits at epoch 0, validation after every epoch);
- PyTorch eager doing the same training, when PyTorch happens to be installed (never a
  dependency of the project).

The NumPy runs take turns within each round, so a noisy neighbour slows all of them alike.
PyTorch runs afterwards, on its own: its worker threads keep spinning for a while after each
operation and would slow whatever ran next.

The diagnostics' cost is printed twice: as the extra time of the run with diagnostics over the
run without, and as the share of the run with diagnostics that train() itself timed inside its
measurements (``History.diagnostics_seconds``), which no other run's noise can disturb.

Usage: python bench/train_benchmark.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ModelConfig, TrainConfig, datasets, train  # noqa: E402

MODEL = ModelConfig(hidden=(100,) * 10, activation="relu", init="he_normal")
CFG = TrainConfig(optimizer="sgd", lr=0.01, batch_size=32, epochs=5)


def bare_numpy(data, seed=0) -> float:
    """Only the essential work: forward, softmax gradient, backward matmuls, SGD, and the
    forward passes of the evaluation that train() reports."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    sizes = (data.n_features, *MODEL.hidden, data.n_classes)
    Ws = [
        (rng.standard_normal((a, b), dtype=np.float32) * np.float32(np.sqrt(2 / a)))
        for a, b in zip(sizes[:-1], sizes[1:])
    ]
    bs = [np.zeros(b, np.float32) for b in sizes[1:]]
    X, y = data.X_train, data.y_train
    n = len(X)

    def evaluate(A, labels):
        h = A
        for k, (W, b) in enumerate(zip(Ws, bs)):
            h = h @ W + b
            if k < len(Ws) - 1:
                h = np.maximum(h, 0)
        return (h.argmax(axis=1) == labels).mean()

    evaluate(X, y)
    evaluate(data.X_val, data.y_val)
    for _ in range(CFG.epochs):
        order = rng.permutation(n)
        for i in range(0, n, CFG.batch_size):
            idx = order[i : i + CFG.batch_size]
            h, yb = X[idx], y[idx]
            inputs = []
            for k, (W, b) in enumerate(zip(Ws, bs)):
                inputs.append(h)
                h = h @ W + b
                if k < len(Ws) - 1:
                    h = np.maximum(h, 0)
            p = np.exp(h - h.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(yb)), yb] -= 1
            d = p / len(yb)
            for k in range(len(Ws) - 1, -1, -1):
                dW, db = inputs[k].T @ d, d.sum(axis=0)
                if k > 0:
                    d = (d @ Ws[k].T) * (inputs[k] > 0)
                Ws[k] -= CFG.lr * dW
                bs[k] -= CFG.lr * db
        evaluate(data.X_val, data.y_val)
    return time.perf_counter() - start


def torch_eager(data) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    start = time.perf_counter()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    sizes = (data.n_features, *MODEL.hidden, data.n_classes)
    layers = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = torch.nn.Linear(a, b)
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if k < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=CFG.lr)
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    n = len(X)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(CFG.epochs):
        order = torch.randperm(n)
        for i in range(0, n, CFG.batch_size):
            idx = order[i : i + CFG.batch_size]
            opt.zero_grad()
            loss = loss_fn(net(X[idx]), y[idx])
            loss.backward()
            opt.step()
    return time.perf_counter() - start


def best_of_interleaved(runs: dict, repeats: int) -> dict:
    """Best result of each run over ``repeats`` rounds, the runs taking turns within a round.
    A run returns its seconds, or (seconds, extra); the extra of its best round is kept."""
    best: dict = {}
    for _ in range(repeats):
        for name, fn in runs.items():
            result = fn()
            seconds = result[0] if isinstance(result, tuple) else result
            if seconds is not None and (name not in best or seconds < best[name][0]):
                best[name] = result if isinstance(result, tuple) else (result,)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    data = datasets.load("digits")
    no_diag = replace(CFG, diagnostics=False)

    def with_diagnostics():
        history = train(MODEL, CFG, data)
        return history.seconds, history.diagnostics_seconds

    numpy_runs = {
        "train(), diagnostics on": with_diagnostics,
        "train(), diagnostics off": lambda: train(MODEL, no_diag, data).seconds,
        "bare NumPy loop": lambda: bare_numpy(data),
    }
    results = best_of_interleaved(numpy_runs, args.repeats)
    results.update(best_of_interleaved({"PyTorch eager": lambda: torch_eager(data)}, args.repeats))
    base = results["bare NumPy loop"][0]
    print(f"workload: digits {data.X_train.shape}, 64-100x10-10 ReLU, SGD, batch 32, 5 epochs")
    print(f"best of {args.repeats} rounds")
    print(f"{'run':28s} {'seconds':>8s} {'x bare':>7s}")
    for name in (*numpy_runs, "PyTorch eager"):
        if name not in results:
            print(f"{name:28s} {'(not installed)':>16s}")
        else:
            print(f"{name:28s} {results[name][0]:8.3f} {results[name][0] / base:7.2f}")
    (on, measuring), (off,) = (
        results["train(), diagnostics on"],
        results["train(), diagnostics off"],
    )
    print(f"diagnostics cost: +{100 * (on / off - 1):.1f} % over the run without them")
    print(f"diagnostics share of the run, timed inside it: {100 * measuring / on:.1f} %")
    if "PyTorch eager" in results:
        print(f"train() is {results['PyTorch eager'][0] / on:.2f}x faster than PyTorch eager")


if __name__ == "__main__":
    main()
