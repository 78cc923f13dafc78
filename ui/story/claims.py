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

from core import theory
from core.clipping import SPIKE_FACTOR, SPIKE_WINDOW, spike_ratios, spikes, turn_degrees

from ..text.format import percent, power_of_ten, subscript
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
    return view.derived(_layer_ratio, quantity, epoch)


def _layer_ratio(view: ComparisonView, quantity: str, epoch: int) -> pd.Series:
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
    return view.derived(_hidden_mean, quantity, epoch)


def _hidden_mean(view: ComparisonView, quantity: str, epoch: int) -> pd.Series:
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


def val_accuracy(view: ComparisonView, name: str) -> pd.Series:
    """Variant ``name``'s validation accuracy per epoch (mean over seeds), from epoch 0."""
    return view.derived(_val_accuracy, name)


def _val_accuracy(view: ComparisonView, name: str) -> pd.Series:
    m = view.comp.metrics
    return m[(m["variant"] == name) & (m["split"] == "val")].groupby("epoch")["accuracy"].mean()


#: A run whose accuracy falls this far below its best has collapsed, whatever it ends at.
COLLAPSE = 0.1


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
    """Most sigmoid units saturate while the back-propagated gradient stays steady (the
    verdict is ``saturated``, :func:`verdict`), and the RMS slope times the weights' gain
    predicts the measured ratio within :data:`PREDICTS_WITHIN` (the large weights make up for
    the small slopes)."""
    predicted, _, measured = slope_predictions(view, sigmoid)
    return verdict(view, sigmoid) == "saturated" and _close(predicted, measured)


def _saturation_values(view, sigmoid) -> dict:
    return {**_bp_values(view, sigmoid=sigmoid), **_slope_values(view, sigmoid)}


#: A prediction "holds" when it is within this factor of the measurement (either way).
PREDICTS_WITHIN = 2.0


def _close(predicted: float, measured: float, within: float = PREDICTS_WITHIN) -> bool:
    ok = all(math.isfinite(x) and x > 0 for x in (predicted, measured))
    return ok and abs(math.log(predicted / measured)) <= math.log(within)


def _per_layer(view, name, quantity) -> pd.Series:
    """Variant ``name``'s ``quantity`` per hidden layer at initialization (mean over seeds)."""
    at = view.layers(0, output=False)
    return at[at["variant"] == name].groupby("layer")[quantity].mean().sort_index()


def slope_predictions(view: ComparisonView, name: str) -> tuple[float, float, float]:
    """Variant ``name`` at initialization: ``‖∂L/∂z₁‖ / ‖∂L/∂z_top‖`` as predicted from the
    RMS slope √E[f′(z)²] of each hidden layer below the top times its weights' gain
    √(fan_in·Var W) (:func:`core.theory.backward_gains`), as the mean slope E|f′(z)| would
    predict it in its place, and as measured (NaN when there is no prediction: zeros or
    constant weights, BN, one hidden layer)."""
    return view.derived(_slope_predictions, name)


def _slope_predictions(view, name) -> tuple[float, float, float]:
    measured = _ratio(view, "backprop_norm", name)
    gains = theory.backward_gains(view.variant(name).model)
    top = view.top_hidden
    if gains is None or top < 2:
        return math.nan, math.nan, measured
    rms = _per_layer(view, name, "slope_rms").reindex(range(1, top)).to_numpy()
    mean = _per_layer(view, name, "slope_mean").reindex(range(1, top)).to_numpy()
    return float((rms * gains).prod()), float((mean * gains).prod()), measured


def _slope_values(view, name) -> dict:
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


#: The mean slope "misleads" when its prediction is off by more than this factor.
MEAN_MISLEADS = 4.0


def _rms_sets_factor(view, name) -> bool:
    """The RMS-slope prediction of ``name``'s gradient ratio is within :data:`PREDICTS_WITHIN`
    of the measurement, while the mean slope's is off by more than :data:`MEAN_MISLEADS`."""
    predicted, by_mean, measured = slope_predictions(view, name)
    return _close(predicted, measured) and not _close(by_mean, measured, MEAN_MISLEADS)


def _vanishes_unsaturated(view, sigmoid) -> bool:
    """Under 5 % of ``sigmoid``'s hidden units are saturated at initialization, yet its
    back-propagated gradient vanishes."""
    share = float(hidden_mean(view, "saturated", 0).get(sigmoid, math.nan))
    return share < 0.05 and trend(_ratio(view, "backprop_norm", sigmoid)) == "vanishing"


def _relu_shrinks(view, relu) -> bool:
    """ReLU-family weights that shrink the signal's second moment at every layer (Glorot on
    square layers: by half) make the back-propagated gradient vanish as theory predicts:
    within :data:`PREDICTS_WITHIN` of ``∏ √(fan_in·σ²·(1 + α²)/2)``."""
    predicted, factor = _relu_backward(view, relu)
    measured = _ratio(view, "backprop_norm", relu)
    return factor < 0.9 and trend(measured) == "vanishing" and _close(predicted, measured)


