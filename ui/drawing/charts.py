"""Chart builders: plain functions ``DataFrame -> alt.Chart``, testable without a running app
(the charts a page shows on its first view or redraws while a run trains return a Vega-Lite
spec dict instead: see :mod:`ui.drawing.vegalite`).

Every builder takes the tidy frames of :class:`core.Comparison` (``variant`` and ``seed``
columns first), a :class:`ui.text.i18n.Text` for titles, and a colour scale from
:func:`variant_colors` so that a variant has the same colour in every chart of a page.
With several seeds, lines show the mean over seeds and a band the min-max range.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..text.format import power_of_ten
from ..text.i18n import Text
from . import vegalite as vl

# Frames are bounded by construction (and long step series bucketed below), so Altair's 5000-row
# guard would only turn a large, legitimate request (batch size 1) into an error.
alt.data_transformers.disable_max_rows()

#: Okabe-Ito colours: distinguishable with the common colour-vision deficiencies; a mid grey
#: instead of their black, which would vanish on the dark theme.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C8C8C"]
#: Reference rules, guide lines and their notes: legible on Streamlit's light (#ffffff) and
#: dark (#0e1117) backgrounds alike, WCAG contrast 4.54:1 and 4.16:1.
NEUTRAL = "#767676"
MAX_HIST_ROWS = 12
#: Total height of a chart drawn at the container's width (Streamlit fits title, axes and
#: legend into it, so it must leave room for a legend of several variants below the plot).
STRETCH_HEIGHT = 470


def variant_colors(variants: list[str], among: list[str] | None = None) -> alt.Scale:
    """One fixed colour per variant, in the order given; with ``among`` (a page's full list of
    labels), each variant keeps the colour it has on that page."""
    order = list(dict.fromkeys([*(among or []), *variants]))  # unknown ones after the page's
    colours = [PALETTE[order.index(v) % len(PALETTE)] for v in variants]
    return alt.Scale(domain=list(variants), range=colours or PALETTE[:1])


def log_y(field: str, title: str | None) -> alt.Y:
    """A log-scale y encoding labelled in powers of ten (``1e-6``)."""
    return alt.Y(
        field, title=title, scale=alt.Scale(type="log"), axis=alt.Axis(labelExpr=vl.POWER_LABELS)
    )


def variant_tip(tr: Text) -> alt.Tooltip:
    """The variant in a tooltip, titled in the page's language."""
    return alt.Tooltip("variant:N", title=tr("ax_variant"))


def number_tip(frame_field: str, title: str) -> alt.Tooltip:
    """A number in a tooltip written as the page writes numbers: the chart must add
    ``<field>_text`` (:func:`ui.drawing.vegalite.as_text`, see :func:`with_text`)."""
    return alt.Tooltip(f"{frame_field}_text:N", title=title)


def with_text(chart, column: str):
    """``chart`` with ``<column>_text`` calculated for :func:`number_tip`."""
    calc = vl.as_text(column)
    return chart.transform_calculate(**{calc["as"]: calc["calculate"]})


#: Point shapes and dash patterns per variant, so that variants differ by more than colour
#: (a projector, a greyscale printout, colour-vision deficiencies).
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 2]]


#: The variants' legend on a page's charts: below the plot, one variant per row (two columns
#: would be cut off on a phone).
BELOW = {"orient": "bottom", "columns": 1, "labelLimit": 320}


def legend() -> alt.Legend:
    """:data:`BELOW`, for an Altair chart."""
    return alt.Legend(**BELOW)


def variant_channel(
    scale: alt.Scale, tr: Text, patterns: list | None = None, legend: dict = BELOW
) -> dict:
    """:func:`ui.drawing.vegalite.variant` with the ``legend`` (:data:`BELOW`): the variant as the
    colours of ``scale``, or with ``patterns`` (:data:`SHAPES`, :data:`DASHES`) in the same
    legend."""
    return vl.variant(scale, tr("ax_variant"), legend, patterns)


def _color(scale: alt.Scale, tr: Text) -> alt.Color:
    return alt.Color("variant:N", scale=scale, title=tr("ax_variant"), legend=legend())


def _by_variant(channel, scale: alt.Scale, tr: Text, patterns: list):
    """``channel`` (alt.Shape, alt.StrokeDash) giving each variant of ``scale`` its pattern, in
    one legend with the colours (same field and title)."""
    patterns = patterns[: len(scale.domain)]
    return channel(
        "variant:N",
        scale=alt.Scale(domain=scale.domain, range=patterns),
        title=tr("ax_variant"),
        legend=legend(),
    )


def _shape(scale: alt.Scale, tr: Text) -> alt.Shape:
    """A point shape per variant."""
    return _by_variant(alt.Shape, scale, tr, SHAPES)


def _dash(scale: alt.Scale, tr: Text) -> alt.StrokeDash:
    """A dash pattern per variant."""
    return _by_variant(alt.StrokeDash, scale, tr, DASHES)


def seed_band(frame: pd.DataFrame, keys: list[str], value: str) -> pd.DataFrame:
    """Mean, min and max of ``value`` over seeds for each ``keys`` group, non-finite dropped."""
    finite = frame[np.isfinite(frame[value].astype(float))]
    return (
        finite.groupby(keys, sort=False)[value]
        .agg(mean="mean", low="min", high="max", seeds="count")
        .reset_index()
    )


