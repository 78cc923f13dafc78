"""Curves: quantities against time or a setting, one line per variant, as Vega-Lite dicts.

Training curves (loss and accuracy per epoch), batch normalization's two statistics,
validation accuracy against the one-class baseline, a per-epoch statistic, the gradient norm of every step, a sweep over a setting (learning rate,
clipping threshold) and BN's moving-average trace. Each builder takes tidy frames of
:class:`core.Comparison` (``variant`` and ``seed`` columns first), a
:class:`ui.text.i18n.Text` for titles and a :class:`ui.drawing.style.VariantScale`, so that a
variant has the same colour in every chart of a page; with several seeds, lines show the mean
over seeds and a band the min-max range. Pure: no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text.format import percent
from ..text.i18n import Text
from . import vegalite as vl
from .style import (
    DASHES,
    NEUTRAL,
    PALETTE,
    SHAPES,
    STRETCH_HEIGHT,
    VariantScale,
    legend,
    seed_band,
    split_dash,
    variant,
    variant_tip,
)

#: The epoch axis: whole epochs only.
EPOCH_AXIS = {"tickMinStep": 1}
#: Width in pixels a title of a chart drawn in one of two columns fits in, at 1366 pixels
#: wide with the sidebar open (each column is about 400 wide).
HALF_WIDTH = 340


def training_curves(
    metrics: pd.DataFrame, tr: Text, scale: VariantScale, diverged: pd.DataFrame | None = None
) -> dict:
    """Loss (log scale) and accuracy per epoch; train dashed, validation solid.

    ``diverged``: rows ``variant, seed, diverged_at``; a marker is drawn at each divergence.
    """
    split_names = {"train": tr("split_train"), "val": tr("split_val")}
    m = metrics[metrics["split"].isin(split_names)]
    m = m.assign(split=m["split"].map(split_names))
    color = variant(scale, tr)
    x = vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis=EPOCH_AXIS)
    splits = [split_names["val"], split_names["train"]]
    dash = split_dash(splits, [[1, 0], [5, 3]], tr("ax_split"))
    datasets, panels = {}, []
    for value, title, log in (
        ("loss", tr("ax_loss"), True),
        ("accuracy", tr("ax_accuracy"), False),
    ):
        band = seed_band(m, ["variant", "split", "epoch"], value)
        datasets[value] = vl.records(vl.with_text(band, "mean") if log else band)
        y = (
            vl.log_field("mean", title, band[["mean", "low", "high"]].to_numpy().ravel())
            if log
            else vl.field("mean", "quantitative", title=title, scale={"domain": [0, 1]},
                          axis={"format": "%"})
        )  # fmt: skip
        shown = (
            vl.number_tip("mean", title)
            if log
            else vl.field("mean", "quantitative", format=".1%", title=title)
        )
        tooltip = [
            variant_tip(tr),
            vl.field("split", "nominal", title=tr("ax_split")),
            vl.field("epoch", "quantitative", title=tr("ax_epoch")),
            shown,
        ]
        # only the lines carry the split's dash: a point or area layer with it would draw the
        # legend's swatches as filled symbols, which cannot show a dash
        layers = [
            {
                "mark": {"type": "line"},
                "encoding": {"x": x, "y": y, "color": color, "strokeDash": dash,
                             "tooltip": tooltip},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 40},
                "transform": [vl.keep(f"datum.split == {vl.literal(split_names['val'])}")],
                "encoding": {"x": x, "y": y, "color": color,
                             "shape": variant(scale, tr, SHAPES), "tooltip": tooltip},
            },
        ]  # fmt: skip
        if band["seeds"].max() > 1:
            layers.insert(0, _seed_range(x, color))
        if diverged is not None and diverged["diverged_at"].notna().any():
            marks = _diverged_marks(band, diverged, tr)
            datasets[f"{value}_diverged"] = vl.records(marks)
            layers += _diverged_layers({"name": f"{value}_diverged"}, color, tr)
        panels.append({"data": {"name": value}, "layer": layers, "width": 300, "height": 220})
    return vl.chart(datasets=datasets, hconcat=panels, title=tr("chart_curves"))


def _seed_range(x: dict, color: dict, opacity: float = 0.15) -> dict:
    """The band from the lowest to the highest seed's value (``low``, ``high``), without a
    tooltip of its own: the line through it tells the mean, and the theme's default tooltip
    would name the band's columns as they are."""
    area = {"x": x, "y": vl.field("low", "quantitative"), "y2": {"field": "high"}}
    return {"mark": {"type": "area", "opacity": opacity},
            "encoding": {**area, "color": color, "tooltip": None}}  # fmt: skip