def _relu_backward(view, name) -> tuple[float, float]:
    """(predicted ‖∂L/∂z₁‖ / ‖∂L/∂z_top‖, per-layer factor of the second moment) for a
    ReLU-family variant, from :func:`core.theory.second_moment_factor`; NaN without one."""
    model = view.variant(name).model
    hidden = model.hidden[: view.top_hidden]
    factors = [theory.second_moment_factor(model, a, b) for a, b in zip(hidden[:-1], hidden[1:])]
    if not factors or any(f is None for f in factors):
        return math.nan, math.nan
    return math.sqrt(math.prod(factors)), factors[0]


def _relu_shrinks_values(view, relu) -> dict:
    predicted, factor = _relu_backward(view, relu)
    return {
        "relu": view.label(relu),
        "top": view.top_hidden,
        "layers": view.top_hidden - 1,
        "factor": f"{factor:.2g}",
        "pred": power_of_ten(predicted),
        "measured": power_of_ten(_ratio(view, "backprop_norm", relu)),
    }


def _flat_weight_gradient(view, relu) -> bool:
    """The back-propagated gradient explodes while the weight gradient stays within 10×."""
    w = _ratio(view, "grad_norm", relu)
    return trend(_ratio(view, "backprop_norm", relu)) == "exploding" and 0.1 < w < 10


def _glorot_shrinks(view, glorot, he) -> bool:
    """Glorot's output spread shrinks over 10× across the depth while He's stays within 10×."""
    return growth(view, glorot) < 0.1 and 0.1 < growth(view, he) < 10


def _spread_values(view, **names) -> dict:
    top = layer_value(view, "act_std", view.top_hidden)
    first = layer_value(view, "act_std", 1)
    out = {"top": view.top_hidden}
    for role, name in names.items():
        out[role] = view.label(name)
        out[f"{role}_first"] = power_of_ten(float(first.get(name, math.nan)))
        out[f"{role}_top"] = power_of_ten(float(top.get(name, math.nan)))
    return out


def growth(view, name) -> float:
    """Top hidden layer's output std over layer 1's, at initialization (NaN if unmeasured)."""
    ratio = _ratio(view, "act_std", name)  # layer 1 over the top
    return 1 / ratio if ratio > 0 else math.nan


def _signal_explodes(view, normal, he) -> bool:
    """N(0, 1)'s output spread grows over 100× across the depth, He's stays within 10×."""
    return growth(view, normal) > 100 and 0.1 < growth(view, he) < 10


def _relu_forward(view, name) -> tuple[float, float, float]:
    """(measured, predicted) growth of the outputs' std from layer 1 to the top hidden layer,
    and the predicted growth per layer, for a ReLU-family variant (:func:`core.theory.
    predicted_act_std`, anchored at the measured layer 1); NaN where theory has none."""
    first = float(layer_value(view, "act_std", 1).get(name, math.nan))
    top = float(layer_value(view, "act_std", view.top_hidden).get(name, math.nan))
    curve = theory.predicted_act_std(view.variant(name).model, first) if first > 0 else None
    if curve is None or view.top_hidden < 2:
        return top / first if first > 0 else math.nan, math.nan, math.nan
    predicted = float(curve[view.top_hidden - 1] / first)
    return top / first, predicted, predicted ** (1 / (view.top_hidden - 1))


def _spread_as_predicted(view, name) -> bool:
    """The outputs' std changes from layer 1 to the top as ReLU theory predicts, within a
    factor of 3 (the finite width and the data make each layer's factor vary a little, and
    over many layers the small differences multiply)."""
    measured, predicted, _ = _relu_forward(view, name)
    return _close(predicted, measured, 3.0)


def _spread_theory_values(view, name) -> dict:
    measured, predicted, step = _relu_forward(view, name)
    layers = view.top_hidden - 1
    return {
        "name": view.label(name),
        "top": view.top_hidden,
        "layers": layers,
        "measured": power_of_ten(measured),
        "measured_step": f"{measured ** (1 / layers):.3g}" if layers and measured > 0 else "–",
        "predicted": power_of_ten(predicted),
        "step": f"{step:.3g}",
    }


def _best_epoch(view, name) -> tuple[float, int]:
    val = val_accuracy(view, name)
    return (float(val.max()), int(val.idxmax())) if len(val) else (math.nan, 0)


def _training_gap(view, bad, good) -> bool:
    """``bad`` did not learn (diverged, stalled or collapsed), while ``good`` finished and its
    best validation accuracy is at least 10 points above ``bad``'s."""
    if progress(view, bad) not in ("diverged", "stalled", "collapsed"):
        return False
    if good in view.comp.diverged_variants:
        return False
    return _best_epoch(view, good)[0] >= _best_epoch(view, bad)[0] + 0.1


def _run_outcome(view, name) -> str:
    """How ``name`` ended, as a clause of a sentence (its read-out's wording)."""
    word = progress(view, name)
    if word == "diverged":
        div = view.comp.diverged.dropna(subset=["diverged_at"])
        return view.tr("ro_diverged", epoch=int(div[div["variant"] == name]["diverged_at"].min()))
    val = val_accuracy(view, name)
    best, best_epoch = _best_epoch(view, name)
    return view.tr(
        f"ro_accuracy_{word}",
        acc=percent(float(val.iloc[-1])),
        epochs=view.epochs_done(name),
        start=percent(float(val.iloc[0])),
        best=percent(best),
        best_epoch=best_epoch,
    )


