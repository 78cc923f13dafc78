"""Measurements of training read from a comparison: validation accuracy and how a run
progressed, batch normalization's variants (and a BN layer on raw inputs, the study of
:func:`input_bn_variants`), and gradient clipping's steps (share clipped, cosine to the raw
gradient, spikes).

Pure Python (no Streamlit); like :mod:`ui.story.measure`, every function reads a
:class:`~ui.story.view.ComparisonView` and a verdict word comes from the numbers.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from core import Comparison, ModelConfig, TrainConfig, Variant, bn_studies, train
from core.clipping import spike_ratios, spikes
from core.layers import BatchNorm

from ..caches import data, memo
from ..text.format import percent, power_of_ten
from .measure import extremes, first_variant
from .view import ComparisonView

#: Validation accuracy that counts as learning: this many points above the initial network.
LEARNING_GAIN = 0.05
#: A run whose accuracy falls this far below its best has collapsed, whatever it ends at.
COLLAPSE = 0.1
#: Final accuracies closer than this to the best count as the best too (about two validation
#: samples of digits): a question should not hinge on one sample.
ACCURACY_TIE = 0.005


def val_accuracy(view: ComparisonView, name: str) -> pd.Series:
    """Variant ``name``'s validation accuracy per epoch (mean over seeds), from epoch 0."""
    return view.derived(_val_accuracy, name)


def _val_accuracy(view: ComparisonView, name: str) -> pd.Series:
    m = view.comp.metrics
    return m[(m["variant"] == name) & (m["split"] == "val")].groupby("epoch")["accuracy"].mean()


def learned(view: ComparisonView, name: str) -> bool:
    """Whether variant ``name``'s validation accuracy rose at least :data:`LEARNING_GAIN`
    above its start at some epoch (before it diverged, if it did)."""
    val = val_accuracy(view, name).dropna()
    return len(val) > 1 and val.max() - val.iloc[0] >= LEARNING_GAIN


def progress(view: ComparisonView, name: str) -> str:
    """How variant ``name`` trained, read from its own validation accuracy:

    - ``diverged``: its loss or gradients became non-finite;
    - ``collapsed``: it gained at least :data:`LEARNING_GAIN` over its start, then fell more
      than :data:`COLLAPSE` below its best;
    - ``stalled``: it never ended :data:`LEARNING_GAIN` above its start and above chance
      (1 / classes);
    - ``learning``: still rising in the last epoch; ``plateau``: rose, then stopped.
    """
    if name in view.comp.diverged_variants:
        return "diverged"
    val = val_accuracy(view, name)
    if len(val) < 2:
        return "stalled"
    start, best, end = val.iloc[0], val.max(), val.iloc[-1]
    if learned(view, name) and end < best - COLLAPSE:
        return "collapsed"
    if end - start < LEARNING_GAIN or end < 1 / view.n_classes + LEARNING_GAIN:
        return "stalled"
    return "learning" if end - val.iloc[-2] > 0.005 else "plateau"


def best_epoch(view: ComparisonView, name: str) -> tuple[float, int]:
    """Variant ``name``'s best validation accuracy and the epoch it reached it ((NaN, 0) when
    not measured)."""
    val = val_accuracy(view, name)
    return (float(val.max()), int(val.idxmax())) if len(val) else (math.nan, 0)


def final_value(view: ComparisonView, name: str, split: str, column: str) -> float:
    """Variant ``name``'s ``column`` on ``split`` at its last epoch (mean over seeds)."""
    return float(view.comp.final(split, column).get(name, math.nan))


def accuracy_at(view: ComparisonView, name: str, split: str, epoch: int) -> float:
    """Variant ``name``'s accuracy on ``split`` at ``epoch`` (mean over seeds; NaN if none)."""
    m = view.comp.metrics
    rows = m[(m["variant"] == name) & (m["split"] == split) & (m["epoch"] == epoch)]
    return float(rows["accuracy"].mean()) if len(rows) else math.nan


