"""The work budget that keeps one request from hogging a shared server: CPU seconds and bytes.

Every kind of work a page can ask for is charged before it runs, in estimated CPU seconds of
this kind of machine (one core of a 2-core VM) and in bytes:

- a training run (:func:`run_cost`): its mini-batch steps, its evaluations (epoch 0 on both
  splits, the validation split after every epoch, again with batch statistics under BN) and its
  per-layer diagnostics on the probe batch, one set per epoch including epoch 0. A run with
  ``epochs=0`` (the overview, the SELU check) is charged its evaluation and diagnostics;
- the batch-normalization folding study (:func:`fold_study_cost`): timed training steps and
  timed inference passes.

A request sums every charge of its script run (several comparisons, a grid, a sweep, a study)
against :data:`MAX_SECONDS` and :data:`MAX_BYTES`; what is already cached costs nothing.

The seconds are a linear model over counts a run makes exactly:

    seconds = C_MAC * multiply_adds + C_ELEMENT * elements + C_PARAM * parameter_touches
              + C_LAYER_CALL * layer_calls + C_STEP * steps + C_DIAG_LAYER * measured_layers

with the constants fitted by ``bench/budget_calibration.py`` (CPU time, least squares on
relative error) and checked by a test that times a sample of every kind against its charge.

Bytes are what the run keeps (its frames: per-layer rows, histogram bins, per-step rows) plus
the largest transient it needs while running (weights, gradients, optimizer state, a
mini-batch's activations, an evaluation with batch statistics).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from core import ModelConfig, TrainConfig
from core.diagnostics import ACT_EDGES, GRAD_LOG_EDGES

#: CPU seconds one request may use (about 8 s of one core).
MAX_SECONDS = 8.0
#: Bytes one request may add to the server: its results plus its largest transient.
MAX_BYTES = 120 * 2**20

# Fitted by bench/budget_calibration.py (seconds per count), on one BLAS thread as the app runs.
C_MAC = 4.52e-11
C_ELEMENT = 5.29e-09
C_PARAM = 1.86e-09
C_LAYER_CALL = 2.18e-05
C_STEP = 1.43e-04
C_DIAG_LAYER = 3.34e-04

#: Bytes per stored row: per-layer statistics (13 columns), histogram bins (5), steps (6).
LAYER_ROW_BYTES = 13 * 8
HIST_ROW_BYTES = 5 * 8
STEP_ROW_BYTES = 6 * 8
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


@dataclass(frozen=True)
class Shape:
    """What the cost of a run depends on in its data set."""

    n_features: int
    n_classes: int
    n_train: int
    n_val: int


def counts(shape: Shape, model: ModelConfig) -> tuple[int, int, int]:
    """(kernel weights, units, Dense layers) of the network: widths from the input to the
    output ``n_0, ..., n_L`` give sum n_{k-1} n_k weights and sum_{k>=1} n_k units."""
    widths = (shape.n_features, *model.hidden, shape.n_classes)
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    return weights, sum(widths[1:]), len(widths) - 1


def run_cost(shape: Shape, model: ModelConfig, cfg: TrainConfig) -> Cost:
    """The cost of ``train(model, cfg, data)`` on a data set of ``shape``."""
    weights, units, layers = counts(shape, model)
    params = weights + units
    bn = model.batchnorm != "none"
    e, n, v = cfg.epochs, shape.n_train, shape.n_val
    steps = e * math.ceil(n / cfg.batch_size)
    # samples through the network in inference: the training split at epoch 0, the validation
    # split at epoch 0 and after every epoch (with batch norm twice: moving and batch statistics)
    evaluated = n + (e + 1) * v * (2 if bn else 1)
    probe = min(cfg.probe_size, n) if cfg.diagnostics else 0
    measured = (e + 1) if cfg.diagnostics else 0
    macs = 3 * e * n * weights + evaluated * weights + 3 * measured * probe * weights
    elements = (e * n + evaluated + measured * probe) * units * (1.5 if bn else 1)
    seconds = (
        C_MAC * macs
        + C_ELEMENT * elements
        + C_PARAM * steps * params
        + C_LAYER_CALL * (steps + e + 1) * layers
        + C_STEP * steps
        + C_DIAG_LAYER * measured * layers
    )
    hist_bins = len(GRAD_LOG_EDGES) + len(ACT_EDGES)  # both histograms, every bin filled at most
    kept = measured * layers * (LAYER_ROW_BYTES + hist_bins * HIST_ROW_BYTES)
    kept += steps * STEP_ROW_BYTES
    slots = 2 + OPTIMIZER_SLOTS[cfg.optimizer] + 2  # weights, gradients, state, update copies
    batch = max(cfg.batch_size, probe)
    evaluation = v * units if bn else 0  # batch statistics keep every layer's output
    peak = 4 * (slots * params + 4 * batch * units + 3 * evaluation)
    return Cost(seconds, kept, peak)


def comparison_cost(shape: Shape, runs: list[tuple[ModelConfig, TrainConfig]], seeds: int) -> Cost:
    """The cost of every run (variant) with each of ``seeds`` seeds, one after the other."""
    total = Cost()
    for model, cfg in runs:
        total = total + run_cost(shape, model, cfg).times(seeds)
    return total


def fold_study_cost(
    shape: Shape, model: ModelConfig, batch_size: int, steps: int = 90, repeats: int = 40
) -> Cost:
    """The folding study of one variant: ``steps`` timed training steps at ``batch_size`` and
    ``repeats`` timed inference passes over the validation split (before and after folding)."""
    train = TrainConfig(batch_size=batch_size, epochs=0, diagnostics=False)
    one = run_cost(shape, model, train)
    weights, units, layers = counts(shape, model)
    step = (
        C_MAC * 3 * batch_size * weights
        + C_ELEMENT * batch_size * units * 2
        + C_PARAM * (weights + units)
        + C_LAYER_CALL * layers
        + C_STEP
    )
    inference = C_MAC * shape.n_val * weights + C_ELEMENT * shape.n_val * units
    inference += C_LAYER_CALL * layers
    return Cost(steps * step + repeats * inference, 0, one.peak)


def max_epochs(shape: Shape, runs: list[tuple[ModelConfig, TrainConfig]], seeds: int) -> int:
    """The most epochs (applied to every run) that stay within both budgets (0 if none do)."""

    def fits(epochs: int) -> bool:
        cost = comparison_cost(shape, [(m, replace(c, epochs=epochs)) for m, c in runs], seeds)
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