def _line_with_band(band: pd.DataFrame, x: alt.X, x_title: str, y_title: str, scale, tr):
    """The mean as a line with points; with several seeds, their range as a band."""
    y = alt.Y("mean:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip = [
        variant_tip(tr),
        alt.Tooltip(x.shorthand, title=x_title),
        alt.Tooltip("mean:Q", format=".3~g", title=y_title),
    ]
    base = alt.Chart(band).encode(x=x, color=_color(scale, tr))
    line = base.mark_line(point=True).encode(y=y, shape=_shape(scale, tr), tooltip=tooltip)
    layers = [line]
    if band["seeds"].max() > 1:
        layers.insert(0, base.mark_area(opacity=0.2).encode(y="low:Q", y2="high:Q"))
    return alt.layer(*layers)


def training_curves(
    metrics: pd.DataFrame, tr: Text, scale: alt.Scale, diverged: pd.DataFrame | None = None
) -> dict:
    """Loss (log scale) and accuracy per epoch; train dashed, validation solid (a Vega-Lite
    spec written as a dict, see :mod:`ui.drawing.vegalite`: the live curves are redrawn while a run
    trains).

    ``diverged``: rows ``variant, seed, diverged_at``; a marker is drawn at each divergence.
    """
    split_names = {"train": tr("split_train"), "val": tr("split_val")}
    m = metrics[metrics["split"].isin(split_names)]
    m = m.assign(split=m["split"].map(split_names))
    color = variant_channel(scale, tr)
    x = vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis={"tickMinStep": 1})
    splits = [split_names["val"], split_names["train"]]
    dash = split_dash(splits, [[1, 0], [5, 3]], tr("ax_split")).to_dict()
    datasets, panels = {}, []
    for value, title, log in (
        ("loss", tr("ax_loss"), True),
        ("accuracy", tr("ax_accuracy"), False),
    ):
        band = seed_band(m, ["variant", "split", "epoch"], value)
        datasets[value] = vl.records(band)
        y = vl.field("mean", "quantitative", title=title)
        y.update(
            {"scale": {"type": "log"}, "axis": {"labelExpr": vl.POWER_LABELS}}
            if log
            else {"scale": {"domain": [0, 1]}, "axis": {"format": "%"}}
        )
        shown = (
            vl.field("mean_text", "nominal", title=title)
            if log
            else vl.field("mean", "quantitative", format=".1%", title=title)
        )
        tooltip = [
            vl.field("variant", "nominal", title=tr("ax_variant")),
            vl.field("split", "nominal", title=tr("ax_split")),
            vl.field("epoch", "quantitative", title=tr("ax_epoch")),
            shown,
        ]
        # only the lines carry the split's dash: a point or area layer with it would draw the
        # legend's swatches as filled symbols, which cannot show a dash
        layers = [
            {
                "mark": {"type": "line"},
                "transform": [vl.as_text("mean")],
                "encoding": {"x": x, "y": y, "color": color, "strokeDash": dash,
                             "tooltip": tooltip},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 40},
                "transform": [{"filter": f"datum.split == {vl.literal(split_names['val'])}"}],
                "encoding": {"x": x, "y": y, "color": color,
                             "shape": variant_channel(scale, tr, SHAPES)},
            },
        ]  # fmt: skip
        if band["seeds"].max() > 1:
            area = {"x": x, "y": vl.field("low", "quantitative"), "y2": {"field": "high"}}
            layers.insert(
                0, {"mark": {"type": "area", "opacity": 0.15}, "encoding": {**area, "color": color}}
            )
        if diverged is not None and diverged["diverged_at"].notna().any():
            marks = _diverged_marks(band, diverged, tr)
            datasets[f"{value}_diverged"] = vl.records(marks)
            at = {"x": vl.field("epoch", "quantitative"), "y": vl.field("mean", "quantitative"),
                  "color": color}  # fmt: skip
            layers += [
                {"data": {"name": f"{value}_diverged"},
                 "mark": {"type": "point", "shape": "cross", "size": 160, "strokeWidth": 3},
                 "encoding": at},
                {"data": {"name": f"{value}_diverged"},
                 "mark": {"type": "text", "dy": -12, "fontWeight": "bold"},
                 "encoding": {**at, "text": vl.field("label", "nominal")}},
            ]  # fmt: skip
        panels.append({"data": {"name": value}, "layer": layers, "width": 300, "height": 220})
    return {
        "$schema": vl.SCHEMA,
        "datasets": datasets,
        "hconcat": panels,
        "title": tr("chart_curves"),
    }


def split_dash(splits: list[str], dashes: list[list[int]], title: str | None) -> alt.StrokeDash:
    """A dash pattern per split (train / validation, moving / batch statistics), with line
    swatches in its legend."""
    return alt.StrokeDash(
        "split:N",
        title=title,
        scale=alt.Scale(domain=splits, range=dashes),
        legend=alt.Legend(
            symbolType="stroke", symbolStrokeWidth=2, symbolSize=300, symbolStrokeColor=NEUTRAL
        ),
    )