def train_gap(view: ComparisonView, name: str) -> float:
    """Final training accuracy (in training mode, the epoch's mean) minus validation accuracy."""
    return final_value(view, name, "train", "accuracy") - final_value(view, name, "val", "accuracy")


def best_accuracy(view: ComparisonView) -> tuple[str, ...]:
    """The variants with the highest final validation accuracy (within :data:`ACCURACY_TIE`),
    diverged ones left out."""
    final = view.comp.final("val", "accuracy")
    finished = final.drop(index=list(view.comp.diverged_variants), errors="ignore")
    return extremes(finished.astype(float), largest=True, tie=ACCURACY_TIE)


def learned_bn(view: ComparisonView) -> list[str]:
    """The variants with a BN layer (hidden or on the inputs) that learned (still rising or
    plateaued), in page order."""
    return [
        v.name
        for v in view.variants
        if v.model.uses_batchnorm and progress(view, v.name) in ("learning", "plateau")
    ]


def with_bn(view: ComparisonView, placement: str) -> str | None:
    """The variant with batch normalization at ``placement`` (``none``, ``before``,
    ``after``) in its hidden blocks, or None; ``none`` means no BN layer at all (none on the
    inputs either)."""
    return first_variant(
        view,
        lambda v: (
            v.model.batchnorm == placement and not (placement == "none" and v.model.input_batchnorm)
        ),
    )


def timing_verdict(report: dict) -> str:
    """``faster``, ``slower`` or ``same`` for a fold report's inference times: a difference
    counts only when it exceeds the larger of the two timings' spreads."""
    before, after = report["seconds_before"], report["seconds_after"]
    noise = max(report["spread_before"], report["spread_after"])
    if before - after > noise:
        return "faster"
    if after - before > noise:
        return "slower"
    return "same"


# --- batch normalization on the inputs -------------------------------------------------------

#: The three arms of the input-BN study (:data:`core.bn_studies.INPUT_BN_ARMS`): raw inputs;
#: standardised inputs; raw inputs with a BN layer before the first Dense.
RAW, STANDARDIZED, INPUT_BN = (name for name, _, _ in bn_studies.INPUT_BN_ARMS)
#: The data set of the study: 30 features whose scales span six orders of magnitude.
INPUT_BN_DATASET = "breast_cancer"
#: The study's network: tanh saturates when its inputs are large, so raw inputs cannot train
#: it; Keras' BN convention (momentum 0.99, eps 1e-3), the book's and the app's default.
INPUT_BN_MODEL = ModelConfig(
    hidden=(64,) * 8, activation="tanh", init="glorot_uniform", bn_convention="keras"
)
#: Long enough for Keras' moving averages to catch up: they start at mean 0 and variance 1 and
#: move 1 % of the way per step, and the raw features' means lie up to 9 standard deviations
#: from 0; after 15 epochs (225 steps) the inference-mode accuracy still trails the
#: batch-statistics one, after 30 it no longer does.
INPUT_BN_TRAIN = TrainConfig(optimizer="sgd", lr=0.01, batch_size=32, epochs=30)
#: A run that ends within this of the one-class share has learned nothing a constant could not.
ONE_CLASS_MARGIN = 0.02
#: A run that ends this far above the one-class share has learned.
LEARNED_MARGIN = 0.2
#: The input-BN arm "fixes" raw inputs when it ends within this of the standardised arm.
FIX_TOLERANCE = 0.05


def input_bn_variants(seed: int = 0) -> tuple[list[Variant], list[Variant]]:
    """The study's variants: (those trained on raw inputs: ``raw`` and ``input_bn``; the one
    trained on standardised inputs: ``standardized``). The data set of each is
    :func:`arm_data`; the three share the split, the mini-batch order and every kernel."""
    cfg = replace(INPUT_BN_TRAIN, seed=seed)
    made = {
        name: Variant(name, replace(INPUT_BN_MODEL, input_batchnorm=input_bn), cfg)
        for name, _, input_bn in bn_studies.INPUT_BN_ARMS
    }
    return [made[RAW], made[INPUT_BN]], [made[STANDARDIZED]]