def _training_gap_values(view, bad, good) -> dict:
    best, epoch = _best_epoch(view, good)
    return {
        "bad": view.label(bad),
        "bad_outcome": _run_outcome(view, bad),
        "good": view.label(good),
        "good_best": percent(best),
        "good_epoch": epoch,
        "good_outcome": _run_outcome(view, good),
    }


#: SELU keeps the moments "near 0 and 1" when every hidden layer's mean is within this of 0
#: and its std within these bounds (Klambauer et al. 2017 prove a fixed point at (0, 1)).
SELU_MEAN_WITHIN = 0.2
SELU_STD_WITHIN = (0.8, 1.25)


def _moments(view, name) -> pd.DataFrame:
    at = view.layers(0, output=False)
    return at[at["variant"] == name].groupby("layer")[["act_mean", "act_std"]].mean()


def _self_normalizes(view, selu) -> bool:
    """Every hidden layer of ``selu`` has its outputs' mean within :data:`SELU_MEAN_WITHIN`
    of 0 and its std within :data:`SELU_STD_WITHIN` at initialization."""
    m = _moments(view, selu)
    low, high = SELU_STD_WITHIN
    return (
        len(m) > 0
        and bool((m["act_mean"].abs() <= SELU_MEAN_WITHIN).all())
        and bool(m["act_std"].between(low, high).all())
    )


def _self_normalizes_values(view, selu) -> dict:
    def span(name, column):
        values = _moments(view, name)[column]
        return f"{power_of_ten(float(values.min()))} – {power_of_ten(float(values.max()))}"

    m = _moments(view, selu)
    others = [v.name for v in view.variants if v.name != selu]
    return {
        "selu": view.label(selu),
        "top": view.top_hidden,
        "mean_lo": f"{float(m['act_mean'].min()):.2f}" if len(m) else "–",
        "mean_hi": f"{float(m['act_mean'].max()):.2f}" if len(m) else "–",
        "std": span(selu, "act_std"),
        "others": "; ".join(f"{view.label(n)} {span(n, 'act_std')}" for n in others),
    }


def state(name: str, view: ComparisonView, /, **params) -> Statement:
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


