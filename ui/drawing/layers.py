"""Layers: quantities against the layer number, and each layer's histogram, as Vega-Lite dicts.

The per-layer profile (a quantity per layer on a log axis, the output layer marked, exact
zeros on a row of their own) as one panel of the played chart (:mod:`ui.drawing.playback`)
or as a chart of its own (:func:`layer_profile`: the overview's chart, the live chart of a run
in progress); the measured activation spread against theory's; and the activations'
histograms, a row per layer and a column per variant. Pure: no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text.i18n import Text
from . import vegalite as vl
from .style import (
    BELOW,
    NEUTRAL,
    SHAPES,
    STRETCH_HEIGHT,
    VariantScale,
    histogram_shares,
    variant,
    variant_tip,
)

#: The name of the per-layer rows in a spec's ``datasets``.
ROWS = "rows"
#: Width in pixels a per-layer panel's title fits in: a played panel's plot and its axis, or
#: a chart of its own in one of two columns (see :func:`ui.drawing.vegalite.title_lines`).
TITLE_WIDTH = 400


def layer_rows(layers: pd.DataFrame, quantities: list[str], epochs: list[int]) -> pd.DataFrame:
    """One row per ``variant, epoch, layer`` of ``epochs``, with each quantity's mean over
    seeds (NaN where no seed has a positive value: a log scale cannot draw it) and, with
    several seeds, its min and max as ``<quantity>_low`` and ``<quantity>_high``. Where a
    quantity is exactly 0 in every seed somewhere, column ``<quantity>_zero`` marks those rows
    (a log scale has no 0: :func:`layer_panel` draws them on a row of their own, labelled 0).
    Values keep :data:`ui.drawing.vegalite.DIGITS` significant digits.

    layers: the comparison's per-layer rows (``variant, seed, epoch, layer, is_output`` and
    the quantities)."""
    keys = ["variant", "epoch", "layer", "is_output"]
    held = layers[layers["epoch"].isin(epochs)]
    several = len(held) > 0 and held.groupby(keys)["seed"].nunique().max() > 1
    values = held[quantities].astype(float)
    # what a log scale can draw: positive finite values (the rest left out of every statistic)
    drawn = values.where(np.isfinite(values) & (values > 0))
    groups = drawn.groupby([held[k] for k in keys], sort=False)
    stats = {q: groups[q].mean() for q in quantities}
    if several:
        for q in quantities:
            stats[f"{q}_low"], stats[f"{q}_high"] = groups[q].min(), groups[q].max()
    zeros = (values == 0).groupby([held[k] for k in keys], sort=False)
    for q in quantities:
        if (values[q] == 0).any():
            stats[f"{q}_zero"] = zeros[q].all()
    columns = [c for q in quantities for c in (q, f"{q}_low", f"{q}_high") if c in stats]
    flags = [f"{q}_zero" for q in quantities if f"{q}_zero" in stats]
    band = pd.DataFrame({c: stats[c] for c in columns + flags}).reset_index()
    rows = held[keys].drop_duplicates().merge(band, on=keys, how="left")
    return vl.significant(rows.reset_index(drop=True), columns)


def _log_domain(rows: pd.DataFrame, columns: list[str]) -> list[float]:
    """The smallest and largest value of ``columns`` over every epoch (1 and 10 if none),
    which the axis widens to powers of ten."""
    values = pd.concat([rows[c] for c in columns if c in rows]).dropna()
    return [float(values.min()), float(values.max())] if len(values) else [1.0, 10.0]


def layer_panel(
    rows: pd.DataFrame,
    quantity: str,
    title_key: str,
    axis_key: str,
    tr: Text,
    scale: VariantScale,
    keep: str,
    legend: dict,
    domain: list[float] | None = None,
) -> dict:
    """``quantity`` against the layer, log scale (over ``domain``, or over every value held),
    the output layer marked with a hollow square, a band from ``<quantity>_low`` to ``_high``
    where ``rows`` has them; each mark keeps the rows that pass the Vega expression ``keep``
    (a played chart's: the epoch shown). Rows marked ``<quantity>_zero`` (0 in every seed, see
    :func:`layer_rows`) are drawn as points on a row of their own at the bottom of the axis
    (:func:`ui.drawing.vegalite.zero_floor`), which is labelled 0 and set off by a dashed
    rule."""
    bounds = [quantity, f"{quantity}_low", f"{quantity}_high"]
    last_layer = int(rows["layer"].max()) if len(rows) else 1
    x = vl.field("layer", "quantitative", title=tr("ax_layer"), axis={"tickMinStep": 1},
                 scale={"domain": [1, last_layer]})  # fmt: skip
    fixed = domain is not None
    domain = list(domain) if fixed else _log_domain(rows, bounds)
    flag = f"{quantity}_zero"
    zeros = flag in rows and bool(rows[flag].fillna(False).astype(bool).any())
    floor = vl.zero_floor(domain[0]) if zeros else None
    log = {"type": "log", "domain": [floor or domain[0], domain[1]], "nice": not fixed}
    axis = vl.power_axis(**({} if floor is None else {"labelExpr": vl.zero_labels(floor)}))
    ticks = vl.log_ticks(floor or domain[0], domain[1])
    if ticks is not None:
        axis["values"] = ticks
    y = vl.field(quantity, "quantitative", title=tr(axis_key), scale=log, axis=axis)
    value = vl.field("value_text", "nominal", title=tr(axis_key))
    kept = [vl.keep(f"{keep} && isValid(datum.{quantity})"), vl.as_text(quantity, "value_text")]
    color = variant(scale, tr, legend=legend)
    shape = variant(scale, tr, SHAPES, legend)
    layer_tip = vl.field("layer", "quantitative", title=tr("ax_layer"))
    layers = [
        {"mark": {"type": "line", "point": True}, "transform": kept,
         "encoding": {"x": x, "y": y, "color": color, "shape": shape,
                      "tooltip": [variant_tip(tr), layer_tip, value]}},
        {"mark": {"type": "point", "shape": "square", "size": 160, "filled": False,
                  "strokeWidth": 2},
         "transform": [*kept, vl.keep("datum.is_output"),
                       vl.calculate(vl.literal(tr("layer_output")), "kind")],
         "encoding": {"x": x, "y": y, "color": color,
                      "tooltip": [variant_tip(tr), vl.field("kind", "nominal", title=tr("ax_layer")),
                                  value]}},
    ]  # fmt: skip
    if bounds[1] in rows:
        band = {"x": x, "y": vl.field(bounds[1], "quantitative"), "y2": {"field": bounds[2]}}
        layers.insert(0, {"mark": {"type": "area", "opacity": 0.2}, "transform": kept,
                          "encoding": {**band, "color": color, "tooltip": None}})  # fmt: skip
    if floor is not None:
        at_floor = {"y": {"datum": floor, "type": "quantitative", "scale": log}}
        exact = vl.field("exact", "nominal", title=tr(axis_key))
        layers += [
            # one rule, from the rows of the epoch shown (every mark follows the epoch)
            {"mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 3], "opacity": 0.6},
             "transform": [vl.keep(keep), {"aggregate": [{"op": "count", "as": "rows"}]}],
             "encoding": at_floor},
            {"mark": {"type": "point", "filled": True, "size": 70},
             "transform": [vl.keep(f"{keep} && datum.{flag}"),
                           vl.calculate(vl.literal(tr("exactly_zero")), "exact")],
             "encoding": {"x": x, **at_floor, "color": color, "shape": shape,
                          "tooltip": [variant_tip(tr), layer_tip, exact]}},
        ]  # fmt: skip
    return {"layer": layers,
            "title": {"text": vl.title_lines(tr(title_key), TITLE_WIDTH), "anchor": "start"}}  # fmt: skip


def layer_profile(
    layers: pd.DataFrame,
    quantity: str,
    title_key: str,
    axis_key: str,
    tr: Text,
    scale: VariantScale,
    height: int,
    legend: dict,
    domain: list[float] | None = None,
) -> dict:
    """``quantity`` against the layer at the one epoch ``layers`` holds: a panel of
    :func:`ui.drawing.playback.layer_panels` as a chart of its own, as wide as its container
    and ``height`` tall with its ``legend`` (built in milliseconds: the live chart is redrawn
    while a run trains), on a log axis over ``domain`` (by default, over the values drawn).

    layers: per-layer rows of one epoch (labelled variants, every seed). Layers without a value
    to draw (the output layer's activation slope) are left out, axis included."""
    epoch = int(layers["epoch"].max()) if len(layers) else 0
    rows = layer_rows(layers, [quantity], [epoch])
    drawn = rows[quantity].notna()
    if f"{quantity}_zero" in rows:
        drawn |= rows[f"{quantity}_zero"].fillna(False).astype(bool)
    rows = rows[drawn]
    panel = layer_panel(rows, quantity, title_key, axis_key, tr, scale, "true", legend, domain)
    return vl.chart(data={"name": ROWS}, datasets={ROWS: vl.records(rows)}, **panel,
                    height=height)  # fmt: skip


def measured_vs_theory(
    measured: pd.DataFrame, theory: pd.DataFrame, tr: Text, scale: VariantScale
) -> dict:
    """Activation std by layer: measured (dots and line) and predicted (dashed), log scale.

    measured: ``variant, layer, mean`` (mean over seeds); theory: ``variant, layer, mean``.
    A measured std of exactly 0 (all-zero weights) is drawn on a row of its own at the bottom
    of the axis, labelled 0 (see :func:`ui.drawing.vegalite.zero_floor`).
    """
    color = variant(scale, tr)
    x = vl.field("layer", "quantitative", title=tr("ax_layer"), axis={"tickMinStep": 1})
    positive = pd.concat([measured["mean"], theory["mean"]])
    positive = positive[positive > 0]
    zeros = measured[measured["mean"] == 0]
    floor = vl.zero_floor(float(positive.min()) if len(positive) else 1.0) if len(zeros) else None
    log = {"type": "log"}
    if floor is not None:
        log["domain"] = [floor, float(positive.max()) if len(positive) else 10.0]
    axis = vl.power_axis(**({} if floor is None else {"labelExpr": vl.zero_labels(floor)}))
    if len(positive):
        axis["values"] = vl.log_ticks(floor or float(positive.min()), float(positive.max()))
    y = vl.field("mean", "quantitative", title=tr("ax_act_std"), scale=log, axis=axis)
    measured = measured[measured["mean"] > 0]
    tooltip = [
        variant_tip(tr),
        vl.field("layer", "quantitative", title=tr("ax_layer")),
        vl.number_tip("mean", tr("ax_act_std")),
    ]
    dashed = {"type": "line", "strokeDash": [6, 4], "strokeWidth": 2, "opacity": 0.8}
    shape = variant(scale, tr, SHAPES)
    spec = vl.chart(
        datasets={
            "measured": vl.records(vl.with_text(measured, "mean")),
            "theory": vl.records(vl.with_text(theory, "mean")),
        },
        layer=[
            {"data": {"name": "theory"}, "mark": dashed,
             "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip}},
            {"data": {"name": "measured"}, "mark": {"type": "line", "point": True},
             "encoding": {"x": x, "y": y, "color": color, "shape": shape, "tooltip": tooltip}},
        ],
        height=STRETCH_HEIGHT,
    )  # fmt: skip
    if floor is not None:
        at_floor = {"y": {"datum": floor, "type": "quantitative"}}
        spec["datasets"]["zeros"] = vl.records(zeros.assign(exact=tr("exactly_zero")))
        spec["layer"] += [
            {"mark": {"type": "rule", "color": NEUTRAL, "strokeDash": [2, 3], "opacity": 0.6},
             "encoding": at_floor},
            {"data": {"name": "zeros"}, "mark": {"type": "point", "filled": True, "size": 70},
             "encoding": {"x": x, **at_floor, "color": color, "shape": shape,
                          "tooltip": [*tooltip[:2],
                                      vl.field("exact", "nominal", title=tr("ax_act_std"))]}},
        ]  # fmt: skip
    return spec


def histogram_cell(
    tr: Text, scale: VariantScale, x_title: str, legend: dict = BELOW, **scales
) -> dict:
    """One histogram of a grid: bars from ``bin_start`` to ``bin_end`` as tall as ``share``,
    overflow bins lighter, coloured by variant (with ``legend``); ``scales``: ``x`` and ``y``
    scales (fixed domains, for a played grid), if any."""
    return {
        "mark": {"type": "rect"},
        "encoding": {
            "x": vl.field("bin_start", "quantitative", title=x_title, bin="binned",
                          **({"scale": scales["x"]} if "x" in scales else {})),
            "x2": {"field": "bin_end"},
            "y": vl.field("share", "quantitative", title=None, axis=None,
                          **({"scale": scales["y"]} if "y" in scales else {})),
            "y2": {"datum": 0},
            "color": variant(scale, tr, legend=legend),
            "opacity": vl.when("datum.overflow", 0.45, 1.0),
            "tooltip": [
                variant_tip(tr),
                vl.field("layer", "ordinal", title=tr("ax_layer")),
                vl.field("bin_start", "quantitative", title=x_title, format=".2f"),
                vl.field("share", "quantitative", title=tr("ax_share"), format=".1%"),
            ],
        },
        "height": 28,
    }  # fmt: skip


def histogram_facet(scale: VariantScale, tr: Text) -> dict:
    """The facet of a histogram grid: a row per layer, a column per variant in page order."""
    return {
        "row": vl.field("layer", "ordinal", title=tr("ax_layer"), header={"labelAngle": 0}),
        "column": vl.field("variant", "nominal", title=None, sort=list(scale.domain)),
    }


def layer_histograms(
    hist: pd.DataFrame, epoch: int, tr: Text, scale: VariantScale, title_key: str, x_key: str
) -> dict:
    """Small multiples: one row per layer (a subset when there are many), one column per
    variant; bars are the share of the layer's values in each bin, first seed only
    (:func:`ui.drawing.style.histogram_shares`). Overflow bins are drawn lighter, just beyond
    the finite range."""
    h = histogram_shares(hist[hist["epoch"] == epoch], ["variant", "layer"])
    cell = histogram_cell(tr, scale, tr(x_key))
    cell["width"] = max(120, min(200, 860 // max(1, h["variant"].nunique())))
    return vl.chart(
        data={"values": vl.records(h)},
        facet=histogram_facet(scale, tr),
        spec=cell,
        spacing={"row": 2, "column": 12},
        title=tr(title_key),
    )


def act_histograms(act_hist: pd.DataFrame, epoch: int, tr: Text, scale: VariantScale) -> dict:
    """The activations' histograms at ``epoch`` (:func:`layer_histograms`)."""
    return layer_histograms(act_hist, epoch, tr, scale, "chart_act_hist", "ax_activation")