def _diverged_layers(data: dict, color: dict, tr: Text) -> list[dict]:
    """A cross and the word "diverged" where each row of ``data`` (:func:`_diverged_marks`)
    diverged; their tooltip names the variant, the epoch and what happened (the value the
    mark sits at is the last one recorded, not one at that epoch: left out)."""
    at = {"x": vl.field("epoch", "quantitative"), "y": vl.field("mean", "quantitative"),
          "color": color,
          "tooltip": [variant_tip(tr), vl.field("epoch", "quantitative", title=tr("ax_epoch")),
                      vl.field("label", "nominal", title=tr("ax_outcome"))]}  # fmt: skip
    return [
        {"data": data, "mark": {"type": "point", "shape": "cross", "size": 160, "strokeWidth": 3},
         "encoding": at},
        {"data": data, "mark": {"type": "text", "dy": -12, "fontWeight": "bold"},
         "encoding": {**at, "text": vl.field("label", "nominal")}},
    ]  # fmt: skip


def _diverged_marks(band: pd.DataFrame, diverged: pd.DataFrame, tr: Text) -> pd.DataFrame:
    """Where to mark each diverged variant: ``variant, epoch, mean, label`` at the epoch it
    diverged, level with its last recorded value."""
    rows = []
    for name, d in diverged.dropna(subset=["diverged_at"]).groupby("variant"):
        b = band[band["variant"] == name]
        if b.empty:
            continue
        last = b.sort_values("epoch").iloc[-1]
        rows.append({"variant": name, "epoch": int(d["diverged_at"].min()), "mean": last["mean"]})
    return pd.DataFrame(rows, columns=["variant", "epoch", "mean"]).assign(
        label=tr("diverged_marker")
    )


def bn_gap(metrics: pd.DataFrame, tr: Text, scale: VariantScale) -> dict:
    """Validation accuracy per epoch with moving averages (solid) and batch statistics
    (dotted). metrics: the comparison's metrics with splits ``val`` and ``val_batch_stats``."""
    names = {"val": tr("bn_moving"), "val_batch_stats": tr("bn_batch")}
    # the page's colours and shapes, and a legend of the variants drawn (those with BN)
    shown = legend(values=list(dict.fromkeys(metrics["variant"])))
    m = metrics[metrics["split"].isin(names)]
    band = seed_band(
        m.assign(split=m["split"].map(names)), ["variant", "split", "epoch"], "accuracy"
    )
    encoding = {
        "x": vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis=EPOCH_AXIS),
        "y": vl.field("mean", "quantitative", title=tr("ax_accuracy"), scale={"domain": [0, 1]},
                      axis={"format": "%"}),
        "color": variant(scale, tr, legend=shown),
        "tooltip": [variant_tip(tr),
                    vl.field("split", "nominal", title=tr("ax_normalized_with")),
                    vl.field("epoch", "quantitative", title=tr("ax_epoch")),
                    vl.field("mean", "quantitative", title=tr("ax_accuracy"), format=".1%")],
    }  # fmt: skip
    dash = split_dash(list(names.values()), [[1, 0], [2, 3]], None)
    return vl.chart(
        data={"values": vl.records(band)},
        layer=[
            {"mark": {"type": "line"}, "encoding": {**encoding, "strokeDash": dash}},
            {"mark": {"type": "point", "filled": True, "size": 40},
             "encoding": {**encoding, "shape": variant(scale, tr, SHAPES, shown)}},
        ],
        height=STRETCH_HEIGHT,
    )  # fmt: skip


def accuracy_over_baseline(
    metrics: pd.DataFrame,
    baseline: float,
    tr: Text,
    scale: VariantScale,
    diverged: pd.DataFrame | None = None,
) -> dict:
    """Validation accuracy per epoch, one line per variant (mean over seeds, their range as a
    band), over a labelled rule at ``baseline``: what predicting the commonest class for every
    sample scores. metrics: the comparison's metrics (split ``val`` is drawn); ``diverged``:
    rows ``variant, seed, diverged_at``, a cross marks each divergence."""
    band = seed_band(metrics[metrics["split"] == "val"], ["variant", "epoch"], "accuracy")
    x = vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis=EPOCH_AXIS)
    y = vl.field("mean", "quantitative", title=tr("ax_val_accuracy"), scale={"domain": [0, 1]},
                 axis={"format": "%"})  # fmt: skip
    color = variant(scale, tr)
    tooltip = [
        variant_tip(tr),
        vl.field("epoch", "quantitative", title=tr("ax_epoch")),
        vl.field("mean", "quantitative", format=".1%", title=tr("ax_val_accuracy")),
    ]
    rule = {"baseline": baseline, "label": tr("ibn_baseline", share=percent(baseline))}
    at_rule = {"y": vl.field("baseline", "quantitative")}
    layers = [
        {"data": {"values": [rule]},
         "mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [4, 4]},
         "encoding": {**at_rule, "tooltip": None}},
        {"data": {"values": [rule]},
         # at the right end, above the rule and clear of the points of a run stuck on it
         "mark": {"type": "text", "color": NEUTRAL, "align": "right", "baseline": "bottom",
                  "x": {"expr": "width"}, "dx": -12, "dy": -6},
         "encoding": {**at_rule, "text": vl.field("label", "nominal"), "tooltip": None}},
        {"mark": {"type": "line"},
         "encoding": {"x": x, "y": y, "color": color, "strokeDash": variant(scale, tr, DASHES),
                      "tooltip": tooltip}},
        {"mark": {"type": "point", "filled": True, "size": 40},
         "encoding": {"x": x, "y": y, "color": color, "shape": variant(scale, tr, SHAPES),
                      "tooltip": tooltip}},
    ]  # fmt: skip
    if len(band) and band["seeds"].max() > 1:
        layers.insert(2, _seed_range(x, color))
    if diverged is not None and diverged["diverged_at"].notna().any():
        marks = vl.records(_diverged_marks(band, diverged, tr))
        layers += _diverged_layers({"values": marks}, color, tr)
    return vl.chart(
        data={"values": vl.records(band)},
        layer=layers,
        title={"text": tr("ibn_chart_title"), "anchor": "start"},
        height=STRETCH_HEIGHT,
    )


def per_epoch(
    frame: pd.DataFrame, value: str, tr: Text, scale: VariantScale, title_key: str, y_key: str
) -> dict:
    """A per-epoch statistic (mean over seeds) as lines with points, e.g. the share of steps
    clipped; with several seeds, their range as a band. A share (``value`` named
    ``share_…``) is written as a percent on its axis and in its tooltip, as the page's text
    writes it. Drawn half the page wide (two side by side), its title wraps to fit
    :data:`HALF_WIDTH`."""
    band = seed_band(frame, ["variant", "epoch"], value)
    x = vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis=EPOCH_AXIS)
    color = variant(scale, tr)
    share = value.startswith("share_")
    tooltip = [
        variant_tip(tr),
        vl.field("epoch", "quantitative", title=tr("ax_epoch")),
        vl.field("mean", "quantitative", format=".1%" if share else ".3~g", title=tr(y_key)),
    ]
    y = vl.field("mean", "quantitative", title=tr(y_key), scale={"zero": False},
                 **({"axis": {"format": "%"}} if share else {}))  # fmt: skip
    layers = [
        {"mark": {"type": "line", "point": True},
         "encoding": {"x": x, "y": y, "color": color, "shape": variant(scale, tr, SHAPES),
                      "tooltip": tooltip}},
    ]  # fmt: skip
    if len(band) and band["seeds"].max() > 1:
        layers.insert(0, _seed_range(x, color, 0.2))
    return vl.chart(
        data={"values": vl.records(band)},
        layer=layers,
        title={"text": vl.title_lines(tr(title_key), HALF_WIDTH), "anchor": "start"},
        height=STRETCH_HEIGHT,
    )


