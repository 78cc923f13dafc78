"""The work budget that keeps one request from hogging a shared server: CPU seconds and bytes.

Every kind of work a page can ask for is charged before it runs, in estimated CPU seconds of
this kind of machine (one core of a 2-core VM) and in bytes:

- a training run (:func:`run_cost`): its mini-batch steps, its evaluations (epoch 0 on both
  splits, the validation split after every epoch, again with batch statistics under BN) and its
  per-layer diagnostics on the probe batch, one set per epoch including epoch 0. A run with
  ``epochs=0`` (the overview, the SELU check) is charged its evaluation and diagnostics;
- the batch-normalization folding study of one variant (:func:`fold_study_cost`): timed
  training steps and, with BN, timed inference passes of the network and of its folded copy;
- the decision boundaries of one trained network (:func:`boundary_cost`): the prediction of
  every point of the grid :func:`core.boundary.decision_grid` draws;
- the spread of a network's first-layer pre-activations at initialization
  (:func:`spread_cost`), which the batch-normalization page's input-BN study quotes.

A request sums every charge of its script run (several comparisons, a grid, a sweep, a study,
the boundaries) against :data:`MAX_SECONDS` and :data:`MAX_BYTES`; what is already cached costs
nothing.

**Seconds.** Work is counted as exact counts of what the engine does (:mod:`ui.runs.counts`), and
charged by a linear model::

    seconds = sum over terms t of  SECONDS_PER[t] * count_t

over the terms of :mod:`ui.runs.counts` (its docstring lists them and what each counts).

The constants (:data:`SECONDS_PER`) are fitted by ``bench/budget_calibration.py``: CPU time
on one BLAS thread (as the server runs NumPy) of samples covering every layer on its own, every
activation with every BN placement, batch sizes 1 to 1024, depths 1 to 100, the folding study
and the boundaries; least squares on relative error with every constant >= 0, then all scaled
by one factor that centres the range of measured / charged on 1. The same counts cost more
when the values are tiny: a network whose signal vanishes computes with numbers near float32's
smallest normal, where NumPy's arithmetic is many times slower, and no count sees that. The
calibration holds such networks too, so typical work is charged somewhat above its cost to keep
theirs within the range.

**Bytes** are what the work keeps (a run's frames: per-layer rows, histogram bins, per-step
rows; a boundary grid) plus the largest transient it needs while running (weights, gradients,
optimizer state, a mini-batch's activations, an evaluation with batch statistics).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from core import ModelConfig, TrainConfig
from core.diagnostics import ACT_EDGES, GRAD_LOG_EDGES

from .counts import (
    BOUNDARY_STEPS,
    PREDICT_CHUNK,
    Shape,
    boundary_work,
    fold_study_work,
    layout,
    run_work,
    spread_work,
)

#: CPU seconds one request may use (about 8 s of one core).
MAX_SECONDS = 8.0
#: Bytes one request may add to the server: its results plus its largest transient.
MAX_BYTES = 120 * 2**20

#: Seconds per count of each term (see the module docstring), fitted by
#: bench/budget_calibration.py on one BLAS thread, as the app runs.
SECONDS_PER = {
    "mac": 2.06e-11,
    "activation_forward/sigmoid": 4.72e-09,
    "activation_forward/tanh": 3.2e-10,
    "activation_forward/relu": 2.71e-10,
    "activation_forward/leaky_relu": 2.53e-09,
    "activation_forward/elu": 5.89e-09,
    "activation_forward/selu": 5.35e-09,
    "activation_forward/gelu": 7.07e-08,
    "activation_forward/swish": 5.89e-09,
    "activation_backward/sigmoid": 2.53e-09,
    "activation_backward/tanh": 5.07e-10,
    "activation_backward/relu": 3.71e-10,
    "activation_backward/leaky_relu": 7.92e-09,
    "activation_backward/elu": 4.92e-09,
    "activation_backward/selu": 6.08e-09,
    "activation_backward/gelu": 6.58e-08,
    "activation_backward/swish": 9.38e-09,
    "activation_call/sigmoid": 3.31e-06,
    "activation_call/tanh": 9.59e-07,
    "activation_call/relu": 1.28e-06,
    "activation_call/leaky_relu": 2.69e-06,
    "activation_call/elu": 4.15e-06,
    "activation_call/selu": 4.63e-06,
    "activation_call/gelu": 6.87e-06,
    "activation_call/swish": 6.61e-06,
    "bn_forward": 2.01e-09,
    "bn_backward": 3.66e-09,
    "bn_inference": 4.44e-10,
    "dense_call": 2.51e-06,
    "bn_call": 1.82e-05,
    "step": 3.5e-05,
    "update/sgd": 1.97e-09,
    "update/momentum": 1.71e-09,
    "update/adam": 5.05e-09,
    "clip_update": 2.34e-10,
    "evaluation": 0.000968,
    "weight_draw": 6.52e-09,
    "diag_layer": 7.16e-05,
    "diag_param": 2.86e-08,
    "diag_element": 2.08e-08,
}
#: Bytes per stored row: per-layer statistics (13 columns), histogram bins (5), steps (6), a
#: boundary cell (four float32 edges, an int64 label, a float32 confidence).
LAYER_ROW_BYTES = 13 * 8
HIST_ROW_BYTES = 5 * 8
STEP_ROW_BYTES = 6 * 8
CELL_ROW_BYTES = 4 * 4 + 8 + 4
#: Optimizer state per parameter, in float32 arrays (momentum's velocity, Adam's two moments).
OPTIMIZER_SLOTS = {"sgd": 0, "momentum": 1, "adam": 2}


@dataclass(frozen=True)
class Cost:
    """Estimated CPU ``seconds``, bytes kept (``kept``) and transient bytes (``peak``)."""

    seconds: float = 0.0
    kept: int = 0
    peak: int = 0

    def __add__(self, other: Cost) -> Cost:
        """Work done one after the other: seconds and kept bytes add, transients do not."""
        return Cost(
            self.seconds + other.seconds, self.kept + other.kept, max(self.peak, other.peak)
        )

    def times(self, k: int) -> Cost:
        return Cost(self.seconds * k, self.kept * k, self.peak)

    @property
    def bytes(self) -> int:
        """Memory the work needs at its peak: what it keeps plus its largest transient."""
        return self.kept + self.peak


def seconds(work: Counter) -> float:
    """The charge of ``work`` (counts by term): sum_t SECONDS_PER[t] * count_t."""
    return sum(SECONDS_PER[term] * count for term, count in work.items())


def run_cost(shape: Shape, model: ModelConfig, cfg: TrainConfig) -> Cost:
    """The cost of ``train(model, cfg, data)`` on a data set of ``shape``."""
    net = layout(shape, model)
    e, n, v = cfg.epochs, shape.n_train, shape.n_val
    steps = e * math.ceil(n / cfg.batch_size)
    probe = min(cfg.probe_size, n) if cfg.diagnostics else 0
    measured = (e + 1) if cfg.diagnostics else 0
    hist_bins = len(GRAD_LOG_EDGES) + len(ACT_EDGES)  # both histograms, every bin filled at most
    kept = measured * net.dense * (LAYER_ROW_BYTES + hist_bins * HIST_ROW_BYTES)
    kept += steps * STEP_ROW_BYTES
    slots = 2 + OPTIMIZER_SLOTS[cfg.optimizer] + 2  # weights, gradients, state, update copies
    batch = max(cfg.batch_size, probe)
    # every layer's output of a batch, and its normalised inputs under a BN on the inputs
    outputs = net.units + (shape.n_features if net.input_bn else 0)
    evaluation = v * outputs if net.batchnorms else 0  # batch statistics keep every output
    peak = 4 * (slots * net.params + 4 * batch * outputs + 3 * evaluation)
    return Cost(seconds(run_work(shape, model, cfg)), kept, peak)


def comparison_cost(shape: Shape, runs: list[tuple[ModelConfig, TrainConfig]], seeds: int) -> Cost:
    """The cost of every run (variant) with each of ``seeds`` seeds, one after the other."""
    total = Cost()
    for model, cfg in runs:
        total = total + run_cost(shape, model, cfg).times(seeds)
    return total


def fold_study_cost(
    shape: Shape, model: ModelConfig, batch_size: int, steps: int = 90, repeats: int = 20
) -> Cost:
    """The cost of :func:`fold_study_work`; it keeps nothing, its transient is a step's."""
    train = TrainConfig(batch_size=batch_size, epochs=0, diagnostics=False)
    peak = run_cost(shape, model, train).peak
    return Cost(seconds(fold_study_work(shape, model, batch_size, steps, repeats)), 0, peak)


