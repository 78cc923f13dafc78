"""Claims about the network at initialization, and whether it then trains: the predicates and
the numbers their sentences quote, for the claims of :data:`ui.story.claims.CLAIMS` that the
overview, initialization and activations pages state.

The back-propagated gradient and the spread of the outputs across the depth, the slopes of the
activation and what theory predicts from them (:mod:`core.theory`), SELU's moments, and the
symmetry of equal weights. Pure Python; each predicate takes the view and the names of the
variants it is about, and reads :mod:`ui.story.measure` and :mod:`ui.story.measure_training`.
"""

from __future__ import annotations

import math

import numpy as np

from core import activations

from ..text.format import fixed, percent, power_of_ten, superscript
from ..text.labels import activation_name
from .measure import (
    distinct_counts,
    growth,
    hidden_mean,
    layer_value,
    per_layer,
    ratio_of,
    relu_backward,
    relu_forward,
    slope_predictions,
    trend,
    verdict,
    weight_gradients,
    what_learns,
    width,
)
from .measure_training import best_epoch, progress, val_accuracy
from .readouts import outcome, run_outcome, slope_values

#: A prediction "holds" when it is within this factor of the measurement (either way).
PREDICTS_WITHIN = 2.0


def _close(predicted: float, measured: float, within: float = PREDICTS_WITHIN) -> bool:
    ok = all(math.isfinite(x) and x > 0 for x in (predicted, measured))
    return ok and abs(math.log(predicted / measured)) <= math.log(within)


def bp_values(view, **names) -> dict:
    out = {"top": view.top_hidden}
    for role, name in names.items():
        out[role] = view.label(name)
        out[f"{role}_bp"] = power_of_ten(ratio_of(view, "backprop_norm", name))
        out[f"{role}_w"] = power_of_ten(ratio_of(view, "grad_norm", name))
        out[f"{role}_sat"] = percent(float(hidden_mean(view, "saturated", 0).get(name, math.nan)))
    return out


def derivative_max(view, sigmoid, tanh) -> bool:
    """Sigmoid's back-propagated gradient shrinks at least 100× more over the depth than tanh's
    with the same initializer."""
    s, t = ratio_of(view, "backprop_norm", sigmoid), ratio_of(view, "backprop_norm", tanh)
    return trend(s) == "vanishing" and s < 0.01 * t


def saturation_not_vanishing(view, sigmoid) -> bool:
    """Most sigmoid units saturate while the back-propagated gradient stays steady (the
    verdict is ``saturated``, :func:`verdict`), and the RMS slope times the weights' gain
    predicts the measured ratio within :data:`PREDICTS_WITHIN` (the large weights make up for
    the small slopes)."""
    predicted, _, measured = slope_predictions(view, sigmoid)
    return verdict(view, sigmoid) == "saturated" and _close(predicted, measured)


def saturation_values(view, sigmoid) -> dict:
    return {**bp_values(view, sigmoid=sigmoid), **slope_values(view, sigmoid)}


#: The mean slope "misleads" when its prediction is off by more than this factor.
MEAN_MISLEADS = 4.0


def rms_sets_factor(view, name) -> bool:
    """The RMS-slope prediction of ``name``'s gradient ratio is within :data:`PREDICTS_WITHIN`
    of the measurement, while the mean slope's is off by more than :data:`MEAN_MISLEADS`."""
    predicted, by_mean, measured = slope_predictions(view, name)
    return _close(predicted, measured) and not _close(by_mean, measured, MEAN_MISLEADS)


def vanishes_unsaturated(view, sigmoid) -> bool:
    """Under 5 % of ``sigmoid``'s hidden units are saturated at initialization, yet its
    back-propagated gradient vanishes."""
    share = float(hidden_mean(view, "saturated", 0).get(sigmoid, math.nan))
    return share < 0.05 and trend(ratio_of(view, "backprop_norm", sigmoid)) == "vanishing"


def relu_shrinks(view, relu) -> bool:
    """ReLU-family weights that shrink the signal's second moment at every layer (Glorot on
    square layers: by half) make the back-propagated gradient vanish as theory predicts:
    within :data:`PREDICTS_WITHIN` of ``∏ √(fan_in·σ²·(1 + α²)/2)``."""
    predicted, factor = relu_backward(view, relu)
    measured = ratio_of(view, "backprop_norm", relu)
    return factor < 0.9 and trend(measured) == "vanishing" and _close(predicted, measured)