#: Steps per variant drawn one by one on the step-norm chart; a longer run is drawn as the
#: largest norm of each run of consecutive steps, so that a spike is never averaged away.
MAX_STEPS = 2500
#: A run's clipped steps are marked when clipping changes at most this share of its steps: then
#: the marks single out the spikes; a method that clips (nearly) every step would bury its line
#: under marks that say only what the read-out's share says.
MARKED_SHARE = 0.5


def step_stride(n_steps: int, most: int = MAX_STEPS) -> int:
    """How many consecutive steps one point of the step-norm chart stands for."""
    return max(1, -(-n_steps // most))


def step_norms(
    steps: pd.DataFrame, tr: Text, scale: VariantScale, threshold: float | None = None
) -> dict:
    """Global gradient norm before clipping at every step, log scale (first seed; a run longer
    than :data:`MAX_STEPS` drawn as the largest norm of every :func:`step_stride` steps), the
    steps that clipping changed marked (for a run that clips at most :data:`MARKED_SHARE` of
    its steps), and ``threshold`` (the global-norm clipping threshold)
    as a dashed line. steps: ``variant, seed, step, epoch, grad_norm, clipped``."""
    s = steps[
        (steps["seed"] == steps["seed"].min())
        & np.isfinite(steps["grad_norm"])
        & (steps["grad_norm"] > 0)
    ]
    stride = step_stride(int(s.groupby("variant").size().max()) if len(s) else 0)
    if stride > 1:
        bucket = s["step"] // stride
        s = (
            s.assign(bucket=bucket)
            .groupby(["variant", "bucket"], sort=False)
            .agg(step=("step", "first"), epoch=("epoch", "first"), grad_norm=("grad_norm", "max"),
                 clipped=("clipped", "any"))
            .reset_index()
        )  # fmt: skip
    tooltip = [
        variant_tip(tr),
        vl.field("step", "quantitative", title=tr("ax_step")),
        vl.field("epoch", "quantitative", title=tr("ax_epoch")),
        vl.number_tip("grad_norm", tr("ax_step_norm")),
    ]
    x = vl.field("step", "quantitative", title=tr("ax_step"))
    drawn = [*s["grad_norm"], *([] if threshold is None else [threshold])]
    at = {"x": x, "y": vl.log_field("grad_norm", tr("ax_step_norm"), drawn),
          "color": variant(scale, tr)}  # fmt: skip
    layers = [
        {"data": {"name": "steps"},
         "mark": {"type": "line", "strokeWidth": 1.2, "opacity": 0.85},
         "encoding": {**at, "strokeDash": variant(scale, tr, DASHES), "tooltip": tooltip}},
        {"data": {"name": "steps"},
         "transform": [vl.keep("datum.clipped && datum.marked"),
                       vl.calculate(vl.literal(tr("cl_clipped_step")), "what")],
         "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 45,
                  "opacity": 0.9},
         "encoding": {**at, "tooltip": [*tooltip,
                                        vl.field("what", "nominal", title=tr("ax_outcome"))]}},
    ]  # fmt: skip
    occasional = s.groupby("variant")["clipped"].transform("mean") <= MARKED_SHARE
    datasets = {"steps": vl.records(vl.with_text(s.assign(marked=occasional), "grad_norm"))}
    if threshold is not None:
        label = tr("cl_threshold_line", threshold=f"{threshold:g}")
        last = float(s["step"].max()) if len(s) else 0.0
        datasets["threshold"] = [{"y": threshold, "step": last, "label": label}]
        y = vl.field("y", "quantitative", title=tr("ax_step_norm"))
        layers += [
            {"data": {"name": "threshold"},
             "mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [6, 4], "strokeWidth": 1.5},
             "encoding": {"y": y, "tooltip": None}},
            # named at the right end, above the line, where the steps of a run that learned
            # have fallen far below it
            {"data": {"name": "threshold"},
             "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -3,
                      "color": NEUTRAL},
             "encoding": {"y": y, "x": x, "text": vl.field("label", "nominal"),
                          "tooltip": None}},
        ]  # fmt: skip
    return vl.chart(
        datasets=datasets, layer=layers, height=STRETCH_HEIGHT, title=tr("cl_norm_chart")
    )


