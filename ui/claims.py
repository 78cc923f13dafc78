"""Every sentence that states a measured fact, with the predicate that must hold to say it.

Pure Python (no Streamlit). A page never writes a measured fact as canned text: it asks this
module, which measures the view, and says the sentence only when its predicate holds over the
very comparison shown beside it; otherwise it says what was measured instead. Verdict words
("vanishes", "explodes", "still learning") are read from the numbers, never from the variant's
name. Tests evaluate every claim on every page's defaults and on every lesson link.

The gradient measured is the back-propagated one, ``‖∂L/∂z_k‖`` (column ``backprop_norm``):
Glorot & Bengio (2010, §4.2) show that ``Var[∂L/∂W_k] ≈ Var[x_k] · Var[∂L/∂z_k]``, so the
weight gradient ``‖∂L/∂W_k‖`` can stay flat across layers while the back-propagated gradient
vanishes or explodes (the forward signal moves the other way).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from .format import percent, power_of_ten
from .view import ComparisonView

#: A layer-1 / top-layer ratio of the back-propagated gradient below this is "vanishing",
#: above its inverse "exploding" (a factor of 10 over the depth; He et al. 2015 call a
#: 30-layer ReLU net with Glorot weights, ratio ~3×10⁻³, one that does not learn).
VANISH_BELOW = 0.1
EXPLODE_ABOVE = 10.0
#: Validation accuracy that counts as learning: this many points above the initial network.
LEARNING_GAIN = 0.05


# --- measurements -----------------------------------------------------------------------------


def layer_ratio(view: ComparisonView, quantity: str, epoch: int = 0) -> pd.Series:
    """Per variant: ``quantity`` of layer 1 divided by that of the top hidden layer at
    ``epoch`` (each the mean over seeds). Empty for a one-layer network."""
    at = view.layers(epoch, output=False)
    top = view.top_hidden
    if top < 2 or at.empty:
        return pd.Series(dtype=float)
    g = at.groupby(["variant", "layer"], sort=False)[quantity].mean().unstack()
    return g[1] / g[top]


def layer_value(view: ComparisonView, quantity: str, layer: int, epoch: int = 0) -> pd.Series:
    """Per variant: ``quantity`` of hidden layer ``layer`` at ``epoch`` (mean over seeds)."""
    at = view.layers(epoch, output=False)
    return at[at["layer"] == layer].groupby("variant", sort=False)[quantity].mean()


def hidden_mean(view: ComparisonView, quantity: str, epoch: int) -> pd.Series:
    """Per variant: ``quantity`` averaged over the hidden layers and seeds at ``epoch``."""
    at = view.layers(epoch, output=False)
    return at.groupby("variant", sort=False)[quantity].mean()


def trend(ratio: float) -> str:
    """``vanishing``, ``exploding`` or ``steady`` for a layer-1 / top ratio (``unknown`` when
    the ratio is not a finite positive number)."""
    if not (math.isfinite(ratio) and ratio > 0):
        return "unknown"
    if ratio < VANISH_BELOW:
        return "vanishing"
    if ratio > EXPLODE_ABOVE:
        return "exploding"
    return "steady"


def chance(view: ComparisonView) -> float:
    """Validation accuracy of guessing the largest class's share (1 / classes if balanced)."""
    m = view.comp.metrics
    first = m[(m["epoch"] == 0) & (m["split"] == "val")]["accuracy"]
    return float(first.mean()) if len(first) else math.nan


def progress(view: ComparisonView, name: str) -> str:
    """``diverged``, ``learning`` (validation accuracy rose by at least :data:`LEARNING_GAIN`
    and was still rising in the last epoch), ``plateau`` (rose, then stopped) or ``stalled``."""
    if name in view.comp.diverged_variants:
        return "diverged"
    m = view.comp.metrics
    val = m[(m["variant"] == name) & (m["split"] == "val")].groupby("epoch")["accuracy"].mean()
    if len(val) < 2 or val.iloc[-1] - val.iloc[0] < LEARNING_GAIN:
        return "stalled"
    return "learning" if val.iloc[-1] - val.iloc[-2] > 0.005 else "plateau"


# --- claims -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A sentence about a measurement.

    Attributes:
        name: the claim's id; ``said`` and ``instead`` are catalogue keys ``claim_<name>`` and
            ``claim_<name>_measured``.
        holds: ``(view, **params) -> bool``, the predicate over the comparison shown.
        values: ``(view, **params) -> dict`` of formatted numbers that both sentences use.
    """

    name: str
    holds: Callable[..., bool]
    values: Callable[..., dict]


@dataclass(frozen=True)
class Statement:
    """What the page says: the claim's sentence if ``held``, else what was measured."""

    claim: str
    held: bool
    text: str