def gradient_part(view: ComparisonView, name: str) -> str:
    """``vanishing at initialization: ‖∂L/∂z₁‖ / ‖∂L/∂z₁₀‖ = 2.1×10⁻⁶ (for ‖∂L/∂W‖: 3.4×10⁻⁶)``
    (layer 1 against the top hidden layer, each the mean over seeds), worded by
    :func:`verdict`: a steady gradient with most units saturated says so, and a network whose
    hidden layers get no gradient at all (:func:`blocked`) says that instead of a ratio."""
    top_norm, out_norm = _top_and_output(view, name)
    bp = _ratio(view, "backprop_norm", name)
    if not (math.isfinite(bp) or blocked(view, name)):
        return ""
    saturated = float(hidden_mean(view, "saturated", 0).get(name, math.nan))
    return view.tr(
        f"ro_bp_{verdict(view, name)}",
        ratio=power_of_ten(bp),
        w=power_of_ten(_ratio(view, "grad_norm", name)),
        top=subscript(view.top_hidden),
        share=percent(saturated),
        top_norm=power_of_ten(top_norm),
        out_norm=power_of_ten(out_norm),
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
            val = val_accuracy(view, v.name)
            parts.append(
                tr(
                    f"ro_accuracy_{state_}",
                    acc=percent(float(accuracy.get(v.name, math.nan))),
                    epochs=view.epochs_done(v.name),
                    start=percent(float(val.iloc[0])),
                    best=percent(float(val.max())),
                    best_epoch=int(val.idxmax()),
                )
            )
        lines.append(_line(view.label(v.name), parts))
    return lines


#: Share of saturated hidden units from which a network with a steady gradient is called
#: saturated instead (its units pass almost no gradient, whatever the ratio across layers).
SATURATED_ABOVE = 0.3


#: A top hidden layer that receives less than this share of the output layer's back-propagated
#: gradient receives none to speak of: what is left is round-off. All-zero weights pass exactly
#: 0; constant output weights pass c * sum_c(p_c - y_c) = 0 to every hidden unit, since the
#: softmax and the one-hot label both sum to 1 (about 10⁻⁹ of round-off in float32).
BLOCKED_BELOW = 1e-6


def _top_and_output(view: ComparisonView, name: str) -> tuple[float, float]:
    """‖∂L/∂z‖ of variant ``name``'s top hidden layer and of its output layer at
    initialization (means over seeds)."""
    return view.derived(_top_and_output_norms, name)


def _top_and_output_norms(view: ComparisonView, name: str) -> tuple[float, float]:
    at = view.layers(0)
    mine = at[at["variant"] == name]
    out = mine["is_output"].astype(bool)
    top = mine[~out & (mine["layer"] == view.top_hidden)]["backprop_norm"].mean()
    return float(top), float(mine[out]["backprop_norm"].mean())


def blocked(view: ComparisonView, name: str) -> bool:
    """No gradient reaches variant ``name``'s hidden layers at initialization: its top hidden
    layer gets under :data:`BLOCKED_BELOW` of the output layer's ‖∂L/∂z‖."""
    top, out = _top_and_output(view, name)
    return out > 0 and top < BLOCKED_BELOW * out


def verdict(view: ComparisonView, name: str) -> str:
    """The network at initialization in one word: ``blocked`` when no gradient reaches its
    hidden layers (:func:`blocked`), else the trend of its back-propagated gradient
    (:func:`trend`), or ``saturated`` when that is steady but over :data:`SATURATED_ABOVE` of
    its hidden units are saturated."""
    if blocked(view, name):
        return "blocked"
    word = trend(float(layer_ratio(view, "backprop_norm").get(name, math.nan)))
    saturated = float(hidden_mean(view, "saturated", 0).get(name, math.nan))
    return "saturated" if word == "steady" and saturated > SATURATED_ABOVE else word


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
        values = _slope_values(view, v.name)
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


def _accuracy_at(view, name, split, epoch) -> float:
    m = view.comp.metrics
    rows = m[(m["variant"] == name) & (m["split"] == split) & (m["epoch"] == epoch)]
    return float(rows["accuracy"].mean()) if len(rows) else math.nan


def _learned_bn(view) -> list[str]:
    """The BN variants that learned (still rising or plateaued), in page order."""
    return [
        v.name
        for v in view.variants
        if v.model.batchnorm != "none" and progress(view, v.name) in ("learning", "plateau")
    ]


#: The moving averages "lag" when batch statistics score at least this much higher.
LAG_POINTS = 0.02


def _moving_lag(view) -> bool:
    """After epoch 1, every BN variant that learned scores at least :data:`LAG_POINTS` higher
    on the validation set with its batch statistics than with its moving averages."""
    names = _learned_bn(view)
    return bool(names) and all(
        _accuracy_at(view, n, "val_batch_stats", 1) >= _accuracy_at(view, n, "val", 1) + LAG_POINTS
        for n in names
    )


def _moving_lag_values(view) -> dict:
    names = [v.name for v in view.variants if v.model.batchnorm != "none"]
    last = view.last_epoch

    def at(epoch):
        return "; ".join(
            view.tr(
                "bn_gap_pair",
                name=view.label(n),
                batch=percent(_accuracy_at(view, n, "val_batch_stats", epoch)),
                moving=percent(_accuracy_at(view, n, "val", epoch)),
            )
            for n in names
        )

    first = names[0] if names else None
    steps = view.comp.steps
    per_epoch = int(((steps["variant"] == first) & (steps["epoch"] == 1)).sum() / len(view.seeds))
    model = view.variant(first).model if first else None
    momentum = 0.99 if model is None or model.bn_convention == "keras" else 0.9
    return {
        "first": at(1),
        "last_values": at(last),
        "last": last,
        "steps": per_epoch,
        "momentum": f"{momentum:g}",
        "left": percent(momentum**per_epoch),
    }


def _final(view, name, split, column) -> float:
    """Variant ``name``'s ``column`` on ``split`` at its last epoch (mean over seeds)."""
    return float(view.comp.final(split, column).get(name, math.nan))


def _train_gap(view, name) -> float:
    """Final training accuracy (in training mode, the epoch's mean) minus validation accuracy."""
    return _final(view, name, "train", "accuracy") - _final(view, name, "val", "accuracy")


#: The training epochs from which a train/validation gap says something about overfitting.
REGULARIZE_EPOCHS = 20


def _bn_regularizes(view) -> bool:
    """Over at least :data:`REGULARIZE_EPOCHS` epochs both networks learned, and with BN
    before the activation the gap between training and validation accuracy is at least a
    point smaller than without BN, and the validation loss lower."""
    none, before = _placement(view, "none"), _placement(view, "before")
    if none is None or before is None or view.last_epoch < REGULARIZE_EPOCHS:
        return False
    if any(progress(view, n) not in ("learning", "plateau") for n in (none, before)):
        return False
    smaller = _train_gap(view, before) <= _train_gap(view, none) - 0.01
    return smaller and _final(view, before, "val", "loss") < _final(view, none, "val", "loss")


def _regularize_values(view) -> dict:
    out = {"epochs": view.last_epoch}
    for placement in ("none", "before"):
        name = _placement(view, placement)
        out[f"{placement}_train"] = (
            percent(_final(view, name, "train", "accuracy")) if name else "–"
        )
        out[f"{placement}_val"] = percent(_final(view, name, "val", "accuracy")) if name else "–"
        out[f"{placement}_gap"] = f"{100 * _train_gap(view, name):.1f}" if name else "–"
        loss = _final(view, name, "val", "loss") if name else math.nan
        out[f"{placement}_loss"] = f"{loss:.3f}" if math.isfinite(loss) else "–"
    return out


def _placements_train(view) -> bool:
    """BN before and BN after the activation both learned (still rising or plateaued)."""
    before, after = _placement(view, "before"), _placement(view, "after")
    learned = _learned_bn(view)
    return before in learned and after in learned


def _placements_values(view) -> dict:
    before, after = _placement(view, "before"), _placement(view, "after")
    final = view.comp.final("val", "accuracy")
    b, a = float(final.get(before, math.nan)), float(final.get(after, math.nan))
    if abs(b - a) <= ACCURACY_TIE or not (math.isfinite(a) and math.isfinite(b)):
        higher = view.tr("bn_neither_higher")
    else:
        higher = view.tr("bn_higher", name=view.label(before if b > a else after))
    return {
        "before_acc": outcome(view, before) if before else "–",
        "after_acc": outcome(view, after) if after else "–",
        "higher": higher,
    }


#: A method that clips at least this share of the steps is rescaling every update: it acts
#: as normalized gradient descent rather than as a guard against spikes (Pascanu et al. 2013).
ALWAYS_CLIPPED = 0.95


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


def _direction(tr, method: str, cosine: float) -> str:
    """What the method did to the update's direction, from its mean cosine to the raw one."""
    if keeps_direction(method, cosine):
        return tr("ro_clip_keeps")
    return tr("ro_clip_turns", angle=f"{turn_degrees(cosine):.0f}")


def clipping_readout(view: ComparisonView) -> list[str]:
    """Per clipped variant: share of steps clipped, what happened to the direction (mean cosine
    to the raw gradient), whether it acted as normalized gradient descent; for clipping by
    value, the largest update norm its threshold allows (c·√P)."""
    tr, stats = view.tr, clip_statistics(view)
    lines = []
    for v in view.variants:
        row = stats.loc[v.name]
        if row["method"] == "none" or not math.isfinite(row["share_clipped"]):
            continue
        parts = [
            tr("ro_clip", share=percent(row["share_clipped"]), cosine=f"{row['cosine']:.3f}"),
            _direction(tr, row["method"], row["cosine"]),
        ]
        if row["share_clipped"] >= ALWAYS_CLIPPED:
            parts.append(tr("ro_clip_normalized"))
        if row["method"] == "value":
            n = view.comp.runs[(v.name, view.seeds[0])].n_params
            bound = power_of_ten(row["threshold"] * math.sqrt(n))
            parts.append(
                tr("ro_clip_value_bound", c=f"{row['threshold']:g}", n=f"{n:,}", bound=bound)
            )
        lines.append(_line(view.label(v.name), parts))
    return lines


def sweep_frame(view: ComparisonView) -> pd.DataFrame:
    """The threshold sweep as rows ``method, threshold, accuracy, diverged`` (page order)."""
    stats = clip_statistics(view)
    return stats[stats["method"] != "none"][["method", "threshold", "accuracy", "diverged"]]


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


def _keeps_finite(view) -> bool:
    """The unclipped run diverged and every clipped one finished."""
    stats = clip_statistics(view)
    clipped = stats[stats["method"] != "none"]
    unclipped = stats[stats["method"] == "none"]
    return bool(unclipped["diverged"].all()) and len(clipped) > 0 and not clipped["diverged"].any()


#: A method that clips under this share of the steps only catches the largest ones.
SPIKES_ONLY = 0.2


def clip_band(share: float) -> str:
    """``spikes`` (under :data:`SPIKES_ONLY` of the steps clipped), ``always`` (at least
    :data:`ALWAYS_CLIPPED`), ``often`` in between; ``unknown`` when not measured."""
    if not math.isfinite(share):
        return "unknown"
    return "spikes" if share < SPIKES_ONLY else "always" if share >= ALWAYS_CLIPPED else "often"


def _norm_always(view) -> bool:
    """Every norm method shown (per tensor, global) clipped at least :data:`ALWAYS_CLIPPED` of
    the steps: at this threshold it rescales every update."""
    stats = clip_statistics(view)
    norms = stats[stats["method"].isin(["norm", "global_norm"])]
    return len(norms) > 0 and bool((norms["share_clipped"] >= ALWAYS_CLIPPED).all())


def step_spikes(view: ComparisonView, name: str) -> pd.DataFrame:
    """Variant ``name``'s steps (first seed) with ``spike`` (see :func:`core.clipping.spikes`)
    and ``ratio``, the step's norm over the median of the steps before it."""
    steps = view.comp.steps
    mine = steps[(steps["variant"] == name) & (steps["seed"] == view.seeds[0])]
    norms = mine["grad_norm"].to_numpy()
    return mine.assign(spike=spikes(norms), ratio=spike_ratios(norms))


def _spikes_fail(view) -> bool:
    """The unclipped run diverged or collapsed, and it spiked (a step over SPIKE_FACTOR times
    the median of the steps before it) before its last finite step."""
    name = _method(view, "none")
    if name is None or progress(view, name) not in ("diverged", "collapsed"):
        return False
    steps = step_spikes(view, name)
    finite = steps[steps["grad_norm"].map(math.isfinite)]
    return bool(finite["spike"].iloc[:-1].any()) if len(finite) > 1 else False


def _method(view, method) -> str | None:
    return next((v.name for v in view.variants if v.train.clip == method), None)


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


def _spikes_fail_values(view) -> dict:
    name = _method(view, "none")
    out = {"k": f"{SPIKE_FACTOR:g}", "window": SPIKE_WINDOW, "outcome": "–", "before": 0,
           "norm": "–", "times": "–", "step": 0, "epoch": 0, "run": 0, "largest": "–"}  # fmt: skip
    if name is None:
        return out
    steps = step_spikes(view, name)
    finite = steps[steps["grad_norm"].map(math.isfinite)].reset_index(drop=True)
    start, length = last_spike(finite)
    out["outcome"] = _run_outcome(view, name)
    if start < 0:
        return out
    trigger = finite.iloc[start]
    return out | {
        "before": int(finite["spike"].iloc[:start].sum()),
        "norm": power_of_ten(float(trigger["grad_norm"])),
        "times": power_of_ten(float(trigger["ratio"])),
        "step": int(trigger["step"]),
        "epoch": int(trigger["epoch"]),
        "run": length,
        "largest": power_of_ten(float(finite["grad_norm"].iloc[start : start + length].max())),
    }


def _clipped_spikes(view, name) -> tuple[int, int]:
    """(steps clipped, of which spikes) of variant ``name``, first seed."""
    steps = step_spikes(view, name)
    clipped = steps["clipped"].astype(bool)
    return int(clipped.sum()), int((clipped & steps["spike"]).sum())


def _guards_spikes(view) -> bool:
    """Global-norm clipping touches under :data:`SPIKES_ONLY` of the steps, at least half of
    the steps it clips are spikes, and it learns while the unclipped run diverged, collapsed
    or ended at least 5 points lower."""
    stats = clip_statistics(view).set_index("method")
    if not {"none", "global_norm"} <= set(stats.index):
        return False
    g, n = stats.loc["global_norm"], stats.loc["none"]
    name = _method(view, "global_norm")
    clipped, spiky = _clipped_spikes(view, name)
    failed = progress(view, _method(view, "none")) in ("diverged", "collapsed")
    better = failed or g["accuracy"] > n["accuracy"] + 0.05
    learned = progress(view, name) in ("learning", "plateau")
    return bool(
        clip_band(g["share_clipped"]) == "spikes"
        and clipped > 0
        and spiky >= clipped / 2
        and learned
        and better
    )


def outcome(view: ComparisonView, name: str) -> str:
    """How variant ``name`` ended, in the view's language: ``diverged`` or its final
    validation accuracy (mean over seeds)."""
    if name in view.comp.diverged_variants:
        return view.tr("trend_diverged")
    return percent(float(view.comp.final("val", "accuracy").get(name, math.nan)))


def _clip_values(view) -> dict:
    """``<method>_acc`` and ``<method>_share`` for each method shown, ``results``: the
    clipped methods' outcomes as one list, the global norm's clipped steps and spikes among
    them, and the unclipped run's outcome."""
    out = {}
    for name, row in clip_statistics(view).iterrows():
        out[f"{row['method']}_acc"] = outcome(view, name)
        out[f"{row['method']}_share"] = percent(row["share_clipped"])
    clipped = [v for v in view.variants if v.train.clip != "none"]
    out["results"] = ", ".join(
        f"{view.tr(f'cl_v_{v.train.clip}')} {outcome(view, v.name)}" for v in clipped
    )
    out["norms"] = ", ".join(
        f"{view.tr(f'cl_v_{v.train.clip}')} {out[f'{v.train.clip}_share']}"
        for v in clipped
        if v.train.clip in ("norm", "global_norm")
    )
    global_norm = _method(view, "global_norm")
    count, spiky = _clipped_spikes(view, global_norm) if global_norm else (0, 0)
    none = _method(view, "none")
    out |= {
        "clipped_steps": count,
        "spiky": spiky,
        "k": f"{SPIKE_FACTOR:g}",
        "window": SPIKE_WINDOW,
        "threshold": f"{view.variants[0].train.clip_threshold:g}",
        "none_outcome": _run_outcome(view, none) if none else "–",
        "global_outcome": _run_outcome(view, global_norm) if global_norm else "–",
    }
    return out


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


def _placement(view, placement):
    return next((v.name for v in view.variants if v.model.batchnorm == placement), None)


def _after_cannot_undo(view) -> bool:
    """With BN after the activation most units saturate at initialization (over half), with
    BN before few do (under a fifth)."""
    sat = hidden_mean(view, "saturated", 0)
    after, before = _placement(view, "after"), _placement(view, "before")
    return (
        after is not None
        and before is not None
        and float(sat.get(after, math.nan)) > 0.5
        and float(sat.get(before, math.nan)) < 0.2
    )


def _bn_rescues(view) -> bool:
    """Without BN the back-propagated gradient vanishes or explodes at initialization and the
    run ends at least 20 points below BN before the activation."""
    none, before = _placement(view, "none"), _placement(view, "before")
    if none is None or before is None or before in view.comp.diverged_variants:
        return False
    final = view.comp.final("val", "accuracy")
    unstable = trend(_ratio(view, "backprop_norm", none)) in ("vanishing", "exploding")
    return unstable and float(final[before]) > float(final.get(none, 0.0)) + 0.2


def _bn_values(view) -> dict:
    sat = hidden_mean(view, "saturated", 0)
    out = {"top": subscript(view.top_hidden)}
    for placement in ("none", "before", "after"):
        name = _placement(view, placement)
        ratio = _ratio(view, "backprop_norm", name) if name else math.nan
        out[f"{placement}_sat"] = percent(float(sat.get(name, math.nan))) if name else "–"
        out[f"{placement}_bp"] = power_of_ten(ratio)
        out[f"{placement}_trend"] = view.tr(f"trend_{trend(ratio)}")
        out[f"{placement}_acc"] = outcome(view, name) if name else "–"
    return out


def _fold_exact(view, worst: float, shift: float) -> bool:
    """Every folded network's outputs equal the original's to 10⁻⁴ relative (``worst``: the
    largest relative difference of the fold reports; ``shift``: the largest BN shift a folded
    bias must cancel, :func:`core.bn_studies.largest_shift`)."""
    return worst < 1e-4


def _fold_values(view, worst: float, shift: float) -> dict:
    return {"worst": power_of_ten(worst), "shift": power_of_ten(shift)}


# --- symmetry: zeros and constant weights -----------------------------------------------------


def distinct_counts(view: ComparisonView, name: str) -> pd.DataFrame:
    """Variant ``name``'s distinct units per hidden layer (rows) and epoch (columns), the
    largest over seeds."""
    hidden = view.layers(output=False)
    mine = hidden[hidden["variant"] == name]
    return mine.pivot_table(index="layer", columns="epoch", values="distinct_units", aggfunc="max")


def width(view: ComparisonView, name: str) -> int:
    """Units per hidden layer of variant ``name`` (its first hidden layer's)."""
    return view.variant(name).model.hidden[0]


def distinct_band(view: ComparisonView, name: str, epoch: int | None = None) -> str:
    """Variant ``name``'s hidden layers at ``epoch`` (default: the last) in one word: ``one``
    (every layer a set of copies, 1 distinct unit), ``all`` (every unit different in every
    layer), ``some`` in between; ``unknown`` when not measured."""
    counts = distinct_counts(view, name)
    epoch = counts.columns.max() if epoch is None and len(counts.columns) else epoch
    if epoch not in counts.columns or counts[epoch].isna().any():
        return "unknown"
    at = counts[epoch]
    return "one" if (at == 1).all() else "all" if (at == width(view, name)).all() else "some"


def _symmetric(view, same) -> bool:
    """Every hidden layer of ``same`` has exactly one distinct unit at every epoch."""
    counts = distinct_counts(view, same)
    return counts.size > 0 and bool((counts == 1).all().all())


def _all_distinct(view, name) -> bool:
    """Every hidden unit of ``name`` differs from the others in its layer at every epoch."""
    counts = distinct_counts(view, name)
    return counts.size > 0 and bool((counts == width(view, name)).all().all())


def _symmetry_values(view, same) -> dict:
    counts = distinct_counts(view, same)
    return {
        "same": view.label(same),
        "top": view.top_hidden,
        "width": width(view, same),
        "last": int(counts.columns.max()) if counts.size else 0,
        "most": f"{counts.max().max():.0f}" if counts.size else "–",
        "at_last": ", ".join(f"{c:.0f}" for c in counts.iloc[:, -1]) if counts.size else "–",
    }


def weight_gradients(view: ComparisonView, name: str) -> tuple[float, float]:
    """Variant ``name``'s largest ‖∂L/∂W‖ over every epoch and seed: (hidden layers, output
    layer)."""
    mine = view.layers()[view.layers()["variant"] == name]
    out = mine["is_output"].astype(bool)
    return float(mine.loc[~out, "grad_norm"].max()), float(mine.loc[out, "grad_norm"].max())


def step_gradient(view: ComparisonView, name: str) -> float:
    """Variant ``name``'s largest gradient norm over its training steps (every parameter,
    biases included; before clipping), the largest over seeds; NaN when it took no step."""
    steps = view.comp.steps
    return float(steps[steps["variant"] == name]["grad_norm"].max())


def what_learns(view: ComparisonView, name: str) -> str:
    """Which of variant ``name``'s parameters training moved, read from its weight gradients
    (per layer, largest over the epochs) and the gradient of its training steps: ``all`` (a
    hidden layer's weight gradient was not 0), ``output`` (only the output layer's weights and
    biases), ``biases`` (every weight gradient exactly 0, yet the steps had a gradient: the
    biases', and with every weight 0 only the output biases get one, ``mean(softmax -
    onehot)``), ``nothing``; ``unknown`` when it took no finite step."""
    hidden, output = weight_gradients(view, name)
    if hidden > 0:
        return "all"
    if output > 0:
        return "output"
    step = step_gradient(view, name)
    return "unknown" if not math.isfinite(step) else "biases" if step > 0 else "nothing"


def _zeros_frozen(view, zeros) -> bool:
    """Every weight gradient of ``zeros``, hidden and output, is exactly 0 at every epoch,
    while its training steps had a gradient: only the output biases learn."""
    return what_learns(view, zeros) == "biases"


def _zeros_values(view, zeros) -> dict:
    hidden, output = weight_gradients(view, zeros)
    val = val_accuracy(view, zeros)
    return {
        "zeros": view.label(zeros),
        "hidden_w": power_of_ten(hidden),
        "output_w": power_of_ten(output),
        "start": percent(float(val.iloc[0])) if len(val) else "–",
        "end": percent(float(val.iloc[-1])) if len(val) else "–",
        "chance": percent(1 / view.n_classes),
    }


def _hidden_update_ratios(view, name) -> pd.Series:
    """Variant ``name``'s ‖ΔW‖/‖W‖ of the last step, per hidden layer (mean over seeds)."""
    hidden = view.layers(view.last_epoch, output=False)
    return hidden[hidden["variant"] == name].groupby("layer")["update_ratio"].mean()


def _constant_alike(view, constant, random) -> bool:
    """``constant`` keeps one distinct unit per hidden layer at every epoch although the last
    step changed every hidden layer's weights, and ends at least 10 points below ``random``,
    which keeps all its units distinct."""
    ratios = _hidden_update_ratios(view, constant)
    final = view.comp.final("val", "accuracy")
    lower = float(final.get(constant, math.nan)) <= float(final.get(random, math.nan)) - 0.1
    return (
        _symmetric(view, constant)
        and len(ratios) > 0
        and bool((ratios > 0).all())
        and _all_distinct(view, random)
        and lower
    )


def _constant_values(view, constant, random) -> dict:
    ratios = _hidden_update_ratios(view, constant)
    return {
        **_symmetry_values(view, constant),
        "constant": view.label(constant),
        "low": power_of_ten(float(ratios.min())) if len(ratios) else "–",
        "high": power_of_ten(float(ratios.max())) if len(ratios) else "–",
        "constant_acc": outcome(view, constant),
        "constant_start": percent(float(val_accuracy(view, constant).iloc[0])),
        "chance": percent(1 / view.n_classes),
        "random": view.label(random),
        "random_acc": outcome(view, random),
        "random_fewest": f"{distinct_counts(view, random).min().min():.0f}",
    }


# --- answers to a lesson's questions (see ui.story.questions): read from the same measurements ----

#: Final accuracies closer than this to the best count as the best too (about two validation
#: samples of digits): a question should not hinge on one sample.
ACCURACY_TIE = 0.005


def extremes(values: pd.Series, largest: bool, tie: float = 0.0) -> tuple[str, ...]:
    """The names (index) of ``values`` whose finite value is the largest (``largest``) or the
    smallest, and those within ``tie`` of it, in the series' order; empty when none is finite."""
    finite = values[values.map(lambda x: isinstance(x, float | int) and math.isfinite(x))]
    if finite.empty:
        return ()
    best = finite.max() if largest else finite.min()
    return tuple(n for n, x in finite.items() if abs(x - best) <= tie)


def best_accuracy(view: ComparisonView) -> tuple[str, ...]:
    """The variants with the highest final validation accuracy (within :data:`ACCURACY_TIE`),
    diverged ones left out."""
    final = view.comp.final("val", "accuracy")
    finished = final.drop(index=list(view.comp.diverged_variants), errors="ignore")
    return extremes(finished.astype(float), largest=True, tie=ACCURACY_TIE)


def growths(view: ComparisonView) -> pd.Series:
    """Per variant: :func:`growth`, the top hidden layer's output std over layer 1's."""
    return pd.Series({v.name: growth(view, v.name) for v in view.variants}, dtype=float)


def std_drift(view: ComparisonView) -> pd.Series:
    """Per variant: how far the std of a hidden layer's outputs strays from 1 at
    initialization, the largest |log10 std| over the hidden layers (0: every layer at 1)."""
    at = view.layers(0, output=False)
    std = at.groupby(["variant", "layer"], sort=False)["act_std"].mean()
    with_log = std.map(lambda x: abs(math.log10(x)) if x > 0 else math.inf)
    drift = with_log.groupby(level="variant", sort=False).max()
    return drift.reindex([v.name for v in view.variants])


#: Every claim a page may state, by name.
CLAIMS = {
    c.name: c
    for c in (
        Claim("derivative_max", _derivative_max, _bp_values),
        Claim("saturation", _saturation_not_vanishing, _saturation_values),
        Claim("flat_weight_gradient", _flat_weight_gradient, _bp_values),
        Claim("rms_slope", _rms_sets_factor, _slope_values),
        Claim("vanishes_unsaturated", _vanishes_unsaturated, _bp_values),
        Claim("relu_shrinks", _relu_shrinks, _relu_shrinks_values),
        Claim("glorot_shrinks", _glorot_shrinks, _spread_values),
        Claim("signal_explodes", _signal_explodes, _spread_values),
        Claim("spread_theory", _spread_as_predicted, _spread_theory_values),
        Claim("training_gap", _training_gap, _training_gap_values),
        Claim("self_normalizes", _self_normalizes, _self_normalizes_values),
        Claim("keeps_finite", _keeps_finite, _clip_values),
        Claim("norm_always", _norm_always, _clip_values),
        Claim("spikes_fail", _spikes_fail, _spikes_fail_values),
        Claim("guards_spikes", _guards_spikes, _clip_values),
        Claim("after_cannot_undo", _after_cannot_undo, _bn_values),
        Claim("bn_rescues", _bn_rescues, _bn_values),
        Claim("moving_lag", _moving_lag, _moving_lag_values),
        Claim("placements_train", _placements_train, _placements_values),
        Claim("bn_regularizes", _bn_regularizes, _regularize_values),
        Claim("fold_exact", _fold_exact, _fold_values),
        Claim("symmetric", _symmetric, _symmetry_values),
        Claim("zeros_frozen", _zeros_frozen, _zeros_values),
        Claim("constant_alike", _constant_alike, _constant_values),
    )
}
