"""Read-outs: the sentences under a comparison, one line per variant, every verdict read from
the numbers (:mod:`ui.story.measure`, :mod:`ui.story.measure_training`), never from a variant's
name; and the clauses that claims and answers share with them (how a run ended, its slopes).

Pure Python (no Streamlit). Each function takes a :class:`~ui.story.view.ComparisonView` and
returns text in the view's language, so that pages can memoize it by the view.
"""

from __future__ import annotations

import math
from dataclasses import replace

from core import theory
from core.clipping import turn_degrees

from ..text.format import fixed, percent, power_of_ten, subscript
from .measure import (
    BLOCKED_BELOW,
    EXPLODE_ABOVE,
    SATURATED_ABOVE,
    VANISH_BELOW,
    blocked,
    hidden_mean,
    layer_value,
    ratio_of,
    slope_predictions,
    top_and_output,
    verdict,
)
from .measure_training import (
    ALWAYS_CLIPPED,
    best_epoch,
    clip_statistics,
    input_spread,
    keeps_direction,
    learned,
    progress,
    sweep_frame,
    val_accuracy,
)
from .view import ComparisonView


def _line(name: str, parts: list[str]) -> str:
    return f"**{name}** — " + "; ".join(p for p in parts if p) + "."


def gradient_part(view: ComparisonView, name: str) -> str:
    """``vanishing at initialization: ‖∂L/∂z₁‖ / ‖∂L/∂z₁₀‖ = 2.1×10⁻⁶ (for ‖∂L/∂W‖: 3.4×10⁻⁶)``
    (layer 1 against the top hidden layer, each the mean over seeds), worded by
    :func:`verdict`: a steady gradient with most units saturated says so, and a network whose
    hidden layers get no gradient at all (:func:`blocked`) says that instead of a ratio."""
    top_norm, out_norm = top_and_output(view, name)
    bp = ratio_of(view, "backprop_norm", name)
    if not (math.isfinite(bp) or blocked(view, name)):
        return ""
    saturated = float(hidden_mean(view, "saturated", 0).get(name, math.nan))
    return view.tr(
        f"ro_bp_{verdict(view, name)}",
        ratio=power_of_ten(bp),
        w=power_of_ten(ratio_of(view, "grad_norm", name)),
        top=subscript(view.top_hidden),
        share=percent(saturated),
        top_norm=power_of_ten(top_norm),
        out_norm=power_of_ten(out_norm),
    )


def verdict_band(view: ComparisonView) -> str:
    """The bounds the verdicts of :func:`gradient_part` read, for a note beside them:
    vanishing below :data:`~ui.story.measure.VANISH_BELOW`, exploding above
    :data:`~ui.story.measure.EXPLODE_ABOVE`, saturated over
    :data:`~ui.story.measure.SATURATED_ABOVE` of the units, no gradient under
    :data:`~ui.story.measure.BLOCKED_BELOW` of the output's; empty for one hidden layer, which
    has no ratio."""
    if view.top_hidden < 2:
        return ""
    return view.tr(
        "ro_verdict_band",
        top=subscript(view.top_hidden),
        low=f"{VANISH_BELOW:g}",
        high=f"{EXPLODE_ABOVE:g}",
        saturated=percent(SATURATED_ABOVE),
        blocked=power_of_ten(BLOCKED_BELOW),
    )


def init_readout(view: ComparisonView) -> list[str]:
    """One line per variant about the network at initialization: the back-propagated and
    weight gradient ratios with their verdict, saturation, and the outputs' spread."""
    tr, top, lines = view.tr, view.top_hidden, []
    saturated = hidden_mean(view, "saturated", 0)
    first, last = layer_value(view, "act_std", 1), layer_value(view, "act_std", top)
    for v in view.variants:
        parts = [gradient_part(view, v.name)]
        share = float(saturated.get(v.name, math.nan))
        if math.isfinite(share) and verdict(view, v.name) != "saturated":  # else said above
            parts.append(tr("ro_saturated", share=percent(share)))
        parts.append(
            tr(
                "ro_act_growth",
                first=power_of_ten(float(first.get(v.name, math.nan))),
                last=power_of_ten(float(last.get(v.name, math.nan))),
                top=top,
            )
        )
        lines.append(_line(view.label(v.name), parts))
    return lines


def training_readout(view: ComparisonView) -> list[str]:
    """One line per variant: the gradient at initialization, then how training went (final
    validation accuracy and whether it is still learning, or the epoch it diverged in)."""
    return [
        _line(view.label(v.name), [gradient_part(view, v.name), run_outcome(view, v.name)])
        for v in view.variants
    ]


