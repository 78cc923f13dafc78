"""Measurements of training read from a comparison: validation accuracy and how a run
progressed, batch normalization's variants, and gradient clipping's steps (share clipped,
cosine to the raw gradient, spikes).

Pure Python (no Streamlit); like :mod:`ui.story.measure`, every function reads a
:class:`~ui.story.view.ComparisonView` and a verdict word comes from the numbers.
"""

from __future__ import annotations

import math

import pandas as pd

from core.clipping import spike_ratios, spikes

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
    if best - start >= LEARNING_GAIN and end < best - COLLAPSE:
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
    """The BN variants that learned (still rising or plateaued), in page order."""
    return [
        v.name
        for v in view.variants
        if v.model.batchnorm != "none" and progress(view, v.name) in ("learning", "plateau")
    ]


def with_bn(view: ComparisonView, placement: str) -> str | None:
    """The variant with batch normalization at ``placement`` (``none``, ``before``,
    ``after``), or None."""
    return first_variant(view, lambda v: v.model.batchnorm == placement)


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