def arm_data(dataset: str, name: str) -> str:
    """The data set id (:mod:`ui.caches.data`) arm ``name`` of the study trains on."""
    standardized = next(s for arm, s, _ in bn_studies.INPUT_BN_ARMS if arm == name)
    return dataset if standardized else data.raw_id(dataset)


def input_bn_view(raw: ComparisonView, standardized: ComparisonView) -> ComparisonView:
    """One view of the study's three arms: ``raw`` holds the runs on raw inputs (``raw``,
    ``input_bn``), ``standardized`` the runs on standardised ones; same seeds. Its data set is
    the standardised one's name (the split, hence the labels, is the same)."""
    runs = {**raw.comp.runs, **standardized.comp.runs}
    order = [name for name, _, _ in bn_studies.INPUT_BN_ARMS]
    variants = {v.name: v for v in (*raw.variants, *standardized.variants)}
    labels = dict((*raw.labels, *standardized.labels))
    return ComparisonView(
        Comparison({(n, s): runs[(n, s)] for s in raw.seeds for n in order}),
        tuple(variants[n] for n in order),
        standardized.dataset,
        raw.seeds,
        tuple((n, labels[n]) for n in order),
        raw.tr,
        raw.n_classes,
    )


def input_bn_facts(dataset: str) -> dict:
    """What the study's introduction quotes, as the page writes numbers: the raw features of
    data set ``dataset`` (how many; the smallest and largest standard deviation over the
    training split; ``far``: how many of its standard deviations the mean farthest from 0
    lies), the study's network and training settings, its BN convention's momentum
    and epsilon, the steps of its training (``steps``) and the weight its moving averages
    still give their starting values after them (``left`` = keep^steps)."""
    d = data.load(dataset, standardize=False)
    scales = d.X_train.std(axis=0, dtype=np.float64)
    means = np.abs(d.X_train.mean(axis=0, dtype=np.float64))
    bn = BatchNorm(1, INPUT_BN_MODEL.bn_convention)
    cfg = INPUT_BN_TRAIN
    steps = cfg.epochs * math.ceil(len(d.X_train) / cfg.batch_size)
    return {
        "features": d.n_features,
        "lo": power_of_ten(float(scales.min()), 1),
        "hi": f"{float(scales.max()):,.0f}",
        "far": f"{float((means / scales).max()):.0f}",
        "depth": len(INPUT_BN_MODEL.hidden),
        "width": INPUT_BN_MODEL.hidden[0],
        "lr": f"{cfg.lr:g}",
        "batch": cfg.batch_size,
        "epochs": cfg.epochs,
        "momentum": f"{bn.momentum:g}",
        "eps": power_of_ten(bn.eps),
        "steps": steps,
        "left": percent(bn.keep**steps),
    }


def one_class_share(view: ComparisonView) -> float:
    """The validation share of the commonest class: what predicting one class scores."""
    y = data.load(view.dataset).y_val
    return float(np.bincount(y).max() / len(y))


def first_layer_spread(dataset: str, model: ModelConfig, cfg: TrainConfig) -> float:
    """:func:`core.bn_studies.first_preactivation_std` of the network ``model`` starts from
    (seed ``cfg.seed``) on the training split of data set id ``dataset``: the spread of what
    the first activation receives before any update."""
    d = data.load(dataset)
    net = train(model, replace(cfg, epochs=0, diagnostics=False), d).net
    return bn_studies.first_preactivation_std(net, d.X_train)


def input_spread(view: ComparisonView, name: str) -> float:
    """Arm ``name``'s :func:`first_layer_spread` at initialization, mean over the seeds (each
    computed once per server)."""
    v = view.variant(name)
    dataset = arm_data(view.dataset, name)
    return float(
        np.mean(
            [
                memo.memo(first_layer_spread, dataset, v.model, replace(v.train, seed=s))
                for s in view.seeds
            ]
        )
    )