def with_verdicts(view: ComparisonView) -> ComparisonView:
    """The view with each label followed by its measured verdict at initialization, e.g.
    ``sigmoid + Glorot — vanishing`` (so a legend's verdict always matches the chart)."""
    labels = tuple(
        (
            name,
            view.tr("label_verdict", label=label, verdict=view.tr(f"trend_{verdict(view, name)}")),
        )
        for name, label in view.labels
    )
    return replace(view, labels=labels)


def activation_readout(view: ComparisonView) -> list[str]:
    """One line per activation: at initialization the RMS slope √E[f′(z)²] of the hidden units
    (which, times the weights' gain, sets how much each layer scales the back-propagated
    gradient) beside the mean |f′(z)|, and the ratio that the RMS slope predicts against the
    measured one; at the last epoch the saturated share (saturating functions) and the
    never-active share (ReLU family)."""
    tr, last, lines = view.tr, view.last_epoch, []
    saturated, dead = hidden_mean(view, "saturated", last), hidden_mean(view, "dead", last)
    for v in view.variants:
        values = slope_values(view, v.name)
        parts = [tr("ro_slope", rms=values["rms"], mean=values["mean"])]
        predicted, _, measured = slope_predictions(view, v.name)
        if math.isfinite(predicted) and math.isfinite(measured):
            parts.append(tr("ro_slope_predicts", **values))
        for share, key in ((saturated, "ro_saturated_end"), (dead, "ro_dead")):
            x = float(share.get(v.name, math.nan))
            if math.isfinite(x):
                parts.append(tr(key, share=percent(x), epoch=last))
        lines.append(_line(view.label(v.name), parts))
    return lines


def slope_values(view: ComparisonView, name: str) -> dict:
    """Variant ``name``'s slopes at initialization, formatted for a sentence: the mean and RMS
    slope, the weights' gain, the ratio each slope predicts and the ratio measured
    (:func:`ui.story.measure.slope_predictions`)."""
    predicted, by_mean, measured = slope_predictions(view, name)
    gains = theory.backward_gains(view.variant(name).model)
    gain = float(gains[0]) if gains is not None and len(gains) else math.nan
    return {
        "name": view.label(name),
        "top": view.top_hidden,
        "top_sub": subscript(view.top_hidden),
        "layers": view.top_hidden - 1,
        "mean": f"{float(hidden_mean(view, 'slope_mean', 0).get(name, math.nan)):.2f}",
        "rms": f"{float(hidden_mean(view, 'slope_rms', 0).get(name, math.nan)):.2f}",
        "gain": f"{gain:.3g}",
        "pred_rms": power_of_ten(predicted),
        "pred_mean": power_of_ten(by_mean),
        "measured": power_of_ten(measured),
    }


def bn_gap_readout(view: ComparisonView) -> list[str]:
    """Per BN variant: final validation accuracy with batch statistics against moving averages."""
    moving = view.comp.final("val", "accuracy")
    batch = view.comp.final("val_batch_stats", "accuracy")
    lines = []
    for v in view.variants:
        if v.model.uses_batchnorm and v.name in batch.index:
            with_batch, with_moving = percent(batch[v.name]), percent(moving[v.name])
            said = (
                view.tr("ro_bn_no_gap", moving=with_moving)
                if with_batch == with_moving  # equal as shown: "85.5 % instead of 85.5 %" misleads
                else view.tr("ro_bn_gap", batch=with_batch, moving=with_moving)
            )
            lines.append(f"**{view.label(v.name)}**: {said}")
    return lines


def input_bn_readout(view: ComparisonView) -> list[str]:
    """Per arm of the input-BN study (:func:`ui.story.measure_training.input_bn_variants`):
    the spread of the first layer's pre-activations at initialization and how the run ended;
    for the input BN, its final accuracy with batch statistics too."""
    lines = []
    for v in view.variants:
        parts = [
            view.tr("ro_input_spread", spread=power_of_ten(input_spread(view, v.name), 2)),
            run_outcome(view, v.name),
        ]
        if v.model.input_batchnorm and v.name not in view.comp.diverged_variants:
            batch = view.comp.final("val_batch_stats", "accuracy").get(v.name, math.nan)
            parts.append(view.tr("ro_input_bn_batch", acc=percent(float(batch))))
        lines.append(_line(view.label(v.name), parts))
    return lines


def _direction(tr, method: str, cosine: float) -> str:
    """What the method did to the update's direction, from its mean cosine to the raw one."""
    if keeps_direction(method, cosine):
        return tr("ro_clip_keeps")
    return tr("ro_clip_turns", angle=f"{turn_degrees(cosine):.0f}")


