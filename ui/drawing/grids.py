"""Grids: one coloured cell per pair (epoch and layer, initializer and BN placement, parameter
and layer), as Vega-Lite dicts.

The share of saturated or dead units per epoch and layer, the distinct units per epoch and
layer, which gradients are exactly 0, and the final accuracy per initializer and BN
placement. Pure: no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from ..text.format import power_of_ten
from ..text.i18n import Text
from . import vegalite as vl
from .style import NEUTRAL, PALETTE, variant_tip

#: Most cells of a layer-by-epoch panel that still get their number written in them.
MAX_LABELLED_CELLS = 400


def colour_bar(**properties) -> dict:
    """The legend of a colour scale: a horizontal bar under the cells, its title above it.
    Beside the cells, a vertical bar's title and end labels were cut at the chart's edge (Vega
    measures the text before the page's font draws it, Korean narrower than it is)."""
    return {"orient": "bottom", "direction": "horizontal", "gradientLength": 240,
            "titleLimit": 400, **properties}  # fmt: skip


def share_bar() -> dict:
    """A share's colour bar: 0 to 100 % in quarters, both ends labelled (left to Vega, the
    labels that would overlap are dropped, 100 % among them)."""
    return colour_bar(format="%", values=[0, 0.25, 0.5, 0.75, 1])


def _epoch_by_layer(tr: Text, epoch_axis: dict | None = None) -> dict:
    """The x (epoch) and y (layer) of a layer-by-epoch panel, both ordinal."""
    extra = {"axis": epoch_axis} if epoch_axis is not None else {}
    return {
        "x": vl.field("epoch", "ordinal", title=tr("ax_epoch"), **extra),
        "y": vl.field("layer", "ordinal", title=tr("ax_layer")),
    }


def _cell_tips(tr: Text, value: dict) -> list[dict]:
    """A layer-by-epoch cell's tooltip: variant, epoch, layer and ``value``."""
    return [
        variant_tip(tr),
        vl.field("epoch", "ordinal", title=tr("ax_epoch")),
        vl.field("layer", "ordinal", title=tr("ax_layer")),
        value,
    ]


def layer_epoch_heatmap(frame: pd.DataFrame, value: str, tr: Text, title: str) -> dict:
    """Share per (epoch, layer) as colour, one panel per variant. frame: ``variant, epoch,
    layer, <value>`` (mean over seeds)."""
    # one scale from 0 to 100 % on every page, so that a colour always means the same share (a
    # scale stretched to the largest share measured would paint 5 % as deep as 100 %)
    colour = vl.field(value, "quantitative", title=tr(f"ax_{value}"),
                      legend=share_bar(),
                      scale={"domain": [0, 1], "scheme": "orangered"})  # fmt: skip
    tip = vl.field(value, "quantitative", title=tr(f"ax_{value}"), format=".1%")
    cells = {
        "mark": {"type": "rect"},
        "encoding": {**_epoch_by_layer(tr), "color": colour, "tooltip": _cell_tips(tr, tip)},
        "width": 180,
        "height": 200,
    }
    return vl.chart(
        data={"values": vl.records(frame)},
        # the variants in page order: Vega would sort them alphabetically, another order in
        # each language
        facet={
            "column": vl.field(
                "variant", "nominal", title=None, sort=list(dict.fromkeys(frame["variant"]))
            )
        },  # fmt: skip
        spec=cells,
        title=title,
    )


def distinct_units(frame: pd.DataFrame, width: int, tr: Text) -> dict:
    """Distinct units per (epoch, hidden layer), one panel per variant (in ``frame``'s order):
    the colour on a log scale from 1 (a layer of copies, light) to ``width`` (every unit
    different, dark), the count written in each cell when the panels are small enough.
    frame: ``variant, epoch, layer, distinct_units``."""
    top = max(width, 2)
    value = "distinct_units"
    at = _epoch_by_layer(tr, {"labelAngle": 0})
    tooltip = _cell_tips(
        tr, vl.field(value, "quantitative", title=tr("ax_distinct_units"), format=".0f")
    )
    cells = {
        "mark": {"type": "rect"},
        "encoding": {
            **at,
            "color": vl.field(value, "quantitative", title=tr("ax_distinct_units"),
                              scale={"type": "log", "domain": [1, top], "scheme": "blues"},
                              legend=colour_bar(format="d", values=sorted({1, top}))),
            "tooltip": tooltip,
        },
    }  # fmt: skip
    layers = [cells]
    if frame.groupby("variant").size().max() <= MAX_LABELLED_CELLS:
        layers.append({
            "mark": {"type": "text", "fontSize": 11},
            "encoding": {**at, "text": vl.field(value, "quantitative", format=".0f"),
                         "color": vl.when(f"datum.distinct_units > {top**0.5}", "white", "black"),
                         "tooltip": tooltip},
        })  # fmt: skip
    return vl.chart(
        data={"values": vl.records(frame)},
        facet={"column": vl.field("variant", "nominal", title=None,
                                  sort=list(dict.fromkeys(frame["variant"])))},
        spec={"layer": layers, "width": 220, "height": {"step": 22}},
        title=tr("chart_distinct_units"),
    )  # fmt: skip


def zero_grid(frame: pd.DataFrame, tr: Text, title: str, kinds: list[str]) -> dict:
    """One cell per (kind, layer) with its value written in it, exact zeros grey and the rest
    orange, so that which values are exactly 0 reads at a glance. frame: ``layer, what,
    largest`` (``what`` one of ``kinds``, in their order as rows)."""
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
    return vl.chart(
        data={"values": vl.records(frame)},
        title={"text": title, "anchor": "start"},
        encoding={"x": x, "y": y},
        layer=[
            {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
             "encoding": {"color": vl.when("datum.zero", NEUTRAL, PALETTE[1]),
                          "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 11},
             "encoding": {"text": vl.field("text", "nominal"), "color": {"value": "white"},
                          "tooltip": tooltip}},
        ],
        width={"step": 52},
        height={"step": 30},
    )  # fmt: skip


def accuracy_grid(frame: pd.DataFrame, tr: Text) -> dict:
    """Heatmap of final validation accuracy: rows initializer, columns BN placement, the
    accuracy written in each cell. frame: ``init, bn, accuracy``."""
    at = {
        "x": vl.field("bn", "nominal", title=None,
                      axis={"labelAngle": 0, "labelLimit": 240, "orient": "top"}),
        "y": vl.field("init", "nominal", title=None),
    }  # fmt: skip
    colour = vl.field("accuracy", "quantitative", title=tr("ax_accuracy"),
                      scale={"domain": [0, 1], "scheme": "viridis"},
                      legend=share_bar())  # fmt: skip
    tooltip = [
        vl.field("init", "nominal", title=tr("ax_init")),
        vl.field("bn", "nominal", title=tr("ax_bn")),
        vl.field("accuracy", "quantitative", title=tr("ax_accuracy"), format=".1%"),
    ]
    return vl.chart(
        data={"values": vl.records(frame)},
        layer=[
            {"mark": {"type": "rect"}, "encoding": {**at, "color": colour, "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 14, "fontWeight": "bold"},
             "encoding": {**at, "text": vl.field("accuracy", "quantitative", format=".0%"),
                          "color": vl.when("datum.accuracy > 0.5", "black", "white"),
                          "tooltip": tooltip}},
        ],
        width=420,
        height=220,
    )  # fmt: skip
