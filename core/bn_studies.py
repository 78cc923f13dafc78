"""Small batch-normalization experiments: how the moving averages converge, what BN costs per
training step, and what folding BN into a neighbouring layer buys at inference time."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from . import losses, optimizers
from .datasets import Dataset
from .layers import BatchNorm
from .network import ModelConfig, Network, build_network, fold_batchnorm


def moving_average_trace(
    X: np.ndarray,
    conventions: list[tuple[str, float]],
    batch_size: int,
    steps: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Feed random mini-batches of ``X`` (N, M) through fresh BN layers and record how far the
    moving averages are from the population statistics of ``X`` after every step.

    Args:
        conventions: (convention, momentum) pairs, e.g. ``[("keras", 0.99), ("keras", 0.9)]``.
    Returns:
        frame ``step, convention, momentum, mean_error, var_error``: the mean over features of
        ``|moving_mean - mu| / sigma`` and of ``|moving_var / sigma^2 - 1|`` (population
        statistics of ``X``; constant features are skipped).
    """
    X = np.asarray(X, np.float32)
    mu, var = X.mean(axis=0), X.var(axis=0)
    keep = var > 0
    rows = []
    batches = [rng.integers(0, len(X), batch_size) for _ in range(steps)]
    for convention, momentum in conventions:
        bn = BatchNorm(X.shape[1], convention)
        bn.momentum = momentum
        for step, idx in enumerate(batches, start=1):
            bn.forward(X[idx], training=True)
            mean_err = np.abs(bn.running_mean - mu)[keep] / np.sqrt(var[keep])
            var_err = np.abs(bn.running_var[keep] / var[keep] - 1)
            rows.append((step, convention, momentum, float(mean_err.mean()), float(var_err.mean())))
    columns = ["step", "convention", "momentum", "mean_error", "var_error"]
    return pd.DataFrame(rows, columns=columns)


def fold_report(net: Network, X: np.ndarray, repeats: int = 20) -> dict:
    """Fold ``net``'s BatchNorm layers and compare with the original in inference mode.

    Returns ``max_abs_diff`` (largest |output difference| on X), ``relative_diff`` (that over
    the largest |output|), ``max_abs_output``,
    ``params_before``/``params_after`` (trainable parameters; moving averages not counted),
    ``seconds_before``/``seconds_after`` (best of ``repeats`` inference passes over X),
    ``spread_before``/``spread_after`` (upper quartile minus best of those passes: the timing
    noise, under which a difference means nothing) and ``layers_before``/``layers_after``.
    """
    folded = fold_batchnorm(net)
    out, out_folded = net.predict(X), folded.predict(X)

    def timings(model: Network) -> tuple[float, float]:
        """(best, upper quartile - best) of ``repeats`` passes, alternating with nothing else."""
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            model.predict(X)
            times.append(time.perf_counter() - start)
        best = min(times)
        return best, float(np.percentile(times, 75)) - best

    before, after = timings(net), timings(folded)

    max_diff = float(np.abs(out - out_folded).max())
    return {
        "max_abs_diff": max_diff,
        "relative_diff": max_diff / max(float(np.abs(out).max()), 1e-30),
        "max_abs_output": float(np.abs(out).max()),
        "params_before": net.n_params(),
        "params_after": folded.n_params(),
        "seconds_before": before[0],
        "seconds_after": after[0],
        "spread_before": before[1],
        "spread_after": after[1],
        "layers_before": len(net.layers),
        "layers_after": len(folded.layers),
    }


def seconds_per_step(
    model: ModelConfig,
    data: Dataset,
    batch_size: int,
    steps: int = 30,
    repeats: int = 3,
    seed: int = 0,
) -> float:
    """Best-of-``repeats`` mean wall time of one SGD training step (forward, backward, update)
    of a fresh network of ``model`` on mini-batches of ``data``."""
    rng = np.random.default_rng(seed)
    net = build_network(data.n_features, data.n_classes, model, rng)
    opt = optimizers.SGD(1e-3)
    batches = [rng.integers(0, len(data.X_train), batch_size) for _ in range(steps)]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for idx in batches:
            logits = net.forward(data.X_train[idx], training=True)
            _, dlogits = losses.softmax_cross_entropy(logits, data.y_train[idx])
            net.backward(dlogits, input_grad=False)
            opt.step(net.param_arrays(), net.grad_arrays())
        best = min(best, (time.perf_counter() - start) / steps)
    return best


def largest_shift(net: Network) -> float:
    """Largest |t| = |beta - moving_mean * s| over the BN layers of ``net``: how large the terms
    are that a folded bias must cancel."""
    shifts = [
        np.abs(layer.scale_shift()[1]).max() for layer in net.layers if isinstance(layer, BatchNorm)
    ]
    return float(max(shifts, default=0.0))