def relu_shrinks_values(view, relu) -> dict:
    predicted, factor = relu_backward(view, relu)
    return {
        "relu": view.label(relu),
        "top": view.top_hidden,
        "layers": view.top_hidden - 1,
        "factor": f"{factor:.2g}",
        # the norm's factor per layer; raised to the number of layers it gives the prediction
        "norm_factor": f"{math.sqrt(factor):.3g}" if factor >= 0 else "–",
        "layers_sup": superscript(view.top_hidden - 1),
        "pred": power_of_ten(predicted),
        "measured": power_of_ten(ratio_of(view, "backprop_norm", relu)),
    }


def flat_weight_gradient(view, relu) -> bool:
    """The back-propagated gradient explodes while the weight gradient stays within 10×."""
    w = ratio_of(view, "grad_norm", relu)
    return trend(ratio_of(view, "backprop_norm", relu)) == "exploding" and 0.1 < w < 10


def glorot_shrinks(view, glorot, he) -> bool:
    """Glorot's output spread shrinks over 10× across the depth while He's stays within 10×."""
    return growth(view, glorot) < 0.1 and 0.1 < growth(view, he) < 10


def signal_explodes(view, normal, he) -> bool:
    """N(0, 1)'s output spread grows over 100× across the depth, He's stays within 10×."""
    return growth(view, normal) > 100 and 0.1 < growth(view, he) < 10


def spread_values(view, **names) -> dict:
    top = layer_value(view, "act_std", view.top_hidden)
    first = layer_value(view, "act_std", 1)
    out = {"top": view.top_hidden}
    for role, name in names.items():
        out[role] = view.label(name)
        out[f"{role}_first"] = power_of_ten(float(first.get(name, math.nan)))
        out[f"{role}_top"] = power_of_ten(float(top.get(name, math.nan)))
    return out


def spread_as_predicted(view, name) -> bool:
    """The outputs' std changes from layer 1 to the top as ReLU theory predicts, within a
    factor of 3 (the finite width and the data make each layer's factor vary a little, and
    over many layers the small differences multiply)."""
    measured, predicted, _ = relu_forward(view, name)
    return _close(predicted, measured, 3.0)


def spread_theory_values(view, name) -> dict:
    measured, predicted, step = relu_forward(view, name)
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


def training_gap(view, bad, good) -> bool:
    """``bad`` did not learn (diverged, stalled or collapsed), while ``good`` finished and its
    best validation accuracy is at least 10 points above ``bad``'s."""
    if progress(view, bad) not in ("diverged", "stalled", "collapsed"):
        return False
    if good in view.comp.diverged_variants:
        return False
    return best_epoch(view, good)[0] >= best_epoch(view, bad)[0] + 0.1


def training_gap_values(view, bad, good) -> dict:
    best, epoch = best_epoch(view, good)
    return {
        "bad": view.label(bad),
        "bad_outcome": run_outcome(view, bad),
        "good": view.label(good),
        "good_best": percent(best),
        "good_epoch": epoch,
        "good_outcome": run_outcome(view, good),
    }


#: SELU keeps the moments "near 0 and 1" when every hidden layer's mean is within this of 0
#: and its std within these bounds (Klambauer et al. 2017 prove a fixed point at (0, 1)).
SELU_MEAN_WITHIN = 0.2
SELU_STD_WITHIN = (0.8, 1.25)
#: The outputs' moments per hidden layer at initialization.
MOMENTS = ["act_mean", "act_std"]


def self_normalizes(view, selu) -> bool:
    """Every hidden layer of ``selu`` has its outputs' mean within :data:`SELU_MEAN_WITHIN`
    of 0 and its std within :data:`SELU_STD_WITHIN` at initialization."""
    m = per_layer(view, selu, MOMENTS)
    low, high = SELU_STD_WITHIN
    return (
        len(m) > 0
        and bool((m["act_mean"].abs() <= SELU_MEAN_WITHIN).all())
        and bool(m["act_std"].between(low, high).all())
    )


def self_normalizes_values(view, selu) -> dict:
    def span(name, column):
        values = per_layer(view, name, MOMENTS)[column]
        return f"{power_of_ten(float(values.min()))} – {power_of_ten(float(values.max()))}"

    m = per_layer(view, selu, MOMENTS)
    others = [v.name for v in view.variants if v.name != selu]
    # He weights keep ReLU's variance only in expectation: said when a ReLU + He network is shown
    he_relu = any(
        v.model.activation == "relu" and v.model.init.startswith("he_")
        for v in view.variants
        if v.name != selu
    )
    drift = view.tr("claim_he_drift", width=width(view, selu), top=view.top_hidden)
    return {
        "he_drift": drift if he_relu else "",
        "selu": view.label(selu),
        "top": view.top_hidden,
        "mean_lo": fixed(float(m["act_mean"].min()), 2) if len(m) else "–",
        "mean_hi": fixed(float(m["act_mean"].max()), 2) if len(m) else "–",
        "std": span(selu, "act_std"),
        "others": "; ".join(f"{view.label(n)} {span(n, 'act_std')}" for n in others),
    }


# --- symmetry: zeros and constant weights -----------------------------------------------------


def _distinct_throughout(view, name, count) -> bool:
    """Every hidden layer of ``name`` has exactly ``count`` distinct units at every epoch."""
    counts = distinct_counts(view, name)
    return counts.size > 0 and bool((counts == count).all().all())


def symmetric(view, same) -> bool:
    """Every hidden layer of ``same`` has exactly one distinct unit at every epoch."""
    return _distinct_throughout(view, same, 1)


def symmetry_values(view, same) -> dict:
    counts = distinct_counts(view, same)
    return {
        "same": view.label(same),
        "top": view.top_hidden,
        "width": width(view, same),
        "last": int(counts.columns.max()) if counts.size else 0,
        "most": f"{counts.max().max():.0f}" if counts.size else "–",
        "at_last": ", ".join(f"{c:.0f}" for c in counts.iloc[:, -1]) if counts.size else "–",
    }


def zeros_sentence(view) -> str:
    """What all-zero weights do with the hidden activation f of ``view`` (its zeros variant's,
    else its first variant's), chosen by f(0) as the engine computes it: with f(0) = 0 every
    hidden output is 0, so no weight gets a gradient and only the output biases learn (the run's
    :func:`zeros_frozen`); otherwise every hidden unit outputs f(0), so the output weights get
    a gradient first, then every layer's weights, the same for every unit of a layer."""
    variant = next((v for v in view.variants if v.model.init == "zeros"), view.variants[0])
    name = variant.model.activation
    fn = activations.get(name, variant.model.alpha)
    at_zero = float(fn.forward(np.zeros(1, np.float32))[0])
    key = "in_symmetry_zeros_frozen" if at_zero == 0 else "in_symmetry_zeros_moves"
    return view.tr(key, activation=activation_name(view.tr, name), f0=f"{at_zero:g}")


def zeros_frozen(view, zeros) -> bool:
    """Every weight gradient of ``zeros``, hidden and output, is exactly 0 at every epoch,
    while its training steps had a gradient: only the output biases learn."""
    return what_learns(view, zeros) == "biases"


def zeros_values(view, zeros) -> dict:
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


def constant_alike(view, constant, random) -> bool:
    """``constant`` keeps one distinct unit per hidden layer at every epoch although the last
    step changed every hidden layer's weights, and ends at least 10 points below ``random``,
    which keeps all its units distinct."""
    ratios = per_layer(view, constant, "update_ratio", view.last_epoch)
    final = view.comp.final("val", "accuracy")
    lower = float(final.get(constant, math.nan)) <= float(final.get(random, math.nan)) - 0.1
    return (
        symmetric(view, constant)
        and len(ratios) > 0
        and bool((ratios > 0).all())
        and _distinct_throughout(view, random, width(view, random))  # every unit differs
        and lower
    )


def constant_values(view, constant, random) -> dict:
    ratios = per_layer(view, constant, "update_ratio", view.last_epoch)
    return {
        **symmetry_values(view, constant),
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
