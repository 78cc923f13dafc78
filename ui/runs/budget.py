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
  every point of the grid :func:`core.boundary.decision_grid` draws.

A request sums every charge of its script run (several comparisons, a grid, a sweep, a study,
the boundaries) against :data:`MAX_SECONDS` and :data:`MAX_BYTES`; what is already cached costs
nothing.

**Seconds.** Work is counted as exact counts of what the engine does (:func:`run_work`,
:func:`fold_study_work`, :func:`boundary_work`), and charged by a linear model::

    seconds = sum over terms t of  SECONDS_PER[t] * count_t

with these terms, for a network of Dense widths ``n_0 (inputs), n_1, ..., n_L (classes)``,
``W = sum_k n_{k-1} n_k`` kernel weights, ``H = n_1 + ... + n_{L-1}`` hidden units (each with
its activation ``a``, and its BatchNorm when there is one) and ``P`` parameters. A sample
passes *forward* (inference, or training mode for BN's batch statistics) or *forward and
back* (a mini-batch step, a probe pass); every term but the calls counts work per sample:

=============================  ===============================================================
term                           count
=============================  ===============================================================
``mac``                        multiply-adds: ``W`` per sample forward, ``2W - n_0 n_1`` more
                               back (dL/dW, and dL/dx for every layer but the first)
``activation_forward/<a>``     hidden elements through ``a`` (and their Dense bias): ``H``
                               per sample forward
``activation_backward/<a>``    hidden elements through ``a``'s derivative times the upstream
                               gradient (and the bias gradient): ``H`` per sample back, and per
                               probe sample again for the slope statistics
``bn_forward``,                BN elements in training mode: ``H`` per sample each way
``bn_backward``
``bn_inference``               BN elements with the moving averages: ``H`` per sample predicted
``dense_call``, ``bn_call``,   calls of a layer (forward, backward or inference): per layer,
``activation_call/<a>``        one per batch each way, one per chunk of a prediction
                               (``Network.predict`` passes at most :data:`PREDICT_CHUNK` values
                               per layer output); the slope statistics call ``a``'s derivative
                               once per hidden layer. An activation's per-call cost is its own:
                               GELU makes several times as many NumPy calls as ReLU
``step``                       mini-batch steps (loss, clipping report, bookkeeping)
``update/<optimizer>``         parameters updated: ``P`` per step
``clip_update``                parameters clipped: ``P`` per step of a run that clips
``evaluation``                 evaluations of a split (loss, accuracy, the epoch's records)
                               and boundary grids built
``weight_draw``                initial weights drawn: ``W`` per network built
``diag_layer``                 Dense layers measured: ``L`` per measured epoch
``diag_param``                 parameters measured (histograms, norms, update ratios, distinct
                               units): ``P`` per measured epoch
``diag_element``               probe outputs measured (statistics, histograms): the probe size
                               times ``n_1 + ... + n_L`` per measured epoch
=============================  ===============================================================

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

#: Values per layer output in one chunk of ``Network.predict`` (its ``chunk_elements``).
PREDICT_CHUNK = 2**18
#: Points per side of the decision-boundary grid (``core.boundary.decision_grid``'s ``steps``).
BOUNDARY_STEPS = 60
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


@dataclass(frozen=True)
class Shape:
    """What the cost of a run depends on in its data set."""

    n_features: int
    n_classes: int
    n_train: int
    n_val: int


@dataclass(frozen=True)
class Layout:
    """The counts of a network of ``model`` on data of ``shape`` that its work scales with.

    Dense widths ``n_0, ..., n_L`` from the inputs to the classes: ``weights`` = sum_k
    n_{k-1} n_k, ``first_weights`` = n_0 n_1, ``units`` = n_1 + ... + n_L, ``hidden_units`` =
    n_1 + ... + n_{L-1}, ``dense`` = L layers, ``activations`` = L - 1 layers, ``batchnorms``
    = L - 1 layers or 0, ``params`` = kernels, biases (none on hidden Dense layers with BN
    before the activation) and BN's gamma and beta, ``widest`` = max_k n_k (k >= 1)."""

    activation: str
    weights: int
    first_weights: int
    units: int
    hidden_units: int
    dense: int
    activations: int
    batchnorms: int
    params: int
    widest: int


def layout(shape: Shape, model: ModelConfig) -> Layout:
    """The :class:`Layout` of ``model``'s network on data of ``shape``."""
    widths = (shape.n_features, *model.hidden, shape.n_classes)
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    units, hidden_units = sum(widths[1:]), sum(model.hidden)
    bn = model.batchnorm != "none"
    biases = shape.n_classes if model.batchnorm == "before" else units
    return Layout(
        activation=model.activation,
        weights=weights,
        first_weights=widths[0] * widths[1],
        units=units,
        hidden_units=hidden_units,
        dense=len(widths) - 1,
        activations=len(model.hidden),
        batchnorms=len(model.hidden) if bn else 0,
        params=weights + biases + (2 * hidden_units if bn else 0),
        widest=max(widths[1:]),
    )


def seconds(work: Counter) -> float:
    """The charge of ``work`` (counts by term): sum_t SECONDS_PER[t] * count_t."""
    return sum(SECONDS_PER[term] * count for term, count in work.items())


def _calls(net: Layout, per_layer: int) -> Counter:
    """``per_layer`` calls of every layer."""
    return Counter(
        {
            "dense_call": per_layer * net.dense,
            f"activation_call/{net.activation}": per_layer * net.activations,
            "bn_call": per_layer * net.batchnorms,
        }
    )


def forward_backward(net: Layout, samples: int, batches: int) -> Counter:
    """``samples`` samples in ``batches`` batches forward (training mode) and back, without
    dL/dx for the first layer: a mini-batch step's or a probe pass's work."""
    elements = samples * net.hidden_units
    bn = elements if net.batchnorms else 0
    return _calls(net, 2 * batches) + Counter(
        {
            "mac": samples * (3 * net.weights - net.first_weights),
            f"activation_forward/{net.activation}": elements,
            f"activation_backward/{net.activation}": elements,
            "bn_forward": bn,
            "bn_backward": bn,
        }
    )


def forward(net: Layout, samples: int, batches: int, batch_stats: bool = False) -> Counter:
    """``samples`` samples in ``batches`` batches forward only: in inference mode, or with
    ``batch_stats`` in training mode (BN normalising with the batch's statistics)."""
    elements = samples * net.hidden_units
    bn = elements if net.batchnorms else 0
    return _calls(net, batches) + Counter(
        {
            "mac": samples * net.weights,
            f"activation_forward/{net.activation}": elements,
            "bn_forward" if batch_stats else "bn_inference": bn,
        }
    )


def predict(net: Layout, samples: int) -> Counter:
    """``Network.predict`` of ``samples`` samples: forward in chunks of at most
    :data:`PREDICT_CHUNK` values per layer output (at least one chunk)."""
    rows = max(1, PREDICT_CHUNK // net.widest)
    return forward(net, samples, max(1, math.ceil(samples / rows)))


def _times(work: Counter, k: float) -> Counter:
    return Counter({term: k * count for term, count in work.items()})


def run_work(shape: Shape, model: ModelConfig, cfg: TrainConfig) -> Counter:
    """The counts of ``train(model, cfg, data)`` on a data set of ``shape``, by term."""
    net = layout(shape, model)
    bn = model.batchnorm != "none"
    e, n, v = cfg.epochs, shape.n_train, shape.n_val
    steps = e * math.ceil(n / cfg.batch_size)
    work = Counter({"weight_draw": net.weights, "step": steps})
    work[f"update/{cfg.optimizer}"] += steps * net.params
    if cfg.clip != "none":
        work["clip_update"] += steps * net.params
    work += forward_backward(net, e * n, steps)
    # the training split at epoch 0; the validation split at epoch 0 and after every epoch, with
    # BN once more with its own batch statistics (one batch)
    evaluation = predict(net, v) + (forward(net, v, 1, batch_stats=True) if bn else Counter())
    work += predict(net, n) + _times(evaluation, e + 1)
    work["evaluation"] += 1 + (e + 1) * (2 if bn else 1)
    if cfg.diagnostics:
        probe, measured = min(cfg.probe_size, n), e + 1
        once = forward_backward(net, probe, 1)
        # the slope statistics evaluate the activation's derivative on the probe again
        once[f"activation_backward/{net.activation}"] += probe * net.hidden_units
        once[f"activation_call/{net.activation}"] += net.activations
        once += Counter(
            {
                "diag_layer": net.dense,
                "diag_param": net.params,
                "diag_element": probe * net.units,
            }
        )
        work += _times(once, measured)
    return work


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
    evaluation = v * net.units if net.batchnorms else 0  # batch statistics keep every output
    peak = 4 * (slots * net.params + 4 * batch * net.units + 3 * evaluation)
    return Cost(seconds(run_work(shape, model, cfg)), kept, peak)


def comparison_cost(shape: Shape, runs: list[tuple[ModelConfig, TrainConfig]], seeds: int) -> Cost:
    """The cost of every run (variant) with each of ``seeds`` seeds, one after the other."""
    total = Cost()
    for model, cfg in runs:
        total = total + run_cost(shape, model, cfg).times(seeds)
    return total


def fold_study_work(
    shape: Shape, model: ModelConfig, batch_size: int, steps: int = 90, repeats: int = 20
) -> Counter:
    """The counts of the folding study of one variant (``ui.story.measure.fold_summary``): ``steps``
    timed SGD steps of batches of ``batch_size`` on a fresh network; with batch normalization,
    the validation split predicted ``repeats`` times (timed) and once more (compared) by the
    network and by its folded copy (the same network without BN layers)."""
    net = layout(shape, model)
    step = forward_backward(net, batch_size, 1) + Counter({"step": 1, "update/sgd": net.params})
    work = Counter({"weight_draw": net.weights}) + _times(step, steps)
    if model.batchnorm != "none":
        folded = layout(shape, replace(model, batchnorm="none"))
        passes = predict(net, shape.n_val) + predict(folded, shape.n_val)
        work += _times(passes, repeats + 1)
    return work


def fold_study_cost(
    shape: Shape, model: ModelConfig, batch_size: int, steps: int = 90, repeats: int = 20
) -> Cost:
    """The cost of :func:`fold_study_work`; it keeps nothing, its transient is a step's."""
    train = TrainConfig(batch_size=batch_size, epochs=0, diagnostics=False)
    peak = run_cost(shape, model, train).peak
    return Cost(seconds(fold_study_work(shape, model, batch_size, steps, repeats)), 0, peak)


def boundary_work(shape: Shape, model: ModelConfig) -> Counter:
    """The counts of the decision boundaries of one trained network of ``model``
    (``core.boundary.decision_grid``): the prediction of its
    :data:`BOUNDARY_STEPS` x :data:`BOUNDARY_STEPS` grid points, and one grid built."""
    net = layout(shape, model)
    return predict(net, BOUNDARY_STEPS**2) + Counter({"evaluation": 1})


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