def _diverged_marks(band: pd.DataFrame, diverged: pd.DataFrame, tr: Text) -> pd.DataFrame:
    """Where to mark each diverged variant: ``variant, epoch, mean, label`` at the epoch it
    diverged, level with its last recorded value."""
    rows = []
    for variant, d in diverged.dropna(subset=["diverged_at"]).groupby("variant"):
        b = band[band["variant"] == variant]
        if b.empty:
            continue
        last = b.sort_values("epoch").iloc[-1]
        rows.append(
            {"variant": variant, "epoch": int(d["diverged_at"].min()), "mean": last["mean"]}
        )
    return pd.DataFrame(rows, columns=["variant", "epoch", "mean"]).assign(
        label=tr("diverged_marker")
    )


def shown_layers(n_layers: int, most: int = MAX_HIST_ROWS) -> list[int]:
    """Layers to draw as rows: all of them, or ``most`` evenly spaced including 1 and the last."""
    if n_layers <= most:
        return list(range(1, n_layers + 1))
    return sorted({int(round(x)) for x in np.linspace(1, n_layers, most)})


#: Width at which an overflow bin (an edge at ±inf) is drawn beyond the last finite edge.
OVERFLOW_WIDTH = 0.4


def drawable_bins(hist: pd.DataFrame) -> pd.DataFrame:
    """``hist`` with overflow bins (an infinite edge) drawn :data:`OVERFLOW_WIDTH` wide just
    beyond the finite range, and a boolean column ``overflow`` marking them."""
    low, high = np.isneginf(hist["bin_start"]), np.isposinf(hist["bin_end"])
    return hist.assign(
        bin_start=hist["bin_start"].where(~low, hist["bin_end"] - OVERFLOW_WIDTH),
        bin_end=hist["bin_end"].where(~high, hist["bin_start"] + OVERFLOW_WIDTH),
        overflow=low | high,
    )