def spread_cost(shape: Shape, model: ModelConfig, cfg: TrainConfig) -> Cost:
    """The cost of ``ui.story.measure_training.first_layer_spread``: the network of ``model``
    built and evaluated (a run of ``cfg`` with no epochs and no diagnostics), then
    :func:`spread_work`. It keeps one number; its transient is the training split through the
    first layer, in float32 and again in float64 for the standard deviation."""
    built = run_cost(shape, model, replace(cfg, epochs=0, diagnostics=False))
    first = shape.n_features + (model.hidden[0] if model.hidden else shape.n_classes)
    peak = 4 * shape.n_train * first * 3
    return built + Cost(seconds(spread_work(shape, model)), 0, peak)


def boundary_cost(shape: Shape, model: ModelConfig) -> Cost:
    """The cost of :func:`boundary_work`: it keeps the grid (one row per cell); its transient is
    a chunk of the prediction, a layer's input and output."""
    points = BOUNDARY_STEPS**2
    rows = min(points, max(1, PREDICT_CHUNK // layout(shape, model).widest))
    peak = 4 * 2 * rows * layout(shape, model).widest
    return Cost(seconds(boundary_work(shape, model)), points * CELL_ROW_BYTES, peak)


def boundaries_cost(shape: Shape, models: list[ModelConfig]) -> Cost:
    """The cost of the decision boundaries of one trained network of each of ``models``, one
    after the other (the Lab draws every variant's)."""
    return sum((boundary_cost(shape, model) for model in models), Cost())


def max_epochs(
    shape: Shape,
    runs: list[tuple[ModelConfig, TrainConfig]],
    seeds: int,
    extra: Cost | None = None,
) -> int:
    """The most epochs (applied to every run) that stay within both budgets together with
    ``extra`` (work on top of the training, e.g. boundaries), 0 if none do."""

    def fits(epochs: int) -> bool:
        runs_at = [(m, replace(c, epochs=epochs)) for m, c in runs]
        cost = comparison_cost(shape, runs_at, seeds) + (extra or Cost())
        return cost.seconds <= MAX_SECONDS and cost.bytes <= MAX_BYTES

    if not fits(1):
        return 0
    lo, hi = 1, 1
    while hi < 10_000 and fits(hi * 2):
        hi *= 2
    hi *= 2
    while hi - lo > 1:  # fits(lo), not fits(hi)
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo
