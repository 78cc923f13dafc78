"""The figures of a run: module-level functions from a view (and plain, hashable settings) to
a Vega-Lite spec dict, drawn with ``memo.chart(where, figures.<name>, view, ...)``. The figures
that need no run (a function's curve, the weights an initializer draws) are :mod:`ui.story.ideas`.

Each function picks its frames from the view and hands them, labelled, to a builder of
:mod:`ui.drawing` (``curves``, ``layers``, ``grids``, ``diagrams``, ``playback``); anything
that is maths lives in :mod:`core`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core import theory

from ..caches import data
from ..drawing import curves, diagrams, grids, layers, playback, style
from ..text.labels import init_name
from . import measure_training
from .view import ComparisonView

#: Per-layer quantities drawn against the layer number: (column, title key, axis key).
LAYER_QUANTITIES = {
    "backprop_norm": ("chart_backprop_norm", "ax_backprop_norm"),
    "grad_norm": ("chart_grad_norm", "ax_grad_norm"),
    "update_ratio": ("chart_update_ratio", "ax_update_ratio"),
    "act_std": ("chart_act_std", "ax_act_std"),
    "slope_mean": ("chart_slope_mean", "ax_slope_mean"),
    "slope_rms": ("chart_slope_rms", "ax_slope_rms"),
}


# --- every comparison ---------------------------------------------------------------------


def training_curves(view: ComparisonView) -> dict:
    """Loss and accuracy per epoch of every variant, divergences marked."""
    return curves.training_curves(
        view.labelled(view.comp.metrics), view.tr, view.scale, view.labelled(view.comp.diverged)
    )


def by_layer(view: ComparisonView, quantity: str, epoch: int) -> dict:
    """``quantity`` (a key of :data:`LAYER_QUANTITIES`) against the layer at ``epoch``, log
    scale, the output layer marked with a hollow square: one panel of the played chart as a
    chart of its own (see :func:`ui.drawing.layers.layer_profile`; the live chart of a run in
    progress is the same chart)."""
    title, axis = LAYER_QUANTITIES[quantity]
    return _profile(view.labelled(view.layers(epoch)), quantity, title, axis, view)


def _profile(
    rows: pd.DataFrame,
    quantity: str,
    title: str,
    axis: str,
    view: ComparisonView,
    height: int = style.STRETCH_HEIGHT,
    legend: dict = style.BELOW,
    domain: list[float] | None = None,
) -> dict:
    """A per-layer profile of ``rows`` (labelled) drawn on a page: by default as tall as the
    page's other charts, one variant a row in the legend below it (two a row would be cut off
    on a phone)."""
    return layers.layer_profile(
        rows, quantity, title, axis, view.tr, view.scale, height, legend, domain
    )


#: The landing page's chart: its height holds the legend too (Vega-Lite fits both into it), and
#: the whole stays on the first screen at 1366 x 768; the legend below in rows of two.
FRONT_HEIGHT = 420
FRONT_LEGEND = style.legend(columns=2, labelLimit=300)


def front_profile(view: ComparisonView) -> dict:
    """The back-propagated gradient per layer at initialization (epoch 0) of every variant:
    the phenomenon in one chart, for the top of the landing page."""
    title, axis = LAYER_QUANTITIES["backprop_norm"]
    rows = view.labelled(view.layers(0))
    return _profile(rows, "backprop_norm", title, axis, view, FRONT_HEIGHT, FRONT_LEGEND)


#: The zoom keeps the variants whose gradient stays within this factor of its top hidden layer's.
ZOOM_WITHIN = 20.0


def front_zoom(view: ComparisonView) -> dict:
    """The back-propagated gradient of each hidden layer relative to the top hidden layer's at
    initialization, on an axis from 0.1 to 10, for the variants that stay within
    :data:`ZOOM_WITHIN` of it: a 3× change, flat on the front chart's axis of 16 decades, is
    a third of this one's height."""
    hidden = view.layers(0, output=False)
    top = hidden[hidden["layer"] == view.top_hidden].set_index(["variant", "seed"])["backprop_norm"]
    key = pd.MultiIndex.from_frame(hidden[["variant", "seed"]])
    with np.errstate(divide="ignore", invalid="ignore"):  # a top layer of 0: left out below
        ratio = hidden["backprop_norm"].to_numpy() / top.reindex(key).to_numpy()
    relative = hidden.assign(relative=ratio)
    finite = relative["relative"].map(lambda x: np.isfinite(x) and x > 0)
    ok = relative[finite].groupby("variant")["relative"].agg(["min", "max"])
    kept = ok[(ok["min"] >= 1 / ZOOM_WITHIN) & (ok["max"] <= ZOOM_WITHIN)].index
    rows = relative[relative["variant"].isin(kept)]
    # the page's colours and shapes, and a legend of the variants drawn here only
    legend = style.legend(values=[view.label(v.name) for v in view.variants if v.name in kept])
    return _profile(
        view.labelled(rows), "relative", "ov_zoom_title", "ax_relative", view,
        legend=legend, domain=[0.1, 10.0],
    )  # fmt: skip


#: The per-layer panels played on the technique pages, in order (keys of LAYER_QUANTITIES).
PLAYED = ("backprop_norm", "grad_norm", "update_ratio", "act_std")


def layer_playback(view: ComparisonView) -> dict:
    """The per-layer panels of :data:`PLAYED` through every epoch, played in the browser: a
    finished Vega-Lite spec (see :mod:`ui.drawing.playback`), opening at epoch 0."""
    rows, last, seeds = view.labelled(view.layers()), view.last_epoch, max(len(view.seeds), 1)
    tr, scale = view.tr, view.scale  # all read from the view before the spec is built
    pb = playback.Playback.fit(last, len(rows) / (last + 1) / seeds)
    quantities = [(q, *LAYER_QUANTITIES[q]) for q in PLAYED]
    return playback.animate(playback.layer_panels(rows, quantities, pb, tr, scale), pb)


#: Two lines closer than this (relative, at every layer) are drawn on top of each other.
COINCIDE = 0.01


def coinciding(view: ComparisonView, epoch: int) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The lines that lie on top of each other at ``epoch``: ``(panels, labels)`` pairs, the
    quantities of :data:`PLAYED` (in its order) in which the variants ``labels`` (in page
    order) are within :data:`COINCIDE` of each other at every layer (means over seeds), so
    that only one of their lines can be seen there; ``panels`` is ``()`` when that holds in
    every panel that draws anything at ``epoch`` (at epoch 0 no step has been taken, and the
    relative update is not drawn). E.g. every clipping method at epoch 0, before any step was
    clipped."""
    means = view.layers(epoch).groupby(["variant", "layer"], sort=False)[list(PLAYED)].mean()
    present = set(means.index.get_level_values("variant"))
    names = [v.name for v in view.variants if v.name in present]
    drawn = [q for q in PLAYED if means[q].notna().any()]
    panels: dict[tuple[str, ...], list[str]] = {}
    for quantity in drawn:
        groups: list[list[str]] = []
        for name in names:
            mine = means.loc[name, quantity]
            for group in groups:
                theirs = means.loc[group[0], quantity]
                shown = mine.notna() & theirs.notna()
                same_rows = (mine.notna() == theirs.notna()).all()
                close = ((mine - theirs).abs() <= COINCIDE * theirs.abs())[shown].all()
                if shown.any() and same_rows and close:
                    group.append(name)
                    break
            else:
                groups.append([name])
        for group in groups:
            if len(group) > 1:
                panels.setdefault(tuple(group), []).append(quantity)
    return [
        (() if q == drawn else tuple(q), tuple(view.label(n) for n in group))
        for group, q in panels.items()
    ]


def grad_hist_playback(view: ComparisonView) -> dict:
    """The gradient histograms of the layers shown (first seed:
    :func:`ui.drawing.style.first_seed_shown`) through every epoch, played in the browser (a
    finished spec, see :mod:`ui.drawing.playback`)."""
    hist = view.comp.grad_hist
    last = view.last_epoch
    pb = playback.Playback.fit(last, len(style.first_seed_shown(hist)) / (last + 1))
    spec = playback.histograms(
        view.labelled(hist), pb, view.tr, view.scale, "chart_grad_hist", "ax_log_grad"
    )
    return playback.animate(spec, pb)


def act_histograms(view: ComparisonView, epoch: int) -> dict:
    """The activations' histograms at ``epoch``: a row per layer shown, a column per variant."""
    hist = view.comp.act_hist
    return layers.act_histograms(
        view.labelled(hist[hist["epoch"] == epoch]), epoch, view.tr, view.scale
    )


# --- initialization ------------------------------------------------------------------------


def signal_vs_theory(view: ComparisonView) -> dict:
    """Measured std of each hidden layer's outputs at initialization, and the ReLU-family
    prediction of :func:`core.theory.predicted_act_std` from the measured first layer."""
    at_init = view.layers(0, output=False)
    measured = (
        at_init.groupby(["variant", "layer"], sort=False)["act_std"].mean().reset_index(name="mean")
    )
    # a log scale has no 0: all-zero outputs are drawn on a zero row (layers.measured_vs_theory)
    measured = measured[measured["mean"] >= 0]
    predicted = [pd.DataFrame(columns=["variant", "layer", "mean"])]
    for v in view.variants:
        first = measured[(measured["variant"] == v.name) & (measured["layer"] == 1)]["mean"]
        curve = theory.predicted_act_std(v.model, float(first.iloc[0])) if len(first) else None
        if curve is not None:
            layer = np.arange(1, len(curve) + 1)
            predicted.append(pd.DataFrame({"variant": v.name, "layer": layer, "mean": curve}))
    return layers.measured_vs_theory(
        view.labelled(measured), view.labelled(pd.concat(predicted)), view.tr, view.scale
    )


def _per_cell(view: ComparisonView, column: str, how: str, names=None) -> pd.DataFrame:
    """``column`` of the hidden layers over seeds (``how``: ``mean`` or ``max``) per ``variant,
    epoch, layer``, labelled; only the variants ``names`` if given."""
    hidden = view.layers(output=False)
    if names is not None:
        hidden = hidden[hidden["variant"].isin(names)]
    cells = hidden.groupby(["variant", "epoch", "layer"], sort=False)[column].agg(how)
    return view.labelled(cells.reset_index())


def distinct_units(view: ComparisonView) -> dict:
    """Distinct units per hidden layer and epoch (the largest over seeds), one panel per
    variant."""
    width = max(v.model.hidden[0] for v in view.variants)
    return grids.distinct_units(_per_cell(view, "distinct_units", "max"), width, view.tr)


def zeros_gradients(view: ComparisonView, name: str) -> dict:
    """Variant ``name``'s largest weight and bias gradient norms over the epochs and seeds,
    per layer (output included), as a grid that writes each value and greys out the exact
    zeros: with all-zero weights only the output layer's biases get a gradient."""
    every = view.layers()
    mine = every[every["variant"] == name]
    largest = mine.groupby("layer")[["grad_norm", "bias_grad_norm"]].max()
    tr = view.tr
    parts = {"grad_norm": tr("param_weights"), "bias_grad_norm": tr("param_biases")}
    rows = largest.reset_index().melt("layer", list(parts), "what", "largest")
    return grids.zero_grid(
        rows.assign(what=rows["what"].map(parts)),
        tr,
        tr("in_zeros_chart", subject=view.label(name)),
        list(parts.values()),
    )


# --- activations -----------------------------------------------------------------------------


def share_heatmap(view: ComparisonView, statistic: str, names: tuple[str, ...]) -> dict:
    """``statistic`` (saturated or dead) per epoch and hidden layer for the variants ``names``."""
    frame = _per_cell(view, statistic, "mean", names)
    return grids.layer_epoch_heatmap(frame, statistic, view.tr, "")


def selu_by_layer(view: ComparisonView, quantity: str) -> dict:
    """Mean (as its distance from 0, log scale) or std of each hidden layer's outputs at
    initialization."""
    rows = view.layers(0, output=False)
    if quantity == "act_mean":
        rows = rows.assign(act_mean=rows["act_mean"].abs())
    title, axis = {
        "act_mean": ("ac_selu_mean", "ax_act_mean"),
        "act_std": ("ac_selu_std", "ax_act_std"),
    }[quantity]
    return _profile(view.labelled(rows), quantity, title, axis, view)


# --- batch normalization -------------------------------------------------------------------


def bn_gap(view: ComparisonView) -> dict:
    """Validation accuracy with moving averages and with batch statistics, for the variants
    with BN (a network without BN has neither, and its line would read as one of them)."""
    with_bn = [v.name for v in view.variants if v.model.uses_batchnorm]
    metrics = view.comp.metrics
    return curves.bn_gap(
        view.labelled(metrics[metrics["variant"].isin(with_bn)]), view.tr, view.scale
    )


def input_bn_accuracy(view: ComparisonView) -> dict:
    """The input-BN study (:func:`ui.story.measure_training.input_bn_view`): validation
    accuracy per epoch of raw inputs, standardised inputs and raw inputs with a BN layer,
    over the share that predicting the commonest class scores."""
    return curves.accuracy_over_baseline(
        view.labelled(view.comp.metrics),
        measure_training.one_class_share(view),
        view.tr,
        view.scale,
        view.labelled(view.comp.diverged),
    )


