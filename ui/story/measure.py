"""Measurements read from a comparison: what the read-outs, claims and questions say, as numbers
and one-word verdicts; and what a run keeps of its trained networks.

Pure Python (no Streamlit). Every function takes a :class:`~ui.story.view.ComparisonView` (and
plain arguments) and reads its frames; a verdict word ("vanishing", "stalled", "spikes") is read
from the numbers, never from a variant's name. Per-variant results that many sentences ask for
are computed once per view (:meth:`~ui.story.view.ComparisonView.derived`).

The gradient measured is the back-propagated one, ``‖∂L/∂z_k‖`` (column ``backprop_norm``):
Glorot & Bengio (2010, §4.2) show that ``Var[∂L/∂W_k] ≈ Var[x_k] · Var[∂L/∂z_k]``, so the
weight gradient ``‖∂L/∂W_k‖`` can stay flat across layers while the back-propagated gradient
vanishes or explodes (the forward signal moves the other way).

``fold_summary`` and ``boundary_grid`` are *summarise* functions for :func:`ui.runs.runner.run`:
they read a variant's trained network right after training, so that the shared cache keeps
their small results instead of the network.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from core import Variant, bn_studies, boundary, theory
from core.datasets import Dataset

from .view import ComparisonView

#: A layer-1 / top-layer ratio of the back-propagated gradient below this is "vanishing",
#: above its inverse "exploding" (a factor of 10 over the depth; He et al. 2015 call a
#: 30-layer ReLU net with Glorot weights, ratio ~3×10⁻³, one that does not learn).
VANISH_BELOW = 0.1
EXPLODE_ABOVE = 10.0


#: Share of saturated hidden units from which a network with a steady gradient is called
#: saturated instead (its units pass almost no gradient, whatever the ratio across layers).
SATURATED_ABOVE = 0.3


#: A top hidden layer that receives less than this share of the output layer's back-propagated
#: gradient receives none to speak of: what is left is round-off. All-zero weights pass exactly
#: 0; constant output weights pass c * sum_c(p_c - y_c) = 0 to every hidden unit, since the
#: softmax and the one-hot label both sum to 1 (about 10⁻⁹ of round-off in float32).
BLOCKED_BELOW = 1e-6


# --- what a run keeps of its networks ------------------------------------------------------


def fold_summary(variant: Variant, net, data: Dataset) -> dict:
    """The folding study of one trained variant: the best-of-3 wall time of a training step at
    its batch size (``step_seconds``) and, with batch normalization,
    :func:`core.bn_studies.fold_report` on the validation split plus ``largest_shift``."""
    summary = {
        "step_seconds": bn_studies.seconds_per_step(variant.model, data, variant.train.batch_size)
    }
    if variant.model.uses_batchnorm:
        summary.update(bn_studies.fold_report(net, data.X_val))
        summary["largest_shift"] = bn_studies.largest_shift(net)
    return summary


def boundary_grid(variant: Variant, net, data: Dataset) -> pd.DataFrame:
    """The class the trained network predicts over the plane of 2-D data
    (:func:`core.boundary.decision_grid`)."""
    return boundary.decision_grid(net, data.X_val)


def history_csv(view: ComparisonView) -> bytes:
    """The comparison's tidy history (:meth:`core.Comparison.tidy`) as UTF-8 CSV."""
    return view.comp.tidy().to_csv(index=False).encode("utf-8")


# --- the layers ----------------------------------------------------------------------------


def first_variant(view: ComparisonView, test: Callable) -> str | None:
    """The name of the first variant (page order) for which ``test(variant)`` holds, or None."""
    return next((v.name for v in view.variants if test(v)), None)


def layer_means(view: ComparisonView, quantity: str, epoch: int) -> pd.Series:
    """``quantity`` per (variant, hidden layer) at ``epoch``, each the mean over seeds."""
    at = view.layers(epoch, output=False)
    return at.groupby(["variant", "layer"], sort=False)[quantity].mean()


def layer_ratio(view: ComparisonView, quantity: str, epoch: int = 0) -> pd.Series:
    """Per variant: ``quantity`` of layer 1 divided by that of the top hidden layer at
    ``epoch`` (each the mean over seeds). Empty for a one-layer network."""
    return view.derived(_layer_ratio, quantity, epoch)


def _layer_ratio(view: ComparisonView, quantity: str, epoch: int) -> pd.Series:
    means = layer_means(view, quantity, epoch)
    top = view.top_hidden
    if top < 2 or means.empty:
        return pd.Series(dtype=float)
    g = means.unstack()
    return g[1] / g[top]


def ratio_of(view: ComparisonView, quantity: str, name: str) -> float:
    """Variant ``name``'s :func:`layer_ratio` at initialization (NaN when not measured)."""
    return float(layer_ratio(view, quantity).get(name, math.nan))


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


def per_layer(view: ComparisonView, name: str, quantity, epoch: int = 0):
    """Variant ``name``'s ``quantity`` (a column, or a list of columns for a frame) per hidden
    layer at ``epoch`` (default: initialization), in layer order, each the mean over seeds."""
    at = view.layers(epoch, output=False)
    return at[at["variant"] == name].groupby("layer")[quantity].mean()


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


def top_and_output(view: ComparisonView, name: str) -> tuple[float, float]:
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
    top, out = top_and_output(view, name)
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


def slope_predictions(view: ComparisonView, name: str) -> tuple[float, float, float]:
    """Variant ``name`` at initialization: ``‖∂L/∂z₁‖ / ‖∂L/∂z_top‖`` as predicted from the
    RMS slope √E[f′(z)²] of each hidden layer below the top times its weights' gain
    √(fan_in·Var W) (:func:`core.theory.backward_gains`), as the mean slope E|f′(z)| would
    predict it in its place, and as measured (NaN when there is no prediction: zeros or
    constant weights, BN, one hidden layer)."""
    return view.derived(_slope_predictions, name)


def _slope_predictions(view, name) -> tuple[float, float, float]:
    measured = ratio_of(view, "backprop_norm", name)
    gains = theory.backward_gains(view.variant(name).model)
    top = view.top_hidden
    if gains is None or top < 2:
        return math.nan, math.nan, measured
    rms = per_layer(view, name, "slope_rms").reindex(range(1, top)).to_numpy()
    mean = per_layer(view, name, "slope_mean").reindex(range(1, top)).to_numpy()
    return float((rms * gains).prod()), float((mean * gains).prod()), measured


def relu_backward(view: ComparisonView, name: str) -> tuple[float, float]:
    """(predicted ‖∂L/∂z₁‖ / ‖∂L/∂z_top‖, per-layer factor of the second moment) for a
    ReLU-family variant, from :func:`core.theory.second_moment_factor`; NaN without one."""
    model = view.variant(name).model
    hidden = model.hidden[: view.top_hidden]
    factors = [theory.second_moment_factor(model, a, b) for a, b in zip(hidden[:-1], hidden[1:])]
    if not factors or any(f is None for f in factors):
        return math.nan, math.nan
    return math.sqrt(math.prod(factors)), factors[0]


def growth(view: ComparisonView, name: str) -> float:
    """Top hidden layer's output std over layer 1's, at initialization (NaN if unmeasured)."""
    ratio = ratio_of(view, "act_std", name)  # layer 1 over the top
    return 1 / ratio if ratio > 0 else math.nan


def growths(view: ComparisonView) -> pd.Series:
    """Per variant: :func:`growth`, the top hidden layer's output std over layer 1's."""
    return pd.Series({v.name: growth(view, v.name) for v in view.variants}, dtype=float)


def relu_forward(view: ComparisonView, name: str) -> tuple[float, float, float]:
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


def std_drift(view: ComparisonView) -> pd.Series:
    """Per variant: how far the std of a hidden layer's outputs strays from 1 at
    initialization, the largest |log10 std| over the hidden layers (0: every layer at 1)."""
    std = layer_means(view, "act_std", 0)
    with_log = std.map(lambda x: abs(math.log10(x)) if x > 0 else math.inf)
    drift = with_log.groupby(level="variant", sort=False).max()
    return drift.reindex([v.name for v in view.variants])


def extremes(values: pd.Series, largest: bool, tie: float = 0.0) -> tuple[str, ...]:
    """The names (index) of ``values`` whose finite value is the largest (``largest``) or the
    smallest, and those within ``tie`` of it, in the series' order; empty when none is finite."""
    finite = values[values.map(lambda x: isinstance(x, float | int) and math.isfinite(x))]
    if finite.empty:
        return ()
    best = finite.max() if largest else finite.min()
    return tuple(n for n, x in finite.items() if abs(x - best) <= tie)


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
