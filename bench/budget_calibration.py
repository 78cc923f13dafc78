"""Calibrate the work budget: CPU seconds of real runs against the counts :mod:`ui.budget`
charges, fitted by least squares on relative error, and each run's ratio printed.

Runs a spread of training runs (deep and narrow, wide and shallow, batch size 1 to 1024,
``epochs=0`` measurement runs, with and without diagnostics and batch normalization) and the
folding study, timing each with ``time.process_time`` (CPU seconds of this process, all
threads) on one BLAS thread, as the app's server runs NumPy (app.py). Prints, per run, the
measured CPU seconds, the current charge and their ratio side by side, then the range of the
ratios; with ``--fit``, the constants fitted to this machine, to paste into ``ui/budget.py``.

The charge estimates CPU seconds of the machine the constants were fitted on; on another
machine every ratio moves by about the same factor (below 1 on a faster machine), and the
spread of the ratios shows how well the model fits the work's shape. A benchmark: it prints
figures and checks nothing, since CPU time depends on the machine and on its neighbours.

Usage: python bench/budget_calibration.py [--fit]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# One BLAS thread, as the server has (app.py), set before NumPy first loads: the charge is
# calibrated against the CPU time a server spends.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import ModelConfig, TrainConfig, bn_studies, datasets, train  # noqa: E402
from ui import budget  # noqa: E402

RUNS = [  # (name, hidden, activation, batchnorm, epochs, batch size, diagnostics, optimizer)
    ("default 10x100", (100,) * 10, "relu", "none", 2, 32, True, "sgd"),
    ("no diagnostics", (100,) * 10, "relu", "none", 2, 32, False, "sgd"),
    ("batch 1", (32,) * 3, "relu", "none", 1, 1, True, "sgd"),
    ("batch 1024", (100,) * 10, "relu", "none", 4, 1024, True, "adam"),
    ("deep narrow", (2,) * 100, "sigmoid", "none", 3, 1024, True, "sgd"),
    ("deep narrow b32", (4,) * 60, "tanh", "none", 1, 32, True, "sgd"),
    ("wide 512", (512,) * 3, "relu", "none", 1, 64, True, "momentum"),
    ("epochs=0 deep wide", (512,) * 30, "selu", "none", 0, 32, True, "sgd"),
    ("epochs=0 default", (100,) * 10, "sigmoid", "none", 0, 32, True, "sgd"),
    ("BN before", (100,) * 10, "relu", "before", 2, 32, True, "sgd"),
    ("BN after wide", (256,) * 4, "sigmoid", "after", 1, 128, True, "adam"),
    ("shallow", (16,), "relu", "none", 5, 16, True, "sgd"),
]


def cpu(fn) -> float:
    """Best of two CPU-time measurements of ``fn()``."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def features(shape: budget.Shape, model: ModelConfig, cfg: TrainConfig) -> np.ndarray:
    """The counts behind :func:`ui.budget.run_cost`, one per constant, found by probing it
    with one constant at a time set to 1."""
    names = ("C_MAC", "C_ELEMENT", "C_PARAM", "C_LAYER_CALL", "C_STEP", "C_DIAG_LAYER")
    saved = {n: getattr(budget, n) for n in names}
    row = []
    try:
        for name in names:
            for n in names:
                setattr(budget, n, 1.0 if n == name else 0.0)
            row.append(budget.run_cost(shape, model, cfg).seconds)
    finally:
        for n, value in saved.items():
            setattr(budget, n, value)
    return np.array(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit and print new constants")
    args = parser.parse_args()
    data = datasets.load("digits")
    shape = budget.Shape(data.n_features, data.n_classes, len(data.X_train), len(data.X_val))
    rows, measured, charges = [], [], []
    print(f"{'run':22s} {'cpu s':>7s} {'charged':>8s} {'ratio':>6s}")
    for name, hidden, act, bn, epochs, bs, diag, opt in RUNS:
        model = ModelConfig(hidden=hidden, activation=act, batchnorm=bn)
        cfg = TrainConfig(optimizer=opt, epochs=epochs, batch_size=bs, diagnostics=diag)
        seconds = cpu(lambda model=model, cfg=cfg: train(model, cfg, data))
        charged = budget.run_cost(shape, model, cfg).seconds
        rows.append(features(shape, model, cfg))
        measured.append(seconds)
        charges.append(charged)
        print(f"{name:22s} {seconds:7.3f} {charged:8.3f} {seconds / charged:6.2f}", flush=True)
    model = ModelConfig(hidden=(100,) * 10, activation="relu", batchnorm="before")
    net = train(model, TrainConfig(epochs=1, diagnostics=False), data).net
    study = cpu(
        lambda: (
            bn_studies.seconds_per_step(model, data, 32),
            bn_studies.fold_report(net, data.X_val),
        )
    )
    charged = budget.fold_study_cost(shape, model, 32).seconds
    print(f"{'fold study (BN 10x100)':22s} {study:7.3f} {charged:8.3f} {study / charged:6.2f}")
    ratios = [m / c for m, c in zip(measured, charges)] + [study / charged]
    print(f"cpu s / charged: {min(ratios):.2f} to {max(ratios):.2f} over {len(ratios)} runs")
    if args.fit:
        a = np.array(rows) / np.array(measured)[:, None]  # relative error: each row / its time
        active = list(range(a.shape[1]))
        while True:
            coef, *_ = np.linalg.lstsq(a[:, active], np.ones(len(a)), rcond=None)
            if (coef > 0).all():
                break
            del active[int(np.argmin(coef))]
        full = np.zeros(a.shape[1])
        full[active] = coef
        names = ("C_MAC", "C_ELEMENT", "C_PARAM", "C_LAYER_CALL", "C_STEP", "C_DIAG_LAYER")
        for n, c in zip(names, full):
            print(f"{n} = {c:.2e}")


if __name__ == "__main__":
    main()