def accuracy_grid(view: ComparisonView) -> dict:
    """Final validation accuracy per (initializer, BN placement); diverged runs left empty."""
    tr, accuracy, diverged = (
        view.tr,
        view.comp.final("val", "accuracy"),
        view.comp.diverged_variants,
    )
    frame = _per_variant(
        view,
        init=lambda v: init_name(tr, v.model.init),
        bn=lambda v: tr(f"bn_v_{v.model.batchnorm}"),
        accuracy=lambda v: np.nan if v.name in diverged else accuracy.get(v.name, np.nan),
    )
    return grids.accuracy_grid(frame, tr)


def _per_variant(view: ComparisonView, **columns) -> pd.DataFrame:
    """One row per variant of ``view``, in page order: column ``name`` is ``fn(variant)``
    for each ``name=fn`` of ``columns``."""
    return pd.DataFrame({name: [fn(v) for v in view.variants] for name, fn in columns.items()})


def lr_sweep(view: ComparisonView) -> dict:
    """Final training loss against the learning rate, one line per BN placement."""
    tr, loss = view.tr, view.comp.final("train", "loss")
    placements = list(dict.fromkeys(v.model.batchnorm for v in view.variants))
    frame = _per_variant(
        view,
        variant=lambda v: tr(f"bn_v_{v.model.batchnorm}"),
        lr=lambda v: v.train.lr,
        loss=lambda v: loss.get(v.name, np.nan),
        diverged=lambda v: v.name in view.comp.diverged_variants,
    )
    scale = style.variant_colors([tr(f"bn_v_{p}") for p in placements])
    return curves.lr_sweep(frame, tr, scale)


# --- gradient clipping -----------------------------------------------------------------------


def step_norms(view: ComparisonView) -> dict:
    """Every step's global gradient norm, the clipped steps marked, and the threshold when a
    variant clips by global norm (the norm drawn is the one it compares)."""
    threshold = next(
        (v.train.clip_threshold for v in view.variants if v.train.clip == "global_norm"), None
    )
    return curves.step_norms(view.labelled(view.comp.steps), view.tr, view.scale, threshold)


def step_stride(view: ComparisonView) -> int:
    """How many consecutive steps one point of :func:`step_norms` stands for."""
    steps = view.comp.steps
    first = steps[steps["seed"] == steps["seed"].min()]
    return curves.step_stride(int(first.groupby("variant").size().max()) if len(first) else 0)


def clip_per_epoch(view: ComparisonView, quantity: str) -> dict:
    """``share_clipped`` or ``cosine_mean`` per epoch for the clipped variants (the legend
    names those only, each in its colour on the page)."""
    summary = view.comp.clip_summary
    clipped = view.labelled(
        summary[summary["variant"].map(lambda n: view.variant(n).train.clip) != "none"]
    )
    title, axis = {
        "share_clipped": ("cl_share_chart", "ax_share_clipped"),
        "cosine_mean": ("cl_cosine_chart", "ax_cosine"),
    }[quantity]
    scale = view.scale.only(clipped["variant"])
    return curves.per_epoch(clipped, quantity, view.tr, scale, title, axis)


def threshold_sweep(view: ComparisonView, page_labels: tuple[str, ...]) -> dict:
    """Final validation accuracy against the clipping threshold, one line per method, each in
    its colour on the page (``page_labels``: the page's variant labels, in order)."""
    tr = view.tr
    frame = measure_training.sweep_frame(view)
    frame = frame.assign(variant=frame["method"].map(lambda m: tr(f"cl_v_{m}")))
    swept = list(dict.fromkeys(frame["variant"]))
    scale = style.variant_colors(swept, among=list(page_labels))
    return curves.sweep(
        frame, "threshold", tr("ax_threshold"), "accuracy", tr("ax_accuracy"), False, scale, tr
    )


# --- lab -------------------------------------------------------------------------------------


def decision_boundaries(view: ComparisonView) -> dict:
    """Predicted class over the plane for every finished variant (first seed), from the grids
    kept by :func:`ui.story.measure.boundary_grid`."""
    d = data.load(view.dataset)
    cells = [
        view.summaries[v.name].assign(variant=view.label(v.name))
        for v in view.variants
        if v.name in view.summaries
    ]
    points = pd.DataFrame({"x": d.X_val[:, 0], "y": d.X_val[:, 1], "label": d.y_val})
    return diagrams.decision_boundaries(pd.concat(cells), points, view.tr)
