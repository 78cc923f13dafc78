"""Small batch-normalization experiments: how the moving averages converge, what BN costs per
training step, what folding BN into a neighbouring layer buys at inference time, and whether a
BN layer on the inputs can stand in for standardising them (:func:`input_bn_study`)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import datasets, losses, optimizers
from .compare import Comparison, Variant
from .datasets import Dataset
from .layers import BatchNorm
from .network import ModelConfig, Network, build_network, fold_batchnorm
from .training import History, TrainConfig, train


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


#: The three arms of :func:`input_bn_study`: (name, standardised inputs, input BN).
INPUT_BN_ARMS = (
    ("raw", False, False),
    ("standardized", True, False),
    ("input_bn", False, True),
)


def first_preactivation_std(net: Network, X: np.ndarray) -> float:
    """Standard deviation of the first Dense layer's output ``z_1 = BN_in(x) W_1 + b_1`` over
    all (sample, unit) pairs of ``X`` (N, D): the scale of what the first activation receives.

    An input BN normalises with the statistics of ``X`` as one batch (training mode, moving
    averages untouched): what it does to every mini-batch while training, whether or not its
    moving averages have caught up yet.
    """
    out = X
    for layer in net.layers:
        if isinstance(layer, BatchNorm):
            out = layer.forward(out, training=True, update_moving_stats=False)
        else:
            out = layer.infer(out)
        if layer is net.dense[0]:
            break
    with np.errstate(all="ignore"):
        return float(np.std(out, dtype=np.float64))


@dataclass
class InputBNStudy:
    """The runs of :func:`input_bn_study`.

    Attributes:
        comparison: the runs as a :class:`~core.compare.Comparison`, variants ``"raw"``,
            ``"standardized"``, ``"input_bn"`` (curves: ``comparison.metrics``; per-layer
            statistics: ``comparison.layers``).
        variants: the three :class:`~core.compare.Variant` (the model of ``"input_bn"`` has
            ``input_batchnorm=True``).
        data: ``{variant name: Dataset}``, raw for ``"raw"`` and ``"input_bn"``.
        summary: one row per (variant, seed): ``variant, seed, standardized, input_bn,
            diverged_at, epochs_done, val_accuracy, val_loss, val_batch_stats_accuracy`` (the
            last epoch recorded; NaN where the network has no BN), ``majority`` (the validation
            share of the most common class: what predicting one class scores),
            ``preact_std_init`` / ``preact_std_final`` (:func:`first_preactivation_std` on the
            training split, of the initial and the trained network; NaN after divergence).
    """

    comparison: Comparison
    variants: list[Variant]
    data: dict[str, Dataset]
    summary: pd.DataFrame


def input_bn_study(
    model: ModelConfig,
    train_cfg: TrainConfig,
    seeds: tuple[int, ...] = (0,),
    dataset: str = "breast_cancer",
    data_seed: int = 0,
    on_run: Callable[[int, int, Variant, int], None] | None = None,
) -> InputBNStudy:
    """Does a BatchNorm layer on the inputs make standardising them unnecessary (Ioffe and
    Szegedy, 2015)? Trains ``model`` three ways on ``dataset``, every seed:

    - ``"raw"``: raw inputs (``datasets.load(dataset, standardize=False)``), no input BN;
    - ``"standardized"``: standardised inputs, no input BN;
    - ``"input_bn"``: raw inputs, ``input_batchnorm=True``.

    ``model.input_batchnorm`` is overridden; its hidden ``batchnorm`` placement is kept. The
    three arms of one seed share the split (``data_seed``), the mini-batch order, the probe
    batch and every kernel (an input BN draws nothing): they differ only in the inputs' scale
    and the input BN. ``on_run(i, total, variant, seed)`` is called before each run.
    """
    data = {
        name: datasets.load(dataset, data_seed, standardize=standardize)
        for name, standardize, _ in INPUT_BN_ARMS
    }
    variants = [
        Variant(name, replace(model, input_batchnorm=input_bn), train_cfg)
        for name, _, input_bn in INPUT_BN_ARMS
    ]
    runs: dict[tuple[str, int], History] = {}
    rows = []
    total = len(variants) * len(seeds)
    for seed in seeds:
        for variant, (name, standardize, input_bn) in zip(variants, INPUT_BN_ARMS):
            if on_run is not None:
                on_run(len(runs), total, variant, seed)
            cfg = replace(variant.train, seed=seed)
            d = data[name]
            initial = train(variant.model, replace(cfg, epochs=0, diagnostics=False), d).net
            history = runs[(name, seed)] = train(variant.model, cfg, d)
            rows.append(
                {
                    "variant": name,
                    "seed": seed,
                    "standardized": standardize,
                    "input_bn": input_bn,
                    **_final(history),
                    "majority": float(np.bincount(d.y_val).max() / len(d.y_val)),
                    "preact_std_init": first_preactivation_std(initial, d.X_train),
                    "preact_std_final": (
                        math.nan
                        if history.net is None
                        else first_preactivation_std(history.net, d.X_train)
                    ),
                }
            )
            history.net = None  # measured: a study holds no networks
    return InputBNStudy(Comparison(runs), variants, data, pd.DataFrame(rows))


def _final(history: History) -> dict:
    """The last recorded epoch's validation figures of one run."""
    m = history.metrics
    last = m[m["epoch"] == m["epoch"].max()].set_index("split")
    batch = (
        float(last.loc["val_batch_stats", "accuracy"])
        if "val_batch_stats" in last.index
        else math.nan
    )
    return {
        "diverged_at": history.diverged_at,
        "epochs_done": int(history.epochs_done),
        "val_accuracy": float(last.loc["val", "accuracy"]),
        "val_loss": float(last.loc["val", "loss"]),
        "val_batch_stats_accuracy": batch,
    }