def _ratio(view, quantity, name) -> float:
    r = layer_ratio(view, quantity)
    return float(r.get(name, math.nan))


def _bp_values(view, **names) -> dict:
    out = {"top": view.top_hidden}
    for role, name in names.items():
        out[role] = view.label(name)
        out[f"{role}_bp"] = power_of_ten(_ratio(view, "backprop_norm", name))
        out[f"{role}_w"] = power_of_ten(_ratio(view, "grad_norm", name))
        out[f"{role}_sat"] = percent(float(hidden_mean(view, "saturated", 0).get(name, math.nan)))
    return out


def _derivative_max(view, sigmoid, tanh) -> bool:
    """Sigmoid's back-propagated gradient shrinks at least 100× more over the depth than tanh's
    with the same initializer."""
    s, t = _ratio(view, "backprop_norm", sigmoid), _ratio(view, "backprop_norm", tanh)
    return trend(s) == "vanishing" and s < 0.01 * t


def _saturation_not_vanishing(view, sigmoid) -> bool:
    """Most sigmoid units saturate while the back-propagated gradient does not vanish."""
    sat = float(hidden_mean(view, "saturated", 0).get(sigmoid, math.nan))
    return sat > 0.3 and trend(_ratio(view, "backprop_norm", sigmoid)) == "steady"


def _flat_weight_gradient(view, relu) -> bool:
    """The back-propagated gradient explodes while the weight gradient stays within 10×."""
    w = _ratio(view, "grad_norm", relu)
    return trend(_ratio(view, "backprop_norm", relu)) == "exploding" and 0.1 < w < 10


def _glorot_shrinks(view, glorot, he) -> bool:
    """Glorot's output spread shrinks over 10× across the depth while He's stays within 10×."""
    return _growth(view, glorot) < 0.1 and 0.1 < _growth(view, he) < 10


def _spread_values(view, **names) -> dict:
    top = layer_value(view, "act_std", view.top_hidden)
    first = layer_value(view, "act_std", 1)
    out = {"top": view.top_hidden}
    for role, name in names.items():
        out[role] = view.label(name)
        out[f"{role}_first"] = power_of_ten(float(first.get(name, math.nan)))
        out[f"{role}_top"] = power_of_ten(float(top.get(name, math.nan)))
    return out


def _growth(view, name) -> float:
    """Top hidden layer's output std over layer 1's, at initialization (NaN if unmeasured)."""
    first = float(layer_value(view, "act_std", 1).get(name, math.nan))
    top = float(layer_value(view, "act_std", view.top_hidden).get(name, math.nan))
    return top / first if first > 0 else math.nan


def _signal_explodes(view, normal, he) -> bool:
    """N(0, 1)'s output spread grows over 100× across the depth, He's stays within 10×."""
    return _growth(view, normal) > 100 and 0.1 < _growth(view, he) < 10


CLAIMS = {
    c.name: c
    for c in (
        Claim("derivative_max", _derivative_max, _bp_values),
        Claim("saturation", _saturation_not_vanishing, _bp_values),
        Claim("flat_weight_gradient", _flat_weight_gradient, _bp_values),
        Claim("glorot_shrinks", _glorot_shrinks, _spread_values),
        Claim("signal_explodes", _signal_explodes, _spread_values),
    )
}


def state(name: str, view: ComparisonView, **params) -> Statement:
    """The sentence of claim ``name`` about ``view`` (``params`` name the variants it is
    about), or what was measured when its predicate does not hold."""
    claim = CLAIMS[name]
    held = bool(claim.holds(view, **params))
    values = claim.values(view, **params)
    key = f"claim_{name}" if held else f"claim_{name}_measured"
    return Statement(name, held, view.tr(key, **values))


# --- read-outs: one line per variant, every verdict read from the numbers -----------------------


def _line(name: str, parts: list[str]) -> str:
    return f"**{name}** — " + "; ".join(p for p in parts if p) + "."