# --- clipping ------------------------------------------------------------------------------


#: A method that clips at least this share of the steps is rescaling every update: it acts
#: as normalized gradient descent rather than as a guard against spikes (Pascanu et al. 2013).
ALWAYS_CLIPPED = 0.95
#: A method that clips under this share of the steps only catches the largest ones.
SPIKES_ONLY = 0.2


def clip_statistics(view: ComparisonView) -> pd.DataFrame:
    """Per variant (rows in page order): ``method, share_clipped, cosine, accuracy,
    diverged`` (share and cosine averaged over every step of every seed)."""
    steps = view.comp.steps
    final = view.comp.final("val", "accuracy")
    rows = []
    for v in view.variants:
        s = steps[steps["variant"] == v.name]
        rows.append(
            {
                "variant": v.name,
                "method": v.train.clip,
                "threshold": v.train.clip_threshold,
                "share_clipped": float(s["clipped"].mean()) if len(s) else math.nan,
                "cosine": float(s["cosine"].mean()) if len(s) else math.nan,
                "accuracy": float(final.get(v.name, math.nan)),
                "diverged": v.name in view.comp.diverged_variants,
            }
        )
    return pd.DataFrame(rows).set_index("variant")


def keeps_direction(method: str, cosine: float) -> bool:
    """Whether clipping kept the update's direction: by global norm always (one factor for the
    whole gradient), otherwise when the mean cosine to the raw gradient rounds to 1."""
    return method == "global_norm" or cosine > 0.9995


def clip_band(share: float) -> str:
    """``spikes`` (under :data:`SPIKES_ONLY` of the steps clipped), ``always`` (at least
    :data:`ALWAYS_CLIPPED`), ``often`` in between; ``unknown`` when not measured."""
    if not math.isfinite(share):
        return "unknown"
    return "spikes" if share < SPIKES_ONLY else "always" if share >= ALWAYS_CLIPPED else "often"


def sweep_frame(view: ComparisonView) -> pd.DataFrame:
    """The threshold sweep as rows ``method, threshold, accuracy, diverged`` (page order)."""
    stats = clip_statistics(view)
    return stats[stats["method"] != "none"][["method", "threshold", "accuracy", "diverged"]]


def step_spikes(view: ComparisonView, name: str) -> pd.DataFrame:
    """Variant ``name``'s steps (first seed) with ``spike`` (see :func:`core.clipping.spikes`)
    and ``ratio``, the step's norm over the median of the steps before it."""
    steps = view.comp.steps
    mine = steps[(steps["variant"] == name) & (steps["seed"] == view.seeds[0])]
    norms = mine["grad_norm"].to_numpy()
    return mine.assign(spike=spikes(norms), ratio=spike_ratios(norms))


def clipped_by(view: ComparisonView, method: str) -> str | None:
    """The variant clipped by ``method`` (``none``, ``value``, ``norm``, ``global_norm``), or
    None."""
    return first_variant(view, lambda v: v.train.clip == method)


def last_spike(steps: pd.DataFrame) -> tuple[int, int]:
    """(row of the spike that set off the last run of consecutive spikes, rows in that run)
    among ``steps`` (:func:`step_spikes`, finite norms only): at a divergence, the step that
    started the blow-up; (-1, 0) without a spike."""
    flags = steps["spike"].to_numpy()
    if not flags.any():
        return -1, 0
    end = len(flags) - 1 - int(flags[::-1].argmax())  # the last spike
    start = end
    while start > 0 and flags[start - 1]:
        start -= 1
    return start, end - start + 1


def clipped_spikes(view: ComparisonView, name: str) -> tuple[int, int]:
    """(steps clipped, of which spikes) of variant ``name``, first seed."""
    steps = step_spikes(view, name)
    clipped = steps["clipped"].astype(bool)
    return int(clipped.sum()), int((clipped & steps["spike"]).sum())