def layer_histograms(
    hist: pd.DataFrame, epoch: int, tr: Text, scale: alt.Scale, title_key: str, x_key: str
) -> alt.Chart:
    """Small multiples: one row per layer (a subset when there are many), one column per
    variant; bars are the share of the layer's values in each bin, first seed only. Overflow
    bins (see :func:`drawable_bins`) are drawn lighter, just beyond the finite range."""
    h = hist[(hist["epoch"] == epoch) & (hist["seed"] == hist["seed"].min())]
    h = drawable_bins(
        h[h["layer"].isin(shown_layers(int(hist["layer"].max()) if len(hist) else 0))]
    )
    totals = h.groupby(["variant", "layer"])["count"].transform("sum")
    h = h.assign(share=h["count"] / totals)
    chart = (
        alt.Chart(h)
        .mark_rect()
        .encode(
            x=alt.X("bin_start:Q", title=tr(x_key), bin="binned"),
            x2="bin_end:Q",
            y=alt.Y("share:Q", title=None, axis=None),
            y2=alt.datum(0),
            color=_color(scale, tr),
            opacity=alt.condition("datum.overflow", alt.value(0.45), alt.value(1.0)),
            tooltip=[
                variant_tip(tr),
                alt.Tooltip("layer:O", title=tr("ax_layer")),
                alt.Tooltip("bin_start:Q", title=tr(x_key), format=".2f"),
                alt.Tooltip("share:Q", title=tr("ax_share"), format=".1%"),
            ],
        )
        .properties(width=max(120, min(200, 860 // max(1, h["variant"].nunique()))), height=28)
    )
    return chart.facet(
        row=alt.Row("layer:O", title=tr("ax_layer"), header=alt.Header(labelAngle=0)),
        column=alt.Column("variant:N", title=None, sort=list(scale.domain)),
        spacing={"row": 2, "column": 12},
    ).properties(title=tr(title_key))


def act_histograms(act_hist, epoch, tr, scale) -> alt.Chart:
    return layer_histograms(act_hist, epoch, tr, scale, "chart_act_hist", "ax_activation")


def function_and_derivative(
    frame: pd.DataFrame, tr: Text, saturated: pd.DataFrame, tangent: pd.DataFrame
) -> alt.Chart:
    """The overview's logistic figure.

    frame: ``z, value, curve`` (curve = function or derivative name); saturated: ``start,
    end`` intervals shaded; tangent: ``z, value`` of the slope-1/4 line through (0, 1/2).
    """
    shade = (
        alt.Chart(saturated.assign(label=tr("ov_saturating")))
        .mark_rect(opacity=0.12, color="#D55E00")
        .encode(
            x=alt.X("start:Q", title="z"),
            x2="end:Q",
            tooltip=[alt.Tooltip("label:N", title=tr("ax_region"))],
        )
    )
    curves = (
        alt.Chart(frame)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("z:Q", title="z"),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("curve:N", title=None, scale=alt.Scale(range=PALETTE[:2])),
            tooltip=[
                alt.Tooltip("curve:N", title=tr("ax_curve")),
                alt.Tooltip("z:Q", title="z", format=".2f"),
                alt.Tooltip("value:Q", title=tr("ax_value"), format=".4f"),
            ],
        )
    )
    at = {"x": alt.X("z:Q", title="z"), "y": alt.Y("value:Q", title=None)}
    line = alt.Chart(tangent).mark_line(strokeDash=[4, 4], color=NEUTRAL).encode(**at)
    label = (
        alt.Chart(tangent.iloc[[-1]].assign(label=tr("ov_tangent")))
        .mark_text(align="left", dx=4, color=NEUTRAL)
        .encode(**at, text="label:N")
    )
    return alt.layer(shade, curves, line, label).properties(
        title=tr("ov_sigmoid_chart"), width=520, height=260
    )


def measured_vs_theory(
    measured: pd.DataFrame, theory: pd.DataFrame, tr: Text, scale: alt.Scale
) -> dict:
    """Activation std by layer: measured (dots and line) and predicted (dashed), log scale (a
    Vega-Lite spec written as a dict: the initialization page shows it on its first view).

    measured: ``variant, layer, mean`` (mean over seeds); theory: ``variant, layer, mean``.
    A measured std of exactly 0 (all-zero weights) is drawn on a row of its own at the bottom
    of the axis, labelled 0 (see :func:`ui.drawing.vegalite.zero_floor`).
    """
    color = variant_channel(scale, tr)
    x = vl.field("layer", "quantitative", title=tr("ax_layer"), axis={"tickMinStep": 1})
    positive = pd.concat([measured["mean"], theory["mean"]])
    positive = positive[positive > 0]
    zeros = measured[measured["mean"] == 0]
    floor = vl.zero_floor(float(positive.min()) if len(positive) else 1.0) if len(zeros) else None
    labels = (
        vl.POWER_LABELS
        if floor is None
        else f"datum.value <= {floor:.6g} ? '0' : {vl.POWER_LABELS}"
    )
    log = {"type": "log"}
    if floor is not None:
        log["domain"] = [floor, float(positive.max()) if len(positive) else 10.0]
    axis = {"labelExpr": labels}
    if len(positive):
        axis["values"] = vl.log_ticks(floor or float(positive.min()), float(positive.max()))
    y = vl.field("mean", "quantitative", title=tr("ax_act_std"), scale=log, axis=axis)
    measured = measured[measured["mean"] > 0]
    tooltip = [
        vl.field("variant", "nominal", title=tr("ax_variant")),
        vl.field("layer", "quantitative", title=tr("ax_layer")),
        vl.field("mean_text", "nominal", title=tr("ax_act_std")),
    ]
    text = [vl.as_text("mean")]
    dashed = {"type": "line", "strokeDash": [6, 4], "strokeWidth": 2, "opacity": 0.8}
    shape = variant_channel(scale, tr, SHAPES)
    spec = {
        "$schema": vl.SCHEMA,
        "datasets": {"measured": vl.records(measured), "theory": vl.records(theory)},
        "layer": [
            {"data": {"name": "theory"}, "mark": dashed, "transform": text,
             "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip}},
            {"data": {"name": "measured"}, "mark": {"type": "line", "point": True},
             "transform": text,
             "encoding": {"x": x, "y": y, "color": color, "shape": shape, "tooltip": tooltip}},
        ],
        "height": STRETCH_HEIGHT,
    }  # fmt: skip
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


def weight_histograms(counts: pd.DataFrame, tr: Text, scale: alt.Scale) -> alt.Chart:
    """One panel per initializer: the drawn weights' histogram, truncation bounds dashed.

    counts: ``variant, bin_start, bin_end, count, bound`` where ``bound`` is the variant's
    truncation bound (NaN when its distribution has none).
    """
    base = alt.Chart()
    bars = base.mark_rect().encode(
        x=alt.X("bin_start:Q", bin="binned", title=tr("ax_weight")),
        x2="bin_end:Q",
        y=alt.Y("count:Q", title=tr("ax_count")),
        color=_color(scale, tr),
        tooltip=[
            variant_tip(tr),
            alt.Tooltip("bin_start:Q", title=tr("ax_weight"), format=".3f"),
            alt.Tooltip("count:Q", title=tr("ax_count")),
        ],
    )
    bound = base.transform_aggregate(hi="max(bound)", groupby=["variant"]).transform_calculate(
        lo="-datum.hi"
    )
    rule = {"strokeDash": [4, 3], "color": NEUTRAL}
    return (
        alt.layer(
            bars,
            bound.mark_rule(**rule).encode(x=alt.X("hi:Q", title=tr("ax_weight"))),
            bound.mark_rule(**rule).encode(x=alt.X("lo:Q", title=tr("ax_weight"))),
            data=counts,
        )
        .properties(width=150, height=150)
        .facet(facet=alt.Facet("variant:N", title=None, sort=list(scale.domain)), columns=4)
        .resolve_scale(x="independent", y="independent")
    )


def activation_gallery(curves: pd.DataFrame, flat: pd.DataFrame, tr: Text) -> alt.Chart:
    """Small multiples of f (solid) and f' (dashed) per activation, flat regions shaded.

    curves: ``activation, z, value, curve`` (curve "f" or "f'"); flat: ``activation, start, end``.
    """
    shade = (
        alt.Chart()
        .transform_filter(alt.datum.start != None)  # noqa: E711 (a Vega expression)
        .mark_rect(opacity=0.12, color="#D55E00")
        .encode(x=alt.X("start:Q", title="z"), x2="end:Q")
    )
    lines = (
        alt.Chart()
        .transform_filter(alt.datum.z != None)  # noqa: E711
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("z:Q", title="z"),
            y=alt.Y("value:Q", title=None),
            strokeDash=alt.StrokeDash(
                "curve:N",
                title=None,
                scale=alt.Scale(domain=["f", "f'"], range=[[1, 0], [5, 3]]),
                legend=alt.Legend(orient="bottom"),
            ),
            color=alt.value(PALETTE[0]),
            tooltip=[
                alt.Tooltip("activation:N", title=tr("ax_function")),
                alt.Tooltip("curve:N", title=tr("ax_curve")),
                alt.Tooltip("z:Q", title="z", format=".2f"),
                alt.Tooltip("value:Q", title=tr("ax_value"), format=".3f"),
            ],
        )
    )
    data = pd.concat([curves, flat], ignore_index=True)
    return (
        alt.layer(shade, lines, data=data)
        .properties(width=190, height=140)
        .facet(
            facet=alt.Facet(
                "activation:N", title=None, sort=list(dict.fromkeys(curves["activation"]))
            ),
            columns=4,
        )
        .resolve_scale(y="independent")
        .properties(title=tr("ac_gallery"))
    )


def layer_epoch_heatmap(frame: pd.DataFrame, value: str, tr: Text, title: str) -> dict:
    """Share per (epoch, layer) as colour, one panel per variant (a Vega-Lite spec written as a
    dict: the activations page shows it on its first view). frame: ``variant, epoch, layer,
    <value>`` (mean over seeds)."""
    # one scale from 0 to 100 % on every page, so that a colour always means the same share (a
    # scale stretched to the largest share measured would paint 5 % as deep as 100 %)
    colour = vl.field(value, "quantitative", title=tr(f"ax_{value}"), legend={"format": "%"},
                      scale={"domain": [0, 1], "scheme": "orangered"})  # fmt: skip
    tooltip = [
        vl.field("variant", "nominal", title=tr("ax_variant")),
        vl.field("epoch", "ordinal", title=tr("ax_epoch")),
        vl.field("layer", "ordinal", title=tr("ax_layer")),
        vl.field(value, "quantitative", title=tr(f"ax_{value}"), format=".1%"),
    ]
    cells = {
        "mark": {"type": "rect"},
        "encoding": {
            "x": vl.field("epoch", "ordinal", title=tr("ax_epoch")),
            "y": vl.field("layer", "ordinal", title=tr("ax_layer")),
            "color": colour,
            "tooltip": tooltip,
        },
        "width": 180,
        "height": 200,
    }
    return {
        "$schema": vl.SCHEMA,
        "data": {"values": vl.records(frame)},
        "facet": {"column": vl.field("variant", "nominal", title=None)},
        "spec": cells,
        "title": title,
    }


#: Most cells of a layer-by-epoch panel that still get their number written in them.
MAX_LABELLED_CELLS = 400


def zero_grid(frame: pd.DataFrame, tr: Text, title: str, kinds: list[str]) -> dict:
    """One cell per (kind, layer) with its value written in it, exact zeros grey and the rest
    orange, so that which values are exactly 0 reads at a glance (a Vega-Lite spec). frame:
    ``layer, what, largest`` (``what`` one of ``kinds``, in their order as rows)."""
    frame = frame.assign(
        text=[power_of_ten(float(x)) for x in frame["largest"]],
        zero=frame["largest"].eq(0).to_numpy(),
    )
    x = vl.field("layer", "ordinal", title=tr("ax_layer"), axis={"labelAngle": 0})
    y = vl.field("what", "nominal", title=None, sort=kinds, axis={"labelLimit": 220})
    tooltip = [
        vl.field("what", "nominal", title=tr("ax_parameters")),
        vl.field("layer", "ordinal", title=tr("ax_layer")),
        vl.field("text", "nominal", title=tr("ax_largest_gradient")),
    ]
    fill = {"condition": {"test": "datum.zero", "value": NEUTRAL}, "value": PALETTE[1]}
    return {
        "$schema": vl.SCHEMA,
        "data": {"values": vl.records(frame)},
        "title": {"text": title, "anchor": "start"},
        "encoding": {"x": x, "y": y},
        "layer": [
            {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
             "encoding": {"color": fill, "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 11},
             "encoding": {"text": vl.field("text", "nominal"), "color": {"value": "white"}}},
        ],
        "width": {"step": 52},
        "height": {"step": 30},
    }  # fmt: skip


def distinct_units(frame: pd.DataFrame, width: int, tr: Text) -> alt.Chart:
    """Distinct units per (epoch, hidden layer), one panel per variant (in ``frame``'s order):
    the colour on a log scale from 1 (a layer of copies, light) to ``width`` (every unit
    different, dark), the count written in each cell when the panels are small enough.
    frame: ``variant, epoch, layer, distinct_units``."""
    variants = list(dict.fromkeys(frame["variant"]))
    base = alt.Chart().encode(
        x=alt.X("epoch:O", title=tr("ax_epoch"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("layer:O", title=tr("ax_layer")),
    )
    value = "distinct_units:Q"
    cells = base.mark_rect().encode(
        color=alt.Color(
            value,
            title=tr("ax_distinct_units"),
            scale=alt.Scale(type="log", domain=[1, max(width, 2)], scheme="blues"),
            legend=alt.Legend(format="d", values=sorted({1, max(width, 2)})),
        ),
        tooltip=[
            variant_tip(tr),
            alt.Tooltip("epoch:O", title=tr("ax_epoch")),
            alt.Tooltip("layer:O", title=tr("ax_layer")),
            alt.Tooltip(value, title=tr("ax_distinct_units"), format=".0f"),
        ],
    )
    layers = [cells]
    if frame.groupby("variant").size().max() <= MAX_LABELLED_CELLS:
        dark = f"datum.distinct_units > {max(width, 2) ** 0.5}"
        layers.append(
            base.mark_text(fontSize=11).encode(
                text=alt.Text(value, format=".0f"),
                color=alt.condition(dark, alt.value("white"), alt.value("black")),
            )
        )
    return (
        alt.layer(*layers, data=frame)
        .properties(width=220, height=alt.Step(22))
        .facet(column=alt.Column("variant:N", title=None, sort=variants))
        .properties(title=tr("chart_distinct_units"))
    )


def bn_gap(metrics: pd.DataFrame, tr: Text, scale: alt.Scale) -> dict:
    """Validation accuracy per epoch with moving averages (solid) and batch statistics (dotted)
    (a Vega-Lite spec written as a dict: the batch normalization page shows it on its first
    view). metrics: the comparison's metrics with splits ``val`` and ``val_batch_stats``."""
    names = {"val": tr("bn_moving"), "val_batch_stats": tr("bn_batch")}
    # the page's colours and shapes, and a legend of the variants drawn (those with BN)
    legend = {**BELOW, "values": list(dict.fromkeys(metrics["variant"]))}
    m = metrics[metrics["split"].isin(names)]
    band = seed_band(
        m.assign(split=m["split"].map(names)), ["variant", "split", "epoch"], "accuracy"
    )
    encoding = {
        "x": vl.field("epoch", "quantitative", title=tr("ax_epoch"), axis={"tickMinStep": 1}),
        "y": vl.field("mean", "quantitative", title=tr("ax_accuracy"), scale={"domain": [0, 1]},
                      axis={"format": "%"}),
        "color": variant_channel(scale, tr, legend=legend),
        "tooltip": [vl.field("variant", "nominal", title=tr("ax_variant")),
                    vl.field("split", "nominal", title=tr("ax_normalized_with")),
                    vl.field("epoch", "quantitative", title=tr("ax_epoch")),
                    vl.field("mean", "quantitative", title=tr("ax_accuracy"), format=".1%")],
    }  # fmt: skip
    dash = split_dash(list(names.values()), [[1, 0], [2, 3]], None).to_dict()
    shape = variant_channel(scale, tr, SHAPES, legend)
    return {
        "$schema": vl.SCHEMA,
        "data": {"values": vl.records(band)},
        "layer": [
            {"mark": {"type": "line"}, "encoding": {**encoding, "strokeDash": dash}},
            {"mark": {"type": "point", "filled": True, "size": 40},
             "encoding": {**encoding, "shape": shape}},
        ],
        "height": STRETCH_HEIGHT,
    }  # fmt: skip


def moving_average_trace(trace: pd.DataFrame, tr: Text) -> alt.Chart:
    """Relative error of BN's moving mean and variance per step, one line per convention (a
    PyTorch line dashed: its momentum 0.1 is Keras' 0.9, so the two lines overlap)."""
    long = trace.melt(
        id_vars=["step", "label", "convention"],
        value_vars=["mean_error", "var_error"],
        var_name="what",
        value_name="error",
    )
    long["what"] = long["what"].map(
        {"mean_error": tr("bn_trace_mean"), "var_error": tr("bn_trace_var")}
    )
    long = long[long["error"] > 0]
    return (
        with_text(alt.Chart(long), "error")
        .mark_line()
        .encode(
            x=alt.X("step:Q", title=tr("ax_step")),
            y=log_y("error:Q", None),
            color=alt.Color(
                "label:N",
                title=None,
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(orient="bottom", labelLimit=300),
            ),
            strokeDash=alt.StrokeDash(
                "convention:N",
                scale=alt.Scale(domain=["keras", "torch"], range=[[1, 0], [6, 4]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("label:N", title=tr("ax_convention")),
                alt.Tooltip("step:Q", title=tr("ax_step")),
                number_tip("error", tr("ax_relative_error")),
            ],
        )
        .properties(width=380, height=240)
        .facet(column=alt.Column("what:N", title=None))
    )


def accuracy_grid(frame: pd.DataFrame, tr: Text) -> alt.Chart:
    """Heatmap of final validation accuracy: rows initializer, columns BN placement.
    frame: ``init, bn, accuracy``."""
    base = alt.Chart(frame).encode(
        x=alt.X("bn:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=240, orient="top")),
        y=alt.Y("init:N", title=None),
    )
    return alt.layer(
        base.mark_rect().encode(
            color=alt.Color(
                "accuracy:Q",
                scale=alt.Scale(domain=[0, 1], scheme="viridis"),
                legend=alt.Legend(format="%"),
                title=tr("ax_accuracy"),
            ),
            tooltip=[
                alt.Tooltip("init:N", title=tr("ax_init")),
                alt.Tooltip("bn:N", title=tr("ax_bn")),
                alt.Tooltip("accuracy:Q", title=tr("ax_accuracy"), format=".1%"),
            ],
        ),
        base.mark_text(fontSize=14, fontWeight="bold").encode(
            text=alt.Text("accuracy:Q", format=".0%"),
            color=alt.condition("datum.accuracy > 0.5", alt.value("black"), alt.value("white")),
        ),
    ).properties(width=420, height=220)


def lr_sweep(frame: pd.DataFrame, tr: Text, scale: alt.Scale) -> alt.Chart:
    """Final training loss against the learning rate (log-log), one line per variant; a
    diverged run is drawn as a cross at the top. frame: ``variant, lr, loss, diverged``."""
    return sweep(frame, "lr", tr("lr"), "loss", tr("ax_loss"), True, scale, tr)


def sweep(
    frame: pd.DataFrame, x: str, x_title: str, y: str, y_title: str, log_y_axis: bool, scale, tr
) -> alt.Chart:
    """``y`` against ``x`` (log scale), one line per variant; a diverged run (column
    ``diverged``) is drawn as a cross at the top of the plot instead of a point."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(type="log")), color=_color(scale, tr)
    )
    y_enc = (
        log_y(f"{y}:Q", y_title)
        if log_y_axis
        else alt.Y(
            f"{y}:Q", title=y_title, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
        )
    )
    kept = base.transform_filter("!datum.diverged")
    finite = (
        (with_text(kept, y) if log_y_axis else kept)
        .mark_line(point=True)
        .encode(
            y=y_enc,
            shape=_shape(scale, tr),
            tooltip=[
                variant_tip(tr),
                alt.Tooltip(f"{x}:Q", title=x_title, format="~g"),
                number_tip(y, y_title)
                if log_y_axis
                else alt.Tooltip(f"{y}:Q", title=y_title, format=".1%"),
            ],
        )
    )
    crosses = (
        base.transform_filter("datum.diverged")
        .mark_point(shape="cross", size=160, strokeWidth=3)
        .encode(
            y=alt.value(8),
            tooltip=[
                variant_tip(tr),
                alt.Tooltip(f"{x}:Q", title=x_title, format="~g"),
                alt.Tooltip("outcome:N", title=y_title),
            ],
        )
        .transform_calculate(outcome=vl.literal(tr("trend_diverged")))
    )
    return alt.layer(finite, crosses).properties(height=STRETCH_HEIGHT)


def clipping_geometry(arrows: pd.DataFrame, threshold: float, tr: Text) -> dict:
    """Arrows from the origin (rows ``label, x, y``; the first row, the raw gradient's
    direction, drawn as a dashed ray), the value-clipping square and the norm circle of radius
    ``threshold``, on equal axes (a square plot with the same domain on both); a Vega-Lite
    spec written as a dict (the gradient clipping page shows it on its first view)."""
    c = threshold
    extent = 1.6 * max(c, float(np.abs(arrows[["x", "y"]].to_numpy()).max()))
    theta = np.linspace(0, 2 * np.pi, 121)
    circle = pd.DataFrame({"x": c * np.cos(theta), "y": c * np.sin(theta), "order": np.arange(121)})
    square = pd.DataFrame({"x": [-c, c, c, -c, -c], "y": [-c, -c, c, c, -c], "order": range(5)})
    equal = {"domain": [-extent, extent]}
    x = vl.field("x", "quantitative", scale=equal, title="g₁")
    y = vl.field("y", "quantitative", scale=equal, title="g₂")
    outline = {"x": x, "y": y, "order": vl.field("order", "quantitative")}
    colour = vl.field(
        "label", "nominal", title=None,
        scale={"domain": list(arrows["label"]), "range": [NEUTRAL, PALETTE[1], PALETTE[0]]},
        legend={**BELOW, "labelLimit": 300},
    )  # fmt: skip
    ends = arrows.assign(x0=0.0, y0=0.0)
    rule = {"x": vl.field("x0", "quantitative", title="g₁"),
            "y": vl.field("y0", "quantitative", title="g₂"),
            "x2": {"field": "x"}, "y2": {"field": "y"}, "color": colour}  # fmt: skip
    tooltip = [vl.field("label", "nominal", title=tr("ax_vector")),
               vl.field("x", "quantitative", title="g₁", format=".3g"),
               vl.field("y", "quantitative", title="g₂", format=".3g")]  # fmt: skip
    clipped = {"values": vl.records(ends.iloc[1:])}
    return {
        "$schema": vl.SCHEMA,
        "layer": [
            {"data": {"values": vl.records(square)}, "encoding": outline,
             "mark": {"type": "line", "color": PALETTE[1], "strokeDash": [3, 3]}},
            {"data": {"values": vl.records(circle)}, "encoding": outline,
             "mark": {"type": "line", "color": PALETTE[0], "strokeDash": [3, 3]}},
            {"data": {"values": vl.records(ends.iloc[:1])}, "encoding": rule,
             "mark": {"type": "rule", "strokeWidth": 2, "strokeDash": [6, 4]}},
            {"data": clipped, "encoding": rule, "mark": {"type": "rule", "strokeWidth": 3}},
            {"data": clipped, "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip},
             "mark": {"type": "point", "filled": True, "size": 90}},
        ],
        "width": 300,
        "height": 300,
        "autosize": {"type": "pad"},
    }  # fmt: skip


#: Steps per variant drawn one by one on the step-norm chart; a longer run is drawn as the
#: largest norm of each run of consecutive steps, so that a spike is never averaged away.
MAX_STEPS = 2500


def step_stride(n_steps: int, most: int = MAX_STEPS) -> int:
    """How many consecutive steps one point of the step-norm chart stands for."""
    return max(1, -(-n_steps // most))


def step_norms(
    steps: pd.DataFrame, tr: Text, scale: alt.Scale, threshold: float | None = None
) -> alt.Chart:
    """Global gradient norm before clipping at every step, log scale (first seed; a run longer
    than :data:`MAX_STEPS` drawn as the largest norm of every :func:`step_stride` steps), the
    steps that clipping changed marked, and ``threshold`` (the global-norm clipping threshold)
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
        alt.Tooltip("step:Q", title=tr("ax_step")),
        alt.Tooltip("epoch:Q", title=tr("ax_epoch")),
        number_tip("grad_norm", tr("ax_step_norm")),
    ]
    base = with_text(alt.Chart(s), "grad_norm").encode(
        x=alt.X("step:Q", title=tr("ax_step")),
        y=log_y("grad_norm:Q", tr("ax_step_norm")),
        color=_color(scale, tr),
    )
    lines = base.mark_line(strokeWidth=1.2, opacity=0.85).encode(
        strokeDash=_dash(scale, tr), tooltip=tooltip
    )
    marked = (
        base.transform_filter("datum.clipped")
        .mark_point(shape="diamond", filled=True, size=45, opacity=0.9)
        .encode(tooltip=[*tooltip, alt.Tooltip("what:N", title=tr("ax_step"))])
        .transform_calculate(what=vl.literal(tr("cl_clipped_step")))
    )
    layers = [lines, marked]
    if threshold is not None:
        label = tr("cl_threshold_line", threshold=f"{threshold:g}")
        last = float(s["step"].max()) if len(s) else 0.0
        rule = pd.DataFrame({"y": [threshold], "step": [last], "label": [label]})
        line = alt.Chart(rule).encode(y=alt.Y("y:Q", title=tr("ax_step_norm")))
        layers += [
            line.mark_rule(color=NEUTRAL, strokeDash=[6, 4], strokeWidth=1.5),
            # named at the right end, above the line, where the steps of a run that learned
            # have fallen far below it
            line.mark_text(align="right", baseline="bottom", dy=-3, color=NEUTRAL).encode(
                x=alt.X("step:Q", title=tr("ax_step")), text="label:N"
            ),
        ]
    return alt.layer(*layers).properties(height=STRETCH_HEIGHT, title=tr("cl_norm_chart"))


def per_epoch(
    frame: pd.DataFrame, value: str, tr: Text, scale: alt.Scale, title_key: str, y_key: str
) -> alt.Chart:
    """A per-epoch statistic (mean over seeds) as lines, e.g. share of steps clipped."""
    band = seed_band(frame, ["variant", "epoch"], value)
    x = alt.X("epoch:Q", title=tr("ax_epoch"), axis=alt.Axis(tickMinStep=1))
    return _line_with_band(band, x, tr("ax_epoch"), tr(y_key), scale, tr).properties(
        title=alt.TitleParams(tr(title_key), anchor="start"), height=STRETCH_HEIGHT
    )


def decision_boundaries(grid: pd.DataFrame, points: pd.DataFrame, tr: Text) -> alt.Chart:
    """One panel per variant: predicted class per grid cell (opacity = confidence) and the
    validation points. grid: ``variant, x, x2, y, y2, label, confidence``; points: ``x, y,
    label`` (drawn in every panel)."""
    variants = list(dict.fromkeys(grid["variant"]))
    data = pd.concat(
        [grid.assign(kind="cell")] + [points.assign(variant=v, kind="point") for v in variants],
        ignore_index=True,
    )
    classes = alt.Scale(domain=sorted(set(data["label"])), range=PALETTE)
    color = alt.Color("label:N", scale=classes, title=tr("ax_class"))
    cells = (
        alt.Chart()
        .transform_filter(alt.datum.kind == "cell")
        .mark_rect()
        .encode(
            x=alt.X("x:Q", title=tr("ax_x1")),
            x2="x2:Q",
            y=alt.Y("y:Q", title=tr("ax_x2")),
            y2="y2:Q",
            color=color,
            opacity=alt.Opacity(
                "confidence:Q", scale=alt.Scale(domain=[0.5, 1], range=[0.1, 0.55]), legend=None
            ),
        )
    )
    dots = (
        alt.Chart()
        .transform_filter(alt.datum.kind == "point")
        .mark_circle(size=22, stroke="white", strokeWidth=0.5, opacity=1)
        .encode(x="x:Q", y="y:Q", color=color)
    )
    return (
        alt.layer(cells, dots, data=data)
        .properties(width=240, height=240)
        .facet(facet=alt.Facet("variant:N", title=None, sort=variants), columns=4)
    )