def gradient_part(view: ComparisonView, name: str, epoch: int = 0) -> str:
    """``vanishing: at initialization, layer 1 receives 2×10⁻⁶ of the back-propagated
    gradient of layer 10 (‖∂L/∂W‖: 4×10⁻⁶)``."""
    bp = float(layer_ratio(view, "backprop_norm", epoch).get(name, math.nan))
    w = float(layer_ratio(view, "grad_norm", epoch).get(name, math.nan))
    if not math.isfinite(bp):
        return ""
    return view.tr(
        f"ro_bp_{trend(bp)}", ratio=power_of_ten(bp), w=power_of_ten(w), top=view.top_hidden
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
        if math.isfinite(share):
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
    tr, lines = view.tr, []
    accuracy = view.comp.final("val", "accuracy")
    div = view.comp.diverged.dropna(subset=["diverged_at"])
    for v in view.variants:
        parts = [gradient_part(view, v.name)]
        state_ = progress(view, v.name)
        if state_ == "diverged":
            epoch = int(div[div["variant"] == v.name]["diverged_at"].min())
            parts.append(tr("ro_diverged", epoch=epoch))
        else:
            parts.append(
                tr(
                    f"ro_accuracy_{state_}",
                    acc=percent(float(accuracy.get(v.name, math.nan))),
                    epochs=view.epochs_done(v.name),
                    chance=percent(chance(view)),
                )
            )
        lines.append(_line(view.label(v.name), parts))
    return lines


def with_verdicts(view: ComparisonView) -> ComparisonView:
    """The view with each label followed by its measured trend at initialization, e.g.
    ``sigmoid + Glorot — vanishing`` (so a legend's verdict always matches the chart)."""
    ratios = layer_ratio(view, "backprop_norm")
    labels = tuple(
        (
            name,
            view.tr(
                "label_verdict",
                label=label,
                verdict=view.tr(f"trend_{trend(float(ratios.get(name, math.nan)))}"),
            ),
        )
        for name, label in view.labels
    )
    return replace(view, labels=labels)


def activation_readout(view: ComparisonView) -> list[str]:
    """One line per activation: the mean |f′(z)| of the hidden units at initialization (the
    average factor by which each layer scales the back-propagated gradient), and at the last
    epoch the saturated share (saturating functions) and the never-active share (ReLU family)."""
    tr, last, lines = view.tr, view.last_epoch, []
    slope = hidden_mean(view, "slope_mean", 0)
    saturated, dead = hidden_mean(view, "saturated", last), hidden_mean(view, "dead", last)
    for v in view.variants:
        parts = [tr("ro_slope", slope=f"{float(slope.get(v.name, math.nan)):.2f}")]
        for share, key in ((saturated, "ro_saturated_end"), (dead, "ro_dead")):
            x = float(share.get(v.name, math.nan))
            if math.isfinite(x):
                parts.append(tr(key, share=percent(x), epoch=last))
        lines.append(_line(view.label(v.name), parts))
    return lines


def bn_gap_readout(view: ComparisonView) -> list[str]:
    """Per BN variant: final validation accuracy with batch statistics against moving averages."""
    moving = view.comp.final("val", "accuracy")
    batch = view.comp.final("val_batch_stats", "accuracy")
    return [
        f"**{view.label(v.name)}**: "
        + view.tr("ro_bn_gap", batch=percent(batch[v.name]), moving=percent(moving[v.name]))
        for v in view.variants
        if v.model.batchnorm != "none" and v.name in batch.index
    ]


def clipping_readout(view: ComparisonView) -> list[str]:
    """Per clipped variant: share of steps clipped and mean cosine to the raw gradient; then
    how clipping by value and by global norm ended against the best finished variant."""
    tr, comp = view.tr, view.comp
    summary = comp.clip_summary
    lines = []
    for v in view.variants:
        rows = summary[summary["variant"] == v.name]
        if v.train.clip != "none" and len(rows):
            text = tr(
                "ro_clip",
                share=percent(rows["share_clipped"].mean()),
                cosine=f"{rows['cosine_mean'].mean():.3f}",
            )
            lines.append(f"**{view.label(v.name)}**: {text}.")
    final = comp.final("val", "accuracy")
    by_method = {v.train.clip: v.name for v in view.variants}
    finished = {
        m: float(final[n])
        for m, n in by_method.items()
        if n not in comp.diverged_variants and n in final.index
    }
    if not finished:
        return lines
    best_method = max(finished, key=finished.get)
    best = finished[best_method]
    if "value" in by_method and by_method["value"] in comp.diverged_variants:
        lines.append(tr("ro_value_diverged"))
    for method, key in (("value", "ro_value_slower"), ("global_norm", "ro_global_slower")):
        if method in finished and method != best_method and finished[method] < best - 0.02:
            lines.append(
                tr(
                    key,
                    acc=percent(finished[method]),
                    best=percent(best),
                    best_name=view.label(by_method[best_method]),
                )
            )
    return lines