def sweep(
    frame: pd.DataFrame,
    x: str,
    x_title: str,
    y: str,
    y_title: str,
    log_y_axis: bool,
    scale: VariantScale,
    tr: Text,
) -> dict:
    """``y`` against ``x`` (log scale), one line per variant; a diverged run (column
    ``diverged``) is drawn as a cross at the top of the plot instead of a point."""
    at = {"x": vl.log_field(x, x_title, frame[x]), "color": variant(scale, tr)}
    x_tip = vl.field(x, "quantitative", title=x_title, format="~g")
    if log_y_axis:
        y_enc, y_tip = vl.log_field(y, y_title, frame[y]), vl.number_tip(y, y_title)
        frame = vl.with_text(frame, y)
    else:
        y_enc = vl.field(y, "quantitative", title=y_title, scale={"domain": [0, 1]},
                         axis={"format": "%"})  # fmt: skip
        y_tip = vl.field(y, "quantitative", title=y_title, format=".1%")
    outcome = vl.calculate(vl.literal(tr("trend_diverged")), "outcome")
    return vl.chart(
        data={"values": vl.records(frame)},
        layer=[
            {"transform": [vl.keep("!datum.diverged")],
             "mark": {"type": "line", "point": True},
             "encoding": {**at, "y": y_enc, "shape": variant(scale, tr, SHAPES),
                          "tooltip": [variant_tip(tr), x_tip, y_tip]}},
            {"transform": [vl.keep("datum.diverged"), outcome],
             "mark": {"type": "point", "shape": "cross", "size": 160, "strokeWidth": 3},
             "encoding": {**at, "y": {"value": 8},
                          "tooltip": [variant_tip(tr), x_tip,
                                      vl.field("outcome", "nominal", title=y_title)]}},
        ],
        height=STRETCH_HEIGHT,
    )  # fmt: skip


def lr_sweep(frame: pd.DataFrame, tr: Text, scale: VariantScale) -> dict:
    """Final training loss against the learning rate (log-log), one line per variant; a
    diverged run is drawn as a cross at the top. frame: ``variant, lr, loss, diverged``."""
    return sweep(frame, "lr", tr("lr"), "loss", tr("ax_loss"), True, scale, tr)


def moving_average_trace(trace: pd.DataFrame, tr: Text) -> dict:
    """Relative error of BN's moving mean and variance per step, one line per convention, a
    panel for each statistic (a PyTorch line dashed: its momentum 0.1 is Keras' 0.9, so the
    two lines overlap). trace: ``step, label, convention, mean_error, var_error``."""
    long = trace.melt(
        id_vars=["step", "label", "convention"],
        value_vars=["mean_error", "var_error"],
        var_name="what",
        value_name="error",
    )
    long["what"] = long["what"].map(
        {"mean_error": tr("bn_trace_mean"), "var_error": tr("bn_trace_var")}
    )
    long = vl.with_text(long[long["error"] > 0], "error")
    line = {
        "mark": {"type": "line"},
        "encoding": {
            "x": vl.field("step", "quantitative", title=tr("ax_step")),
            "y": vl.log_field("error", None, long["error"]),
            "color": vl.field("label", "nominal", title=None, scale={"range": list(PALETTE)},
                              legend={"orient": "bottom", "labelLimit": 300}),
            "strokeDash": vl.field("convention", "nominal", legend=None,
                                   scale={"domain": ["keras", "torch"], "range": [[1, 0], [6, 4]]}),
            "tooltip": [vl.field("label", "nominal", title=tr("ax_convention")),
                        vl.field("step", "quantitative", title=tr("ax_step")),
                        vl.number_tip("error", tr("ax_relative_error"))],
        },
        "width": 380,
        "height": 240,
    }  # fmt: skip
    return vl.chart(
        data={"values": vl.records(long)},
        facet={"column": vl.field("what", "nominal", title=None)},
        spec=line,
    )
