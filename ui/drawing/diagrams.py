"""Diagrams: the figures that explain an idea rather than follow a run, as Vega-Lite dicts.

The logistic function and its slope, every activation and its derivative, the weights each
initializer draws, the geometry of gradient clipping, and a classifier's decision
boundaries. Pure: no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text.i18n import Text
from . import vegalite as vl
from .style import BELOW, NEUTRAL, PALETTE, SATURATED, VariantScale, variant, variant_tip

#: A flat (saturating) region: shaded faintly.
SHADE = {"type": "rect", "opacity": 0.12, "color": SATURATED}


def function_and_derivative(
    frame: pd.DataFrame, tr: Text, saturated: pd.DataFrame, tangent: pd.DataFrame
) -> dict:
    """The overview's logistic figure.

    frame: ``z, value, curve`` (curve = function or derivative name); saturated: ``start,
    end`` intervals shaded; tangent: ``z, value`` of the slope-1/4 line through (0, 1/2).
    """
    z = vl.field("z", "quantitative", title="z")
    at = {"x": z, "y": vl.field("value", "quantitative", title=None)}
    return vl.chart(
        layer=[
            {"data": {"values": vl.records(saturated.assign(label=tr("ov_saturating")))},
             "mark": SHADE,
             "encoding": {"x": vl.field("start", "quantitative", title="z"),
                          "x2": {"field": "end"},
                          "tooltip": [vl.field("label", "nominal", title=tr("ax_region"))]}},
            {"data": {"values": vl.records(frame)}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {**at,
                          "color": vl.field("curve", "nominal", title=None,
                                            scale={"range": PALETTE[:2]}),
                          "tooltip": [vl.field("curve", "nominal", title=tr("ax_curve")),
                                      vl.field("z", "quantitative", title="z", format=".2f"),
                                      vl.field("value", "quantitative", title=tr("ax_value"),
                                               format=".4f")]}},
            # a guide, named by its label: neither has a tooltip
            {"data": {"values": vl.records(tangent)},
             "mark": {"type": "line", "strokeDash": [4, 4], "color": NEUTRAL},
             "encoding": {**at, "tooltip": None}},
            {"data": {"values": vl.records(tangent.iloc[[-1]].assign(label=tr("ov_tangent")))},
             "mark": {"type": "text", "align": "left", "dx": 4, "color": NEUTRAL},
             "encoding": {**at, "text": vl.field("label", "nominal"), "tooltip": None}},
        ],
        title=tr("ov_sigmoid_chart"),
        width=520,
        height=260,
    )  # fmt: skip


def activation_gallery(curves: pd.DataFrame, flat: pd.DataFrame, tr: Text) -> dict:
    """Small multiples of f (solid) and f' (dashed) per activation, flat regions shaded, each
    panel on its own y axis.

    curves: ``activation, z, value, curve`` (curve "f" or "f'"); flat: ``activation, start, end``.
    """
    lines = {
        "transform": [vl.keep("(datum.z !== null)")],
        "mark": {"type": "line", "strokeWidth": 2.5},
        "encoding": {
            "x": vl.field("z", "quantitative", title="z"),
            "y": vl.field("value", "quantitative", title=None),
            "strokeDash": vl.field("curve", "nominal", title=None, legend={"orient": "bottom"},
                                   scale={"domain": ["f", "f'"], "range": [[1, 0], [5, 3]]}),
            "color": {"value": PALETTE[0]},
            "tooltip": [vl.field("activation", "nominal", title=tr("ax_function")),
                        vl.field("curve", "nominal", title=tr("ax_curve")),
                        vl.field("z", "quantitative", title="z", format=".2f"),
                        vl.field("value", "quantitative", title=tr("ax_value"), format=".3f")],
        },
    }  # fmt: skip
    shade = {
        "transform": [vl.keep("(datum.start !== null)")],
        "mark": SHADE,
        "encoding": {"x": vl.field("start", "quantitative", title="z"), "x2": {"field": "end"},
                     "tooltip": None},
    }  # fmt: skip
    panels = list(dict.fromkeys(curves["activation"]))
    return vl.chart(
        data={"values": vl.records(pd.concat([curves, flat], ignore_index=True))},
        facet=vl.field("activation", "nominal", title=None, sort=panels),
        columns=4,
        spec={"layer": [shade, lines], "width": 190, "height": 140},
        resolve={"scale": {"y": "independent"}},
        title=tr("ac_gallery"),
    )


def weight_histograms(counts: pd.DataFrame, tr: Text, scale: VariantScale) -> dict:
    """One panel per initializer: the drawn weights' histogram, truncation bounds dashed, each
    panel on its own axes.

    counts: ``variant, bin_start, bin_end, count, bound`` where ``bound`` is the variant's
    truncation bound (NaN when its distribution has none).
    """
    bars = {
        "mark": {"type": "rect"},
        "encoding": {
            "x": vl.field("bin_start", "quantitative", bin="binned", title=tr("ax_weight")),
            "x2": {"field": "bin_end"},
            "y": vl.field("count", "quantitative", title=tr("ax_count")),
            "color": variant(scale, tr),
            "tooltip": [variant_tip(tr),
                        vl.field("bin_start", "quantitative", title=tr("ax_weight"), format=".3f"),
                        vl.field("count", "quantitative", title=tr("ax_count"))],
        },
    }  # fmt: skip
    bound = [
        {"aggregate": [{"op": "max", "field": "bound", "as": "hi"}], "groupby": ["variant"]},
        vl.calculate("-datum.hi", "lo"),
    ]
    rules = [
        {"transform": bound, "mark": {"type": "rule", "strokeDash": [4, 3], "color": NEUTRAL},
         "encoding": {"x": vl.field(side, "quantitative", title=tr("ax_weight")),
                      "tooltip": None}}
        for side in ("hi", "lo")
    ]  # fmt: skip
    return vl.chart(
        data={"values": vl.records(counts)},
        facet=vl.field("variant", "nominal", title=None, sort=list(scale.domain)),
        columns=4,
        spec={"layer": [bars, *rules], "width": 150, "height": 150},
        resolve={"scale": {"x": "independent", "y": "independent"}},
    )


def clipping_geometry(arrows: pd.DataFrame, threshold: float, tr: Text) -> dict:
    """Arrows from the origin (rows ``label, x, y``; the first row, the raw gradient's
    direction, drawn as a dashed ray), the value-clipping square and the norm circle of radius
    ``threshold``, on equal axes (a square plot with the same domain on both)."""
    c = threshold
    extent = 1.6 * max(c, float(np.abs(arrows[["x", "y"]].to_numpy()).max()))
    theta = np.linspace(0, 2 * np.pi, 121)
    circle = pd.DataFrame({"x": c * np.cos(theta), "y": c * np.sin(theta), "order": np.arange(121)})
    square = pd.DataFrame({"x": [-c, c, c, -c, -c], "y": [-c, -c, c, c, -c], "order": range(5)})
    equal = {"domain": [-extent, extent]}
    x = vl.field("x", "quantitative", scale=equal, title="g₁")
    y = vl.field("y", "quantitative", scale=equal, title="g₂")
    outline = {"x": x, "y": y, "order": vl.field("order", "quantitative"), "tooltip": None}
    colour = vl.field(
        "label", "nominal", title=None,
        scale={"domain": list(arrows["label"]), "range": [NEUTRAL, PALETTE[1], PALETTE[0]]},
        legend={**BELOW, "labelLimit": 300},
    )  # fmt: skip
    ends = arrows.assign(x0=0.0, y0=0.0)
    tooltip = [vl.field("label", "nominal", title=tr("ax_vector")),
               vl.field("x", "quantitative", title="g₁", format=".3g"),
               vl.field("y", "quantitative", title="g₂", format=".3g")]  # fmt: skip
    rule = {"x": vl.field("x0", "quantitative", title="g₁"),
            "y": vl.field("y0", "quantitative", title="g₂"),
            "x2": {"field": "x"}, "y2": {"field": "y"}, "color": colour,
            "tooltip": tooltip}  # fmt: skip
    clipped = {"values": vl.records(ends.iloc[1:])}
    return vl.chart(
        layer=[
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
        width=300,
        height=300,
        autosize={"type": "pad"},
    )  # fmt: skip


def decision_boundaries(grid: pd.DataFrame, points: pd.DataFrame, tr: Text) -> dict:
    """One panel per variant: predicted class per grid cell (opacity = confidence) and the
    validation points. grid: ``variant, x, x2, y, y2, label, confidence``; points: ``x, y,
    label`` (drawn in every panel)."""
    variants = list(dict.fromkeys(grid["variant"]))
    data = pd.concat(
        [grid.assign(kind="cell")] + [points.assign(variant=v, kind="point") for v in variants],
        ignore_index=True,
    )
    classes = {"domain": sorted(set(data["label"])), "range": list(PALETTE)}
    color = vl.field("label", "nominal", scale=classes, title=tr("ax_class"))
    at = {"x": vl.field("x", "quantitative", title=tr("ax_x1")),
          "y": vl.field("y", "quantitative", title=tr("ax_x2"))}  # fmt: skip
    # the predicted class where the pointer is; at a point, the point's own class and place
    tips = [vl.field("label", "nominal", title=tr("ax_class")),
            vl.field("x", "quantitative", title=tr("ax_x1"), format=".2f"),
            vl.field("y", "quantitative", title=tr("ax_x2"), format=".2f")]  # fmt: skip
    cells = {
        "transform": [vl.keep("(datum.kind === 'cell')")],
        "mark": {"type": "rect"},
        "encoding": {
            **at,
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "color": color,
            "tooltip": tips[:1],
            "opacity": vl.field("confidence", "quantitative", legend=None,
                                scale={"domain": [0.5, 1], "range": [0.1, 0.55]}),
        },
    }  # fmt: skip
    dots = {
        "transform": [vl.keep("(datum.kind === 'point')")],
        "mark": {"type": "circle", "size": 22, "stroke": "white", "strokeWidth": 0.5,
                 "opacity": 1},
        "encoding": {**at, "color": color, "tooltip": tips},
    }  # fmt: skip
    return vl.chart(
        data={"values": vl.records(data)},
        facet=vl.field("variant", "nominal", title=None, sort=variants),
        columns=4,
        spec={"layer": [cells, dots], "width": 240, "height": 240},
    )
