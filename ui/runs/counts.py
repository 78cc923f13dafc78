"""What the engine does for each kind of work a page can ask for, counted exactly, term by term.

A training run (:func:`run_work`): its mini-batch steps, its evaluations (epoch 0 on both
splits, the validation split after every epoch, again with batch statistics under BN) and its
per-layer diagnostics on the probe batch, one set per epoch including epoch 0 (a run with
``epochs=0`` does its evaluation and diagnostics only); the batch-normalization folding study
of one variant (:func:`fold_study_work`); the spread of the first layer's pre-activations
at initialization (:func:`spread_work`); the decision boundaries of one trained network
(:func:`boundary_work`). Each returns a :class:`~collections.Counter` by term, which
:mod:`ui.runs.budget` prices in CPU seconds.

For a network of Dense widths ``n_0 (inputs), n_1, ..., n_L (classes)``,
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
``bn_forward``,                BN elements in training mode: ``H`` per sample each way (and
``bn_backward``                ``n_0`` more with a BN on the inputs, whose backward pass fills
                               only its gamma and beta gradients; the first Dense then
                               computes dL/dx too: ``n_0 n_1`` more multiply-adds back)
``bn_inference``               BN elements with the moving averages: ``H`` (+ ``n_0``) per
                               sample predicted
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
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace

from core import ModelConfig, TrainConfig

#: Values per layer output in one chunk of ``Network.predict`` (its ``chunk_elements``).
PREDICT_CHUNK = 2**18
#: Points per side of the decision-boundary grid (``core.boundary.decision_grid``'s ``steps``).
BOUNDARY_STEPS = 60


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
    = L - 1 hidden BN layers or 0, plus 1 for a BN on the inputs, ``bn_units`` = the values
    they normalise per sample (``hidden_units`` or 0, plus n_0 on the inputs), ``input_bn``
    whether there is a BN on the inputs (then the first Dense computes dL/dx too), ``params``
    = kernels, biases (none on hidden Dense layers with BN before the activation) and BN's
    gamma and beta, ``widest`` = the widest layer output, max_k n_k (k >= 1, and k = 0 with
    a BN on the inputs)."""

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
    bn_units: int = 0
    input_bn: bool = False


def layout(shape: Shape, model: ModelConfig) -> Layout:
    """The :class:`Layout` of ``model``'s network on data of ``shape``."""
    widths = (shape.n_features, *model.hidden, shape.n_classes)
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    units, hidden_units = sum(widths[1:]), sum(model.hidden)
    bn = model.batchnorm != "none"
    biases = shape.n_classes if model.batchnorm == "before" else units
    bn_units = (hidden_units if bn else 0) + (widths[0] if model.input_batchnorm else 0)
    return Layout(
        activation=model.activation,
        weights=weights,
        first_weights=widths[0] * widths[1],
        units=units,
        hidden_units=hidden_units,
        dense=len(widths) - 1,
        activations=len(model.hidden),
        batchnorms=(len(model.hidden) if bn else 0) + int(model.input_batchnorm),
        params=weights + biases + 2 * bn_units,
        widest=max(widths if model.input_batchnorm else widths[1:]),
        bn_units=bn_units,
        input_bn=model.input_batchnorm,
    )


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
    dL/dx for the first layer (with a BN on the inputs, the first Dense computes its dL/dx and
    the BN only its gamma and beta gradients): a mini-batch step's or a probe pass's work."""
    elements = samples * net.hidden_units
    bn = samples * net.bn_units
    skipped = 0 if net.input_bn else net.first_weights
    return _calls(net, 2 * batches) + Counter(
        {
            "mac": samples * (3 * net.weights - skipped),
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
    bn = samples * net.bn_units
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
    bn = model.uses_batchnorm  # hidden or on the inputs: evaluated with batch statistics too
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
    if model.uses_batchnorm:
        folded = layout(shape, replace(model, batchnorm="none", input_batchnorm=False))
        passes = predict(net, shape.n_val) + predict(folded, shape.n_val)
        work += _times(passes, repeats + 1)
    return work


def spread_work(shape: Shape, model: ModelConfig) -> Counter:
    """The counts of ``ui.story.measure_training.first_layer_spread`` beyond building and
    evaluating the network (a run of no epochs): the training split through the first Dense
    layer, and through a BN on the inputs first (training mode, one batch)."""
    net = layout(shape, model)
    n = shape.n_train
    return Counter(
        {
            "mac": n * net.first_weights,
            "dense_call": 1,
            "bn_forward": n * shape.n_features if net.input_bn else 0,
            "bn_call": int(net.input_bn),
            "evaluation": 1,
        }
    )


def boundary_work(shape: Shape, model: ModelConfig) -> Counter:
    """The counts of the decision boundaries of one trained network of ``model``
    (``core.boundary.decision_grid``): the prediction of its
    :data:`BOUNDARY_STEPS` x :data:`BOUNDARY_STEPS` grid points, and one grid built."""
    net = layout(shape, model)
    return predict(net, BOUNDARY_STEPS**2) + Counter({"evaluation": 1})