def clipping_readout(view: ComparisonView) -> list[str]:
    """Per clipped variant: share of steps clipped, what happened to the direction (mean cosine
    to the raw gradient), whether it acted as normalized gradient descent; for clipping by
    value, the largest norm its threshold leaves the clipped gradient (c·√P)."""
    tr, stats = view.tr, clip_statistics(view)
    lines = []
    for v in view.variants:
        row = stats.loc[v.name]
        if row["method"] == "none" or not math.isfinite(row["share_clipped"]):
            continue
        parts = [
            tr("ro_clip", share=percent(row["share_clipped"]), cosine=fixed(row["cosine"], 3)),
            _direction(tr, row["method"], row["cosine"]),
        ]
        if row["share_clipped"] >= ALWAYS_CLIPPED:
            parts.append(tr("ro_clip_normalized"))
        if row["method"] == "value":
            n = view.comp.runs[(v.name, view.seeds[0])].n_params
            bound = power_of_ten(row["threshold"] * math.sqrt(n), 2)  # 1·√98,410 ≈ 314
            parts.append(
                tr("ro_clip_value_bound", c=f"{row['threshold']:g}", n=f"{n:,}", bound=bound)
            )
        lines.append(_line(view.label(v.name), parts))
    return lines


def sweep_readout(view: ComparisonView) -> list[str]:
    """Per method: the threshold of the sweep with the best final validation accuracy."""
    frame = sweep_frame(view)
    finished = frame[~frame["diverged"] & frame["accuracy"].notna()]
    lines = []
    for method, rows in finished.groupby("method", sort=False):
        best = rows.loc[rows["accuracy"].idxmax()]
        lines.append(
            view.tr(
                "ro_sweep_best",
                method=view.tr(f"cl_v_{method}"),
                threshold=f"{best['threshold']:g}",
                acc=percent(best["accuracy"]),
                worst=percent(rows["accuracy"].min()),
            )
        )
    return lines


def lr_sweep_readout(view: ComparisonView) -> list[str]:
    """Per learning rate of the sweep (variants that differ in BN placement and learning rate
    only): each placement's final training loss, or that it diverged, and which ended lower
    (none is named when every placement diverged)."""
    loss = view.comp.final("train", "loss")
    by_rate: dict[float, list] = {}
    for v in view.variants:
        by_rate.setdefault(v.train.lr, []).append(v)
    lines = []
    for rate, arms in by_rate.items():
        ended = {
            v.name: math.inf if v.name in view.comp.diverged_variants else float(loss[v.name])
            for v in arms
        }
        said = ", ".join(
            f"{view.tr(f'bn_v_{v.model.batchnorm}')} "
            + (
                view.tr("trend_diverged")
                if math.isinf(ended[v.name])
                else power_of_ten(ended[v.name])
            )
            for v in arms
        )
        line = view.tr("ro_lr_sweep", lr=f"{rate:g}", arms=said)
        lowest = min(arms, key=lambda v: ended[v.name])
        if math.isfinite(ended[lowest.name]):
            line += view.tr("ro_lr_sweep_lower", lower=view.tr(f"bn_v_{lowest.model.batchnorm}"))
        lines.append(line)
    return lines


def outcome(view: ComparisonView, name: str) -> str:
    """How variant ``name`` ended, in the view's language: ``diverged`` or its final
    validation accuracy (mean over seeds)."""
    if name in view.comp.diverged_variants:
        return view.tr("trend_diverged")
    return percent(float(view.comp.final("val", "accuracy").get(name, math.nan)))


def run_outcome(view: ComparisonView, name: str) -> str:
    """How ``name`` ended, as a clause of a sentence: the epoch it diverged in (and the best
    accuracy it reached first, if it learned), or its final validation accuracy worded by
    :func:`ui.story.measure_training.progress`."""
    word = progress(view, name)
    if word == "diverged":
        div = view.comp.diverged.dropna(subset=["diverged_at"])
        epoch = int(div[div["variant"] == name]["diverged_at"].min())
        if learned(view, name):
            best, at = best_epoch(view, name)
            return view.tr("ro_diverged_after", epoch=epoch, best=percent(best), best_epoch=at)
        return view.tr("ro_diverged", epoch=epoch)
    val = val_accuracy(view, name)
    best, at = best_epoch(view, name)
    return view.tr(
        f"ro_accuracy_{word}",
        acc=percent(float(val.iloc[-1])),
        epochs=view.epochs_done(name),
        start=percent(float(val.iloc[0])),
        best=percent(best),
        best_epoch=at,
    )
